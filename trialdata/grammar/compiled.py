"""The grammar's compiled patterns, kept on disk so that a process does not compile them again.

Compiling the grammar (hundreds of patterns, each parsed, rewritten and compiled by the standard library's own
compiler in Python) took 0.9 s of every process that reads a record, paid again by each worker of an export:
more than reading the 809 studies of the MSC corpus on one core. What compiling produces is plain data (the
program `_sre` runs, the group names, and the facts `patterns` reads from a parsed pattern), the same for the same
pattern, library and Python, so it is kept in one file beside the parsed records (see `cache_home`), keyed by the
library's source and the Python that compiled it, and a process rebuilds each pattern from it in microseconds.
This is what Python does for modules with its `__pycache__`, and the file is trusted as those are: it is in the
user's own cache folder. A missing, unreadable or other version's file is passed over, and an entry `_sre` refuses
is compiled afresh: every such pattern is compiled as if there were no file, and the file written again.
"""

from __future__ import annotations

import _sre
import contextlib
import marshal
import os
import re
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from re import _compiler, _parser

from ..cache_home import LIBRARY_VERSION, cache_folder

_PREFIX = "patterns-"
# The compiled program's format is the interpreter's own: a file is only ever read by the Python that wrote it.
_STAMP = (LIBRARY_VERSION, sys.version, _sre.MAGIC, _sre.CODESIZE)


def _store_path() -> Path | None:
    folder = cache_folder()
    return folder / f"{_PREFIX}{LIBRARY_VERSION}.marshal" if folder is not None else None


def _read(path: Path | None) -> dict[tuple, object]:
    if path is None:
        return {}
    try:
        stamp, entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if stamp == _STAMP and isinstance(entries, dict) else {}


_PATH = _store_path()
_ENTRIES: dict[tuple, object] = _read(_PATH)
_added = False
_SAVING = threading.Lock()  # the dashboard's sessions read records in threads of one process


def remembered(kind: str, source: str, flags: int, compute: Callable[[], object]) -> object:
    """What `compute` gives for this pattern: read from the store, or computed and kept for `save`. The value must
    be one `marshal` writes (numbers, strings, tuples, lists, sets, dictionaries, None)."""
    global _added
    key = (kind, source, int(flags))  # a RegexFlag is an int subclass, which marshal does not write
    if key in _ENTRIES:
        return _ENTRIES[key]
    value = _ENTRIES[key] = compute()
    _added = True
    return value


def compile_parsed(kind: str, source: str, flags: int,
                   parsed: Callable[[], _parser.SubPattern] | None = None) -> re.Pattern[str]:
    """`source` compiled as `re.compile` compiles it, from the parsed pattern `parsed()` gives (`kind` names how it
    was rewritten, if at all; None: `source` as it is), parsed only when the store lacks it."""

    def program() -> tuple:
        return program_of(parsed() if parsed is not None else _parser.parse(source, flags), flags)

    key = (kind, source, int(flags))
    if key in _ENTRIES:
        with contextlib.suppress(RuntimeError, TypeError, ValueError):  # `_sre` checks a program it is given
            return _sre.compile(source, *_ENTRIES[key])  # type: ignore[arg-type]
        del _ENTRIES[key]  # a damaged entry: compiled afresh, and the store written again
    try:
        return _sre.compile(source, *remembered(kind, source, flags, program))  # type: ignore[arg-type]
    except (AttributeError, TypeError):  # another Python's internals: `re` compiles the plain pattern alike
        if kind != "plain":
            raise
        return re.compile(source, flags)


def program_of(tree: _parser.SubPattern, flags: int) -> tuple:
    """What `_sre.compile` is given for a parsed pattern, as `re`'s own compiler gives it, in plain values."""
    names: list[str | None] = [None] * tree.state.groups
    for name, index in tree.state.groupdict.items():
        names[index] = name
    code = [int(word) for word in _compiler._code(tree, flags)]  # plain ints: its opcodes are an int subclass
    return (int(flags | tree.state.flags), code, tree.state.groups - 1, dict(tree.state.groupdict), tuple(names))


def save() -> None:
    """Write what this process compiled, whole or not at all, and remove the other versions' files; a folder that
    cannot be written is passed over."""
    global _added
    if not _added or _PATH is None:
        return
    with _SAVING:
        if not _added:
            return
        _added = False
        entries = dict(_ENTRIES)  # a copy: another thread may be compiling a pattern
        with contextlib.suppress(OSError, ValueError):
            _PATH.parent.mkdir(parents=True, exist_ok=True)
            partial = _PATH.with_name(f"{_PATH.name}.{os.getpid()}-{uuid.uuid4().hex}.partial")
            try:
                partial.write_bytes(marshal.dumps((_STAMP, entries)))
                partial.replace(_PATH)
            finally:
                partial.unlink(missing_ok=True)  # a write cut short (a full disk) leaves nothing behind
            for other in _PATH.parent.glob(f"{_PREFIX}*.marshal"):
                if other != _PATH:
                    other.unlink(missing_ok=True)
