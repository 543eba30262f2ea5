"""Record layouts as one table: each is recognised, bounded and read through `readers.LAYOUTS`, and the legacy
ClinicalTrials.gov XML layout (the registry's pre-2023 download that analysts keep whole dumps of) reads exactly
as its API v2 conversion does.

The XML records in tests/data/legacy-xml/ are the registry's own (tests/data/README.md gives each one's source);
their API v2 conversions are the gold studies of tests/data/gold/cell-therapies/ with the same NCT ids.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from trialdata import arms_frame, load_paths
from trialdata.frames import SOURCE_COLUMNS
from trialdata.load import RECORD_SUFFIXES, read_file, record_files, stamped_record_files
from trialdata.readers import LAYOUTS, layout_of

ROOT = Path(__file__).resolve().parents[1]
XML = ROOT / "tests" / "data" / "legacy-xml"
GOLD_JSON = ROOT / "tests" / "data" / "gold" / "cell-therapies"
RECORDS = sorted(XML.glob("*.xml"))


def _table(trials) -> pd.DataFrame:
    arms = arms_frame(trials)
    quotes = {column: arms[column].map(lambda s: (s.text, s.location) if s is not None else None)
              for column in SOURCE_COLUMNS}
    return arms.assign(**quotes)


@pytest.mark.parametrize("record", RECORDS, ids=[p.stem for p in RECORDS])
def test_a_legacy_xml_record_gives_the_arms_of_its_api_v2_study(record: Path) -> None:
    """Same doses, schedules, flags and quoted sentences, row for row, whichever layout the registry gave."""
    from_xml = read_file(record.name, record.read_bytes())
    from_json = read_file(f"{record.stem}.json", (GOLD_JSON / f"{record.stem}.json").read_bytes())
    assert not from_xml.problems and [t.trial_id for t in from_xml.trials] == [record.stem]
    pd.testing.assert_frame_equal(_table(from_xml.trials), _table(from_json.trials))


def test_every_layout_is_found_in_folders_zips_and_uploads(tmp_path: Path) -> None:
    """A layout's suffix, added in its row of LAYOUTS, is searched for in folders and zip members and offered by
    the dashboard's uploader (which lists RECORD_SUFFIXES)."""
    assert {suffix for layout in LAYOUTS for suffix in layout.suffixes} | {".zip"} == set(RECORD_SUFFIXES)
    xml = RECORDS[0]
    (tmp_path / xml.name).write_bytes(xml.read_bytes())
    assert record_files([tmp_path]) == [tmp_path / xml.name]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr(f"dump/{xml.name}", xml.read_bytes())
    assert [t.trial_id for t in read_file("dump.zip", packed.getvalue()).trials] == [xml.stem]
    assert [t.trial_id for t in load_paths([tmp_path]).trials] == [xml.stem]


def test_a_folder_lists_every_record_file_once_in_path_order_with_its_stamp(tmp_path: Path) -> None:
    """What a folder holds, as an analyst's records folder may: nested and hidden folders, upper-case suffixes,
    names a suffix rule could misread, a link to a file (read) and to a folder (not entered, so nothing is read
    twice), a broken link and a pipe (named). The dashboard asks this on every rerun, and a file whose stamp
    changes is read again."""
    for name in ["a/x.json", "a-b/y.json", "a/deep/z.TXT", "b.JSON", ".hidden/q.xml", "..odd.json", ".json",
                 "trailing.json.", "notes.csv", "c.json.zip", "a/one.zip"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    (tmp_path / "folder.json").mkdir()
    os.symlink(tmp_path / "a", tmp_path / "linked-folder")
    os.symlink(tmp_path / "b.JSON", tmp_path / "linked.json")
    os.symlink(tmp_path / "missing", tmp_path / "broken.json")
    os.mkfifo(tmp_path / "pipe.json")
    problems: list = []
    listed = record_files([tmp_path], problems)
    assert [p.relative_to(tmp_path).as_posix() for p in listed] == [
        "..odd.json", ".hidden/q.xml", "a/deep/z.TXT", "a/one.zip", "a/x.json", "a-b/y.json", "b.JSON",
        "c.json.zip", "linked.json"]
    assert [p.path for p in problems] == [str(tmp_path / "broken.json"), str(tmp_path / "pipe.json")]
    stamps = dict((path, (mtime, size)) for path, mtime, size in stamped_record_files([tmp_path]))
    (tmp_path / "a" / "x.json").write_text('{"changed": true}')
    assert stamps != dict((path, (mtime, size)) for path, mtime, size in stamped_record_files([tmp_path]))


def test_each_layout_is_told_apart_by_its_text() -> None:
    seeds = ROOT / "seeds"
    found = {path.suffix: layout_of(path.read_text(encoding="utf-8")) for path in [
        seeds / "NCT06740149.txt", seeds / "NCT01724398.json", RECORDS[0]]}
    assert {suffix: layout.name for suffix, layout in found.items() if layout} == {
        ".txt": "ClinicalIndex text", ".json": "ClinicalTrials.gov JSON", ".xml": "ClinicalTrials.gov legacy XML"}
    assert read_file("notes.txt", b"minutes of the steering committee").problems[0].message == (
        "not a trial record: expected ClinicalTrials.gov JSON, ClinicalIndex text or ClinicalTrials.gov legacy XML")


def test_a_legacy_xml_record_over_its_bound_is_refused_by_name() -> None:
    record = RECORDS[0].read_text(encoding="utf-8")
    padded = record.replace("</clinical_study>", "<!--" + "x" * (6 * 1024 * 1024) + "--></clinical_study>")
    result = read_file("huge.xml", padded.encode())
    assert not result.trials
    assert result.problems[0].message.startswith("the XML record is 6.0 MB; a legacy record is tens of kB")
