"""The comparison table's columns and settings, and its CSV written straight from arm rows, without pandas.

The command line's export writes only CSV, and importing pandas was a third of the time of exporting a folder
of real records, so the CSV is made here from `rows` cell by cell, the way pandas writes a frame (numbers as
Python writes them, unknowns as empty cells, the csv module's quoting) and byte for byte what `export.to_csv`
makes of the same rows' frame (`tests/test_export_rows.py` holds them to it). The columns are a contract with
users' own analyses (see README), so they are listed once, here.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from .rows import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG, arm_codes

TABLE_COLUMNS = [
    "chart_code", "trial_id", "trial_title", "trial_phases", "conditions", "arm", "applies_to", "arm_type", "phase",
    "phase_from_trial", "cellular", "cell_type", "route", "dose_per_administration", "dose_unit", "population",
    "dose_cells_per_kg", "dose_converted", "administrations", "interval_days", "administration_days",
    "cumulative_dose", "cumulative_cells_per_kg", "reference_weight_kg", "reference_bsa_m2", "flags", "source",
]
# The across-trials table: each arm with its trial's facts, and its dose in cells/kg whether stated so or converted.
ACROSS_COLUMNS = [
    "chart_code", "trial_id", "trial_title", "conditions", "trial_phases", "status", "start_year", "cell_type",
    "cell_source", "arm", "applies_to", "arm_type", "phase", "phase_from_trial", "cellular", "route",
    "dose_per_administration", "dose_unit", "population", "dose_cells_per_kg",
    "dose_converted", "administrations", "interval_days", "administration_days", "cumulative_dose",
    "cumulative_cells_per_kg", "reference_weight_kg", "reference_bsa_m2", "flags", "source", "cell_source_quote",
]
FLAG_COLUMNS = {"cellular", "dose_converted", "phase_from_trial"}  # written "true" / "false"
LIST_COLUMNS = {"conditions", "trial_phases", "status"}  # tuples, written "a; b"
# Columns of numbers: a whole number in one is still written as a number with a decimal point ("7.0"), as the
# frame's float column writes it.
FLOAT_COLUMNS = {"dose_per_administration", "dose_cells_per_kg", "interval_days", "cumulative_dose",
                 "cumulative_cells_per_kg"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportSettings:
    """What produced an export, written beside its rows so that a table on a slide traces back to its charts."""

    weight_kg: float = DEFAULT_WEIGHT_KG
    bsa_m2: float = DEFAULT_BSA_M2
    codes: Mapping[str, str] | None = None  # the dashboard's chart codes; None: numbered over the exported arms
    filters: tuple[tuple[str, str], ...] = ()  # (filter, what was chosen), as the user set them
    records: str = ""  # what was loaded: a folder, a number of files
    made_at: datetime | None = None  # None: now


def neutralize(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(rows: Iterable[Sequence[object]], columns: Sequence[str], handle: TextIO,
                   settings: ExportSettings | None = None) -> None:
    """The table of TABLE_COLUMNS as CSV on `handle` (opened with newline=""), from arm rows given as tuples in
    the order of `columns` (the arms frame's columns, `rows.ARM_COLUMNS` or a part of it holding "arm_key")."""
    settings = settings or ExportSettings()
    rows = list(rows)
    place = {column: i for i, column in enumerate(columns)}
    codes = settings.codes
    if codes is None:
        codes = arm_codes([row[place["arm_key"]] for row in rows])
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(_cells(rows, place, codes, settings))


def _cells(rows: list[Sequence[object]], place: Mapping[str, int], codes: Mapping[str, str],
           settings: ExportSettings) -> Iterator[list[str]]:
    weight, area = _number(settings.weight_kg), _number(settings.bsa_m2)
    for row in rows:
        cells = []
        for column in TABLE_COLUMNS:
            if column == "chart_code":
                cell = _text(codes.get(row[place["arm_key"]], ""))  # type: ignore[call-overload]
            elif column == "reference_weight_kg":
                cell = weight
            elif column == "reference_bsa_m2":
                cell = area
            else:
                cell = _cell(column, row[place[column]])
            cells.append(cell)
        yield cells


def _cell(column: str, value: object) -> str:
    """One cell's text; text columns (and the lists and days written as text) guarded against formulas, numbers
    not: "-1.0" is a number to a spreadsheet."""
    if column in FLAG_COLUMNS:
        return "true" if value else "false"
    if column in LIST_COLUMNS:
        return _text("; ".join(value or ()) if isinstance(value, tuple) else "")  # type: ignore[arg-type]
    if column == "administration_days":
        return _text(";".join(f"{day:g}" for day in value))  # type: ignore[attr-defined]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column in FLOAT_COLUMNS:
        return repr(float(value))  # type: ignore[arg-type]
    return _number(value) if isinstance(value, int | float) else _text(str(value))


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _number(value: object) -> str:
    """A number as a frame's column of it is written: floats by their shortest round-trip form, whole as whole."""
    return repr(value) if isinstance(value, float) else str(value)
