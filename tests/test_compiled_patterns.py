"""The grammar's compiled patterns kept on disk (`trialdata.grammar.compiled`): a second process reads records
exactly as the first, from patterns rebuilt out of the store, and every stored entry is what compiling the
pattern afresh gives; a damaged store costs nothing but a compilation."""

from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from re import _parser

import pytest

from trialdata.grammar import compiled, patterns

ROOT = Path(__file__).resolve().parents[1]
# One process: the export of the seeds, then what the grammar took from the store and what it had to compile.
_EXPORT_AND_COUNT = """
import sys
from trialdata.__main__ import main
status = main(["export", sys.argv[1], "--out", sys.argv[2], "--workers", "1"])
from trialdata.grammar import compiled
print(status, len(compiled._ENTRIES), compiled._added, compiled._PATH)
"""


def _export(cache: str, out: Path) -> list[str]:
    """The export's exit status, the store's entries, whether any was compiled, the store's path; the records are
    read afresh each time (the parsed-record cache is emptied), so the grammar always runs."""
    for records in Path(cache).glob("parsed-*"):
        shutil.rmtree(records)
    environment = {**os.environ, "TRIALDATA_CACHE": cache}
    done = subprocess.run([sys.executable, "-c", _EXPORT_AND_COUNT, str(ROOT / "seeds"), str(out)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, check=True, timeout=300)
    return done.stdout.split()


def _store(cache: Path) -> Path:
    [store] = cache.glob("patterns-*.marshal")
    return store


def test_a_second_process_compiles_nothing_and_writes_the_same_table(tmp_path: Path) -> None:
    status, first_entries, _, _ = _export(str(tmp_path / "cache"), tmp_path / "first.csv")
    assert status == "0" and int(first_entries) > 300  # the grammar's patterns and what was read from them
    store = _store(tmp_path / "cache")
    status, entries, compiled_any, path = _export(str(tmp_path / "cache"), tmp_path / "second.csv")
    assert (status, entries, compiled_any, path) == ("0", first_entries, "False", str(store))
    _export("off", tmp_path / "off.csv")
    assert (tmp_path / "second.csv").read_bytes() == (tmp_path / "off.csv").read_bytes()
    assert (tmp_path / "first.csv").read_bytes() == (tmp_path / "off.csv").read_bytes()


def test_every_stored_entry_is_what_compiling_the_pattern_afresh_gives(tmp_path: Path) -> None:
    _export(str(tmp_path / "cache"), tmp_path / "arms.csv")
    stamp, entries = marshal.loads(_store(tmp_path / "cache").read_bytes())
    assert stamp == compiled._STAMP
    kinds = {kind for kind, _, _ in entries}
    assert {"plain", "fast", "first", "folds", "needs1", "needs2"} <= kinds
    for (kind, source, flags), stored in entries.items():
        if kind == "plain":
            fresh = compiled.program_of(_parser.parse(source, flags), flags)
        elif kind == "fast":
            tree = _parser.parse(source, flags)
            patterns._sensitive_starts(tree, blind=True, ascii_only=bool(flags & re.ASCII))
            fresh = compiled.program_of(tree, flags)
        elif kind == "first":
            fresh = patterns._read_first_characters(source, flags)
        elif kind == "folds":
            fresh = patterns._folds_to_ascii(_parser.parse(source, flags), bool(flags & re.IGNORECASE))
        else:
            fresh = patterns._required(list(_parser.parse(source, flags)), shortest=int(kind.removeprefix("needs")))
        assert stored == fresh, (kind, source[:80])
        if kind == "plain":  # and the pattern rebuilt from it is the one `re` compiles
            rebuilt, plain = compiled.compile_parsed(kind, source, flags), re.compile(source, flags)
            assert (rebuilt.pattern, rebuilt.flags) == (plain.pattern, plain.flags)
            assert rebuilt.groupindex == plain.groupindex


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", marshal.dumps((("other", "3.0", 0, 4), {}))])
def test_a_damaged_or_foreign_store_is_passed_over_and_written_again(tmp_path: Path, damage: bytes) -> None:
    _export(str(tmp_path / "cache"), tmp_path / "first.csv")
    store = _store(tmp_path / "cache")
    store.write_bytes(damage)
    status, _, compiled_any, _ = _export(str(tmp_path / "cache"), tmp_path / "second.csv")
    assert (status, compiled_any) == ("0", "False")  # saved once the reader was imported: nothing left to add
    assert (tmp_path / "second.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()
    assert marshal.loads(store.read_bytes())[0] == compiled._STAMP


def test_another_versions_store_is_removed_when_this_one_is_written(tmp_path: Path) -> None:
    old = tmp_path / "cache" / "patterns-0123456789abcdef.marshal"
    old.parent.mkdir()
    old.write_bytes(b"an older library's patterns")
    _export(str(tmp_path / "cache"), tmp_path / "arms.csv")
    assert not old.exists() and _store(tmp_path / "cache").exists()


def test_a_program_sre_refuses_is_compiled_afresh(tmp_path: Path) -> None:
    _export(str(tmp_path / "cache"), tmp_path / "first.csv")
    store = _store(tmp_path / "cache")
    stamp, entries = marshal.loads(store.read_bytes())
    damaged = {key: (value[0], [1, 2, 3], *value[2:]) if key[0] in ("fast", "plain") else value
               for key, value in entries.items()}
    store.write_bytes(marshal.dumps((stamp, damaged)))
    status, _, compiled_any, _ = _export(str(tmp_path / "cache"), tmp_path / "second.csv")
    assert (status, compiled_any) == ("0", "False")
    assert (tmp_path / "second.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()
    assert marshal.loads(store.read_bytes()) == (stamp, entries)  # the damaged programs written again, whole
