"""Exports of the comparison table: column contract, spreadsheet-safe text, numbers kept as numbers."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from trialdata.export import TABLE_COLUMNS, comparison_table, to_csv, to_json, to_xlsx
from trialdata.frames import arms_frame
from trialdata.load import load_paths, read_record

ROOT = Path(__file__).parents[1]
SEED = ROOT / "seeds" / "NCT06740149.txt"
FORMULA = '=HYPERLINK("http://x","click")'
NUMERIC = ["dose_per_administration", "administrations", "interval_days", "cumulative_dose", "cumulative_cells_per_kg"]
RECORD = """\
At a glance
ClinicalIndex Comparison RecordStandardized by ClinicalIndex from the ClinicalTrials.gov record · \
verify against the source.
{title}
In Brief
A Phase 1 clinical trial evaluating UC-MSC for Liver Cirrhosis. Recruiting, enrolled 12 participants across 1 site.
Detailed Summary
Summary.
Study Details
Timeline
Arms & Interventions
{arm}
Interventions
Umbilical cord mesenchymal stem cells, 1.5×10\\^8 cells/time, single infusion.
"""


@pytest.fixture(scope="module")
def seed_arms() -> pd.DataFrame:
    result = load_paths([SEED])
    assert not result.problems
    return arms_frame(result.trials)


@pytest.fixture(scope="module")
def formula_arms() -> pd.DataFrame:
    """A record whose title and arm description are spreadsheet formulas."""
    text = RECORD.format(title=FORMULA, arm=f"{FORMULA} 1.5×10\\^8 cells/time, single infusion, intravenously.")
    return arms_frame(read_record("NCT00000002.txt", text.encode("utf-8")))


def csv_rows(data: bytes) -> list[dict]:
    # newline="" is how the csv module (like a spreadsheet) must read CSV: quoted line breaks stay in cells.
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def xlsx_sheet(data: bytes, name: str = "Arms"):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


# --- Column contract ----------------------------------------------------------------------------


def test_comparison_table_columns_in_order(seed_arms):
    table = comparison_table(seed_arms)
    assert list(table.columns) == TABLE_COLUMNS
    assert len(table) == len(seed_arms) > 0


def test_csv_columns_in_order(seed_arms):
    header = to_csv(seed_arms).decode("utf-8").splitlines()[0]
    assert header.split(",") == TABLE_COLUMNS
    assert len(csv_rows(to_csv(seed_arms))) == len(seed_arms)


def test_json_keys_in_order(seed_arms):
    data = json.loads(to_json(seed_arms))
    assert len(data) == len(seed_arms)
    assert all(list(record) == TABLE_COLUMNS for record in data)


def test_xlsx_columns_in_order_with_units(seed_arms):
    sheet = xlsx_sheet(to_xlsx(seed_arms))
    header = [cell.value for cell in sheet[1]]
    assert [h.split(" ")[0] for h in header] == TABLE_COLUMNS
    assert header[TABLE_COLUMNS.index("cumulative_cells_per_kg")] == "cumulative_cells_per_kg (cells/kg)"
    assert sheet.max_row - 1 == len(seed_arms)


def test_xlsx_administrations_sheet_has_one_row_per_dose(seed_arms):
    sheet = xlsx_sheet(to_xlsx(seed_arms), "Administrations")
    header = [cell.value for cell in sheet[1]]
    assert "day (day 0 = first dose)" in header
    expected = sum(len(days) for days in seed_arms["administration_days"])
    assert sheet.max_row - 1 == expected
    day_column = header.index("day (day 0 = first dose)") + 1
    days = [sheet.cell(row=r, column=day_column) for r in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "n" for cell in days)
    assert sorted({cell.value for cell in days}) == [0, 7, 14, 21]


def test_comparison_table_plain_values(seed_arms):
    table = comparison_table(seed_arms)
    assert set(table["cellular"]) == {"true", "false"}
    assert "0;7;14;21" in set(table["administration_days"])
    assert "0" in set(table["administration_days"])


# --- Seed values survive each format -------------------------------------------------------------


def test_csv_numbers_are_plain(seed_arms):
    table = csv_rows(to_csv(seed_arms))
    assert {r["dose_per_administration"] for r in table} == {"", "1000000.0", "2000000.0", "4000000.0"}
    assert {r["cumulative_dose"] for r in table} >= {"4000000.0", "8000000.0"}
    for row in table:
        for column in NUMERIC:
            assert not row[column].startswith("'")


def test_json_numbers_are_numbers_and_unknowns_null(seed_arms):
    data = json.loads(to_json(seed_arms))
    control = [r for r in data if not r["cellular"]]
    assert control
    for record in control:
        assert record["dose_per_administration"] is None
        assert record["cumulative_dose"] is None
        assert record["cumulative_cells_per_kg"] is None
    singles = [r for r in data if r["administrations"] == 1]
    assert singles and all(r["interval_days"] is None for r in singles)
    assert all(r["administration_days"] == [0.0] for r in singles)
    for record in data:
        assert isinstance(record["cellular"], bool)
        for column in NUMERIC:
            value = record[column]
            assert value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)), (column, value)
        assert isinstance(record["administrations"], int)
        assert all(isinstance(d, float) for d in record["administration_days"])
    weekly = [r for r in data if r["administrations"] == 4 and r["cellular"]]
    assert {r["cumulative_dose"] for r in weekly} == {4e6, 8e6}


def test_json_is_utf8_with_real_characters(seed_arms):
    text = to_json(seed_arms).decode("utf-8")
    assert "×10⁶" in text  # labels keep their superscripts, not \\u escapes
    assert "\\u00d7" not in text


def test_xlsx_numbers_are_numeric_cells(seed_arms):
    sheet = xlsx_sheet(to_xlsx(seed_arms))
    header = [cell.value.split(" ")[0] for cell in sheet[1]]
    for column in ("dose_per_administration", "cumulative_dose", "administrations"):
        cells = [sheet.cell(row=r, column=header.index(column) + 1) for r in range(2, sheet.max_row + 1)]
        filled = [c for c in cells if c.value is not None]
        assert filled
        assert all(c.data_type == "n" for c in filled), column
    doses = {sheet.cell(row=r, column=header.index("dose_per_administration") + 1).value
             for r in range(2, sheet.max_row + 1)}
    assert doses == {None, 1e6, 2e6, 4e6}


# --- Formula injection --------------------------------------------------------------------------


def test_formula_title_is_neutralized_in_csv(formula_arms):
    assert len(formula_arms) == 1
    (row,) = csv_rows(to_csv(formula_arms))
    assert row["trial_title"] == "'" + FORMULA
    assert row["dose_per_administration"] == "150000000.0"
    assert row["cumulative_dose"] == "150000000.0"


def test_formula_title_is_neutralized_in_xlsx(formula_arms):
    sheet = xlsx_sheet(to_xlsx(formula_arms))
    header = [cell.value.split(" ")[0] for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("trial_title") + 1)
    assert title.value == "'" + FORMULA
    assert title.data_type == "s"
    dose = sheet.cell(row=2, column=header.index("dose_per_administration") + 1)
    assert dose.value == 1.5e8 and dose.data_type == "n"
    per_kg = sheet.cell(row=2, column=header.index("cumulative_cells_per_kg") + 1)
    assert per_kg.value == pytest.approx(1.5e8 / 70) and per_kg.data_type == "n"


def test_formula_title_is_left_as_is_in_json(formula_arms):
    (record,) = json.loads(to_json(formula_arms))
    assert record["trial_title"] == FORMULA  # JSON is data, not a spreadsheet
    assert record["dose_per_administration"] == 1.5e8


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", FORMULA])
def test_every_formula_start_is_neutralized_in_csv_and_xlsx(seed_arms, text):
    frame = seed_arms.copy()
    frame["arm"] = text
    frame["flags"] = text
    frame.loc[0, "trial_title"] = text

    table = csv_rows(to_csv(frame))
    assert all(r["arm"] == "'" + text and r["flags"] == "'" + text for r in table)
    assert table[0]["trial_title"] == "'" + text
    assert table[1]["trial_title"] == seed_arms.loc[1, "trial_title"]
    assert {r["dose_per_administration"] for r in table} == {"", "1000000.0", "2000000.0", "4000000.0"}

    sheet = xlsx_sheet(to_xlsx(frame))
    header = [cell.value.split(" ")[0] for cell in sheet[1]]
    arm = sheet.cell(row=2, column=header.index("arm") + 1)
    # XML stores a carriage return as a line feed; the cell must still start with the apostrophe.
    assert arm.value == "'" + text.replace("\r", "\n") and arm.data_type == "s"
    doses = [sheet.cell(row=r, column=header.index("dose_per_administration") + 1) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "n" for c in doses if c.value is not None)
    administrations = xlsx_sheet(to_xlsx(frame), "Administrations")
    adm_header = [cell.value for cell in administrations[1]]
    arms = {administrations.cell(row=r, column=adm_header.index("arm") + 1).value
            for r in range(2, administrations.max_row + 1)}
    assert arms == {"'" + text.replace("\r", "\n")}


@pytest.mark.parametrize("text", ["line one\nline two", "line one\r\nline two", "line one\r=1+1"])
def test_csv_keeps_line_breaks_inside_their_cell(seed_arms, text):
    """A line break inside a text cell must not start a new row (where '=1+1' would run as a formula)."""
    frame = seed_arms.copy()
    frame["flags"] = text
    table = csv_rows(to_csv(frame))
    assert len(table) == len(seed_arms)
    assert all(r["flags"] == text for r in table)
    assert [r["trial_id"] for r in table] == list(seed_arms["trial_id"])


def test_text_without_formula_start_is_untouched(seed_arms):
    frame = seed_arms.copy()
    frame["arm"] = "Arm = 1×10⁶ cells/kg"
    (first, *_) = csv_rows(to_csv(frame))
    assert first["arm"] == "Arm = 1×10⁶ cells/kg"
    sheet = xlsx_sheet(to_xlsx(frame))
    header = [cell.value.split(" ")[0] for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("arm") + 1).value == "Arm = 1×10⁶ cells/kg"


def test_empty_frame_exports_headers_only():
    empty = arms_frame([])
    assert csv_rows(to_csv(empty)) == []
    assert to_csv(empty).decode("utf-8").splitlines() == [",".join(TABLE_COLUMNS)]
    assert json.loads(to_json(empty)) == []
    sheet = xlsx_sheet(to_xlsx(empty))
    assert [c.value.split(" ")[0] for c in sheet[1]] == TABLE_COLUMNS
    assert sheet.max_row == 1
