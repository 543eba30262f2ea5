"""Parsed records kept on disk: a second load of the same files reads none of them and gives the same trials,
problems and table; a changed file, or another version of the library, is read afresh; a cache that cannot be
read or written never costs a record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from trialdata import arms_frame, load, parsed_cache
from trialdata.bulk import load_arms_frame
from trialdata.load import load_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds (text and JSON records of the same trials, merged) and the broken files, with the cache on in a
    folder of this test's own."""
    shutil.copytree(ROOT / "seeds", tmp_path / "records" / "seeds")
    shutil.copytree(ROOT / "tests" / "data" / "bad", tmp_path / "records" / "bad")
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "records"


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    original = load.read_file
    monkeypatch.setattr(load, "read_file", lambda name, data: reads.append(name) or original(name, data))
    return reads


def test_a_second_load_reads_no_file_and_gives_the_same_trials_problems_and_table(corpus, monkeypatch) -> None:
    first = load_paths([corpus])
    reads = _reads(monkeypatch)
    second = load_paths([corpus])
    assert reads == []
    assert second.trials == first.trials and second.problems == first.problems
    pd.testing.assert_frame_equal(arms_frame(second.trials), arms_frame(first.trials))
    exported = load_arms_frame([corpus], workers=1)
    assert reads == []  # the export of the same folder is answered from it too
    assert exported.problems == first.problems


def test_a_changed_file_is_read_again_and_the_others_are_not(corpus, monkeypatch) -> None:
    load_paths([corpus])
    changed = corpus / "seeds" / "NCT01724398.json"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("followed until the week 48", "followed until the week 52", 1), encoding="utf-8")
    reads = _reads(monkeypatch)
    again = load_paths([corpus])
    assert reads == [str(changed)]
    monkeypatch.setenv(parsed_cache.CACHE_ENV, "off")
    assert again.trials == load_paths([corpus]).trials  # the change is read, not the stored record


def test_another_library_version_reads_afresh_and_the_old_batches_go(corpus, monkeypatch) -> None:
    load_paths([corpus])
    cache = Path(parsed_cache.cache_folder())
    old = next(cache.iterdir())
    monkeypatch.setattr(parsed_cache, "LIBRARY_VERSION", "0123456789abcdef")
    reads = _reads(monkeypatch)
    load_paths([corpus])
    assert len(reads) == len(load.record_files([corpus]))
    assert [folder.name for folder in cache.iterdir()] == ["parsed-0123456789abcdef"] and not old.exists()


def test_a_damaged_or_unwritable_cache_costs_no_record(corpus, monkeypatch, tmp_path) -> None:
    expected = load_paths([corpus])
    for batch in Path(parsed_cache.cache_folder()).rglob("*.parquet"):
        batch.write_bytes(b"PAR1 not a parquet file")
    assert load_paths([corpus]).trials == expected.trials
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(blocked))
    result = load_paths([corpus])
    assert result.trials == expected.trials and result.problems == expected.problems


def test_the_cache_is_a_table_an_analyst_can_open(corpus) -> None:
    load_paths([corpus])
    [batch] = Path(parsed_cache.cache_folder()).rglob("*.parquet")
    table = pd.read_parquet(batch)
    assert list(table.columns) == ["key", "kind", "trial_json", "problem_path", "problem_message", "problem_count"]
    assert set(table["kind"]) == {"trial", "problem"}
    assert table.loc[table["kind"] == "trial", "trial_json"].str.contains('"trial_id":"NCT06740149"').any()


def test_off_turns_it_off(corpus, monkeypatch) -> None:
    monkeypatch.setenv(parsed_cache.CACHE_ENV, "off")
    load_paths([corpus])
    reads = _reads(monkeypatch)
    load_paths([corpus])
    assert len(reads) == len(load.record_files([corpus]))


def test_a_second_start_of_the_dashboard_reads_no_record(corpus, monkeypatch) -> None:
    """A restart empties the server's memory; the records it read before come from the cache on disk."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRIALDATA_RECORDS", str(corpus / "seeds"))
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not first.exception
    st.cache_resource.clear()  # what a restart does to the server's own caches
    reads = _reads(monkeypatch)
    second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not second.exception and reads == []
    shown = {m.label: m.value for m in second.metric}
    assert shown["Trials loaded"] == {m.label: m.value for m in first.metric}["Trials loaded"] == "7"


def test_workers_are_counted_against_the_files_the_cache_lacks(corpus) -> None:
    """A warm cache makes workers not worth starting; a cold one is found out without hashing every file."""
    files = load.record_files([corpus])
    assert load.files_to_read(files) == len(files)
    assert load.files_to_read(files, enough=3) == 3
    load_paths([corpus])
    assert load.files_to_read(files) == 0


def test_a_trial_larger_than_arrows_json_block_is_kept_whole(tmp_path) -> None:
    """The batch is built by Arrow's JSON reader, which reads 1 MB blocks unless told otherwise: a record whose
    title alone is 3 MB (as a hostile file's may be, within the 5 MB bound) is kept and given back whole."""
    [seed] = load.read_file("NCT06740149.txt", (ROOT / "seeds" / "NCT06740149.txt").read_bytes()).trials
    huge = seed.model_copy(update={"title": "x" * 3_000_000 + " “é” \u2028 end"})
    cache = parsed_cache.ParsedCache(tmp_path)
    cache.put("huge", [huge], [("NCT06740149.txt", "a problem", 2)])
    cache.put("empty", [], [])
    cache.flush()
    again = parsed_cache.ParsedCache(tmp_path)
    assert again.get("huge") == ([huge], [("NCT06740149.txt", "a problem", 2)])
    assert again.get("empty") == ([], [])
