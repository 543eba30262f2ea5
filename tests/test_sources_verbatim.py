"""Every number's quoted source is the record's own words.

A scientist checks a dose by finding its sentence in the registry record; a quote the record does not hold (a
first letter cut off, two sentences glued across the text left out between them) cannot be found, and looks
invented. Every source the library quotes for the real records of the gold standard (ClinicalTrials.gov studies,
tests/data/gold/README.md) must appear in that record's text, whitespace aside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from trialdata.load import read_file
from trialdata.models import Source, Trial

GOLD = Path(__file__).parent / "data" / "gold"
FOLDERS = [GOLD / "msc-2022", GOLD / "cell-therapies"]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _record_text(data: object) -> str:
    """Every string of a study, joined: a quote may come from any of its texts."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return " ".join(_record_text(value) for value in data.values())
    if isinstance(data, list):
        return " ".join(_record_text(value) for value in data)
    return ""


def _sources(trial: Trial) -> Iterator[Source]:
    for arm in trial.arms:
        for regimen in arm.regimens:
            for source in (regimen.dose.source if regimen.dose else None, regimen.schedule_source,
                           regimen.route_source):
                if source is not None:
                    yield source


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_quoted_source_is_in_its_record(folder: Path) -> None:
    quoted, missing = 0, []
    for path in sorted(folder.glob("*.json")):
        data = path.read_bytes()
        record = _words(_record_text(json.loads(data)))
        for trial in read_file(path.name, data).trials:
            for source in _sources(trial):
                quoted += 1
                if _words(source.text) not in record:
                    missing.append(f"{trial.trial_id}: {source.text[:100]!r} ({source.location})")
    assert quoted > 250
    assert missing == []
