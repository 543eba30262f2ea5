"""Paths, folders, uploaded bytes and zips -> trials, with every unreadable record reported by name.

One bad file, or one bad study in a file, never stops the others: each problem
is collected as a `Problem` (the file, or `archive.zip/member`, and what is
wrong) beside the trials that did load. Records of the same trial are merged.
Zip members are read in memory; their paths are only ever used as labels.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import charset_normalizer

from .errors import EntriesSkipped, RecordError
from .merge import merge_trials
from .models import Flag, Trial
from .parsed_cache import ParsedCache, cache_folder, entry_key
from .readers import LAYOUTS, MAX_RECORD_BYTES, MB, ZIP_SUFFIX, layout_of
from .readers import RECORD_SUFFIXES as _MEMBER_SUFFIXES
from .readers.bounds import MAX_STUDIES_PER_FILE

RECORD_SUFFIXES = (*_MEMBER_SUFFIXES, ZIP_SUFFIX)  # what a folder is searched for and an upload may be
# A ClinicalIndex record is a few kB and a registry study rarely 100 kB; API pages and bulk
# downloads are larger. The limits keep one hostile file from taking the time or memory of all.
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_MEMBER_BYTES = 50 * MB
MAX_ZIP_TOTAL_BYTES = 500 * MB
# One file's problems past this many are counted, not listed: "and 19,980 more like these".
MAX_PROBLEMS_PER_FILE = 20
# Below this many files a worker process costs more to start (it imports pandas and pydantic) than it saves.
PARALLEL_MIN_FILES = 1_000
FORKED_MIN_FILES = 100  # forked workers cost little to start: 809 studies export in 1.5 s on two, 1.9 s on one
CHUNKS_PER_WORKER = 8  # several chunks each, so a worker that drew long records does not hold up the rest


@dataclass(frozen=True)
class Problem:
    """A file that could not be read, and why, in words a user can act on."""

    path: str
    message: str
    count: int = field(default=1, compare=False)  # how many problems this one stands for ("and 19,980 more")

    def __str__(self) -> str:
        return f"{printable(self.path)}: {self.message}"


def printable(name: str) -> str:
    """A file name as one line of a report: line breaks and other control characters written as escapes, so a
    name holding a newline cannot forge another line."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in name)


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
    _group_problems(name, result)
    return result


def _group_problems(name: str, result: LoadResult) -> None:
    """One file's problems past the first few counted in one line, so a file of 20,000 broken entries (or a zip of
    such files) is twenty lines and a count, not 20,000 error boxes."""
    if len(result.problems) <= MAX_PROBLEMS_PER_FILE + 1:
        return
    hidden = sum(problem.count for problem in result.problems[MAX_PROBLEMS_PER_FILE:])
    result.problems[MAX_PROBLEMS_PER_FILE:] = [Problem(name, f"and {hidden:,} more problems like those above",
                                                       count=hidden)]


def read_record(name: str, data: bytes) -> list[Trial]:
    """The trials in one file; raises `RecordError` when none can be read."""
    result = read_file(name, data)
    if not result.trials and result.problems:
        raise RecordError(result.problems[0].message)
    return result.trials


def load_paths(paths: Iterable[str | Path], workers: int = 1) -> LoadResult:
    """Every record under `paths` (files, or folders read for .txt, .json and .zip files), merged per trial.

    With `workers` > 1 and enough files, records are parsed in that many processes: parsing is pure
    Python, so threads would not run it on more than one core. A script that asks for workers needs the
    `if __name__ == "__main__":` guard, as for any process pool.
    """
    result = LoadResult()
    files = record_files(paths, result.problems)
    result.extend(read_paths(files, workers))
    result.trials = merge_trials(result.trials)
    return result


def read_paths(files: Sequence[Path], workers: int = 1) -> LoadResult:
    """The trials of every file, in file order, unmerged; unreadable files become problems."""
    if not in_parallel(files, workers):
        return _read_paths(files)
    result = LoadResult()
    with process_pool(workers) as pool:
        for part in pool.map(_read_paths, chunked(files, workers * CHUNKS_PER_WORKER)):
            result.extend(part)
    return result


def in_parallel(files: Sequence[Path], workers: int, fork: bool = False) -> bool:
    """Whether `workers` processes are worth starting for these files: forked workers start at once, holding
    what this process imported; a fork server's workers import pandas and the library first (about a second).
    Files the parsed-record cache holds cost a tenth of a read, so only the others count."""
    threshold = FORKED_MIN_FILES if fork else PARALLEL_MIN_FILES
    return workers > 1 and len(files) >= threshold and files_to_read(files, enough=threshold) >= threshold


def files_to_read(files: Sequence[Path], name: Callable[[Path], str] = str, enough: int | None = None) -> int:
    """How many of `files` the parsed-record cache does not hold (all of them when it is off), counting no further
    than `enough`: a load that will read that many anyway need not hash every file twice."""
    cache = ParsedCache(cache_folder())
    if cache.folder is None:
        return len(files)
    missing = 0
    for path in files:
        if enough is not None and missing >= enough:
            break
        try:
            missing += not cache.holds(entry_key(name(path), path.read_bytes()))
        except OSError:
            missing += 1
    return missing


def process_pool(workers: int, fork: bool = False) -> ProcessPoolExecutor:
    """Workers forked from this process when `fork` (a caller with no other thread, such as the command line),
    else from a fork server: a forked copy of a threaded process (a Streamlit server) can deadlock."""
    method = "fork" if fork and threading.active_count() == 1 else "forkserver"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def chunked(files: Sequence[Path], count: int) -> list[Sequence[Path]]:
    """`files` cut into about `count` consecutive runs of equal length, in order."""
    size = max(1, -(-len(files) // max(1, count)))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _read_paths(files: Sequence[Path]) -> LoadResult:
    result = LoadResult()
    for part in read_each(files):
        result.extend(part)
    return result


def read_each(files: Iterable[Path]) -> Iterator[LoadResult]:
    """Each file's trials and problems, one file at a time, so a caller can table them and let them go."""
    return (read.result for read in read_files(files))


@dataclass
class FileRead:
    """One file's trials and problems, and the key that identifies its name and content: hashed when asked for
    (the dashboard's digest of what is loaded) or when the parsed-record cache needs it, not for an export with
    the cache off, where hashing every file's bytes was a fiftieth of the reading."""

    path: Path
    label: str
    data: bytes | None
    result: LoadResult
    _key: str | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = entry_key(self.label, self.data or b"")
        return self._key


def read_files(files: Iterable[Path], name: Callable[[Path], str] = str) -> Iterator[FileRead]:
    """Each file's trials and problems, named by `name(path)`, in order: from the parsed-record cache when it
    holds the file's name and bytes for this library version (see `parsed_cache`), else read and kept there."""
    cache = ParsedCache(cache_folder())
    try:
        for path in files:
            label = name(path)
            try:
                data = path.read_bytes()
            except OSError as error:
                yield FileRead(path, label, None, LoadResult(
                    problems=[Problem(label, f"cannot be read: {error.strerror or error}")]), f"unreadable:{label}")
                continue
            key = entry_key(label, data) if cache.folder is not None else None
            stored = cache.get(key) if key is not None else None
            if stored is not None:
                trials, problems = stored
                yield FileRead(path, label, data,
                               LoadResult(list(trials), [Problem(p, m, count=c) for p, m, c in problems]), key)
                continue
            result = read_file(label, data)
            if key is not None:
                cache.put(key, result.trials, [(p.path, p.message, p.count) for p in result.problems])
            yield FileRead(path, label, data, result, key)
    finally:
        cache.flush()


def record_files(paths: Iterable[str | Path], problems: list[Problem] | None = None) -> list[Path]:
    """The record files named by `paths`, folders expanded; missing paths go to `problems`."""
    return [Path(path) for path, _, _ in stamped_record_files(paths, problems)]


def stamped_record_files(paths: Iterable[str | Path],
                         problems: list[Problem] | None = None) -> list[tuple[str, int, int]]:
    """(file, modification time in ns, size) of each record file named by `paths`, folders expanded (in path
    order, not into linked folders), in one pass over each folder and without a `Path` a file: the dashboard
    asks on every rerun whether a file changed, and at 5,000 files listing them as paths and then stating each
    took 95 ms of it."""
    files: list[tuple[str, int, int]] = []
    for raw in paths:
        path = Path(raw)
        stat = _stat_of(path)  # once: an export names each of its files, and three stats a file were 2% of it
        if stat is not None and S_ISDIR(stat.st_mode):
            # Path order: component by component, which is the text's order with the separator as the lowest
            # character (no name holds a NUL).
            found = sorted(_entries_under(str(path)), key=lambda entry: entry.path.replace(os.sep, "\0"))
            for entry in found:
                stamp = _stamp(entry)
                if stamp is not None:
                    files.append((entry.path, *stamp))
                elif problems is not None and not _is_dir(entry):
                    problems.append(Problem(entry.path, _NOT_A_FILE))
        elif stat is not None and S_ISREG(stat.st_mode):
            files.append((str(path), stat.st_mtime_ns, stat.st_size))
        elif problems is not None:
            problems.append(Problem(str(path), _NOT_A_FILE if stat is not None else "no such file or folder"))
    return files


def _entries_under(folder: str) -> Iterator[os.DirEntry[str]]:
    """Every entry with a record's suffix in the folder and the folders under it, linked folders not entered."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        name = entry.name
        dot = name.rfind(".")
        if 0 < dot < len(name) - 1 and name[dot:].lower() in RECORD_SUFFIXES:  # `Path.suffix`'s rule
            yield entry
        if _is_dir(entry) and not entry.is_symlink():
            yield from _entries_under(entry.path)


def _stamp(entry: os.DirEntry[str]) -> tuple[int, int] | None:
    """(modification time, size) of a regular file, a link to one followed; None for anything else."""
    try:
        if not entry.is_file():
            return None
        stat = entry.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _stat_of(path: Path) -> os.stat_result | None:
    """The path's status, links followed; None when there is nothing there (or it cannot be reached)."""
    try:
        return os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name, which `Path.exists` also calls missing
        return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


_NOT_A_FILE = "not a regular file (a pipe, a device or a socket); only files and folders of them are read"


def _read_document(name: str, data: bytes, result: LoadResult) -> None:
    """The trials of one file in whichever layout of `readers.LAYOUTS` its text is written in."""
    try:
        if not data.strip():
            raise RecordError("the file is empty")
        if len(data) > MAX_RECORD_BYTES:
            raise RecordError(f"the file is {len(data) / MB:.1f} MB; files over {MAX_RECORD_BYTES // MB} MB are "
                              "not read")
        text, encoding = decode(data)
        layout = layout_of(text)
        if layout is None:
            names = [layout.name for layout in LAYOUTS]
            raise RecordError(f"not a trial record: expected {', '.join(names[:-1])} or {names[-1]}")
        if len(data) > layout.max_bytes:
            raise RecordError(f"{layout.noun} is {len(data) / MB:.1f} MB; {layout.size_note}")
        found: list[Trial] = []
        listed, hidden = 0, 0
        for item in layout.read(text, name):
            if isinstance(item, EntriesSkipped):
                result.problems.append(Problem(name, str(item), count=item.count))
            elif isinstance(item, RecordError):
                listed += 1
                if listed <= MAX_PROBLEMS_PER_FILE:
                    result.problems.append(Problem(name, str(item)))
                else:
                    hidden += 1
            else:
                found.append(item)
        if hidden:
            result.problems.append(Problem(name, f"and {hidden:,} more entries that could not be read, like "
                                                 "those above", count=hidden))
        if encoding:
            note = Flag(code="not-utf8", message=f"The file is not UTF-8; it was read as {encoding}. "
                        "Check accented or non-Latin characters against the source.")
            found = [t.model_copy(update={"flags": (*t.flags, note)}) for t in found]
        result.trials.extend(found)
    except RecordError as error:
        result.problems.append(Problem(name, str(error)))


def _read_zip(name: str, data: bytes, result: LoadResult) -> None:
    """Read a zip's records in memory, within limits on member count and unpacked size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if e.filename]
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError, NotImplementedError) as error:
        result.problems.append(Problem(name, f"not a readable zip archive ({error})"))
        return
    if len(entries) > MAX_ZIP_MEMBERS:
        result.problems.append(Problem(name, f"the zip archive has {len(entries):,} members; archives of more "
                                             f"than {MAX_ZIP_MEMBERS:,} are not read (split it, or unpack a folder)"))
        return
    members = [m for m in entries if not m.is_dir() and m.filename.lower().endswith(_MEMBER_SUFFIXES)]
    for inner in (m for m in entries if not m.is_dir() and m.filename.lower().endswith(ZIP_SUFFIX)):
        result.problems.append(Problem(f"{name}/{inner.filename}", "a zip inside a zip is not read; unpack it and "
                                                                     "add its records"))
    if not members:
        result.problems.append(Problem(name, "the zip archive holds no .json or .txt records"))
    unpacked = 0
    for member in members:
        label = f"{name}/{member.filename}"
        if len(result.trials) >= MAX_STUDIES_PER_FILE:
            result.problems.append(Problem(name, f"holds more than {MAX_STUDIES_PER_FILE:,} studies; the members "
                                                 f"from {member.filename} on are not read (split it)"))
            return
        if _climbs_out(member.filename):
            result.problems.append(Problem(label, "the member's path points outside the archive; it is not read"))
            continue
        if member.file_size > MAX_ZIP_MEMBER_BYTES:
            result.problems.append(Problem(label, f"unpacks to {member.file_size / MB:,.0f} MB; members over "
                                                  f"{MAX_ZIP_MEMBER_BYTES // MB} MB are not read"))
            continue
        if unpacked + member.file_size > MAX_ZIP_TOTAL_BYTES:
            result.problems.append(Problem(name, f"unpacks to more than {MAX_ZIP_TOTAL_BYTES // MB} MB; "
                                                 f"the members from {member.filename} on are not read"))
            return
        try:
            with archive.open(member) as stream:  # never trust the header's size: read at most the limit
                payload = stream.read(MAX_ZIP_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError,
                ValueError) as error:
            result.problems.append(Problem(label, f"cannot be unpacked ({error})"))
            continue
        if len(payload) > MAX_ZIP_MEMBER_BYTES:
            result.problems.append(Problem(label, f"unpacks to more than {MAX_ZIP_MEMBER_BYTES // MB} MB; "
                                                  "it is not read"))
            continue
        unpacked += len(payload)
        _read_document(label, payload, result)


def _climbs_out(member: str) -> bool:
    path = member.replace("\\", "/")
    return path.startswith("/") or ".." in path.split("/") or (len(path) > 1 and path[1] == ":")


def decode(data: bytes) -> tuple[str, str | None]:
    """(text, None) for UTF-8 (with or without BOM); (text, encoding) when another encoding had to be detected."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise RecordError(f"starts like UTF-16 text but byte {error.start} cannot be decoded") from error
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        if b"\x00" in data[:8192]:
            raise RecordError("binary data, not a text record or JSON") from error
        best = charset_normalizer.from_bytes(data[: 2 * MB]).best()
        if best is None or best.encoding is None:
            raise RecordError(f"not text in any known encoding (byte {error.start} is not UTF-8)") from error
        try:
            return data.decode(best.encoding), best.encoding.upper().replace("_", "-")
        except (UnicodeDecodeError, LookupError) as second:
            raise RecordError(f"not UTF-8 text (byte {error.start} cannot be decoded)") from second
