"""Paths, folders and uploaded bytes -> trials, with every unreadable file reported by name.

One bad file never stops the others: each problem is collected as a
`Problem` (file name and what is wrong) beside the trials that did load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RecordError
from .models import Trial
from .readers.clinicalindex import looks_like_clinicalindex, read_clinicalindex

RECORD_SUFFIXES = (".txt", ".json", ".zip")


@dataclass(frozen=True)
class Problem:
    """A file that could not be read, and why, in words a user can act on."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class LoadResult:
    trials: list[Trial] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_record(name: str, data: bytes) -> list[Trial]:
    """The trials in one file's bytes; raises `RecordError` saying what is wrong."""
    if not data.strip():
        raise RecordError("the file is empty")
    text = _decode(data)
    if looks_like_clinicalindex(text):
        return [read_clinicalindex(text, name)]
    raise RecordError("not a trial record: expected a ClinicalIndex text record")


def load_paths(paths: Iterable[str | Path]) -> LoadResult:
    """Every record under `paths` (files, or folders read for .txt, .json and .zip files)."""
    result = LoadResult()
    for path in record_files(paths, result.problems):
        try:
            result.trials.extend(read_record(path.name, path.read_bytes()))
        except RecordError as error:
            result.problems.append(Problem(str(path), str(error)))
        except OSError as error:
            result.problems.append(Problem(str(path), f"cannot be read: {error.strerror or error}"))
    return result


def record_files(paths: Iterable[str | Path], problems: list[Problem] | None = None) -> list[Path]:
    """The record files named by `paths`, folders expanded; missing paths go to `problems`."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES))
        elif path.is_file():
            files.append(path)
        elif problems is not None:
            problems.append(Problem(str(path), "no such file or folder"))
    return files


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordError(f"not UTF-8 text (byte {error.start} cannot be decoded)") from error
