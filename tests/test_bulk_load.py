"""An export of many files, built part by part without keeping the models, gives the very table the
dashboard's loader gives (less the Source objects its "source" column quotes): the same rows in the same order,
trials read twice merged, every bad file named."""

import shutil
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.test_parallel_load import CountingPool
from trialdata import bulk, load
from trialdata.bulk import load_arms_frame
from trialdata.frames import SOURCE_COLUMNS, arms_frame
from trialdata.load import load_paths

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
BAD = ROOT / "tests" / "data" / "bad"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds (text and JSON records of the same trials, to be merged), every broken file we keep, and a zip
    holding another copy of one trial beside a broken member: a merge then spans a zip member and plain files,
    and the zip, read again for the merge, must not have its problem told twice."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(BAD, tmp_path / "bad")
    with zipfile.ZipFile(tmp_path / "zz-copy.zip", "w") as archive:
        archive.write(SEEDS / "NCT06740149.json", "NCT06740149.json")
        archive.writestr("broken.json", "{")
    return tmp_path


def _expected(corpus: Path, weight_kg: float = 70.0) -> tuple[pd.DataFrame, load.LoadResult]:
    loaded = load_paths([corpus, corpus / "missing-folder"])
    return arms_frame(loaded.trials, weight_kg).drop(columns=SOURCE_COLUMNS), loaded


def test_parts_read_in_this_process_give_the_loaders_table(corpus, monkeypatch):
    # Parts of two files: the seed trial's three records land in three different parts.
    monkeypatch.setattr(bulk, "PART_FILES", 2)
    expected, loaded = _expected(corpus, 80.0)
    result = load_arms_frame([corpus, corpus / "missing-folder"], 80.0)

    pd.testing.assert_frame_equal(result.arms, expected)
    assert result.trials == len(loaded.trials)
    assert result.problems == loaded.problems
    assert any(p.path.endswith("missing-folder") for p in result.problems)
    seed = result.arms[result.arms["trial_id"] == "NCT06740149"]
    assert seed.index.is_monotonic_increasing and len(seed) == len(expected[expected["trial_id"] == "NCT06740149"])


def test_two_workers_give_the_loaders_table(corpus, monkeypatch):
    expected, loaded = _expected(corpus)
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(load, "ProcessPoolExecutor", CountingPool)
    CountingPool.workers.clear()
    result = load_arms_frame([corpus, corpus / "missing-folder"], workers=2)

    assert CountingPool.workers == [2]
    pd.testing.assert_frame_equal(result.arms, expected)
    assert result.problems == loaded.problems
    assert len({p.path for p in result.problems}) > 5, "every broken file must still be reported, by name"
    assert [p.path for p in result.problems].count(str(corpus / "zz-copy.zip/broken.json")) == 1


def test_the_command_lines_forked_workers_give_the_loaders_table(corpus, monkeypatch):
    """The command line runs no other thread, so its workers are forked (no second of imports each) and start
    paying off at a tenth of the files a fork server needs; a process with other threads never forks."""
    assert load.in_parallel([corpus] * 100, 2, fork=True) and not load.in_parallel([corpus] * 100, 2)
    expected, loaded = _expected(corpus)
    monkeypatch.setattr(load, "FORKED_MIN_FILES", 1)
    monkeypatch.setattr(load, "ProcessPoolExecutor", CountingPool)
    CountingPool.workers.clear()
    CountingPool.methods.clear()
    with monkeypatch.context() as alone:  # as in the command line's process: no thread but the main one
        alone.setattr(load.threading, "active_count", lambda: 1)
        result = load_arms_frame([corpus, corpus / "missing-folder"], workers=2, fork=True)

    assert CountingPool.methods == ["fork"]
    pd.testing.assert_frame_equal(result.arms, expected)
    assert result.problems == loaded.problems
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        load.process_pool(2, fork=True).shutdown()
    finally:
        stop.set()
        other.join()
    assert CountingPool.methods[-1] == "forkserver"


def test_no_readable_record_gives_an_empty_table_with_every_column(tmp_path):
    (tmp_path / "junk.txt").write_text("not a record", encoding="utf-8")
    result = load_arms_frame([tmp_path])
    assert result.trials == 0 and result.arms.empty
    assert list(result.arms.columns) == [c for c in arms_frame([]).columns if c not in SOURCE_COLUMNS]
    assert [p.path for p in result.problems] == [str(tmp_path / "junk.txt")]


def test_an_impossible_weight_is_refused_before_any_file_is_read(tmp_path):
    with pytest.raises(ValueError, match="between 1 and 500 kg"):
        load_arms_frame([tmp_path / "nothing-here"], weight_kg=0.5)
