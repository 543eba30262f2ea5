"""Command line: `export` writes the arm-by-arm comparison table; `fetch` downloads a study's record; `score`
measures the table against a gold standard read by hand."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from .export_rows import ExportSettings, write_csv_rows
from .rows import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG

# What a command does not use is imported when it runs: a CSV export never imports pandas (a third of its time on
# a folder of real records), the network client or the scorer.
DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FORMATS = ("csv", "json", "xlsx")


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when at least one record was read, 1 when none was, 2 for bad arguments."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "fetch":
        return _fetch(args.nct_ids, args.out_dir)
    if args.command == "score":
        return _score(args.gold, args.paths)
    if args.format == "xlsx" and args.out is None:
        parser.error("--format xlsx needs --out FILE (a workbook is not text for the terminal)")
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    if not 1 <= args.weight_kg <= 500:
        parser.error(f"--weight-kg must be between 1 and 500, got {args.weight_kg:g}")
    if not 0.1 <= args.bsa_m2 <= 3.5:
        parser.error(f"--bsa-m2 must be between 0.1 and 3.5, got {args.bsa_m2:g}")
    return _export(args)


def _export(args: argparse.Namespace) -> int:
    """Exit 0 when at least one record was read and the table written, 1 otherwise."""
    from .bulk import TABLE_COLUMNS, load_arms_rows
    from .load import printable

    result = load_arms_rows(args.paths or [DEFAULT_SEEDS], args.weight_kg, workers=args.workers,
                            bsa_m2=args.bsa_m2, fork=True)  # the command line runs no other thread
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.trials:
        print("no record could be read", file=sys.stderr)
        return 1
    settings = ExportSettings(weight_kg=args.weight_kg, bsa_m2=args.bsa_m2,
                              records=", ".join(str(path) for path in args.paths or [DEFAULT_SEEDS]))
    try:
        if args.format == "csv" and args.out is None:
            text = io.StringIO(newline="")
            write_csv_rows(result.rows, TABLE_COLUMNS, text, settings)
            return _to_stdout(text.getvalue().encode("utf-8"))
        if args.format == "csv":
            with args.out.open("w", encoding="utf-8", newline="") as handle:  # written as it is made
                write_csv_rows(result.rows, TABLE_COLUMNS, handle, settings)
            return 0
        from .export import to_json, to_xlsx
        from .frames import rows_frame

        data = {"json": to_json, "xlsx": to_xlsx}[args.format](rows_frame(result.rows, TABLE_COLUMNS),
                                                               settings=settings)
        if args.out is None:
            return _to_stdout(data)
        args.out.write_bytes(data)
    except OSError as error:  # a missing folder, a folder, a full or read-only disk
        print(f"cannot write {printable(str(args.out))}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _to_stdout(data: bytes) -> int:
    """The table on standard output; a reader that stops early (`| head`) is not an error, a full disk is."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more reaches the closed pipe
    except OSError as error:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"cannot write the table to standard output: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _fetch(nct_ids: list[str], out_dir: Path) -> int:
    """Exit 0 when every study was saved, 1 when one could not be fetched, 2 for a malformed NCT number."""
    from .fetch import FetchError, fetch_study

    status = 0
    for nct_id in nct_ids:
        try:
            path = fetch_study(nct_id, out_dir)
        except ValueError as error:
            print(f"fetch: {error}", file=sys.stderr)
            return 2
        except FetchError as error:
            print(f"fetch: {nct_id}: {error}", file=sys.stderr)
            status = 1
            continue
        print(f"saved {path}")
    return status


def _score(gold: Path, paths: list[Path]) -> int:
    """Exit 0 after printing the scores, 1 when the gold or the records cannot be read."""
    from .bulk import load_arms_frame
    from .scoring import library_arms, read_gold, score

    try:
        expected = read_gold(gold)
    except (OSError, KeyError, ValueError) as error:
        print(f"score: cannot read the gold standard {gold}: {error}", file=sys.stderr)
        return 1
    result = load_arms_frame(paths, DEFAULT_WEIGHT_KG, workers=1)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.trials:
        print("no record could be read", file=sys.stderr)
        return 1
    return _to_stdout((score(expected, library_arms(result.arms)).report() + "\n").encode("utf-8"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trialdata", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the arm-by-arm comparison table")
    export.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="record files or folders of them (default: the bundled seeds/)")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--out", type=Path, help="file to write; CSV and JSON go to stdout without it")
    export.add_argument("--weight-kg", type=float, default=DEFAULT_WEIGHT_KG,
                        help="reference body weight for converting flat and per-m² doses to cells/kg (default 70)")
    export.add_argument("--bsa-m2", type=float, default=DEFAULT_BSA_M2,
                        help="reference body-surface area for converting per-m² doses to cells/kg (default 1.73)")
    export.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes that parse records, used from 1,000 files on (default: one per core)")
    scorer = commands.add_parser("score", help="precision, recall and F1 of the table against a gold standard")
    scorer.add_argument("gold", type=Path, metavar="GOLD.csv", help="the gold standard (tests/data/gold/README.md)")
    scorer.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="the records the gold was read from")
    fetch = commands.add_parser("fetch", help="download studies from ClinicalTrials.gov (needs the network)")
    fetch.add_argument("nct_ids", nargs="+", metavar="NCT", help="NCT numbers (NCT followed by 8 digits)")
    fetch.add_argument("--out", dest="out_dir", type=Path, default=DEFAULT_SEEDS,
                       help="folder to save NCT….json in (default: the bundled seeds/)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
