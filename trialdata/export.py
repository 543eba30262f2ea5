"""Frames -> the comparison table as CSV, XLSX or JSON bytes, safe to open in a spreadsheet.

The table's columns are a contract with users' own analyses (see README), so
they are listed once here. Text that a spreadsheet would run as a formula
(cells starting with =, +, -, @, tab or carriage return) gets a leading
apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import io
import json
import math
import re

import pandas as pd

from .frames import administrations_frame, quote_source

TABLE_COLUMNS = [
    "trial_id", "trial_title", "arm", "applies_to", "arm_type", "phase", "cellular", "cell_type", "route",
    "dose_per_administration", "dose_unit", "population", "dose_cells_per_kg", "administrations", "interval_days",
    "administration_days", "cumulative_dose", "cumulative_cells_per_kg", "flags", "source",
]
# The across-trials table: each arm with its trial's facts, and its dose in cells/kg whether stated so or converted.
ACROSS_COLUMNS = [
    "trial_id", "trial_title", "conditions", "trial_phases", "status", "start_year", "cell_type", "cell_source",
    "arm", "applies_to", "arm_type", "phase", "cellular", "route", "dose_per_administration", "dose_unit",
    "population", "dose_cells_per_kg",
    "dose_converted", "administrations", "interval_days", "administration_days", "cumulative_dose",
    "cumulative_cells_per_kg", "flags", "source", "cell_source_quote",
]
_FLAG_COLUMNS = {"cellular", "dose_converted"}
_LIST_COLUMNS = {"conditions", "trial_phases", "status"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XLSX_HEADERS = {
    "dose_per_administration": "dose_per_administration (in dose_unit)",
    "interval_days": "interval_days (days)",
    "administration_days": "administration_days (day 0 = first dose)",
    "cumulative_dose": "cumulative_dose (in dose_unit)",
    "cumulative_cells_per_kg": "cumulative_cells_per_kg (cells/kg)",
    "day": "day (day 0 = first dose)",
    "dose_cells_per_kg": "dose_cells_per_kg (cells/kg)",
}


def comparison_table(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS) -> pd.DataFrame:
    """The exported table: the documented columns, in order, with plain values."""
    table = arms.reindex(columns=columns).copy()
    for column in _FLAG_COLUMNS.intersection(columns):
        table[column] = table[column].map(lambda v: "true" if v else "false")
    for column in _LIST_COLUMNS.intersection(columns):
        table[column] = arms[column].map(lambda values: "; ".join(values or ()))
    if "administration_days" in columns:
        table["administration_days"] = arms["administration_days"].map(lambda days: ";".join(f"{d:g}" for d in days))
    if "cell_source_quote" in columns:
        table["cell_source_quote"] = arms["cell_source_source"].map(quote_source)
    return table


def to_csv(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS) -> bytes:
    """UTF-8 CSV of the comparison table; empty cells for unknown numbers."""
    return _safe(comparison_table(arms, columns)).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_json(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS) -> bytes:
    """A JSON array of rows with the table's columns; numbers as numbers, unknowns as null, lists as lists."""
    table = comparison_table(arms, columns)
    rows = []
    for record in table.to_dict(orient="records"):
        record = {key: _plain(value) for key, value in record.items()}
        for column in _FLAG_COLUMNS.intersection(columns):
            record[column] = record[column] == "true"
        for column in _LIST_COLUMNS.intersection(columns):
            record[column] = [v for v in (record[column] or "").split("; ") if v]
        if "administration_days" in record:
            record["administration_days"] = [float(d) for d in record["administration_days"].split(";") if d]
        rows.append(record)
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS) -> bytes:
    """A workbook with a sheet of arms and a sheet of administrations, units in the headers. Characters a worksheet
    cannot hold (control characters) are written as U+FFFD, and the row's flags say so."""
    buffer = io.BytesIO()
    administrations = administrations_frame(arms).drop(columns=["arm_key", "series"])
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _for_worksheet(_safe(comparison_table(arms, columns))).rename(columns=_XLSX_HEADERS).to_excel(
            writer, sheet_name="Arms", index=False
        )
        _for_worksheet(_safe(administrations)).rename(columns=_XLSX_HEADERS).to_excel(
            writer, sheet_name="Administrations", index=False
        )
    return buffer.getvalue()


_NOT_IN_WORKSHEETS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses
_REPLACED_NOTE = "characters a worksheet cannot hold (control characters) are shown as �"


def _for_worksheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every control character a worksheet refuses replaced by U+FFFD, noted in the row's flags."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    hit = frame[text].map(lambda v: isinstance(v, str) and _NOT_IN_WORKSHEETS.search(v) is not None).any(axis=1)
    if not hit.any():
        return frame
    fixed = frame.copy()
    for column in text:
        fixed[column] = fixed[column].map(lambda v: _NOT_IN_WORKSHEETS.sub("\ufffd", v) if isinstance(v, str) else v)
    if "flags" in fixed.columns:
        fixed.loc[hit, "flags"] = fixed.loc[hit, "flags"].map(
            lambda flags: f"{flags} | {_REPLACED_NOTE}" if flags else _REPLACED_NOTE)
    return fixed


def neutralize(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralize)
    return safe


def _plain(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()  # numpy scalars -> Python numbers
    return value
