"""Parsed records kept on disk, so a second start, a second user and an export of the same folder do not read
the same file twice.

Reading a study's texts is most of a load (809 real studies: 1.6 s); validating the same trials from their
stored JSON takes a tenth of it. Each entry is keyed by the file's name and bytes and by the library's own
source (`LIBRARY_VERSION`), so a changed file or a changed reading is read afresh, never answered from the
cache. Entries are written a batch at a time as Parquet (a table an analyst can open with pandas: one row per
trial or problem, the trial as its validated JSON), in the folder `TRIALDATA_CACHE` names, else
`$XDG_CACHE_HOME/trialdata` or `~/.cache/trialdata`; `TRIALDATA_CACHE=off` turns it off. A cache that cannot be
read or written is passed over: the file is read as if there were none. Uploads are never written here: they
stay with the session that made them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import uuid
from pathlib import Path

from pydantic import ValidationError

from .cache_home import CACHE_ENV, LIBRARY_VERSION, cache_folder
from .models import Trial

__all__ = ["CACHE_ENV", "LIBRARY_VERSION", "ParsedCache", "cache_folder", "entry_key"]

BATCH_ENTRIES = 2_000  # files written to one Parquet file at most
MAX_CACHE_BYTES = 2 * 1024**3  # past this, the oldest batches of the current version are removed
_VERSION_PREFIX = "parsed-"  # each library version's batches in a folder of its own: parsed-<16 hex digits>


def entry_key(name: str, data: bytes) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass") + b"\0" + data).hexdigest()


class ParsedCache:
    """The parsed records of one cache folder, for one process: an index of what is stored, what was read from
    it, and the entries not written yet."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / f"{_VERSION_PREFIX}{LIBRARY_VERSION}" if folder is not None else None
        self._index: dict[str, Path] | None = None
        self._batches: dict[Path, dict[str, list[dict]]] = {}
        self._pending: dict[str, tuple[list[Trial], list[tuple[str, str, int]]]] = {}

    def get(self, key: str) -> tuple[list[Trial], list[tuple[str, str, int]]] | None:
        """(trials, problems as (path, message, count)) stored for `key`, or None."""
        if self.folder is None:
            return None
        batch = self._load_index().get(key)
        if batch is None:
            return None
        if batch not in self._batches:
            self._batches[batch] = _read_batch(batch)
        rows = self._batches[batch].get(key)
        return _entry(rows) if rows is not None else None

    def holds(self, key: str) -> bool:
        return self.folder is not None and key in self._load_index()

    def put(self, key: str, trials: list[Trial], problems: list[tuple[str, str, int]]) -> None:
        if self.folder is None:
            return
        self._pending[key] = (trials, problems)
        if len(self._pending) >= BATCH_ENTRIES:
            self.flush()

    def flush(self) -> None:
        """Write the entries not written yet as one batch; a folder that cannot be written is passed over."""
        if self.folder is None or not self._pending:
            return
        pending, self._pending = self._pending, {}
        with contextlib.suppress(OSError, ValueError, ImportError):
            import pyarrow.parquet as pq

            table = _arrow_table(pending)
            self.folder.mkdir(parents=True, exist_ok=True)
            _forget_other_versions(self.folder)
            target = self.folder / f"{uuid.uuid4().hex}.parquet"
            partial = target.with_suffix(".partial")
            pq.write_table(table, partial)
            partial.replace(target)  # whole or not at all, for a reader in another process
            if self._index is not None:
                self._index.update(dict.fromkeys(pending, target))
            _keep_within(self.folder, MAX_CACHE_BYTES)

    def _load_index(self) -> dict[str, Path]:
        if self._index is None:
            self._index = {}
            if self.folder is not None and self.folder.is_dir():
                for batch in sorted(self.folder.glob("*.parquet"), key=_age):
                    self._index.update(dict.fromkeys(_keys_of(batch), batch))
        return self._index


_COLUMNS = (("key", "string"), ("kind", "string"), ("trial_json", "string"), ("problem_path", "string"),
            ("problem_message", "string"), ("problem_count", "int64"))


def _arrow_table(pending: dict[str, tuple[list[Trial], list[tuple[str, str, int]]]]) -> object:
    """The entries as one Arrow table, one row per trial or problem (a row of kind "empty" for a file of neither).

    Built by Arrow's JSON reader from one line a row: `pyarrow.array` of Python values imports pandas to ask
    whether they are a pandas array (0.4 s, in every worker of an export that writes the cache)."""
    import pyarrow as pa
    import pyarrow.json as pa_json

    lines = []
    for key, (trials, problems) in pending.items():
        entries = [{"key": key, "kind": "trial", "trial_json": t.model_dump_json()} for t in trials]
        entries += [{"key": key, "kind": "problem", "problem_path": path, "problem_message": message,
                     "problem_count": count} for path, message, count in problems]
        lines.extend(json.dumps(entry) for entry in entries or [{"key": key, "kind": "empty"}])
    data = "\n".join(lines).encode()
    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in _COLUMNS])
    longest = max(map(len, lines))
    return pa_json.read_json(pa.BufferReader(data),
                             read_options=pa_json.ReadOptions(block_size=max(1 << 20, 2 * longest + 16)),
                             parse_options=pa_json.ParseOptions(explicit_schema=schema))


def _keys_of(batch: Path) -> list[str]:
    try:
        import pyarrow.parquet as pq

        return [str(key) for key in pq.ParquetFile(batch).read(columns=["key"]).column("key").to_pylist()]
    except (OSError, ValueError, KeyError, ImportError):
        return []


def _read_batch(batch: Path) -> dict[str, list[dict]]:
    """A batch's rows by entry; an unreadable batch counts as empty. Rows are validated only when asked for."""
    try:
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(batch).read().to_pylist()  # not `read_table`, which imports pandas
    except (OSError, ValueError, ImportError):
        return {}
    entries: dict[str, list[dict]] = {}
    for row in rows:
        entries.setdefault(row["key"], []).append(row)
    return entries


def _entry(rows: list[dict]) -> tuple[list[Trial], list[tuple[str, str, int]]] | None:
    """An entry's trials and problems; None when one of its rows no longer validates (read the file again)."""
    trials: list[Trial] = []
    problems: list[tuple[str, str, int]] = []
    try:
        for row in rows:
            if row["kind"] == "trial":
                trials.append(Trial.model_validate_json(row["trial_json"]))
            elif row["kind"] == "problem":
                problems.append((str(row["problem_path"]), str(row["problem_message"]), int(row["problem_count"])))
    except (ValidationError, ValueError, TypeError, KeyError, json.JSONDecodeError):
        return None
    return trials, problems


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _forget_other_versions(folder: Path) -> None:
    """Batches of other library versions are never read again; only folders this module names are touched."""
    for other in folder.parent.iterdir():
        version = other.name.removeprefix(_VERSION_PREFIX)
        if (other != folder and other.is_dir() and other.name.startswith(_VERSION_PREFIX) and len(version) == 16
                and all(char in "0123456789abcdef" for char in version)):
            shutil.rmtree(other, ignore_errors=True)


def _keep_within(folder: Path, limit: int) -> None:
    batches = sorted(folder.glob("*.parquet"), key=_age)
    sizes = {batch: batch.stat().st_size for batch in batches if batch.exists()}
    total = sum(sizes.values())
    for batch in batches:
        if total <= limit:
            return
        with contextlib.suppress(OSError):
            batch.unlink()
            total -= sizes.get(batch, 0)
