"""The tables the pages show, in human notation: the comparison table, the key to the charts with each arm's
colour chip, and the across-trials table and summary.

The table a user reads and the file they download come from the same rows of the arms frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from ..across import Summary, summarize
from ..flags import severity
from ..notation import format_cells, markdown_literal
from .sources import SEVERITY_NAMES, flag_summary, flags_table
from .style import text_color
from .texts import cumulative_text, dose_text, phase_text, schedule_text

if TYPE_CHECKING:
    from ..state import Loaded


def display_table(arms: pd.DataFrame, loaded: Loaded) -> pd.DataFrame:
    """The comparison table in human notation, one row per arm regimen shown."""
    rows = []
    reference = loaded.reference
    for row in arms.itertuples():
        rows.append({
            "Code": loaded.codes.get(row.arm_key, ""),
            "Trial": row.trial_id,
            "Arm": row.arm,
            "For": row.applies_to,
            "Type": row.arm_type,
            "Phase": phase_text(row),
            "Cells": (row.cell_type or "yes") if row.cellular else "no",
            "Route": row.route or "not stated",
            "Dose per administration": dose_text(row, reference.weight_kg, bsa_m2=reference.bsa_m2),
            "Counted": row.population,
            "Schedule": schedule_text(row),
            "Administration days": ", ".join(f"{d:g}" for d in row.administration_days) or "not stated",
            "Cumulative": cumulative_text(row),
            "Flags": flag_summary(row.arm_flag_codes),
        })
    return pd.DataFrame(rows, columns=["Code", "Trial", "Arm", "For", "Type", "Phase", "Cells", "Route",
                                       "Dose per administration", "Counted", "Schedule", "Administration days",
                                       "Cumulative", "Flags"])



def arm_key_table(arms: pd.DataFrame, loaded: Loaded) -> Styler:
    """The key to the charts: each arm's code on its chart colour, with its label and numbers."""
    full = display_table(arms, loaded)
    columns = ["Code", "Arm", "Trial", "Phase", "Dose per administration", "Schedule", "Cumulative", "Flags"]
    if full["For"].ne("").any():  # weight bands and dose levels: which row is which
        columns.insert(2, "For")
    return with_color_chips(full[columns], loaded.codes, loaded.colors)



# The comparison table's columns as the Comparison table page shows them: what is compared first, then what the
# arm is, so that at 1280 px the doses, schedules and totals are on screen without scrolling sideways.
TABLE_PAGE_COLUMNS = ["Code", "Trial", "Arm", "Dose per administration", "Schedule", "Cumulative", "Phase", "For",
                      "Type", "Cells", "Counted", "Route", "Administration days", "Flags"]


def table_page(arms: pd.DataFrame, loaded: Loaded, literal: bool = False) -> Styler:
    """The Comparison table page's table: dose columns first, each arm's code on its chart colour. `literal`
    escapes every text cell for a renderer that reads cells as Markdown (st.table), so record text shows as
    written."""
    full = display_table(arms, loaded)
    columns = [c for c in TABLE_PAGE_COLUMNS if c not in ("For", "Counted") or full[c].ne("").any()]
    table = full[columns]
    if literal:
        table = table.map(lambda value: markdown_literal(value) if isinstance(value, str) else value)
    return with_color_chips(table, loaded.codes, loaded.colors)



def with_color_chips(table: pd.DataFrame, codes: dict[str, str], colors: dict[str, str]) -> Styler:
    """`table` with each arm's code drawn on its chart colour, in black or white, whichever reads."""
    chips = {codes[key]: color for key, color in colors.items() if key in codes}
    return table.style.map(lambda code: f"background-color: {chips.get(code, '#ffffff')}; "
                           f"color: {text_color(chips.get(code, '#ffffff'))}; font-weight: bold", subset=["Code"])



def across_table(arms: pd.DataFrame, codes: dict[str, str], weight_kg: float) -> pd.DataFrame:
    """One row per arm regimen with its trial's facts, in human notation."""
    rows = []
    for row in arms.itertuples():
        per_kg = format_cells(row.dose_cells_per_kg, "cells/kg")
        if not per_kg and row.dose_axis and row.dose_axis != "cells/kg":
            per_kg = f"none ({row.dose_unit}: own axis)"
        rows.append({
            "Code": codes.get(row.arm_key, ""),
            "Trial": row.trial_id,
            "Condition": "; ".join(row.conditions) or "not stated",
            "Trial phase": "/".join(p.removeprefix("Phase ") for p in row.trial_phases) or "not stated",
            "Status": " / ".join(row.status) or "not stated",
            "Start": "" if pd.isna(row.start_year) else str(row.start_year),
            "Cell type": (row.cell_type or "not stated") if row.cellular else "no cells",
            "Cell source": row.cell_source or "no cells",
            "Arm": row.arm,
            "For": row.applies_to,
            "Route": row.route or "not stated",
            "Dose as stated": dose_text(row, weight_kg, converted=False),
            "Counted": row.population,
            "Dose (cells/kg)": f"{per_kg} (converted)" if per_kg and row.dose_converted else per_kg or "—",
            "Schedule": schedule_text(row) if row.cellular or len(row.administration_days) else "—",
            "Cumulative (cells/kg)": format_cells(row.cumulative_cells_per_kg, "cells/kg") or "—",
        })
    return pd.DataFrame(rows, columns=["Code", "Trial", "Condition", "Trial phase", "Status", "Start", "Cell type",
                                       "Cell source", "Arm", "For", "Route", "Dose as stated", "Counted",
                                       "Dose (cells/kg)", "Schedule", "Cumulative (cells/kg)"])



def summary_table(arms: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """Median and range of each figure, and which arms stand behind the median, the lowest and the highest."""
    series_codes = dict(zip(arms["series"], arms["arm_key"].map(codes), strict=False))
    rows = []
    for summary in summarize(arms):
        rows.append({
            "Figure": summary.measure + (f" ({summary.unit})" if summary.unit else ""),
            "Arms": len(summary.arms),
            "Median": _value(summary, summary.median),
            "Range": f"{_value(summary, summary.low)} – {_value(summary, summary.high)}" if summary.arms else "—",
            "Median from": _names(summary.median_arms, series_codes),
            "Lowest in": _names(summary.low_arms, series_codes),
            "Highest in": _names(summary.high_arms, series_codes),
            "Arms counted": _names(summary.arms, series_codes),
            "Converted flat doses": _names(summary.converted_arms, series_codes) or "none",
        })
    return pd.DataFrame(rows)



def _value(summary: Summary, value: float | None) -> str:
    if value is None:
        return "—"
    return format_cells(value) if summary.unit else f"{value:g}"



def _names(series: tuple[str, ...], codes: dict[str, str]) -> str:
    return "; ".join(f"{codes.get(s, '?')} {s}" for s in series)


@dataclass(frozen=True)
class ArmDetail:
    """One arm, ready to read: headline numbers as text, its regimens and flags as tables."""

    trial_id: str
    arm_type: str
    route: str
    dose: str
    schedule: str
    cumulative: str
    total_cells: str
    regimens: pd.DataFrame
    flags: pd.DataFrame
    description: str



def arm_detail(arms: pd.DataFrame, loaded: Loaded, key: str) -> ArmDetail:
    """The detail of the arm `key`; an arm with several regimens shows the first in its headline."""
    rows = arms[arms["arm_key"] == key]
    first = rows.iloc[0]
    reference = loaded.reference
    total = first["cumulative_cells_per_kg"] * reference.weight_kg if first["dose_axis"] == "cells/kg" else None
    regimens = display_table(rows, loaded)
    flags = flags_table(rows, loaded)
    flags = flags[(flags["Trial"] == first["trial_id"]) & flags["Arm"].isin([first["arm"], "(whole trial)"])].copy()
    flags["Matters"] = flags["Flag"].map(lambda code: SEVERITY_NAMES[severity(code)])
    flags = flags.iloc[flags["Flag"].map(lambda code: -severity(code)).argsort(kind="stable")]
    return ArmDetail(
        trial_id=first["trial_id"],
        arm_type=first["arm_type"],
        route=first["route"] or "route not stated",
        dose=dose_text(first, reference.weight_kg, converted=False, bsa_m2=reference.bsa_m2),
        schedule=schedule_text(first),
        cumulative=cumulative_text(first),
        total_cells=format_cells(total, "cells") if total is not None and pd.notna(total) else cumulative_text(first),
        regimens=regimens[["Phase", "Dose per administration", "Schedule", "Administration days", "Cumulative",
                           "Route"]],
        flags=flags[["Matters", "Flag", "What to know"]],
        description=first["description"],
    )
