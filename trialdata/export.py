"""Frames -> the comparison table as CSV, XLSX or JSON bytes, safe to open in a spreadsheet.

The table's columns, a contract with users' own analyses (see README), are
listed once, in `export_rows`, which also writes the command line's CSV without
pandas. Every row carries what traces it back to the
dashboard: the arm's chart code, its trial's phases and conditions, and the
reference patient its doses were converted at; the workbook adds a sheet of
the settings and filters that produced it, and the formatting an analyst would
otherwise do by hand. Text that a spreadsheet would run as a formula (cells
starting with =, +, -, @, tab or carriage return) gets a leading apostrophe;
numbers stay numbers.
"""

from __future__ import annotations

import io
import json
import math
import re
from datetime import UTC, datetime

import pandas as pd

from .export_rows import (
    ACROSS_COLUMNS,
    FLAG_COLUMNS,
    LIST_COLUMNS,
    TABLE_COLUMNS,
    ExportSettings,
    neutralize,
)
from .frames import administrations_frame, arm_codes, quote_source

__all__ = ["ACROSS_COLUMNS", "TABLE_COLUMNS", "ExportSettings", "comparison_table", "neutralize", "settings_table",
           "to_csv", "to_json", "to_xlsx"]

_XLSX_HEADERS = {
    "dose_per_administration": "dose_per_administration (in dose_unit)",
    "interval_days": "interval_days (days)",
    "administration_days": "administration_days (day 0 = first dose)",
    "cumulative_dose": "cumulative_dose (in dose_unit)",
    "cumulative_cells_per_kg": "cumulative_cells_per_kg (cells/kg)",
    "day": "day (day 0 = first dose)",
    "dose_cells_per_kg": "dose_cells_per_kg (cells/kg)",
}


def comparison_table(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS,
                     settings: ExportSettings | None = None) -> pd.DataFrame:
    """The exported table: the documented columns, in order, with plain values."""
    settings = settings or ExportSettings()
    table = arms.reindex(columns=columns).copy()
    if "chart_code" in columns and "arm_key" in arms:
        codes = settings.codes if settings.codes is not None else arm_codes(arms["arm_key"])
        table["chart_code"] = arms["arm_key"].map(lambda key: codes.get(key, ""))
    if "reference_weight_kg" in columns:
        table["reference_weight_kg"] = settings.weight_kg
    if "reference_bsa_m2" in columns:
        table["reference_bsa_m2"] = settings.bsa_m2
    for column in FLAG_COLUMNS.intersection(columns):
        table[column] = table[column].map(lambda v: "true" if v else "false")
    for column in LIST_COLUMNS.intersection(columns):
        table[column] = arms[column].map(lambda values: "; ".join(values or ()) if isinstance(values, tuple) else "")
    if "administration_days" in columns:
        table["administration_days"] = arms["administration_days"].map(lambda days: ";".join(f"{d:g}" for d in days))
    if "cell_source_quote" in columns:
        table["cell_source_quote"] = arms["cell_source_source"].map(quote_source)
    return table


def to_csv(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS, settings: ExportSettings | None = None) -> bytes:
    """UTF-8 CSV of the comparison table; empty cells for unknown numbers."""
    table = comparison_table(arms, columns, settings)
    return _safe(table).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_json(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS, settings: ExportSettings | None = None) -> bytes:
    """A JSON array of rows with the table's columns; numbers as numbers, unknowns as null, lists as lists."""
    table = comparison_table(arms, columns, settings)
    rows = []
    for record in table.to_dict(orient="records"):
        record = {key: _plain(value) for key, value in record.items()}
        for column in FLAG_COLUMNS.intersection(columns):
            record[column] = record[column] == "true"
        for column in LIST_COLUMNS.intersection(columns):
            record[column] = [v for v in (record[column] or "").split("; ") if v]
        if "administration_days" in record:
            record["administration_days"] = [float(d) for d in record["administration_days"].split(";") if d]
        rows.append(record)
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(arms: pd.DataFrame, columns: list[str] = TABLE_COLUMNS, settings: ExportSettings | None = None) -> bytes:
    """A workbook of three sheets: the arms, their administrations (units in the headers), and the settings and
    filters that produced them. Formatted as an analyst would by hand: columns sized to their text, the header
    row and the first column frozen, a filter on every column, doses in scientific notation, yes/no as
    booleans. Characters a worksheet cannot hold (control characters) are written as U+FFFD, a text longer than a
    cell holds is cut short and says how much was cut, and the row's flags say so."""
    settings = settings or ExportSettings()
    buffer = io.BytesIO()
    administrations = administrations_frame(arms).drop(columns=["arm_key", "series"])
    table = _safe(comparison_table(arms, columns, settings))
    for column in FLAG_COLUMNS.intersection(columns):
        table[column] = table[column] == "true"
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheets = {"Arms": _for_worksheet(table), "Administrations": _for_worksheet(_safe(administrations)),
                  "Settings": _for_worksheet(_safe(settings_table(settings, len(arms))))}
        for name, frame in sheets.items():
            frame.rename(columns=_XLSX_HEADERS).to_excel(writer, sheet_name=name, index=False)
            _format_sheet(writer.sheets[name], frame, settings_sheet=name == "Settings")
    return buffer.getvalue()


def settings_table(settings: ExportSettings, rows: int) -> pd.DataFrame:
    """The settings sheet: when, from what and how the table was made, one setting per row."""
    made_at = settings.made_at or datetime.now(UTC)
    entries = [
        ("Exported", made_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Arm regimens in this table", str(rows)),
        ("Records loaded", settings.records or "not recorded"),
        ("Reference body weight (kg)", f"{settings.weight_kg:g}"),
        ("Reference body-surface area (m²)", f"{settings.bsa_m2:g}"),
        ("Conversions", "flat doses ÷ weight; doses per m² × area ÷ weight; per cm² and islet equivalents are "
                        "never converted"),
        ("Chart codes", "chart_code is the arm's code on the Compare arms charts with the same records loaded"),
        *((f"Filter: {name}", chosen) for name, chosen in settings.filters),
    ]
    return pd.DataFrame(entries, columns=["Setting", "Value"])


_SCIENTIFIC = {"dose_per_administration", "dose_low", "dose_high", "dose_cells_per_kg", "cumulative_dose",
               "cumulative_cells_per_kg"}
_WHOLE = {"administrations", "start_year", "administration", "reference_weight_kg"}
_WIDEST = 60  # characters: longer text (titles, flags, quotes) wraps within this width


def _format_sheet(sheet: object, frame: pd.DataFrame, settings_sheet: bool = False) -> None:
    """Widths, frozen header and first column, a filter and number formats on one written sheet."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        header = _XLSX_HEADERS.get(column, column)
        longest = max([len(str(header))] + [len(str(v)) for v in frame[column].head(500)])
        sheet.column_dimensions[letter].width = min(_WIDEST, longest + 2)  # type: ignore[attr-defined]
        number_format = "0.00E+00" if column in _SCIENTIFIC else "0" if column in _WHOLE else None
        wrap = longest > _WIDEST
        for cell in sheet[letter][1:]:  # type: ignore[index]
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2" if settings_sheet else "C2"  # type: ignore[attr-defined]
    if not settings_sheet and len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions  # type: ignore[attr-defined]


_NOT_IN_WORKSHEETS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses
_REPLACED_NOTE = "characters a worksheet cannot hold (control characters) are shown as �"
WORKSHEET_CELL_CHARS = 32_767  # the most characters a worksheet cell holds; openpyxl cuts longer text silently
_CUT_ROOM = 64  # characters kept at the end of a cut cell for the words saying how much was cut
_CUT_NOTE = (f"a text longer than a worksheet cell holds ({WORKSHEET_CELL_CHARS:,} characters) is cut short and "
             "says so; the CSV and JSON exports hold it whole")


def _for_worksheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every control character a worksheet refuses replaced by U+FFFD, and every text longer than
    a cell holds cut short with its end saying how much was cut (a Settings sheet listing thousands of picked
    trials, a hostile record's title), each noted in the row's flags."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    replaced = frame[text].map(lambda v: isinstance(v, str) and _NOT_IN_WORKSHEETS.search(v) is not None).any(axis=1)
    cut = frame[text].map(lambda v: isinstance(v, str) and len(v) > WORKSHEET_CELL_CHARS).any(axis=1)
    if not (replaced.any() or cut.any()):
        return frame
    fixed = frame.copy()
    if "flags" in fixed.columns:
        for hit, note in ((replaced, _REPLACED_NOTE), (cut, _CUT_NOTE)):
            fixed.loc[hit, "flags"] = fixed.loc[hit, "flags"].map(
                lambda flags, note=note: f"{flags} | {note}" if flags else note)
    for column in text:
        fixed[column] = fixed[column].map(_fit_cell)
    return fixed


def _fit_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = _NOT_IN_WORKSHEETS.sub("\ufffd", value)
    if len(value) <= WORKSHEET_CELL_CHARS:
        return value
    kept = WORKSHEET_CELL_CHARS - _CUT_ROOM
    return f"{value[:kept]} … [{len(value) - kept:,} more characters cut]"


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
