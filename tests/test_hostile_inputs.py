"""Hostile input, second round: files made to stall the server, exhaust its memory, sink a whole load or write
into the page. Each class of attack has files in tests/data/hostile/ (variants of the bundled real records, made
as an attacker would make them) and cases the tests make on the spot (a named pipe, a file name holding a newline,
a full device); each is run through the library, the CLI and the dashboard.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tests.page_text import as_read
from trialdata import load_paths
from trialdata.export import WORKSHEET_CELL_CHARS, ExportSettings, to_csv, to_json, to_xlsx
from trialdata.frames import arms_frame
from trialdata.isolated import read_file_isolated
from trialdata.load import read_file
from trialdata.notation import markdown_literal
from trialdata.readers.bounds import MAX_ARMS_PER_STUDY

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile"
GOOD = ROOT / "seeds" / "NCT01724398.json"
SEED_TEXT = ROOT / "seeds" / "NCT06740149.txt"
SECONDS = 5.0  # per file, on the slowest machine the suite runs on; each reads in well under 2 s
MEMORY = 300 * 1024 * 1024  # the peak of Python allocations while one file is read
NOT_A_STUDY = "an entry is not a study: it has no 'protocolSection' object"
# A legacy XML record that declares a document type: entities that expand a few bytes into gigabytes
# ("billion laughs") or name a local file are never expanded; the record is refused by name before parsing.
DOCTYPE = ("the XML declares a document type (<!DOCTYPE>); registry records declare none, and its entities are "
           "never expanded, so it is not read")
MARKUP = '**bold** [link](https://example.org) $x^2$ <a href="https://example.org">a</a> <b>b</b>'


def _flood(path: str, entries: int, total: int) -> list[tuple[str, str]]:
    """The problems of a file of `entries` non-study entries: the bound, the first 19 entries, then a count."""
    return ([(path, f"the file holds {entries:,} entries; only the first 10,000 are read")]
            + [(path, f"study {n}: {NOT_A_STUDY}") for n in range(1, 20)])


# file -> (trials it loads, the problems it reports as (path inside the folder, message), the problems counted)
CORPUS: dict[str, tuple[set[str], list[tuple[str, str]], int]] = {
    "NCT09990001-huge-numbers.json": ({"NCT09990001"}, [], 0),
    "NCT09990002-lone-surrogate.json": ({"NCT09990002"}, [], 0),
    "NCT09990003-control-characters.json": ({"NCT09990003"}, [], 0),
    "NCT09990004-markup.json": ({f"NCT09990004 {MARKUP}"}, [], 0),
    "NCT09990005-separators.txt": ({"NCT09990005"}, [], 0),
    "NCT09990007-many-arms.txt": ({"NCT09990007"}, [], 0),
    "NCT09990008-many-arms.json": ({"NCT09990008"}, [], 0),
    "NCT09990009-a-dash.json": ({"NCT09990009"}, [], 0),
    "NCT09990010-in-brief.txt": ({"NCT09990010"}, [], 0),
    "entities.xml": (set(), [("entities.xml", DOCTYPE)], 1),
    "external-entity.xml": (set(), [("external-entity.xml", DOCTYPE)], 1),
    "flood.json": (set(), [*_flood("flood.json", 20_000, 20_000),
                           ("flood.json", "and 9,981 more problems like those above")], 20_000),
    "objects.zip": (set(), [*_flood("objects.zip/objects-0.json", 1_400_000, 0),
                            ("objects.zip", "and 1,409,982 more problems like those above")], 2_800_001),
    "zip-in-zip.zip": ({"NCT09990006"}, [("zip-in-zip.zip/inner.zip", "a zip inside a zip is not read; unpack it "
                                                                      "and add its records")], 1),
}


def timed_read(name: str, data: bytes):
    tracemalloc.start()
    started = time.perf_counter()
    result = read_file(name, data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"
    assert peak < MEMORY, f"{name}: {peak / 1e6:.0f} MB"
    return result


def test_the_hostile_corpus_is_complete() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_is_read_within_budget_with_its_exact_problems(name: str) -> None:
    trials, problems, counted = CORPUS[name]
    result = timed_read(name, (HOSTILE / name).read_bytes())
    assert {t.trial_id for t in result.trials} == trials
    assert [(p.path, p.message) for p in result.problems] == problems
    assert sum(p.count for p in result.problems) == counted


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_hostile_file_beside_a_good_record_loses_nothing_of_it(name: str, tmp_path: Path) -> None:
    shutil.copy(HOSTILE / name, tmp_path / name)
    shutil.copy(GOOD, tmp_path / GOOD.name)
    result = load_paths([tmp_path])
    assert {t.trial_id for t in result.trials} == CORPUS[name][0] | {"NCT01724398"}
    good = next(t for t in result.trials if t.trial_id == "NCT01724398")
    assert [r.dose.value for a in good.arms for r in a.regimens if r.dose] == [1e5, 1e5]


# --- 1. a small file stalls every user --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["NCT09990009-a-dash.json", "NCT09990010-in-brief.txt"])
def test_the_patterns_that_once_took_minutes_take_under_a_second(name: str) -> None:
    started = time.perf_counter()
    result = read_file(name, (HOSTILE / name).read_bytes())
    arms_frame(result.trials)
    assert time.perf_counter() - started < 1.0
    assert len(result.trials) == 1


def test_an_upload_is_read_in_a_worker_that_gives_the_same_trials() -> None:
    data = SEED_TEXT.read_bytes()
    isolated = read_file_isolated(SEED_TEXT.name, data)
    assert isolated.problems == []
    assert isolated.trials == read_file(SEED_TEXT.name, data).trials


def test_uploads_share_one_worker_and_one_that_overran_is_replaced() -> None:
    """Each uploaded file had started an interpreter (0.7 s of a core apiece) while other users waited; one worker
    now reads one upload after another, and a worker stopped for overrunning its time is replaced for the next
    upload, which still reads."""
    from trialdata import isolated

    data = SEED_TEXT.read_bytes()
    assert read_file_isolated(SEED_TEXT.name, data).trials
    first = isolated._worker.process
    assert read_file_isolated(GOOD.name, GOOD.read_bytes()).trials
    assert isolated._worker.process is first  # the same interpreter read both
    name = "NCT09990008-many-arms.json"
    stopped = read_file_isolated(name, (HOSTILE / name).read_bytes(), seconds=0.001)
    assert stopped.problems and isolated._worker is None and first.wait(timeout=5) is not None
    again = read_file_isolated(SEED_TEXT.name, data)
    assert again.trials == read_file(SEED_TEXT.name, data).trials
    assert isolated._worker.process is not first


def test_an_idle_worker_is_stopped_so_its_memory_goes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from trialdata import isolated

    monkeypatch.setattr(isolated, "IDLE_SECONDS", 0.2)
    assert read_file_isolated(SEED_TEXT.name, SEED_TEXT.read_bytes()).trials
    process = isolated._worker.process
    assert process.wait(timeout=10) is not None and isolated._worker is None


def test_an_upload_that_reads_too_long_is_stopped_with_a_named_problem() -> None:
    name = "NCT09990008-many-arms.json"  # 200 arms read: a few tenths of a second, far past the limit set here
    started = time.perf_counter()
    result = read_file_isolated(name, (HOSTILE / name).read_bytes(), seconds=0.001)
    assert time.perf_counter() - started < SECONDS
    assert result.trials == []
    assert [str(p) for p in result.problems] == [
        f"{name}: took longer than 0.001 s to read, so it was stopped; it is not loaded"]


# --- 2. a 0.5 MB zip takes 8 GB -----------------------------------------------------------------------------


def test_a_zip_of_millions_of_empty_objects_is_bounded_in_time_and_memory() -> None:
    data = (HOSTILE / "objects.zip").read_bytes()
    assert len(data) < 512 * 1024
    result = timed_read("objects.zip", data)
    assert result.trials == [] and len(result.problems) == 21


def test_an_upload_that_needs_too_much_memory_is_stopped_with_a_named_problem() -> None:
    result = read_file_isolated("objects.zip", (HOSTILE / "objects.zip").read_bytes(), memory_bytes=50 * 2**20)
    assert [str(p) for p in result.problems] == [
        "objects.zip: needs more than 50 MB to read, so it was stopped; it is not loaded"]


@pytest.mark.parametrize("name", ["NCT09990007-many-arms.txt", "NCT09990008-many-arms.json"])
def test_a_study_of_a_thousand_arms_is_read_in_part_and_says_so(name: str) -> None:
    [trial] = timed_read(name, (HOSTILE / name).read_bytes()).trials
    assert len(trial.arms) == MAX_ARMS_PER_STUDY
    [cut] = [f.message for f in trial.flags if f.code == "arms-cut"]
    assert cut.startswith("The study lists 1,000 arms")


# --- 3. one bad value sinks every record --------------------------------------------------------------------


def test_a_5000_digit_enrollment_and_dose_leave_the_rest_of_the_study_readable() -> None:
    [trial] = timed_read("huge.json", (HOSTILE / "NCT09990001-huge-numbers.json").read_bytes()).trials
    assert trial.enrollment is None  # not a count of anyone
    assert [r.dose.value for a in trial.arms for r in a.regimens if r.dose] == [1e5, 1e5]


def test_a_lone_surrogate_is_replaced_flagged_and_every_export_writes() -> None:
    [trial] = timed_read("s.json", (HOSTILE / "NCT09990002-lone-surrogate.json").read_bytes()).trials
    assert trial.arms[1].label == "Conventional plus UC-MSC \ufffd treatment"
    assert trial.conditions == ("Liver \ufffd Failure",)
    assert [f.code for f in trial.flags] == ["characters-replaced"]
    arms = arms_frame([trial])
    assert "Conventional plus UC-MSC \ufffd treatment" in to_csv(arms).decode("utf-8")
    assert "Conventional plus UC-MSC \ufffd treatment" in {row["arm"] for row in json.loads(to_json(arms))}
    sheet = pd.read_excel(io.BytesIO(to_xlsx(arms)))
    assert "Conventional plus UC-MSC \ufffd treatment" in set(sheet["arm"])


def test_a_text_longer_than_a_worksheet_cell_is_cut_said_and_flagged_never_silently() -> None:
    """A download from Across trials with thousands of trials picked lists them in its Settings sheet; a hostile
    record's title can be as long. A worksheet cell holds 32,767 characters, and openpyxl would cut the rest
    without a word."""
    [trial] = timed_read("c.json", (HOSTILE / "NCT09990003-control-characters.json").read_bytes()).trials
    arms = arms_frame([trial])
    arms["trial_title"] = "Mesenchymal stem cells " * 2_000  # 46,000 characters
    picked = "; ".join(f"NCT9{n:07d}" for n in range(5_000))  # 5,000 trials picked, 64,998 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl's own cut would be a warning, and silent in the workbook
        data = to_xlsx(arms, settings=ExportSettings(filters=(("Trials", picked),)))
    sheet = pd.read_excel(io.BytesIO(data))
    title = sheet["trial_title"].iloc[0]
    assert WORKSHEET_CELL_CHARS - 64 < len(title) <= WORKSHEET_CELL_CHARS and title.endswith("more characters cut]")
    assert "cut short" in sheet["flags"].iloc[0] and "control characters" in sheet["flags"].iloc[0]
    settings = pd.read_excel(io.BytesIO(data), sheet_name="Settings").set_index("Setting")["Value"]
    assert settings["Filter: Trials"].startswith("NCT90000000; NCT90000001")
    assert settings["Filter: Trials"].endswith("more characters cut]")
    assert to_csv(arms).decode("utf-8").count("Mesenchymal stem cells ") >= 2_000  # the CSV holds it whole


def test_control_characters_reach_the_workbook_replaced_and_flagged() -> None:
    [trial] = timed_read("c.json", (HOSTILE / "NCT09990003-control-characters.json").read_bytes()).trials
    sheet = pd.read_excel(io.BytesIO(to_xlsx(arms_frame([trial]))))
    assert sheet["arm"].iloc[0] == "Conventional\ufffd treatment\ufffd[31m"
    assert sheet["trial_title"].iloc[0] == "Umbilical Cord\ufffd Mesenchymal Stem Cells\ufffd for Liver Failure"
    assert "control characters" in sheet["flags"].iloc[0]


# --- 7. smaller ones -----------------------------------------------------------------------------------------


def test_separators_inside_an_arm_paragraph_split_no_arm() -> None:
    plain = read_file(SEED_TEXT.name, SEED_TEXT.read_bytes()).trials[0]
    [trial] = timed_read("NCT09990005-separators.txt",
                         (HOSTILE / "NCT09990005-separators.txt").read_bytes()).trials
    assert [a.label for a in trial.arms] == [a.label for a in plain.arms]
    assert [[(r.dose, r.administrations) for r in a.regimens] for a in trial.arms] != []
    assert [[r.administrations for r in a.regimens] for a in trial.arms] == \
        [[r.administrations for r in a.regimens] for a in plain.arms]


def test_a_pipe_or_device_is_named_as_such_alone_or_in_a_folder(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    shutil.copy(GOOD, tmp_path / GOOD.name)
    result = load_paths([tmp_path, "/dev/null"])
    assert [t.trial_id for t in result.trials] == ["NCT01724398"]
    message = "not a regular file (a pipe, a device or a socket); only files and folders of them are read"
    assert [(p.path, p.message) for p in result.problems] == [
        (str(tmp_path / "pipe.json"), message), ("/dev/null", message)]


def _cli(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "trialdata", *args], cwd=ROOT, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=120)


def test_a_newline_in_a_file_name_cannot_forge_a_line_of_the_report(tmp_path: Path) -> None:
    (tmp_path / "evil\nNCT01724398.json: loaded.json").write_text("{}")
    shutil.copy(GOOD, tmp_path / GOOD.name)
    result = _cli("export", str(tmp_path))
    assert result.returncode == 0
    [line] = result.stderr.decode().splitlines()
    assert line.startswith(f"{tmp_path}/evil\\nNCT01724398.json: loaded.json: JSON of the wrong shape")


@pytest.mark.parametrize(("out", "reason"), [("missing/table.csv", "No such file or directory"),
                                              (".", "Is a directory"), ("/dev/full", "No space left on device")])
def test_an_unwritable_out_is_one_named_line_and_exit_1(out: str, reason: str, tmp_path: Path) -> None:
    target = out if out.startswith("/") else str(tmp_path / out)
    result = _cli("export", str(GOOD), "--out", target)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"cannot write {target}: {reason}"]


def test_a_full_standard_output_is_one_named_line_and_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        result = _cli("export", str(GOOD), stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "cannot write the table to standard output: No space left on device"]


def test_fullwidth_digits_in_a_fetch_id_are_refused_by_name_before_any_request() -> None:
    result = _cli("fetch", "NCT０１２３４５６７")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "fetch: 'NCT\\uff10\\uff11\\uff12\\uff13\\uff14\\uff15\\uff16\\uff17' is not an NCT number "
        "(NCT followed by 8 digits 0-9)"]


# --- the whole corpus through the CLI and the dashboard ----------------------------------------------------


def test_the_cli_reads_the_whole_corpus_reports_each_problem_and_exports_every_trial(tmp_path: Path) -> None:
    for path in HOSTILE.iterdir():
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(GOOD, tmp_path / GOOD.name)
    started = time.perf_counter()
    result = _cli("export", str(tmp_path), "--format", "xlsx", "--out", str(tmp_path / "table.xlsx"))
    assert time.perf_counter() - started < 60
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    expected = [f"{tmp_path}/{path}: {message}" for name in sorted(CORPUS) for path, message in CORPUS[name][1]]
    assert result.stderr.decode().splitlines() == expected
    sheet = pd.read_excel(tmp_path / "table.xlsx")
    assert set(sheet["trial_id"]) == set().union(*(CORPUS[name][0] for name in CORPUS)) | {"NCT01724398"}


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_app_reads_each_hostile_upload_names_its_problems_and_keeps_what_is_loaded(name: str) -> None:
    trials, problems, counted = CORPUS[name]
    at = _app()
    before = _metrics(at)
    at.file_uploader(key="uploader").set_value([(name, (HOSTILE / name).read_bytes(), "application/octet-stream")])
    at.run()
    assert not at.exception
    shown = [as_read(e.value) for e in at.error]
    listed = [f"{path}: {message}" for path, message in problems]
    assert shown == listed[:5] + ([f"and {len(listed) - 5:,} more problems: Compare arms lists them all"]
                                  if len(listed) > 5 else [])
    after = _metrics(at)
    assert int(after["Trials loaded"]) == int(before["Trials loaded"]) + len(trials)
    assert after["Problems in records"] == f"{counted:,}"


@pytest.mark.parametrize("page", ["pages/compare.py", "pages/across.py", "pages/sources.py", "pages/arm_detail.py"])
def test_record_markup_is_shown_as_literal_text_in_every_message_and_chart(
        page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The markup record alone in the records folder (so it is the trial in focus), and a good record uploaded
    under a file name of markup: every message that quotes either shows the markup as written."""
    shutil.copy(HOSTILE / "NCT09990004-markup.json", tmp_path)
    monkeypatch.setenv("TRIALDATA_RECORDS", str(tmp_path))
    at = _app()
    at.file_uploader(key="uploader").set_value([(f"{MARKUP}.json", GOOD.read_bytes(), "application/json")]).run()
    at.switch_page(page).run()
    assert not at.exception
    texts = [e.value for kind in ("markdown", "caption", "error", "info", "warning", "subheader") for e in at.get(kind)]
    with_markup = [text for text in texts if "example.org" in as_read(text)]
    assert len(with_markup) >= 2, "the record's and the file name's markup reach no message"
    for text in with_markup:
        assert markdown_literal(MARKUP) in text  # every mark escaped: shown whole, as written
    charts = [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]
    if page in ("pages/compare.py", "pages/across.py"):  # the trial's arms and name are on these charts...
        assert any("&lt;a href=" in chart and "&lt;b&gt;b&lt;/b&gt;" in chart for chart in charts)
    for chart in charts:  # ...and their tags, written as entities, are shown as text
        assert "<a href=" not in chart and "<b>b</b>" not in chart
