"""The command line's CSV, written from arm rows without pandas (`trialdata.export_rows`), is byte for byte the
CSV the dashboard's download writes from the same rows' frame (`export.to_csv`): on real records, and on rows of
every awkward value a record can put in a cell (formulas, quotes, line breaks, negative and huge numbers,
unknowns). A user who downloads the table from the dashboard and exports it on the command line gets one file."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trialdata.bulk import TABLE_COLUMNS, load_arms_frame, load_arms_rows
from trialdata.export import ExportSettings, to_csv
from trialdata.export_rows import write_csv_rows
from trialdata.frames import rows_frame

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
# Real records (the seeds, the gold folders read by hand from ClinicalTrials.gov, legacy XML records, products of
# every kind) and the hostile corpus, whose titles and arms hold formulas, markup and control characters.
FOLDERS = [ROOT / "seeds", DATA / "gold" / "cell-therapies", DATA / "gold" / "msc-2022", DATA / "legacy-xml",
           DATA / "mixed-products", DATA / "hostile"]


def _rows_csv(rows: list[tuple], export_settings: ExportSettings) -> bytes:
    text = io.StringIO(newline="")
    write_csv_rows(rows, TABLE_COLUMNS, text, export_settings)
    return text.getvalue().encode("utf-8")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_real_records_give_the_dashboards_csv_bytes(folder: Path) -> None:
    assert folder.is_dir(), f"{folder} is missing"
    export_settings = ExportSettings(weight_kg=63.5, bsa_m2=1.6, records=str(folder))
    rows = load_arms_rows([folder], 63.5, bsa_m2=1.6)
    frame = load_arms_frame([folder], 63.5, bsa_m2=1.6)
    assert len(rows.rows) == len(frame.arms) > 0
    assert _rows_csv(rows.rows, export_settings) == to_csv(frame.arms, settings=export_settings)


def test_the_dashboards_chart_codes_are_written_as_given() -> None:
    rows = load_arms_rows([ROOT / "seeds"]).rows
    keys = [row[TABLE_COLUMNS.index("arm_key")] for row in rows]
    codes = {key: f"Z{i}" for i, key in enumerate(reversed(keys))}
    export_settings = ExportSettings(codes=codes)
    written = _rows_csv(rows, export_settings)
    assert written == to_csv(rows_frame(rows, TABLE_COLUMNS), settings=export_settings)
    assert written.decode().splitlines()[1].startswith(codes[keys[0]] + ",")


_TEXT = st.text(st.sampled_from([*"ab =+-@\t\r\n\",;'“”é·|0", "\u2028", "\x00"]), max_size=12)
_NUMBER = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=64),
                    st.integers(-10**6, 10**6).map(float), st.sampled_from([1e16, 1.5e-7, -0.0, 2.5e8, 1e22]))
_ROW = st.fixed_dictionaries({
    **{column: _TEXT for column in TABLE_COLUMNS},
    "dose_per_administration": _NUMBER, "dose_low": _NUMBER, "dose_high": _NUMBER, "dose_cells_per_kg": _NUMBER,
    "interval_days": st.one_of(_NUMBER, st.integers(0, 400)), "cumulative_dose": _NUMBER,
    "cumulative_cells_per_kg": _NUMBER,
    "administrations": st.one_of(st.none(), st.integers(0, 10**4)),
    "administration_days": st.lists(st.floats(-400, 4000, allow_nan=False), max_size=4).map(tuple),
    "phase_from_trial": st.booleans(), "cellular": st.booleans(), "dose_converted": st.booleans(),
    "trial_phases": st.lists(_TEXT, max_size=3).map(tuple), "conditions": st.lists(_TEXT, max_size=3).map(tuple),
    "flag_codes": st.just(()), "arm_flag_codes": st.just(()), "label_from_record": st.booleans(),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=6), st.sampled_from([70.0, 63.5, 1.0, 500.0]), st.sampled_from([1.73, 0.1, 2.0]))
def test_any_rows_give_the_dashboards_csv_bytes(rows: list[dict], weight: float, area: float) -> None:
    tuples = [tuple(row[column] for column in TABLE_COLUMNS) for row in rows]
    export_settings = ExportSettings(weight_kg=weight, bsa_m2=area)
    frame = rows_frame(tuples, TABLE_COLUMNS)
    assert _rows_csv(tuples, export_settings) == to_csv(frame, settings=export_settings)


def test_negative_numbers_stay_numbers_and_formulas_do_not() -> None:
    numbers = ("dose_per_administration", "dose_low", "dose_high", "dose_cells_per_kg", "cumulative_dose",
               "cumulative_cells_per_kg", "administrations")
    row = {column: "" for column in TABLE_COLUMNS} | dict.fromkeys(numbers) | {
        "arm_key": "NCT0 · A", "trial_title": "=HYPERLINK(1)", "dose_per_administration": -1.0,
        "administration_days": (-1.0, 0.0), "interval_days": math.nan, "trial_phases": ("-Phase",),
        "conditions": ()}
    cells = _rows_csv([tuple(row[column] for column in TABLE_COLUMNS)], ExportSettings()).decode().splitlines()[1]
    assert "'=HYPERLINK(1)" in cells and ",-1.0," in cells and ",'-1;0," in cells and ",'-Phase," in cells


def test_the_command_lines_csv_export_never_imports_pandas(tmp_path: Path) -> None:
    """Importing pandas was a third of the time of exporting a folder of real records."""
    code = ("import sys; from trialdata.__main__ import main; "
            f"status = main(['export', {str(ROOT / 'seeds')!r}, '--out', {str(tmp_path / 'arms.csv')!r}]); "
            "print(status, sorted(m for m in ('pandas', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split(maxsplit=1) == ["0", "[]\n"]
    assert (tmp_path / "arms.csv").read_bytes().startswith(b"chart_code,trial_id,")
