"""Many record files straight to the arms table, for exports of thousands of studies.

The dashboard keeps every trial's models for its Sources and Arm detail pages; an export needs
only the table. Here each part of the files is read, turned into frame rows and its models
dropped, so memory holds the table rather than every model, and worker processes hand back
compact frames instead of models the parent would have to rebuild. The table quotes every
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

import numpy as np
import pandas as pd

from . import load
from .frames import (
    ARM_COLUMNS,
    DEFAULT_BSA_M2,
    DEFAULT_WEIGHT_KG,
    SOURCE_COLUMNS,
    arm_rows,
    arms_frame,
    check_bsa,
    check_weight,
    rows_frame,
)
from .load import Problem, read_each, record_files
from .merge import merge_trials
from .models import Trial

# The columns the table keeps: built without the sources, not built and then dropped.
_TABLE_COLUMNS = [column for column in ARM_COLUMNS if column not in SOURCE_COLUMNS]


# Files per part at most: a part's rows are held as dicts until its frame is built, in whichever process reads it.
PART_FILES = 1_000


@dataclass
class ArmsLoad:
    """The arms table of every readable record, how many trials it holds, and every unreadable file."""

    arms: pd.DataFrame
    trials: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Part:
    """One run of files as rows, with which trial (and which file of the run) each block of rows came from."""

    frame: pd.DataFrame
    trial_ids: list[str]
    files: list[int]  # index in the whole file list of the file each trial came from
    rows: list[int]  # rows of each trial, in frame order
    problems: list[Problem]


def load_arms_frame(paths: Iterable[str | Path], weight_kg: float = DEFAULT_WEIGHT_KG,
                    workers: int = 1, bsa_m2: float = DEFAULT_BSA_M2, fork: bool = False) -> ArmsLoad:
    """`arms_frame(load_paths(paths).trials, weight_kg, bsa_m2)` without `SOURCE_COLUMNS`, row for row, without
    ever holding every trial's models.

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
    arms, trials = _assemble(parts, files, weight_kg, bsa_m2, problems)
    return ArmsLoad(arms, trials, problems)


def _read_part(files: Sequence[Path], offset: int, weight_kg: float, bsa_m2: float) -> _Part:
    rows: list[dict] = []
    trial_ids: list[str] = []
    numbers: list[int] = []
    counts: list[int] = []
    problems: list[Problem] = []
    for number, result in enumerate(read_each(files), start=offset):
        problems.extend(result.problems)
        for trial in result.trials:
            trial_rows = arm_rows(trial, weight_kg, bsa_m2)
            rows.extend(trial_rows)
            trial_ids.append(trial.trial_id)
            numbers.append(number)
            counts.append(len(trial_rows))
    return _Part(rows_frame(rows, _TABLE_COLUMNS), trial_ids, numbers, counts, problems)


def _assemble(parts: list[_Part], files: Sequence[Path], weight_kg: float, bsa_m2: float,
              problems: list[Problem]) -> tuple[pd.DataFrame, int]:
    """The parts' rows in one frame, with each trial read more than once merged at its first place."""
    seen = Counter(trial_id for part in parts for trial_id in part.trial_ids)
    frames = [part.frame for part in parts if len(part.frame)]
    if all(count == 1 for count in seen.values()):
        return _concat(frames), len(seen)
    place = {trial_id: i for i, trial_id in enumerate(seen)}  # first-seen order, as merge_trials keeps
    repeated = {trial_id for trial_id, count in seen.items() if count > 1}
    kept, order = [], []
    for part in parts:
        keys = np.repeat(np.array([place[t] for t in part.trial_ids], dtype=np.int64), part.rows)
        single = np.repeat(np.array([t not in repeated for t in part.trial_ids], dtype=bool), part.rows)
        kept.append(part.frame[single])
        order.append(keys[single])
    merged = arms_frame(merge_trials(_records_of(repeated, parts, files, problems)), weight_kg, bsa_m2)[_TABLE_COLUMNS]
    kept.append(merged)
    order.append(np.array([place[t] for t in merged["trial_id"]], dtype=np.int64))
    arms = _concat([frame for frame in kept if len(frame)])
    sequence = np.argsort(np.concatenate(order), kind="stable")
    return arms.iloc[sequence].reset_index(drop=True), len(seen)


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


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return rows_frame([], _TABLE_COLUMNS)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
