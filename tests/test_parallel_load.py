"""Loading on several processes gives exactly what loading on one gives: the same trials, merged the same
way, in the same order, and every unreadable file still reported by name."""

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import ClassVar

import pytest

from trialdata import load
from trialdata.load import load_paths

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
BAD = ROOT / "tests" / "data" / "bad"


class CountingPool(ProcessPoolExecutor):
    """A real process pool that remembers how many workers it was asked for."""

    workers: ClassVar[list[int]] = []
    methods: ClassVar[list[str]] = []  # how each pool's workers were started: "fork" or "forkserver"

    def __init__(self, max_workers: int, **kwargs) -> None:
        CountingPool.workers.append(max_workers)
        CountingPool.methods.append(kwargs["mp_context"].get_start_method())
        super().__init__(max_workers=max_workers, **kwargs)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds (text and JSON records of the same trials, to be merged) and every broken file we keep."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(BAD, tmp_path / "bad")
    return tmp_path


def test_two_workers_load_what_one_loads(corpus, monkeypatch):
    serial = load_paths([corpus], workers=1)
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(load, "ProcessPoolExecutor", CountingPool)
    CountingPool.workers.clear()
    parallel = load_paths([corpus], workers=2)

    assert CountingPool.workers == [2]
    assert [t.trial_id for t in parallel.trials] == [t.trial_id for t in serial.trials]
    assert parallel.trials == serial.trials
    assert parallel.problems == serial.problems
    assert parallel.problems, "the broken files must still be reported, by name"
    merged = [t for t in parallel.trials if len(t.record_files) > 1]
    assert merged, "the seeds hold text and JSON records of the same trial; they must be merged"


def test_few_files_are_read_in_this_process(corpus, monkeypatch):
    monkeypatch.setattr(load, "ProcessPoolExecutor", CountingPool)
    CountingPool.workers.clear()
    result = load_paths([corpus / "seeds"], workers=2)
    assert CountingPool.workers == [], "starting workers for a handful of files costs more than it saves"
    assert len(result.trials) == len({p.stem for p in SEEDS.iterdir()})
