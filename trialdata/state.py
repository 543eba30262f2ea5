"""What the pages read: the loaded records' fixed facts, built once per load, and the arms a selection shows.

A rerun (a filter change, a click) recomputes only what the selection changes: which arms are shown and their
cumulative steps. Codes, colours, filter choices, the trials shown first, the trial in focus, titles and flags
depend only on what is loaded and on the reference patient, so they are built once per load and shared by
every rerun (and, for the records folders, every session). Helpers take the arms they format and the loaded
facts they need, never the selection, so a helper formats exactly the rows it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from .export import ExportSettings
from .filters import ArmFilter, FilterOptions, apply_filter, default_trials, filter_choices, filter_options, narrows
from .frames import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG, arm_codes, arm_key, arms_frame, cumulative_frame
from .load import Problem
from .models import Trial
from .notation import format_cells
from .presentation.style import arm_colors
from .presentation.texts import default_focus, focus_summary

FlagPairs = tuple[tuple[str, str], ...]  # (code, message) pairs, as the record's reading raised them


@dataclass(frozen=True)
class Reference:
    """The reference patient at which flat and per-m² doses are put in cells/kg."""

    weight_kg: float = DEFAULT_WEIGHT_KG
    bsa_m2: float = DEFAULT_BSA_M2

    def __str__(self) -> str:
        return f"{self.weight_kg:g} kg, {self.bsa_m2:g} m²"


@dataclass(frozen=True, eq=False)
class Loaded:
    """Everything that depends only on the records loaded and the reference patient."""

    arms: pd.DataFrame  # every loaded arm regimen
    codes: dict[str, str]  # arm key -> A1, A2, ... fixed by load order, so filtering never renumbers an arm
    colors: dict[str, str]  # arm key -> its colour on every page
    reference: Reference
    options: FilterOptions
    first_trials: tuple[str, ...]  # the trials shown before a user picks
    focus: str | None  # the trial with the most dosed arms
    focus_text: str  # where the focus trial's doses sit among every other loaded trial's (`focus_summary`)
    titles: dict[str, str]
    trial_flags: dict[str, FlagPairs]  # trial id -> the flags on the whole trial
    arm_flags: dict[str, FlagPairs]  # arm key -> the arm's own flags
    problems: tuple[Problem, ...] = ()
    digest: str = ""  # identifies the loaded files, for caching what is derived from them
    trials: tuple[Trial, ...] = field(default=(), repr=False)  # for what needs more than the arms (Across trials)

    @property
    def trial_count(self) -> int:
        return len(self.trials)

    @property
    def problem_count(self) -> int:
        return sum(problem.count for problem in self.problems)


def load_state(trials: Iterable[Trial], reference: Reference = Reference(),
               problems: Iterable[Problem] = (), digest: str = "", arms: pd.DataFrame | None = None) -> Loaded:
    """The loaded facts of `trials`; pass `arms` when the arms frame is already built for them."""
    trials = tuple(trials)
    everything = arms if arms is not None else arms_frame(trials, reference.weight_kg, reference.bsa_m2)
    arm_flags: dict[str, FlagPairs] = {}
    for trial in trials:
        for arm in trial.arms:
            key = arm_key(trial.trial_id, arm.label)
            arm_flags[key] = arm_flags.get(key, ()) + tuple((flag.code, flag.message) for flag in arm.flags)
    focus = default_focus(everything)
    return Loaded(
        arms=everything, codes=arm_codes(everything["arm_key"]), colors=arm_colors(everything["arm_key"]),
        reference=reference, options=filter_options(everything), first_trials=default_trials(everything),
        focus=focus, focus_text=focus_summary(everything, focus),
        titles={trial.trial_id: trial.title or trial.brief_title or "" for trial in trials},
        trial_flags={trial.trial_id: tuple((flag.code, flag.message) for flag in trial.flags) for trial in trials},
        arm_flags=arm_flags, problems=tuple(problems), digest=digest, trials=trials,
    )


@dataclass(frozen=True, eq=False)
class PageState:
    """What a page reads: the loaded facts, the selection, and the arms it shows with their cumulative steps."""

    loaded: Loaded
    selection: ArmFilter
    arms: pd.DataFrame
    cumulative: pd.DataFrame


def select(loaded: Loaded, selection: ArmFilter = ArmFilter()) -> PageState:  # noqa: B008 - immutable
    shown = apply_filter(loaded.arms, selection)
    return PageState(loaded, selection, shown, cumulative_frame(shown))


def export_settings(state: PageState) -> ExportSettings:
    """What a download of the shown arms carries to trace back here: codes, reference patient and filters."""
    loaded, selection = state.loaded, state.selection
    filters = [(name, f"{len(picked or ())} of {values.nunique()}: " + "; ".join(picked or ())
                if narrows(picked, values) else "all")
               for name, picked, values in filter_choices(selection, loaded.arms)]
    if selection.dose_range is not None:
        low, high = selection.dose_range
        filters.append(("dose per administration", f"{format_cells(low, 'cells/kg')} to "
                                                   f"{format_cells(high, 'cells/kg')}"))
    return ExportSettings(weight_kg=loaded.reference.weight_kg, bsa_m2=loaded.reference.bsa_m2, codes=loaded.codes,
                          filters=tuple(filters), records=f"{loaded.trial_count} trial(s)")
