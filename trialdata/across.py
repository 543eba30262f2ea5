"""Arms of many trials side by side: each arm row carries its trial's facts, so one selection by
condition, phase, status, cell type, cell source, route or start year narrows the charts, the table,
the downloads and the summary figures alike.

Answers the question after "what does this trial give?": how does one program's dosing sit
among the others for the same disease.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from .grammar.products import find_cell_sources
from .grammar.sentences import split_sentences
from .models import Arm, Source, Trial

NOT_STATED = "not stated"
TRIAL_COLUMNS = ["conditions", "trial_phases", "status", "start_year", "cell_source", "cell_source_source"]
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def across_frame(trials: Iterable[Trial], arms: pd.DataFrame) -> pd.DataFrame:
    """`arms` (from `arms_frame`, which has each trial's conditions and phases) with its trial's status and start
    year and the arm's cell source on every row.

    Multi-valued facts (conditions, phases, statuses) are tuples, so filters match any of them.
    """
    facts: dict[str, dict] = {}
    sources: dict[tuple[str, str], tuple[str, Source | None]] = {}
    for trial in trials:
        facts[trial.trial_id] = {
            "status": tuple(s.strip() for s in (trial.status or "").split(" / ") if s.strip()),
            "start_year": start_year(trial.start_date),
        }
        for arm in trial.arms:
            sources[(trial.trial_id, arm.label)] = arm_cell_source(trial, arm)
    frame = arms.copy()
    for column in ("status", "start_year"):
        frame[column] = [facts.get(t, {}).get(column, ()) for t in frame["trial_id"]]
    frame["start_year"] = frame["start_year"].map(lambda y: y if y else None).astype("Int64")
    found = [sources.get((t, a), ("", None)) for t, a in zip(frame["trial_id"], frame["arm"], strict=True)]
    frame["cell_source"] = [tissue for tissue, _ in found]
    frame["cell_source_source"] = [source for _, source in found]
    return frame


def start_year(date: str | None) -> int | None:
    """2023 from '2023-03-01', 'March 2023' or '2023'; None when no year is given."""
    match = _YEAR.search(date or "")
    return int(match.group(0)) if match else None


def arm_cell_source(trial: Trial, arm: Arm) -> tuple[str, Source | None]:
    """(tissue or tissues, the sentence naming them) for a cellular arm; ("", None) for an arm without cells.

    The arm's own text speaks first, then its interventions, then the trial's title and summary; the
    first text that names a tissue decides, so a trial of cord and marrow cells gives each arm its own.
    """
    if not arm.cellular:
        return "", None
    given = set(arm.interventions)
    texts = [(arm.description, f"arm '{arm.label}'")]
    for intervention in (i for i in trial.interventions if i.name in given):
        texts += [(intervention.name, "intervention name"), (intervention.description,
                                                             f"intervention '{intervention.name}'")]
    texts += [(trial.title, "title"), (trial.brief_title or "", "brief title"), (trial.summary, "summary")]
    for text, location in texts:
        for sentence in split_sentences(text):
            tissues = find_cell_sources(sentence.text)
            if tissues:
                return " + ".join(t for t, _ in tissues), Source(text=sentence.text, location=location)
    return NOT_STATED, None


@dataclass(frozen=True)
class AcrossFilter:
    """A selection of trials by their facts; None for a criterion means "do not narrow by it"."""

    conditions: tuple[str, ...] | None = None
    phases: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    cell_types: tuple[str, ...] | None = None
    cell_sources: tuple[str, ...] | None = None
    routes: tuple[str, ...] | None = None
    years: tuple[int, int] | None = None


@dataclass(frozen=True)
class AcrossOptions:
    """The choices a user has, from every loaded arm."""

    conditions: tuple[str, ...]
    phases: tuple[str, ...]
    statuses: tuple[str, ...]
    cell_types: tuple[str, ...]
    cell_sources: tuple[str, ...]
    routes: tuple[str, ...]
    years: tuple[int, ...]


def across_options(frame: pd.DataFrame) -> AcrossOptions:
    return AcrossOptions(
        conditions=_choices(frame["conditions"]),
        phases=_choices(frame["trial_phases"]),
        statuses=_choices(frame["status"]),
        cell_types=_choices(frame.loc[frame["cellular"].astype(bool), "cell_type"].map(
            lambda kind: (kind or NOT_STATED,))),
        cell_sources=_choices(frame.loc[frame["cellular"].astype(bool), "cell_source"].map(_tissues)),
        routes=_choices(frame.loc[frame["cellular"].astype(bool), "route"].map(lambda r: (r,) if r else ())),
        years=tuple(sorted(int(y) for y in frame["start_year"].dropna().unique())),
    )


def apply_across(frame: pd.DataFrame, selection: AcrossFilter) -> pd.DataFrame:
    """Every arm of the trials the selection chooses, in order.

    A trial is chosen when its facts match every criterion; for cell type, cell source and route,
    which belong to arms, when any of its arms that give cells matches (a saline placebo's route says
    nothing of how the cells are given). Unstated facts match "not stated"; a narrowed
    year range drops trials without a start date.
    """
    chosen = pd.Series(True, index=frame.index)
    for column, wanted in (("conditions", selection.conditions), ("trial_phases", selection.phases),
                           ("status", selection.statuses)):
        if wanted is not None:
            chosen &= frame[column].map(lambda values, w=set(wanted): bool(set(values or (NOT_STATED,)) & w))
    if selection.years is not None:
        low, high = selection.years
        chosen &= frame["start_year"].between(low, high).fillna(False).astype(bool)
    for wanted, values in (
        (selection.cell_types, pd.Series([(kind or NOT_STATED,) if cells else () for kind, cells in
                                          zip(frame["cell_type"], frame["cellular"], strict=True)], index=frame.index)),
        (selection.cell_sources, frame["cell_source"].map(_tissues)),
        (selection.routes, pd.Series([(r or NOT_STATED,) if cells else () for r, cells in
                                      zip(frame["route"], frame["cellular"], strict=True)], index=frame.index)),
    ):
        if wanted is not None:
            matching = values.map(lambda v, w=set(wanted): bool(set(v) & w))
            chosen &= frame["trial_id"].isin(set(frame.loc[matching, "trial_id"]))
    return frame[chosen]


def _tissues(cell_source: str) -> tuple[str, ...]:
    """'umbilical cord + bone marrow' -> both; '' (an arm without cells) -> none."""
    return tuple(cell_source.split(" + ")) if cell_source else ()


def _choices(values: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Every value met, sorted, with "not stated" last when some row states none."""
    seen: set[str] = set()
    unstated = False
    for group in values:
        if not group:
            unstated = True
        seen.update(v for v in group if v != NOT_STATED)
        unstated = unstated or NOT_STATED in group
    return tuple(sorted(seen, key=str.lower)) + ((NOT_STATED,) if unstated else ())


@dataclass(frozen=True)
class Summary:
    """One figure across the selected arms, with the arms behind it named (by their series)."""

    measure: str
    unit: str
    arms: tuple[str, ...]
    median: float | None
    low: float | None
    high: float | None
    median_arms: tuple[str, ...]
    low_arms: tuple[str, ...]
    high_arms: tuple[str, ...]
    converted_arms: tuple[str, ...]


SUMMARY_MEASURES = (
    ("Dose per administration", "cells/kg", "dose_cells_per_kg"),
    ("Administrations", "", "administrations"),
    ("Cumulative dose", "cells/kg", "cumulative_cells_per_kg"),
)


def summarize(frame: pd.DataFrame) -> list[Summary]:
    """Median and range of dose, administrations and cumulative cells/kg over the arms that state them.

    For an even count the median is the mean of the two middle values, and both middle arms are named.
    """
    out = []
    for measure, unit, column in SUMMARY_MEASURES:
        rows = frame[frame[column].notna() & frame["cellular"].astype(bool)]
        values = rows[column].astype(float)
        series = tuple(rows["series"])
        if values.empty:
            out.append(Summary(measure, unit, (), None, None, None, (), (), (), ()))
            continue
        ordered = sorted(values)
        middle = {ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]}
        out.append(Summary(
            measure=measure, unit=unit, arms=series, median=float(values.median()),
            low=float(values.min()), high=float(values.max()),
            median_arms=_named(rows, values.isin(middle)), low_arms=_named(rows, values == values.min()),
            high_arms=_named(rows, values == values.max()),
            converted_arms=_named(rows, rows["dose_converted"].astype(bool)) if unit else (),
        ))
    return out


def _named(rows: pd.DataFrame, mask: pd.Series) -> tuple[str, ...]:
    return tuple(dict.fromkeys(rows.loc[mask, "series"]))
