"""Draw the gold standard's sample from the MSC corpus: seeded, so the same studies come out every time.

    python scripts/draw_gold_sample.py [CORPUS] [--size 130] [--seed 14] [--out tests/data/gold/msc-2022]

The corpus folder holds one ClinicalTrials.gov study per `NCT….json`; the sample is
`random.Random(seed).sample(sorted file names, size)`, and each drawn file is copied byte for byte.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "msc-2022"


def draw(corpus: Path, size: int, seed: int) -> list[Path]:
    """The drawn files, in the order the generator drew them."""
    files = sorted(corpus.glob("NCT*.json"))
    return random.Random(seed).sample(files, size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--size", type=int, default=130)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "gold" / "msc-2022")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in draw(args.corpus, args.size, args.seed):
        shutil.copyfile(path, args.out / path.name)
        print(path.stem)


if __name__ == "__main__":
    main()
