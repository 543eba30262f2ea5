"""The words of the pages: doses, schedules and phases as an analyst writes them, and the captions that say what
a chart converts, why arms are hidden and where the trial in focus sits among its peers.

Tables, charts and the Sources page all write a dose or a schedule through these, so the same arm reads the same
everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..filters import filter_choices, narrows
from ..frames import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG
from ..notation import format_cells, format_dose_range, format_schedule

if TYPE_CHECKING:
    from ..state import PageState, Reference

PER_KG = "cells/kg"

# Units as an analyst shortens them on a chart row.
_SHORT_UNITS = {"cells/kg": "/kg", "cells/m2": "/m²", "cells/cm2": "/cm²", "cells": " cells", "IEQ/kg": " IEQ/kg"}


def short_dose(row: object) -> str:
    """'4.0×10⁶/kg', '1.0×10⁸ cells', or 'no dose' for a row of the arms frame."""
    value, unit = row.dose_per_administration, row.dose_unit  # type: ignore[attr-defined]
    if pd.isna(value):
        return "no cells" if not row.cellular else "no dose"  # type: ignore[attr-defined]
    number = format_cells(value, unit).removesuffix(f" {unit}")
    return number + _SHORT_UNITS.get(unit, f" {unit}")


def schedule_text(row: object) -> str:
    """'weekly ×4', 'single', ... for an arms-frame row."""
    count, interval = row.administrations, row.interval_days  # type: ignore[attr-defined]
    return format_schedule(None if pd.isna(count) else int(count), None if pd.isna(interval) else float(interval),
                           tuple(row.administration_days))  # type: ignore[attr-defined]



def dose_text(row: pd.Series, weight_kg: float, converted: bool = True, bsa_m2: float = DEFAULT_BSA_M2) -> str:
    """'1.0×10⁶ cells/kg', '1.0–2.0×10⁶ cells/kg (range)', or a flat or per-m² dose with (unless `converted` is
    False) its value in cells/kg at the reference patient."""
    value = row.dose_per_administration
    if pd.isna(value):
        return "not stated"
    unit = row.dose_unit
    low, high = row.dose_low, row.dose_high
    text = format_dose_range(low, high, unit) + " (range)" if pd.notna(low) else format_cells(value, unit)
    if converted and row.dose_converted:
        at = f"{bsa_m2:g} m², {weight_kg:g} kg" if unit == "cells/m2" else f"{weight_kg:g} kg"
        text += f" = {format_cells(row.dose_cells_per_kg, 'cells/kg')} at {at}"
    return text



def phase_text(row: object) -> str:
    """The arm's phase, saying when it is its trial's because the arm's own texts name none."""
    if not row.phase:  # type: ignore[attr-defined]
        return "not stated"
    return f"{row.phase} (trial)" if row.phase_from_trial else row.phase  # type: ignore[attr-defined]



def cumulative_text(row: pd.Series) -> str:
    if not row.cellular:
        return "no cells"
    if row.dose_axis and row.dose_axis != "cells/kg":  # per cm² or islet equivalents: in its own unit
        return format_cells(row.cumulative_dose, row.dose_unit) or "not known"
    return format_cells(row.cumulative_cells_per_kg, "cells/kg") or "not known"



def narrowing_caption(state: PageState) -> str | None:
    """Why fewer trials are shown than are loaded, naming the filters that did it; None when all are shown."""
    shown = state.arms["trial_id"].nunique()
    loaded = state.loaded.arms["trial_id"].nunique()
    if shown >= loaded:
        return None
    chosen, everything, first = state.selection, state.loaded.arms, state.loaded.first_trials
    first_ones = bool(first) and tuple(chosen.trials or ()) == first and narrows(chosen.trials, everything["trial_id"])
    causes = []
    for name, picked, values in filter_choices(chosen, everything):
        if name == "Trials":
            if narrows(picked, values) and not first_ones:
                causes.append(f"Trials ({len(picked or ())} picked)")
        elif name == "Arms":  # the dose range before it, as in the sidebar; only the chosen trials' arms count
            if chosen.dose_range is not None:
                causes.append("the dose range")
            if narrows(picked, values[everything["trial_id"].isin(chosen.trials or everything["trial_id"])]):
                causes.append("Arms (some of the chosen trials' arms left out)")
        elif narrows(picked, values):
            causes.append(f"{name} ({', '.join(picked or ()) or 'none'})")
    text = f"Arms of {shown} of {loaded} trials are shown"
    if causes:
        text += ", narrowed by " + "; ".join(causes) + " (widen them in the sidebar)"
    if first_ones:
        text += ("; " if causes else ": ") + ("with many arms loaded, the first trials are shown at first; pick "
                                               "others in Trials, or compare every trial on Across trials")
    return text + "."



def conversion_caption(arms: pd.DataFrame, codes: dict[str, str], reference: Reference, log: bool = False,
                       compressed: bool = False) -> str:
    """What the cells/kg charts convert and how, and which arms are drawn elsewhere: the caption under them."""
    parts = ["Doses in cells/kg per administration"]
    units = set(arms.loc[arms["dose_converted"].astype(bool), "dose_unit"])
    if "cells" in units:
        mark = "squares" if log else "hatched /"
        parts.append(f"flat doses ({mark}) are converted at {reference.weight_kg:g} kg")
    if "cells/m2" in units:
        mark = "diamonds" if log else "hatched ×"
        parts.append(f"doses per m² ({mark}) at {reference.bsa_m2:g} m² and {reference.weight_kg:g} kg")
    elsewhere = arms[arms["dose_axis"].ne("") & arms["dose_axis"].ne("cells/kg")]
    text = "; ".join(parts) + ". Error bars span a dose range. Day 0 is each arm's first administration"
    text += (": the day axis is compressed (ticks in days) so that short and long schedules both read."
             if compressed else ".")
    if not elsewhere.empty:
        codes = ", ".join(dict.fromkeys(codes.get(key, "") for key in elsewhere["arm_key"]))
        units_elsewhere = " and ".join(dict.fromkeys(elsewhere["dose_axis"]))
        text += f" {codes}: doses in {units_elsewhere}, charted below on their own axes."
    return text



def default_focus(arms: pd.DataFrame) -> str | None:
    """The trial with the most arms that state a dose: the richest dosing program loaded (first on a tie)."""
    dosed = arms[arms["dose_per_administration"].notna()]
    if dosed.empty:
        return None
    counts = dosed.groupby("trial_id", sort=False)["arm_key"].nunique()  # arms, not their regimens
    return str(counts.idxmax())



def focus_summary(arms: pd.DataFrame, focus: str | None) -> str:
    """'NCT… gives 1.0–4.0×10⁶ cells/kg per administration, ×1 to ×4; the 4 other trials' arms give …'."""
    if focus is None:
        return ""
    focused = arms["trial_id"] == focus
    if not focused.any():
        return ""
    own = arms[focused & arms["dose_cells_per_kg"].notna()]
    peers = arms[~focused & arms["dose_cells_per_kg"].notna()]
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


def dose_hover(row: object, unit: str = PER_KG, weight_kg: float = DEFAULT_WEIGHT_KG,
               bsa_m2: float = DEFAULT_BSA_M2) -> str:
    """A dose as every chart's hover gives it: on the chart's axis, where a converted dose came from and at which
    patient, the population counted, and whether it is a range's midpoint."""
    value, stated_unit = row.dose_per_administration, row.dose_unit  # type: ignore[attr-defined]
    if pd.isna(value):
        return "no cell dose stated"
    per_kg = row.dose_cells_per_kg  # type: ignore[attr-defined]
    if unit != PER_KG or pd.isna(per_kg):
        text = format_cells(value, stated_unit)
        if unit == PER_KG:
            text += " (no cells/kg equivalent: drawn in its own chart)"
    else:
        text = format_cells(per_kg, PER_KG)
        if row.dose_converted and stated_unit == "cells/m2":  # type: ignore[attr-defined]
            text += f" — converted from {format_cells(value, stated_unit)} at {bsa_m2:g} m² and {weight_kg:g} kg"
        elif row.dose_converted:  # type: ignore[attr-defined]
            text += f" — converted from a flat {format_cells(value, stated_unit)} at {weight_kg:g} kg"
    if row.population:  # type: ignore[attr-defined]
        text += f"<br>counted: {row.population}"  # type: ignore[attr-defined]
    if pd.notna(row.dose_low):  # type: ignore[attr-defined]
        text += "<br>the midpoint of a stated range"
    return text
