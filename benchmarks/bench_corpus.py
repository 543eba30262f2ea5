"""Loader speed on the real MSC corpus: a script, not part of the pytest run.

Times, each in a fresh process and in turns (so the machine's drift falls on all alike):

- floor:   read every study file's bytes and `json.loads` them;
- product: `trialdata.bulk.load_arms_frame(files, workers=1)`, what `python -m trialdata export` runs on one core;
- peer:    with `--peer DIR`, the same call on another checkout of this project (an earlier commit), so a
           change to the grammar is measured against the code before it in the same run.

With `--repeated K`, what a corpus of repeated studies over-states: the product's seconds per study on the
corpus itself and on the same studies K times over under new NCT ids (as a benchmark corpus made by copying is
built), in turns. The reading remembers the sentences, routes and product words it has read (see
`grammar.text.short_text_cache`), so every copy after the first reads faster than a study never seen.

With `--copies N`, the export at scale: the corpus copied to N studies under ids of their own, exported by
`python -m trialdata export` (its default workers, the parsed-record cache off) as a whole process, timed, with
the largest total resident memory of it and its workers sampled every 0.1 s from /proc.

With `--export`, whole processes instead, imports and start-up included, as an analyst runs them:

- export:   `python -m trialdata export CORPUS --out FILE.csv` (its default workers: one per core): its first
            run (an empty cache folder), with a cold cache (the grammar's compiled patterns kept, no parsed
            record), with a warm cache (the records the cold run kept), and with the cache off; with
            `--peer DIR`, that checkout's export too;
- ctgforge: ctgforge 0.2.5 (benchmarks/requirements.txt), `flatten_core` of each study's JSON, `to_dataframe`,
            then CSV to a file: the peer library's flattening of the same studies, without any dose reading.

    .venv/bin/python benchmarks/bench_corpus.py [CORPUS] [--repeats 5] [--peer /path/to/other/checkout]
    .venv/bin/python benchmarks/bench_corpus.py [CORPUS] --export [--repeats 5] [--peer /path/to/other/checkout]
    .venv/bin/python benchmarks/bench_corpus.py [CORPUS] --repeated 5 [--repeats 5]
    .venv/bin/python benchmarks/bench_corpus.py [CORPUS] --copies 100000 --repeats 2

Prints the median of each, the product's time as a ratio to the floor, and the product against the peer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Every figure here reads records afresh unless it says otherwise: a parsed-record cache on disk (see
# trialdata.parsed_cache) left by an earlier run would answer for the reading being measured.
os.environ["TRIALDATA_CACHE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "msc-2022"

_FLOOR = """
import json, sys, time
from pathlib import Path
files = sorted(Path(sys.argv[1]).glob("*.json"))
start = time.perf_counter()
for path in files:
    json.loads(path.read_bytes())
print(time.perf_counter() - start)
"""
_PRODUCT = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from trialdata.bulk import load_arms_frame
import trialdata.readers.ctgov
files = sorted(Path(sys.argv[1]).glob("*.json"))
# One file read before the clock starts: the grammar, compiled at import in earlier checkouts and on the first
# file read since, is compiled outside the time in every checkout alike.
load_arms_frame(files[:1], 70.0, workers=1)
start = time.perf_counter()
result = load_arms_frame(files, 70.0, workers=1)
print(time.perf_counter() - start, len(result.arms), file=sys.stdout)
"""


_CTGFORGE = """
import json, sys
from pathlib import Path
from ctgforge.export.dataframe import to_dataframe
from ctgforge.flatten.core import flatten_core
files = sorted(Path(sys.argv[1]).glob("*.json"))
to_dataframe([flatten_core(json.loads(path.read_bytes())) for path in files]).to_csv(sys.argv[2])
"""


def _whole(argv: list[str], cache: str, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=cwd, env=_export_environment(cache))
    return time.perf_counter() - started


def _export_environment(cache: str) -> dict[str, str]:
    """The environment an analyst's shell gives: Python writes and reuses its bytecode (ctgforge's and pandas' is
    written when they are installed; a checkout's is written on its first run), which a `PYTHONDONTWRITEBYTECODE`
    set for the test suite would deny the export alone: it would compile the library's source in every process."""
    environment = {**os.environ, "TRIALDATA_CACHE": cache}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


EXPORT_RUNS = ("ctgforge", "export, first run", "export, cold cache", "export, warm cache", "export, cache off")


def export_against_ctgforge(corpus: Path, repeats: int, out: Path, peer: Path | None = None) -> dict[str, list[float]]:
    """Whole-process seconds of the export and of ctgforge on the same files, in turns (each turn in another
    order). The export runs four ways: its first run (an empty cache folder: the grammar's patterns compiled and
    kept, every file read and its parsed records kept), with a cold cache (the compiled patterns kept, no parsed
    record: a folder never exported or opened), with a warm cache (the records the cold run kept), and with the
    cache off. With `peer`, another checkout's export with an empty cache folder and with the cache off."""
    def export(root: Path) -> list[str]:
        return [sys.executable, "-m", "trialdata", "export", str(corpus), "--out", str(out / "arms.csv")]

    ctgforge = [sys.executable, "-c", _CTGFORGE, str(corpus), str(out / "ctgforge.csv")]
    runs: dict[str, list[float]] = {name: [] for name in EXPORT_RUNS}
    if peer is not None:
        runs.update({"peer, first run": [], "peer, cache off": []})
    _whole(export(ROOT), "off")  # bytecode written for this checkout (and the peer's) before any clock starts
    if peer is not None:
        _whole(export(peer), "off", peer)
    for turn in range(repeats):
        cache = out / f"cache-{turn}"
        peer_cache = out / f"peer-cache-{turn}"

        def cold_records(cache: Path = cache) -> float:
            for records in cache.glob("parsed-*"):
                shutil.rmtree(records)
            return _whole(export(ROOT), str(cache))

        steps = [
            ("ctgforge", lambda: _whole(ctgforge, "off")),
            ("export, first run", lambda cache=cache: _whole(export(ROOT), str(cache))),
            ("export, cold cache", cold_records),
            ("export, warm cache", lambda cache=cache: _whole(export(ROOT), str(cache))),
            ("export, cache off", lambda: _whole(export(ROOT), "off")),
        ]
        if peer is not None:
            steps += [("peer, first run", lambda peer_cache=peer_cache: _whole(export(peer), str(peer_cache), peer)),
                      ("peer, cache off", lambda: _whole(export(peer), "off", peer))]
        shift = turn % 2  # ctgforge before the export's runs in one turn, after them in the next
        for name, step in steps[shift:] + steps[:shift]:
            runs[name].append(step())
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(peer_cache, ignore_errors=True)
    return runs


def copied_corpus(corpus: Path, folder: Path, studies: int, first_as_is: bool = False) -> None:
    """`studies` study files in `folder`, taken from the corpus round after round, each copy under an NCT id of
    its own (NCT9 and the copy's number in seven digits: every registry id of today starts NCT0, so none meets
    one), and with `first_as_is` the first round under the studies' own ids."""
    paths = sorted(corpus.glob("*.json"))
    if studies > 10**7:
        raise SystemExit(f"{studies} studies: at most 10,000,000 copies have ids of their own")
    folder.mkdir(parents=True)
    for number in range(studies):
        copy, path = divmod(number, len(paths))
        stem = paths[path].stem
        if not (stem.startswith("NCT0") and len(stem) == 11):
            raise SystemExit(f"{paths[path].name}: expected an NCT0... id")
        new_id = stem if first_as_is and copy == 0 else f"NCT9{number:07d}"
        (folder / f"{new_id}.json").write_text(paths[path].read_text(encoding="utf-8").replace(stem, new_id),
                                               encoding="utf-8")


def export_at_scale(corpus: Path, studies: int, repeats: int) -> list[tuple[float, float]]:
    """(seconds, peak MiB of the process tree) of each whole export of the corpus copied to `studies` studies."""
    sys.path.insert(0, str(ROOT))  # the repo root: benchmarks.bench_load
    from benchmarks.bench_load import tree_rss_kb

    runs = []
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out) / "copies"
        copied_corpus(corpus, folder, studies)
        for _ in range(repeats):
            argv = [sys.executable, "-m", "trialdata", "export", str(folder), "--out", str(Path(out) / "arms.csv")]
            started = time.perf_counter()
            child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env={**os.environ, "TRIALDATA_CACHE": "off"})
            peak_kb = 0
            while child.poll() is None:
                peak_kb = max(peak_kb, tree_rss_kb(child.pid))
                time.sleep(0.1)
            if child.returncode != 0:
                raise SystemExit(f"the export ended with {child.returncode}")
            runs.append((time.perf_counter() - started, peak_kb / 1024))
    return runs


def per_study_on_repeats(corpus: Path, copies: int, repeats: int) -> dict[str, list[float]]:
    """Seconds per study of the product on the corpus and on it repeated, in turns."""
    runs: dict[str, list[float]] = {"distinct": [], f"repeated {copies}x": []}
    with tempfile.TemporaryDirectory() as out:
        repeated = Path(out) / f"repeated-{copies}"
        copied_corpus(corpus, repeated, copies * len(list(corpus.glob("*.json"))))
        folders = {"distinct": corpus, f"repeated {copies}x": repeated}
        counts = {name: len(list(folder.glob("*.json"))) for name, folder in folders.items()}
        for turn in range(repeats):
            names = list(folders)[turn % 2:] + list(folders)[: turn % 2]
            for name in names:
                runs[name].append(_run(_PRODUCT, folders[name], ROOT) / counts[name])
    return runs


def _run(code: str, corpus: Path, root: Path | None = None) -> float:
    argv = [sys.executable, "-c", code, str(corpus)] + ([str(root)] if root else [])
    out = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=root or ROOT).stdout.split()
    return float(out[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--peer", type=Path, help="another checkout of this project, measured in the same turns")
    parser.add_argument("--export", action="store_true", help="whole processes: the export against ctgforge")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--repeated", type=int, metavar="K", help="the corpus K times over under new ids, "
                        "against the corpus itself: what a repeated benchmark corpus over-states")
    parser.add_argument("--copies", type=int, metavar="N", help="the whole export of the corpus copied to N "
                        "studies: seconds and peak memory")
    args = parser.parse_args()
    studies = len(list(args.corpus.glob("*.json")))
    if args.copies:
        scale = export_at_scale(args.corpus, args.copies, args.repeats)
        print(f"{args.copies:,} studies copied from the {studies} of {args.corpus}, whole exports:")
        for seconds, peak in scale:
            print(f"  {seconds:7.1f} s, peak memory of the process tree {peak:,.0f} MiB")
        if args.json_out:
            args.json_out.write_text(json.dumps({"studies": args.copies, "runs": scale,
                                                 "when": time.strftime("%Y-%m-%d %H:%M")}, indent=1))
        return
    if args.repeated:
        runs = per_study_on_repeats(args.corpus, args.repeated, args.repeats)
        medians = {name: statistics.median(times) for name, times in runs.items()}
        print(f"{studies} studies from {args.corpus}, and {args.repeated} copies of each; {args.repeats} turns, "
              "medians, milliseconds per study:")
        for name, seconds in medians.items():
            print(f"  {name:14s} {seconds * 1000:7.3f} ms")
        distinct, repeated = medians.values()
        print(f"  distinct / repeated = {distinct / repeated:.2f}x (how much faster a repeated corpus reads)")
        if args.json_out:
            args.json_out.write_text(json.dumps({"studies": studies, "copies": args.repeated, "runs": runs,
                                                 "medians": medians, "when": time.strftime("%Y-%m-%d %H:%M")},
                                                indent=1))
        return
    if args.export:
        with tempfile.TemporaryDirectory() as out:
            runs = export_against_ctgforge(args.corpus, args.repeats, Path(out),
                                           args.peer.resolve() if args.peer else None)
        medians = {name: statistics.median(times) for name, times in runs.items()}
        print(f"{studies} studies from {args.corpus}, {args.repeats} turns, whole processes, medians:")
        for name, seconds in medians.items():
            print(f"  {name:18s} {seconds:7.3f} s  (all: {', '.join(f'{t:.2f}' for t in runs[name])})")
        for name in medians:
            if name != "ctgforge":
                print(f"  {name} / ctgforge = {medians[name] / medians['ctgforge']:.2f}x")
        if args.json_out:
            args.json_out.write_text(json.dumps({"studies": studies, "runs": runs, "medians": medians,
                                                 "when": time.strftime("%Y-%m-%d %H:%M")}, indent=1))
        return
    runs: dict[str, list[float]] = {"floor": [], "product": [], "peer": []}
    for turn in range(args.repeats):
        order = [("floor", _FLOOR, None), ("product", _PRODUCT, ROOT)]
        if args.peer:
            order.append(("peer", _PRODUCT, args.peer.resolve()))
        for name, code, root in order[turn % len(order):] + order[: turn % len(order)]:
            runs[name].append(_run(code, args.corpus, root))
    medians = {name: statistics.median(times) for name, times in runs.items() if times}
    print(f"{studies} studies from {args.corpus}, {args.repeats} turns, medians:")
    for name, seconds in medians.items():
        print(f"  {name:8s} {seconds:7.3f} s  ({studies / seconds:,.0f} studies/s)")
    print(f"  product / floor = {medians['product'] / medians['floor']:.1f}x")
    if "peer" in medians:
        print(f"  product / peer  = {medians['product'] / medians['peer']:.3f}x")
    if args.json_out:
        args.json_out.write_text(json.dumps({"studies": studies, "runs": runs, "medians": medians,
                                             "when": time.strftime("%Y-%m-%d %H:%M")}, indent=1))


if __name__ == "__main__":
    main()
