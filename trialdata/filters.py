"""What a user narrows the comparison to, applied to the arms frame.

Kept apart from the pages so the same selection gives the same rows in the
charts, the table, the downloads and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

CELLULAR_CHOICES = ("Cellular", "Non-cellular")


@dataclass(frozen=True)
class ArmFilter:
    """A selection of arms; None for a criterion means "do not narrow by it"."""

    arms: tuple[str, ...] | None = None
    trials: tuple[str, ...] | None = None
    arm_types: tuple[str, ...] | None = None
    phases: tuple[str, ...] | None = None
    cellular: tuple[str, ...] | None = None
    dose_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class FilterOptions:
    """The choices a user has, from everything loaded (not only what is shown)."""

    arms: tuple[str, ...]
    trials: tuple[str, ...]
    arm_types: tuple[str, ...]
    phases: tuple[str, ...]
    dose_steps: tuple[float, ...]


def filter_options(arms: pd.DataFrame) -> FilterOptions:
    return FilterOptions(
        arms=tuple(dict.fromkeys(arms["arm_key"])),
        trials=tuple(dict.fromkeys(arms["trial_id"])),
        arm_types=tuple(sorted(set(arms["arm_type"]))),
        phases=tuple(sorted({p or "Not stated" for p in arms["phase"]})),
        dose_steps=dose_steps(arms["dose_cells_per_kg"]),
    )


MAX_DEFAULT_ARMS = 40  # more arms than this side by side is a wall of rows, and slow to draw


def default_trials(arms: pd.DataFrame, max_arms: int = MAX_DEFAULT_ARMS) -> tuple[str, ...]:
    """The trials shown before a user picks: all of them, or, when that is more than `max_arms` arms, the
    first trials loaded up to that many arms (at least one trial)."""
    counts = arms.groupby("trial_id", sort=False)["arm_key"].nunique()
    chosen: list[str] = []
    total = 0
    for trial, count in counts.items():
        if chosen and total + count > max_arms:
            break
        chosen.append(str(trial))
        total += int(count)
    return tuple(chosen)


def arms_of(arms: pd.DataFrame, trials: Iterable[str]) -> tuple[str, ...]:
    """The arm keys of `trials`, in load order."""
    return tuple(dict.fromkeys(arms.loc[arms["trial_id"].isin(set(trials)), "arm_key"]))


def dose_steps(doses: pd.Series) -> tuple[float, ...]:
    """1-2-5 steps per power of ten spanning the loaded doses, for a dose-range slider."""
    known = doses.dropna()
    known = known[known > 0]
    if known.empty:
        return ()
    low, high = int(f"{known.min():e}".split("e")[1]), int(f"{known.max():e}".split("e")[1]) + 1
    return tuple(m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5) if m * 10.0**e <= 10.0**high)


def apply_filter(arms: pd.DataFrame, selection: ArmFilter) -> pd.DataFrame:
    """The rows of `arms` the selection keeps, in their original order."""
    keep = pd.Series(True, index=arms.index)
    if selection.arms is not None:
        keep &= arms["arm_key"].isin(selection.arms)
    if selection.trials is not None:
        keep &= arms["trial_id"].isin(selection.trials)
    if selection.arm_types is not None:
        keep &= arms["arm_type"].isin(selection.arm_types)
    if selection.phases is not None:
        keep &= arms["phase"].replace("", "Not stated").isin(selection.phases)
    if selection.cellular is not None:
        wanted = {choice == "Cellular" for choice in selection.cellular}
        keep &= arms["cellular"].isin(wanted)
    if selection.dose_range is not None:
        low, high = selection.dose_range
        dose = arms["dose_cells_per_kg"]
        keep &= dose.between(low * (1 - 1e-9), high * (1 + 1e-9))
    return arms[keep]


def filter_choices(selection: ArmFilter, arms: pd.DataFrame) -> list[tuple[str, tuple[str, ...] | None, pd.Series]]:
    """(filter, what was picked, the value each of `arms` has for it), named as the sidebar names them; the
    caption that says why trials are hidden and the Settings sheet of a download both read this one list."""
    return [
        ("Trials", selection.trials, arms["trial_id"]),
        ("Arm type", selection.arm_types, arms["arm_type"]),
        ("Phase", selection.phases, arms["phase"].replace("", "Not stated")),
        ("Cells", selection.cellular, arms["cellular"].map({True: "Cellular", False: "Non-cellular"})),
        ("Arms", selection.arms, arms["arm_key"]),
    ]


def narrows(picked: tuple[str, ...] | None, values: pd.Series) -> bool:
    """Whether a filter's choice leaves out some of `values` (asked of the column at once: iterating every arm of
    5,000 trials in Python took a tenth of each rerun)."""
    return picked is not None and not bool(values.isin(picked).all())
