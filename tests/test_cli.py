"""`python -m trialdata export` as a user runs it: a subprocess, its output, its exit code."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).parents[1]
SEED = ROOT / "seeds" / "NCT06740149.txt"
HEADER = (  # the documented columns (README): chart code, trial facts and reference patient trace a row back
    "chart_code,trial_id,trial_title,trial_phases,conditions,arm,applies_to,arm_type,phase,phase_from_trial,cellular,"
    "cell_type,route,dose_per_administration,dose_unit,population,dose_cells_per_kg,dose_converted,administrations,"
    "interval_days,administration_days,cumulative_dose,cumulative_cells_per_kg,reference_weight_kg,reference_bsa_m2,"
    "flags,source"
)
FLAT_RECORD = """\
At a glance
ClinicalIndex Comparison RecordStandardized by ClinicalIndex from the ClinicalTrials.gov record · \
verify against the source.
Umbilical Cord Mesenchymal Stem Cells for Decompensated Liver Cirrhosis
In Brief
A Phase 1 clinical trial evaluating UC-MSC for Liver Cirrhosis. Recruiting, enrolled 12 participants across 1 site.
Detailed Summary
A small trial giving one flat dose of cells.
Study Details
Timeline
Arms & Interventions
Patients receive umbilical cord MSCs intravenously, 1.5×10\\^8 cells/time, single infusion.
Interventions
Umbilical cord mesenchymal stem cells, 1.5×10\\^8 cells/time, single infusion.
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trialdata", "export", *args],
        cwd=ROOT, capture_output=True, timeout=120,
    )


def rows(stdout: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(stdout.decode("utf-8"))))


@pytest.fixture(scope="module")
def default_csv() -> subprocess.CompletedProcess:
    """The seed record alone, exported as CSV."""
    return run(str(SEED))


@pytest.fixture
def flat_folder(tmp_path: Path) -> Path:
    (tmp_path / "NCT00000001.txt").write_text(FLAT_RECORD, encoding="utf-8")
    return tmp_path


# --- CSV from the bundled seeds -----------------------------------------------------------------


def test_default_reads_the_bundled_seeds_folder():
    result = run()
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8").splitlines()[0] == HEADER
    bundled = {p.stem for p in (ROOT / "seeds").glob("NCT*.*")}
    assert {row["trial_id"] for row in rows(result.stdout)} == bundled
    assert result.stderr == b""


def test_seed_record_prints_csv_with_the_documented_header(default_csv):
    assert default_csv.returncode == 0, default_csv.stderr.decode()
    lines = default_csv.stdout.decode("utf-8").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 7
    assert {row["trial_id"] for row in rows(default_csv.stdout)} == {"NCT06740149"}
    assert default_csv.stderr == b""


def test_csv_has_the_seed_arms_with_plain_numbers(default_csv):
    table = rows(default_csv.stdout)
    dosed = [row for row in table if row["dose_per_administration"]]
    assert {row["dose_per_administration"] for row in dosed} == {"1000000.0", "2000000.0", "4000000.0"}
    weekly = [row for row in dosed if row["administrations"] == "4"]
    assert weekly, "the Phase 2 arms are given once a week for a total of 4 administrations"
    for row in weekly:
        assert row["interval_days"] == "7.0"
        assert row["administration_days"] == "0;7;14;21"
        assert float(row["cumulative_dose"]) == 4 * float(row["dose_per_administration"])
    assert "4000000.0" in {row["cumulative_dose"] for row in weekly}
    for row in table:
        for column in ("dose_per_administration", "cumulative_dose", "cumulative_cells_per_kg", "interval_days"):
            assert "e+" not in row[column] and "×" not in row[column] and "'" not in row[column]


def test_csv_cellular_is_true_or_false(default_csv):
    table = rows(default_csv.stdout)
    assert {row["cellular"] for row in table} == {"true", "false"}
    control = [row for row in table if row["cellular"] == "false"]
    assert control and all(row["dose_per_administration"] == "" for row in control)
    assert all(row["cellular"] == "true" for row in table if row["dose_per_administration"])


def test_csv_single_infusion_arms(default_csv):
    singles = [row for row in rows(default_csv.stdout) if row["administrations"] == "1"]
    assert {row["dose_per_administration"] for row in singles} == {"1000000.0", "2000000.0", "4000000.0"}
    for row in singles:
        assert row["administration_days"] == "0"
        assert row["interval_days"] == ""
        assert row["cumulative_dose"] == row["dose_per_administration"]


# --- JSON and XLSX ------------------------------------------------------------------------------


def test_json_to_stdout_has_the_same_keys(default_csv):
    result = run(str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout.decode("utf-8"))
    assert isinstance(data, list) and len(data) == len(rows(default_csv.stdout))
    for record in data:
        assert list(record) == HEADER.split(",")
        assert isinstance(record["cellular"], bool)
        assert isinstance(record["administration_days"], list)
    weekly = [r for r in data if r["administrations"] == 4 and r["dose_per_administration"] is not None]
    assert weekly and all(r["administration_days"] == [0, 7, 14, 21] for r in weekly)
    assert all(isinstance(r["dose_per_administration"], float) for r in weekly)


def test_xlsx_to_file_has_arms_and_administrations_sheets(tmp_path, default_csv):
    out = tmp_path / "table.xlsx"
    result = run(str(SEED), "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Arms", "Administrations", "Settings"]
    settings = dict(workbook["Settings"].iter_rows(min_row=2, values_only=True))
    assert settings["Reference body weight (kg)"] == "70" and str(SEED) in settings["Records loaded"]
    arms = list(workbook["Arms"].iter_rows(values_only=True))
    assert [str(h).split(" ")[0] for h in arms[0]] == HEADER.split(",")
    assert len(arms) - 1 == len(rows(default_csv.stdout))
    administrations = list(workbook["Administrations"].iter_rows(values_only=True))
    expected = sum(len(row["administration_days"].split(";")) for row in rows(default_csv.stdout)
                   if row["administration_days"])
    assert len(administrations) - 1 == expected


def test_csv_to_out_file_matches_stdout(tmp_path, default_csv):
    out = tmp_path / "table.csv"
    result = run(str(SEED), "--out", str(out))
    assert result.returncode == 0
    assert result.stdout == b""
    assert out.read_bytes() == default_csv.stdout


# --- Bad arguments ------------------------------------------------------------------------------


def test_xlsx_without_out_exits_2():
    result = run("--format", "xlsx")
    assert result.returncode == 2
    assert b"--out" in result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("args", [("--bogus",), ("--format", "pdf"), ("--weight-kg", "heavy"),
                                  ("--weight-kg", "0"), ("--weight-kg", "600"), ("--workers", "0")])
def test_bad_option_exits_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert b"usage" in result.stderr.lower() or b"error" in result.stderr.lower()
    assert result.stdout == b""


def test_missing_command_exits_2():
    result = subprocess.run([sys.executable, "-m", "trialdata"], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 2


# --- Folders with broken files ------------------------------------------------------------------


def test_broken_files_are_reported_and_good_rows_kept(tmp_path, default_csv):
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "broken.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 4)
    result = run(str(tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8").splitlines()[0] == HEADER
    assert rows(result.stdout) == rows(default_csv.stdout)

    errors = result.stderr.decode("utf-8").splitlines()
    assert len(errors) == 2, errors
    broken = [line for line in errors if "broken.txt" in line]
    junk = [line for line in errors if "junk.txt" in line]
    assert len(broken) == 1 and "empty" in broken[0]
    assert len(junk) == 1 and "binary data" in junk[0]


def test_text_that_is_not_a_record_is_named(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "notes.txt").write_text("Shopping list: milk, eggs, 1×10^6 cells/kg.\n", encoding="utf-8")
    result = run(str(tmp_path))
    assert result.returncode == 0
    errors = result.stderr.decode("utf-8").splitlines()
    assert len(errors) == 1 and "notes.txt" in errors[0] and "not a trial record" in errors[0]


def test_folder_with_only_broken_files_exits_1(tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(b"\xff\xfe\x00\x81junk\x9f")
    result = run(str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == b""
    stderr = result.stderr.decode("utf-8")
    assert "broken.txt" in stderr and "junk.txt" in stderr


def test_missing_path_exits_1_and_names_it(tmp_path):
    missing = tmp_path / "nowhere"
    result = run(str(missing))
    assert result.returncode == 1
    assert "nowhere" in result.stderr.decode("utf-8")


# --- Flat doses and the reference weight ----------------------------------------------------------


def test_weight_kg_converts_a_flat_dose(flat_folder):
    result = run(str(flat_folder), "--weight-kg", "60")
    assert result.returncode == 0, result.stderr.decode()
    (row,) = rows(result.stdout)
    assert row["dose_unit"] == "cells"
    assert float(row["dose_per_administration"]) == 1.5e8
    assert row["administrations"] == "1"
    assert float(row["cumulative_dose"]) == 1.5e8
    assert float(row["cumulative_cells_per_kg"]) == pytest.approx(2.5e6)
    assert "60 kg" in row["flags"]


def test_default_weight_is_70_kg(flat_folder):
    result = run(str(flat_folder), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    (record,) = json.loads(result.stdout)
    assert record["cumulative_cells_per_kg"] == pytest.approx(1.5e8 / 70)
    assert record["cumulative_dose"] == 1.5e8
    assert "70 kg" in record["flags"]


def test_weight_does_not_change_per_kg_doses(default_csv):
    result = run(str(SEED), "--weight-kg", "60")
    assert result.returncode == 0
    at_60 = rows(result.stdout)
    assert {row.pop("reference_weight_kg") for row in at_60} == {"60.0"}  # each row says what it was converted at
    at_70 = rows(default_csv.stdout)
    assert {row.pop("reference_weight_kg") for row in at_70} == {"70.0"}
    assert at_60 == at_70


def test_bsa_m2_converts_a_per_m2_dose() -> None:
    """NCT02108522: "Patients will receive 2 x 10^7 VSTs/m2 as a single infusion"."""
    record = ROOT / "tests" / "data" / "gold" / "cell-therapies" / "NCT02108522.json"
    rows = {}
    for area in ("1.73", "2.0"):
        result = subprocess.run([sys.executable, "-m", "trialdata", "export", str(record), "--bsa-m2", area],
                                capture_output=True, check=True, cwd=ROOT)
        rows[area] = next(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    assert rows["1.73"]["dose_unit"] == "cells/m2"
    assert float(rows["1.73"]["dose_cells_per_kg"]) == pytest.approx(2e7 * 1.73 / 70)
    assert float(rows["2.0"]["dose_cells_per_kg"]) == pytest.approx(2e7 * 2.0 / 70)
    failed = subprocess.run([sys.executable, "-m", "trialdata", "export", str(record), "--bsa-m2", "9"],
                            capture_output=True, cwd=ROOT)
    assert failed.returncode == 2 and b"--bsa-m2 must be between 0.1 and 3.5" in failed.stderr


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m trialdata score GOLD FOLDER | head -3`, where head has gone before the scores are printed: the
    command ends quietly, as the export does, without a traceback."""
    gold = ROOT / "tests" / "data" / "gold"
    scorer = subprocess.Popen([sys.executable, "-m", "trialdata", "score", str(gold / "gold-cell-therapies.csv"),
                               str(gold / "cell-therapies")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert scorer.stdout is not None and scorer.stderr is not None
    scorer.stdout.close()  # the reader leaves before the first line
    stderr = scorer.stderr.read().decode("utf-8")
    assert scorer.wait(timeout=120) == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
