"""What the library reads on a whole corpus of real studies: a script, not a test.

    .venv/bin/python scripts/corpus_coverage.py [CORPUS] [--root CHECKOUT] [--list]

For every cellular arm: whether it gets a dose, a count (stated, or one administration assumed), and days; for
arms without a dose, the flag that says why. It then checks the promise that every arm whose own or linked text
states a number of cells gets that number or a flag naming the reason, and lists the arms that break it.
`--root` reads with another checkout of this project (an earlier commit), for before-and-after figures.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "msc-2022"
# Flags that name why an arm whose text holds a number of cells has no dose.
# The most specific first: every cellular arm without a dose also says "no cell number is stated".
REASONS = ("concentration-only", "per-site-only", "impossible-dose", "placebo-states-cells", "cell-free", "dose-cap",
           "no-dose")
_PLACEBO_TYPES = ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION")
_LINES = ("arms", "cellular arms", "  with a dose", "    with a count", "      one administration assumed",
          "    with days", "  without a dose", "arms whose texts state cells, no dose read")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose library reads the corpus")
    parser.add_argument("--list", action="store_true", help="list the arms whose stated numbers are unexplained")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from trialdata.load import load_paths

    try:
        from trialdata.grammar.doses import find_doses
    except ImportError:  # an earlier checkout, before the grammar had its own package
        from trialdata.dose import find_doses  # type: ignore[no-redef]

    result = load_paths([args.corpus])
    interventions_of = {t.trial_id: {i.name: i for i in t.interventions} for t in result.trials}
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    unexplained: list[str] = []
    for trial in result.trials:
        for arm in trial.arms:
            counts["arms"] += 1
            texts = [arm.label, arm.description, *(interventions_of[trial.trial_id][name].description
                                                   for name in arm.interventions
                                                   if name in interventions_of[trial.trial_id])]
            stated = any(not getattr(m, "refused", "") for text in texts for m in find_doses(text))
            codes = {flag.code for flag in arm.flags}
            dosed = [r for r in arm.regimens if r.dose is not None]
            if arm.cellular:
                counts["cellular arms"] += 1
                if dosed:
                    counts["  with a dose"] += 1
                    if all(r.administrations for r in dosed):
                        counts["    with a count"] += 1
                        if "count-assumed" in codes:
                            counts["      one administration assumed"] += 1
                    if all(r.administration_days for r in dosed):
                        counts["    with days"] += 1
                else:
                    counts["  without a dose"] += 1
                    named = [code for code in REASONS if code in codes]
                    reasons[named[0] if named else "(no flag)"] += 1
            if stated and not dosed:
                counts["arms whose texts state cells, no dose read"] += 1
                if not any(code in codes for code in REASONS) and arm.type not in _PLACEBO_TYPES:
                    unexplained.append(f"{trial.trial_id} · {arm.label}")
    print(f"{len(result.trials)} studies from {args.corpus}, read with {args.root.resolve()}")
    for name in _LINES:
        print(f"  {name:45s} {counts[name]:5d}")
    print("  cellular arms without a dose, by the flag that says why:")
    for code, value in reasons.most_common():
        print(f"    {code:43s} {value:5d}")
    print(f"  stated numbers of cells neither read nor explained by a flag: {len(unexplained)}")
    if args.list:
        for arm in unexplained:
            print(f"    {arm}")


if __name__ == "__main__":
    main()
