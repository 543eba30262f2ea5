"""The across-trials selection shaped for reading: the table, the summary figures with the arms
behind them, and one sentence placing the trial in focus among its peers.
"""

from __future__ import annotations

import pandas as pd

from .across import Summary, summarize
from .charts import schedule_text
from .notation import format_cells
from .views import dose_text


def default_focus(arms: pd.DataFrame) -> str | None:
    """The trial with the most arms that state a dose: the richest dosing program loaded (first on a tie)."""
    dosed = arms[arms["dose_per_administration"].notna()]
    if dosed.empty:
        return None
    counts = dosed.groupby("trial_id", sort=False)["arm_key"].nunique()  # arms, not their regimens
    return str(counts.idxmax())


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


def focus_summary(arms: pd.DataFrame, focus: str | None) -> str:
    """'NCT… gives 1.0–4.0×10⁶ cells/kg per administration, ×1 to ×4; the 4 other trials' arms give …'."""
    if focus is None or focus not in set(arms["trial_id"]):
        return ""
    own = arms[(arms["trial_id"] == focus) & arms["dose_cells_per_kg"].notna()]
    peers = arms[(arms["trial_id"] != focus) & arms["dose_cells_per_kg"].notna()]
    if own.empty:
        return f"{focus} states no cell dose, so it has no place on the dose axis."
    text = f"{focus} gives {_span(own['dose_cells_per_kg'])} per administration{_counts(own)}"
    if peers.empty:
        return text + "; no other selected trial states a dose."
    # Arms, not rows: an arm with a dose per phase or several listed doses has a row for each.
    arms_count, trials = peers["arm_key"].nunique(), peers["trial_id"].nunique()
    median = format_cells(float(peers["dose_cells_per_kg"].median()), "cells/kg")
    return (text + f"; {arms_count} dosed arm(s) of {trials} other trial(s) give "
            f"{_span(peers['dose_cells_per_kg'])} (median {median}){_counts(peers)}.")


def _span(values: pd.Series) -> str:
    low, high = float(values.min()), float(values.max())
    return format_cells(low, "cells/kg") if low == high else f"{format_cells(low)} to {format_cells(high, 'cells/kg')}"


def _counts(arms: pd.DataFrame) -> str:
    counts = arms["administrations"].dropna().astype(int)
    if counts.empty:
        return ""
    low, high = counts.min(), counts.max()
    return f", ×{low}" if low == high else f", ×{low} to ×{high}"


def _value(summary: Summary, value: float | None) -> str:
    if value is None:
        return "—"
    return format_cells(value) if summary.unit else f"{value:g}"


def _names(series: tuple[str, ...], codes: dict[str, str]) -> str:
    return "; ".join(f"{codes.get(s, '?')} {s}" for s in series)
