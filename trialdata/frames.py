"""Arm rows -> pandas frames: one row per arm regimen, per administration, per cumulative step.

The rows themselves, their columns and the conversions to cells/kg are `rows`; the names are also here, where
the dashboard's pages have always found them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from .models import Trial
from .rows import (
    ARM_COLUMNS,
    ARM_TYPE_NAMES,
    DEFAULT_BSA_M2,
    DEFAULT_WEIGHT_KG,
    OWN_AXIS_UNITS,
    PER_KG_UNITS,
    SOURCE_COLUMNS,
    arm_codes,
    arm_key,
    arm_rows,
    check_bsa,
    check_weight,
    dose_axis,
    per_kg_factor,
    quote_source,
    regimen_names,
    trial_phase,
)

__all__ = [
    "ARM_COLUMNS", "ARM_TYPE_NAMES", "DEFAULT_BSA_M2", "DEFAULT_WEIGHT_KG", "OWN_AXIS_UNITS", "PER_KG_UNITS",
    "SOURCE_COLUMNS", "administrations_frame", "arm_codes", "arm_key", "arm_rows", "arms_frame", "check_bsa",
    "check_weight", "cumulative_frame", "dose_axis", "per_kg_factor", "quote_source", "regimen_names", "rows_frame",
    "trial_phase",
]

# Columns typed as numbers whatever their rows hold (an empty part, a column of unknowns).
_FLOAT_COLUMNS = ("dose_per_administration", "dose_low", "dose_high", "dose_cells_per_kg", "interval_days",
                  "cumulative_dose", "cumulative_cells_per_kg")


def arms_frame(trials: Iterable[Trial], weight_kg: float = DEFAULT_WEIGHT_KG,
               bsa_m2: float = DEFAULT_BSA_M2) -> pd.DataFrame:
    """One row per arm regimen, in record order."""
    check_weight(weight_kg)
    check_bsa(bsa_m2)
    return rows_frame([row for trial in trials for row in arm_rows(trial, weight_kg, bsa_m2)])


def rows_frame(rows: Sequence[dict] | Sequence[tuple], columns: Sequence[str] = ARM_COLUMNS) -> pd.DataFrame:
    """Arm rows (dictionaries, or tuples in the order of `columns`) -> the arms frame (`columns` of it), with its
    numeric columns typed the same however many rows there are."""
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for column in _FLOAT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("float64")
    if "administrations" in frame:
        frame["administrations"] = frame["administrations"].astype("Int64")
    return frame


def administrations_frame(arms: pd.DataFrame) -> pd.DataFrame:
    """One row per arm regimen × administration day."""
    rows = [
        {
            "trial_id": row.trial_id, "arm": row.arm, "arm_key": row.arm_key, "series": row.series,
            "phase": row.phase, "administration": number, "day": day,
            "dose_cells_per_kg": row.dose_cells_per_kg, "dose_converted": row.dose_converted,
        }
        for row in arms.itertuples()
        for number, day in enumerate(row.administration_days, start=1)
    ]
    return pd.DataFrame(rows, columns=["trial_id", "arm", "arm_key", "series", "phase", "administration", "day",
                                       "dose_cells_per_kg", "dose_converted"])


def cumulative_frame(arms: pd.DataFrame) -> pd.DataFrame:
    """Arm regimen × administration day -> cumulative dose and cumulative cells/kg, a step per dose."""
    rows = []
    for row in arms.itertuples():
        if pd.isna(row.dose_per_administration):
            continue
        for number, day in enumerate(row.administration_days, start=1):
            rows.append({
                "trial_id": row.trial_id, "arm": row.arm, "arm_key": row.arm_key, "series": row.series,
                "day": day, "administration": number,
                "cumulative_dose": row.dose_per_administration * number, "dose_unit": row.dose_unit,
                "dose_axis": row.dose_axis,
                "cumulative_cells_per_kg": row.dose_cells_per_kg * number, "dose_converted": row.dose_converted,
            })
    return pd.DataFrame(rows, columns=["trial_id", "arm", "arm_key", "series", "day", "administration",
                                       "cumulative_dose", "dose_unit", "dose_axis", "cumulative_cells_per_kg",
                                       "dose_converted"])
