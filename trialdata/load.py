"""Paths, folders, uploaded bytes and zips -> trials, with every unreadable record reported by name.

One bad file, or one bad study in a file, never stops the others: each problem
is collected as a `Problem` (the file, or `archive.zip/member`, and what is
wrong) beside the trials that did load. Records of the same trial are merged.
Zip members are read in memory; their paths are only ever used as labels.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RecordError
from .merge import merge_trials
from .models import Trial
from .readers.clinicalindex import looks_like_clinicalindex, read_clinicalindex
from .readers.ctgov import looks_like_json, read_ctgov

RECORD_SUFFIXES = (".txt", ".json", ".zip")
_MEMBER_SUFFIXES = (".txt", ".json")


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

    def extend(self, other: LoadResult) -> None:
        self.trials.extend(other.trials)
        self.problems.extend(other.problems)


def read_file(name: str, data: bytes) -> LoadResult:
    """The trials in one file's bytes (a text record, a JSON document of studies, or a zip of them)."""
    result = LoadResult()
    if data[:4] == b"PK\x03\x04":
        _read_zip(name, data, result)
    else:
        _read_document(name, data, result)
    return result


def read_record(name: str, data: bytes) -> list[Trial]:
    """The trials in one file; raises `RecordError` when none can be read."""
    result = read_file(name, data)
    if not result.trials and result.problems:
        raise RecordError(result.problems[0].message)
    return result.trials


def load_paths(paths: Iterable[str | Path]) -> LoadResult:
    """Every record under `paths` (files, or folders read for .txt, .json and .zip files), merged per trial."""
    result = LoadResult()
    for path in record_files(paths, result.problems):
        try:
            data = path.read_bytes()
        except OSError as error:
            result.problems.append(Problem(str(path), f"cannot be read: {error.strerror or error}"))
            continue
        result.extend(read_file(str(path), data))
    result.trials = merge_trials(result.trials)
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


def _read_document(name: str, data: bytes, result: LoadResult) -> None:
    try:
        if not data.strip():
            raise RecordError("the file is empty")
        text = _decode(data)
        if looks_like_json(text):
            for item in read_ctgov(text, name):
                if isinstance(item, RecordError):
                    result.problems.append(Problem(name, str(item)))
                else:
                    result.trials.append(item)
        elif looks_like_clinicalindex(text):
            result.trials.append(read_clinicalindex(text, name))
        else:
            raise RecordError("not a trial record: expected ClinicalTrials.gov JSON or a ClinicalIndex text record")
    except RecordError as error:
        result.problems.append(Problem(name, str(error)))


def _read_zip(name: str, data: bytes, result: LoadResult) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(_MEMBER_SUFFIXES)]
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as error:
        result.problems.append(Problem(name, f"not a readable zip archive ({error})"))
        return
    if not members:
        result.problems.append(Problem(name, "the zip archive holds no .json or .txt records"))
    for member in members:
        label = f"{name}/{member.filename}"
        try:
            payload = archive.read(member)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError) as error:
            result.problems.append(Problem(label, f"cannot be unpacked ({error})"))
            continue
        _read_document(label, payload, result)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordError(f"not UTF-8 text (byte {error.start} cannot be decoded)") from error
