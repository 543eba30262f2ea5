"""Records are data, never code: formulas in exports are neutralized, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from trialdata import arms_frame
from trialdata.export import to_csv, to_xlsx
from trialdata.load import read_file

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://x","click")'


def hostile_study() -> bytes:
    study = json.loads((ROOT / "seeds" / "NCT01724398.json").read_text(encoding="utf-8"))
    group = study["protocolSection"]["armsInterventionsModule"]["armGroups"][1]
    group["label"] = FORMULA
    group["description"] = FORMULA + " then 1×10^5 cells/kg once a week, 4 times."
    for intervention in study["protocolSection"]["armsInterventionsModule"]["interventions"]:
        intervention["armGroupLabels"] = [FORMULA if label == "Conventional plus UC-MSC treatment" else label
                                          for label in intervention.get("armGroupLabels", [])]
    return json.dumps(study).encode()


def arms():
    result = read_file("hostile.json", hostile_study())
    assert result.problems == []
    return arms_frame(result.trials)


def test_a_formula_arm_label_is_neutralized_in_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(arms()).decode("utf-8"), newline="")))
    hostile = [row for row in rows if "HYPERLINK" in row["arm"]]
    assert len(hostile) == 1
    assert hostile[0]["arm"] == "'" + FORMULA
    assert hostile[0]["dose_per_administration"] == "100000.0"
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_a_formula_arm_label_is_a_string_in_xlsx_and_numbers_stay_numbers() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(arms())))["Arms"]
    header = [str(cell.value).split(" ")[0] for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        arm = row[header.index("arm")]
        if "HYPERLINK" in str(arm.value):
            assert arm.value == "'" + FORMULA and arm.data_type == "s"
            dose = row[header.index("dose_per_administration")]
            assert dose.value == 1e5 and dose.data_type == "n"
            break
    else:
        raise AssertionError("the hostile arm is missing from the workbook")
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
