"""Many record files straight to the arms table, for exports of thousands of studies.

The dashboard keeps every trial's models for its Sources and Arm detail pages; an export needs
only the table. Here each part of the files is read, turned into rows and its models dropped,
so memory holds the table rather than every model, and worker processes hand back rows of
plain values instead of models the parent would have to rebuild. Nothing here imports pandas:
the command line writes its CSV from the rows (`export_rows`). The table quotes every
number's sentence and place in its "source" column; it leaves out the Source objects behind
them (`SOURCE_COLUMNS`), which were over half its memory. Trials found in more than one record
are merged exactly as `load_paths` merges them: the files holding them are read again, and the
merged trial's rows take the place of its first record's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from . import load
from .load import Problem, read_each, record_files
from .merge import merge_trials
from .models import Trial
from .rows import ARM_COLUMNS, DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG, SOURCE_COLUMNS, arm_rows, check_bsa, check_weight

if TYPE_CHECKING:
    import pandas as pd

# The columns the table keeps: its rows are made without the sources, not made and then dropped.
TABLE_COLUMNS = tuple(column for column in ARM_COLUMNS if column not in SOURCE_COLUMNS)


# Files per part at most: a part's rows are held until the parent has them, in whichever process reads it.
PART_FILES = 1_000


@dataclass
class ArmsRows:
    """Every readable record's arm rows (tuples in the order of `TABLE_COLUMNS`), how many trials they hold, and
    every unreadable file: what the export writes, without pandas."""

    rows: list[tuple]
    trials: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ArmsLoad:
    """The arms table of every readable record, how many trials it holds, and every unreadable file."""

    arms: pd.DataFrame
    trials: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Part:
    """One run of files as rows, with which trial (and which file of the run) each block of rows came from."""

    rows: list[tuple]
    trial_ids: list[str]
    files: list[int]  # index in the whole file list of the file each trial came from
    counts: list[int]  # rows of each trial, in row order
    problems: list[Problem]


def load_arms_frame(paths: Iterable[str | Path], weight_kg: float = DEFAULT_WEIGHT_KG,
                    workers: int = 1, bsa_m2: float = DEFAULT_BSA_M2, fork: bool = False) -> ArmsLoad:
    """`arms_frame(load_paths(paths).trials, weight_kg, bsa_m2)` without `SOURCE_COLUMNS`, row for row, without
    ever holding every trial's models (see `load_arms_rows`)."""
    from .frames import rows_frame

    loaded = load_arms_rows(paths, weight_kg, workers, bsa_m2, fork)
    return ArmsLoad(rows_frame(loaded.rows, TABLE_COLUMNS), loaded.trials, loaded.problems)


def load_arms_rows(paths: Iterable[str | Path], weight_kg: float = DEFAULT_WEIGHT_KG,
                   workers: int = 1, bsa_m2: float = DEFAULT_BSA_M2, fork: bool = False) -> ArmsRows:
    """The rows of `load_arms_frame`, as tuples, never importing pandas.

    With `workers` > 1 and enough files, parts are read in that many processes (see `load_paths`); `fork` says
    the caller runs no other thread, so workers may be forked from it (see `load.process_pool`).
    """
    check_weight(weight_kg)
    check_bsa(bsa_m2)
    problems: list[Problem] = []
    files = record_files(paths, problems)
    parallel = load.in_parallel(files, workers, fork)
    runs = load.chunked(files, max(-(-len(files) // PART_FILES), workers * load.CHUNKS_PER_WORKER if parallel else 1))
    offsets = list(accumulate((len(run) for run in runs[:-1]), initial=0))
    if parallel:
        with load.process_pool(workers, fork) as pool:
            parts = list(pool.map(_read_part, runs, offsets, repeat(weight_kg), repeat(bsa_m2)))
    else:
        parts = list(map(_read_part, runs, offsets, repeat(weight_kg), repeat(bsa_m2)))
    for part in parts:
        problems.extend(part.problems)
    rows, trials = _assemble(parts, files, weight_kg, bsa_m2, problems)
    return ArmsRows(rows, trials, problems)


def _table_rows(trial: Trial, weight_kg: float, bsa_m2: float) -> list[tuple]:
    return [tuple(row[column] for column in TABLE_COLUMNS) for row in arm_rows(trial, weight_kg, bsa_m2)]


def _read_part(files: Sequence[Path], offset: int, weight_kg: float, bsa_m2: float) -> _Part:
    rows: list[tuple] = []
    trial_ids: list[str] = []
    numbers: list[int] = []
    counts: list[int] = []
    problems: list[Problem] = []
    for number, result in enumerate(read_each(files), start=offset):
        problems.extend(result.problems)
        for trial in result.trials:
            trial_rows = _table_rows(trial, weight_kg, bsa_m2)
            rows.extend(trial_rows)
            trial_ids.append(trial.trial_id)
            numbers.append(number)
            counts.append(len(trial_rows))
    return _Part(rows, trial_ids, numbers, counts, problems)


def _assemble(parts: list[_Part], files: Sequence[Path], weight_kg: float, bsa_m2: float,
              problems: list[Problem]) -> tuple[list[tuple], int]:
    """The parts' rows in one list, with each trial read more than once merged at its first place."""
    seen = Counter(trial_id for part in parts for trial_id in part.trial_ids)
    if all(count == 1 for count in seen.values()):
        return [row for part in parts for row in part.rows], len(seen)
    repeated = {trial_id for trial_id, count in seen.items() if count > 1}
    blocks: dict[str, list[tuple]] = {}  # each trial's rows, in first-seen order, as merge_trials keeps
    for part in parts:
        start = 0
        for trial_id, count in zip(part.trial_ids, part.counts, strict=True):
            blocks.setdefault(trial_id, [] if trial_id in repeated else part.rows[start : start + count])
            start += count
    for trial in merge_trials(_records_of(repeated, parts, files, problems)):
        blocks[trial.trial_id] = _table_rows(trial, weight_kg, bsa_m2)
    return [row for block in blocks.values() for row in block], len(seen)


def _records_of(trial_ids: set[str], parts: list[_Part], files: Sequence[Path],
                problems: list[Problem]) -> list[Trial]:
    """Every record of these trials, in file order, read again from the files that hold them."""
    expected = Counter(n for part in parts for t, n in zip(part.trial_ids, part.files, strict=True) if t in trial_ids)
    numbers = sorted(expected)
    records = []
    for number, result in zip(numbers, read_each(files[n] for n in numbers), strict=True):
        found = [trial for trial in result.trials if trial.trial_id in trial_ids]
        if len(found) != expected[number]:  # its problems were reported at the first reading; this is new
            problems.append(Problem(str(files[number]), "changed while it was being read; read it again"))
        records.extend(found)
    return records
