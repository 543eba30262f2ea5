"""Bad input: every file in the corpus gets its exact outcome, fast, and good records beside it still load.

The small files live in tests/data/bad/; the large ones (a 20 MB record, zips
with 10,000 members, a member that unpacks to 1 GB, members that climb out of
the folder) are made by the tests, in memory or in a temporary folder.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.page_text import as_read
from trialdata import load_paths
from trialdata.load import read_file

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "seeds" / "NCT01724398.json"
SECONDS = 5.0

# file -> the exact problem message, or None when the file loads (checked further below)
OUTCOMES = {
    "empty.txt": "the file is empty",
    "junk.txt": "binary data, not a text record or JSON",
    "no-arms-section.txt": "the record has no 'Arms & Interventions' section, so it describes no arms",
    "truncated.json": "not valid JSON (Unterminated string starting at at line 61, column 11)",
    "wrong-shape.json": "JSON of the wrong shape: expected a study ('protocolSection'), an API page ('studies') "
                        "or an array of studies, found results, count",
    "empty-arms.json": "study NCT09000006 lists no arms (armGroups is empty or missing)",
    "gbk.txt": None,
    "latin1.txt": None,
    "NCT06740149-bom.txt": None,
    "NCT06740149-crlf.txt": None,
    "no-doses.txt": None,
    "absurd.txt": None,
}


def timed_read(name: str, data: bytes):
    started = time.perf_counter()
    result = read_file(name, data)
    assert time.perf_counter() - started < SECONDS, f"{name} took too long"
    return result


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(OUTCOMES)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_each_bad_file_has_its_exact_outcome_and_the_good_record_still_loads(name: str, tmp_path: Path) -> None:
    shutil.copy(BAD / name, tmp_path / name)
    shutil.copy(GOOD, tmp_path / GOOD.name)
    result = load_paths([tmp_path])
    ids = {t.trial_id for t in result.trials}
    assert "NCT01724398" in ids
    expected = OUTCOMES[name]
    if expected is None:
        assert result.problems == []
        assert len(ids) == 2
    else:
        assert [(Path(p.path).name, p.message) for p in result.problems] == [(name, expected)]
        assert ids == {"NCT01724398"}


def _trial(name: str):
    result = timed_read(name, (BAD / name).read_bytes())
    assert result.problems == []
    [trial] = result.trials
    return trial


def test_gbk_record_is_read_and_its_encoding_flagged() -> None:
    trial = _trial("gbk.txt")
    assert trial.title.startswith("人脐带间充质干细胞")
    assert any(f.code == "not-utf8" and "GB18030" in f.message for f in trial.flags)
    dosed = [r for a in trial.arms for r in a.regimens if r.dose]
    assert [(r.dose.value, r.administrations) for r in dosed] == [(1e6, 4)]


def test_latin1_record_is_read_and_its_encoding_flagged() -> None:
    trial = _trial("latin1.txt")
    assert "Münster" in trial.title
    assert any(f.code == "not-utf8" for f in trial.flags)
    dosed = [r for a in trial.arms for r in a.regimens if r.dose]
    assert [(r.dose.value, r.administrations, r.interval_days) for r in dosed] == [(2e6, 3, 14)]


@pytest.mark.parametrize("name", ["NCT06740149-bom.txt", "NCT06740149-crlf.txt"])
def test_bom_and_crlf_read_exactly_like_the_plain_seed(name: str) -> None:
    plain = read_file("NCT06740149.txt", (ROOT / "seeds" / "NCT06740149.txt").read_bytes()).trials[0]
    trial = _trial(name)
    assert trial.trial_id == "NCT06740149"
    assert [a.label for a in trial.arms] == [a.label for a in plain.arms]
    assert [a.regimens for a in trial.arms] == [a.regimens for a in plain.arms]
    assert not any(f.code == "not-utf8" for f in trial.flags)


def test_arms_without_doses_load_and_say_so() -> None:
    trial = _trial("no-doses.txt")
    assert [a.label for a in trial.arms] == ["Cells, low dose (number not stated)",
                                             "Cells, high dose (number not stated)"]
    assert all(any(f.code == "no-dose" for f in a.flags) for a in trial.arms)


def test_absurd_numbers_are_refused_by_name_and_never_charted() -> None:
    trial = _trial("absurd.txt")
    assert all(r.dose is None for a in trial.arms for r in a.regimens)
    messages = [f.message for a in trial.arms for f in a.flags if f.code == "impossible-dose"]
    assert messages == [
        "Ignored '10^99 cells/kg' in arm paragraph 1: a power of ten of 99, more cells than any body holds.",
        "Ignored '-1×10^6 cells/kg' in arm paragraph 2: a negative number of cells.",
        "Ignored '0×10^6 cells/kg' in arm paragraph 3: zero cells.",
    ]
    group_d = trial.arms[3]
    assert group_d.regimens[0].administrations == 4 and any(f.code == "no-dose" for f in group_d.flags)


def test_a_20_mb_record_is_refused_quickly_and_cheaply() -> None:
    seed = (ROOT / "seeds" / "NCT06740149.txt").read_text(encoding="utf-8")
    padding = "Patients receive 1.0×10^6 cells/kg once a week for a total of 4 times. " * 300_000
    data = seed.replace("Detailed Summary\n", f"Detailed Summary\n{padding}\n").encode()
    assert len(data) > 20 * 1024 * 1024
    tracemalloc.start()
    result = timed_read("huge.txt", data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.message for p in result.problems] == [
        "the text record is 20.6 MB; a ClinicalIndex record is a few kB, and records over 5 MB are not read"]
    assert peak < 200 * 1024 * 1024


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_with_10000_members_is_refused() -> None:
    data = _zip({f"{i:02d}/NCT{i:08d}.json": b"{}" for i in range(10_000)})
    result = timed_read("many.zip", data)
    assert result.trials == []
    assert [p.message for p in result.problems] == [
        "the zip archive has 10,000 members; archives of more than 5,000 are not read (split it, or unpack a folder)"]


def _deflated_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, raw deflate data, crc32, unpacked size), so a 1 GB member costs no 1 GB."""
    out, directory = bytearray(), bytearray()
    for name, packed, crc, size in members:
        encoded = name.encode()
        directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(packed), size,
                                 len(encoded), 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        out += encoded + packed
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A zip whose one member unpacks to 1 GB of zeros (a few kB packed), beside a good study."""
    chunk = b"\0" * (16 * 1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # a self-contained block, so it can repeat
    crc = 0
    for _ in range(64):
        crc = zlib.crc32(chunk, crc)
    bomb = block * 64 + packer.flush()
    neighbour = ("NCT01724398.json", *_deflate(GOOD.read_bytes()))
    return _deflated_zip([neighbour, ("bomb.json", bomb, crc, 64 * len(chunk))])


def test_a_member_that_unpacks_to_1_gb_is_refused_and_its_neighbour_loads(zip_bomb: bytes) -> None:
    assert len(zip_bomb) < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(zip_bomb)) as archive:  # the bomb is real: it does unpack to 1 GB
        assert archive.getinfo("bomb.json").file_size == 1024 * 1024 * 1024
        with archive.open("bomb.json") as member:
            assert member.read(1024) == b"\0" * 1024
    tracemalloc.start()
    result = timed_read("bomb.zip", zip_bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [t.trial_id for t in result.trials] == ["NCT01724398"]
    assert [str(p) for p in result.problems] == [
        "bomb.zip/bomb.json: unpacks to 1,024 MB; members over 50 MB are not read"]
    assert peak < 100 * 1024 * 1024


def test_a_member_whose_size_header_lies_is_still_cut_at_the_limit() -> None:
    big = b"{" + b" " * (51 * 1024 * 1024) + b"}"
    data = bytearray(_deflated_zip([("liar.json", *_deflate(big))]))
    # Rewrite the central directory's uncompressed size (offset 24 in the entry) to claim 10 bytes.
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24: entry + 28] = (10).to_bytes(4, "little")
    result = timed_read("liar.zip", bytes(data))
    assert result.trials == []
    assert len(result.problems) == 1 and result.problems[0].path == "liar.zip/liar.json"


def test_a_zip_of_a_newer_format_is_named_as_unreadable() -> None:
    data = bytearray(_zip({"NCT01724398.json": GOOD.read_bytes()}))
    # Claim the member needs zip format 6.4 to unpack (offset 6 of its central directory entry).
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 6: entry + 8] = (64).to_bytes(2, "little")
    result = timed_read("new.zip", bytes(data))
    assert result.trials == []
    assert [(p.path, p.message) for p in result.problems] == [
        ("new.zip", "not a readable zip archive (zip file version 6.4)")]


def test_members_that_climb_out_of_the_folder_are_named_and_never_written(tmp_path: Path) -> None:
    data = _zip({"../../x.json": GOOD.read_bytes(), "/etc/y.json": GOOD.read_bytes(),
                 "ok/NCT01724398.json": GOOD.read_bytes()})
    before = set(tmp_path.parent.parent.iterdir())
    result = timed_read(str(tmp_path / "slip.zip"), data)
    assert [t.trial_id for t in result.trials] == ["NCT01724398"]
    assert [(Path(p.path).name, p.message) for p in result.problems] == [
        ("x.json", "the member's path points outside the archive; it is not read"),
        ("y.json", "the member's path points outside the archive; it is not read"),
    ]
    assert set(tmp_path.parent.parent.iterdir()) == before


def test_the_cli_reports_every_bad_file_and_exports_the_good_ones(tmp_path: Path, zip_bomb: bytes) -> None:
    for path in BAD.iterdir():
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(GOOD, tmp_path / GOOD.name)
    (tmp_path / "bomb.zip").write_bytes(zip_bomb)
    result = subprocess.run([sys.executable, "-m", "trialdata", "export", str(tmp_path)], cwd=ROOT,
                            capture_output=True, timeout=120)
    assert result.returncode == 0
    errors = result.stderr.decode().splitlines()
    failing = [name for name, outcome in OUTCOMES.items() if outcome is not None]
    assert len(errors) == len(failing) + 1
    for name in failing:
        assert any(name in line and OUTCOMES[name] in line for line in errors), name
    exported = {line.split(",")[1] for line in result.stdout.decode().splitlines()[1:]}  # after the chart code
    assert {"NCT01724398", "NCT06740149", "NCT09000001", "NCT09000002", "NCT09000004", "NCT09000005"} <= exported


@pytest.mark.parametrize("name", [name for name, outcome in OUTCOMES.items() if outcome is not None])
def test_the_app_names_each_bad_upload_and_keeps_what_is_loaded(name: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    before = {m.label: m.value for m in at.metric}
    at.file_uploader(key="uploader").set_value([(name, (BAD / name).read_bytes(), "application/octet-stream")]).run()
    assert not at.exception
    shown = [as_read(e.value) for e in at.error]
    assert [text for text in shown if name in text] == [f"{name}: {OUTCOMES[name]}"]
    after = {m.label: m.value for m in at.metric}
    assert after["Trials loaded"] == before["Trials loaded"] and after["Arms shown"] == before["Arms shown"]
