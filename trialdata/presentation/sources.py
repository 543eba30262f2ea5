"""Each number beside the sentence it was read from, and the flags that say what to check, most important first:
the Sources & flags and Arm detail pages.

Flags come from the loaded facts (each trial's and arm's, gathered once per load), so these pages do not walk
every record's models on a rerun.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..flags import Severity, severity
from ..models import Source
from ..notation import format_cells
from .texts import dose_text, schedule_text

if TYPE_CHECKING:
    from ..state import Loaded


@dataclass(frozen=True)
class SourcedNumber:
    """One number of an arm and the sentence it was read from."""

    what: str
    value: str
    quote: str
    location: str


@dataclass(frozen=True)
class QuotedSentence:
    """One sentence of the record and the numbers read from it: each sentence quoted once per arm."""

    supports: str  # "dose, schedule"
    quote: str
    location: str


@dataclass(frozen=True)
class RankedFlag:
    """A flag with how much it matters, for reading the important ones first."""

    severity: Severity
    code: str
    message: str

    def line(self) -> str:
        return f"⚑ {SEVERITY_NAMES[self.severity]} · {self.code}: {self.message}"


SEVERITY_NAMES = {Severity.CONTRADICTION: "contradiction", Severity.GUESS: "guess", Severity.GAP: "gap",
                  Severity.NOTE: "note"}


@dataclass(frozen=True)
class ArmSources:
    """An arm's numbers beside their sources, and what to know about them, most important first."""

    title: str
    numbers: tuple[SourcedNumber, ...]
    sentences: tuple[QuotedSentence, ...]
    flags: tuple[RankedFlag, ...]  # the arm's own, contradictions first; routine notes last


@dataclass(frozen=True)
class TrialSources:
    """A trial's flags, once, and its shown arms' sources."""

    trial_id: str
    title: str
    flags: tuple[RankedFlag, ...]
    arms: tuple[ArmSources, ...]


def ranked(flags: Iterable[tuple[str, str]]) -> tuple[RankedFlag, ...]:
    """(code, message) pairs as flags, most important first, each once."""
    unique = dict.fromkeys(RankedFlag(severity(code), code, message) for code, message in flags)
    return tuple(sorted(unique, key=lambda flag: -flag.severity))



def sources_by_trial(arms: pd.DataFrame, loaded: Loaded) -> list[TrialSources]:
    """Trial by trial: the trial's own flags once, then for each shown arm regimen its numbers, each sentence they
    were read from quoted once with what it supports, and its flags by importance."""
    table = flags_table(arms, loaded)
    reference = loaded.reference
    trials: dict[str, list[ArmSources]] = {}
    for row in arms.itertuples():
        code = loaded.codes.get(row.arm_key, "")
        regimen = row.series.removeprefix(row.arm_key).removeprefix(" · ")  # what tells the arm's regimens apart
        phase = f" · {regimen}" if regimen else ""
        numbers = (
            SourcedNumber("Dose per administration", dose_text(row, reference.weight_kg, bsa_m2=reference.bsa_m2),
                          *_parts(row.dose_source)),
            SourcedNumber("Schedule", schedule_text(row), *_parts(row.schedule_source)),
            SourcedNumber("Route", row.route or "not stated", *_parts(row.route_source)),
        )
        supports: dict[tuple[str, str], list[str]] = {}
        for number in numbers:
            if number.quote:
                supports.setdefault((number.quote, number.location), []).append(number.what.split(" ")[0].lower())
        mine = table[(table["Trial"] == row.trial_id) & (table["Arm"] == row.arm)]
        trials.setdefault(row.trial_id, []).append(ArmSources(
            title=f"{code} · {row.arm}{phase}",
            numbers=numbers,
            sentences=tuple(QuotedSentence(", ".join(what), quote, location)
                            for (quote, location), what in supports.items()),
            flags=ranked(zip(mine["Flag"], mine["What to know"], strict=True)),
        ))
    found = []
    for trial_id, arms in trials.items():
        whole = table[(table["Trial"] == trial_id) & (table["Arm"] == "(whole trial)")]
        found.append(TrialSources(trial_id, loaded.titles.get(trial_id, ""),
                                  ranked(zip(whole["Flag"], whole["What to know"], strict=True)), tuple(arms)))
    return found



def flag_summary(codes: Iterable[str]) -> str:
    """The most important of an arm's flags and how many more: 'contradiction · label-dose-disagreement (+2)'."""
    unique = sorted(dict.fromkeys(codes), key=lambda code: -severity(code))
    if not unique:
        return ""
    more = f" (+{len(unique) - 1})" if len(unique) > 1 else ""
    return f"{SEVERITY_NAMES[severity(unique[0])]} · {unique[0]}{more}"



def needs_checking(arms: pd.DataFrame) -> int:
    """How many arms carry a flag worth checking: a contradiction in the record or a guess the reading made."""
    worth = arms["arm_flag_codes"].map(lambda codes: any(severity(c) >= Severity.GUESS for c in codes)).astype(bool)
    return arms.loc[worth, "arm_key"].nunique()



def _parts(source: Source | None) -> tuple[str, str]:
    """('“sentence”', 'where it sits'), or empty strings when the record states nothing."""
    return (f"“{source.text}”", source.location) if source else ("", "")


def flags_table(arms: pd.DataFrame, loaded: Loaded) -> pd.DataFrame:
    """Every flag on an arm of `arms`, every flag on its trial, and each conversion to cells/kg, one per row."""
    rows = []
    reference = loaded.reference
    for trial_id in dict.fromkeys(arms["trial_id"]):
        for code, message in loaded.trial_flags.get(trial_id, ()):
            rows.append({"Code": "", "Trial": trial_id, "Arm": "(whole trial)", "Flag": code, "What to know": message})
    for row in arms.drop_duplicates("arm_key").itertuples():
        for code, message in loaded.arm_flags.get(row.arm_key, ()):
            rows.append({"Code": loaded.codes.get(row.arm_key, ""), "Trial": row.trial_id, "Arm": row.arm,
                         "Flag": code, "What to know": message})
    for row in arms.itertuples():
        if row.dose_converted:
            per_m2 = row.dose_unit == "cells/m2"
            stated = "Dose" if per_m2 else "Flat dose"
            at = str(reference) if per_m2 else f"{reference.weight_kg:g} kg"
            rows.append({"Code": loaded.codes.get(row.arm_key, ""), "Trial": row.trial_id, "Arm": row.arm,
                         "Flag": "per-m2-dose-converted" if per_m2 else "flat-dose-converted",
                         "What to know": f"{stated} of {format_cells(row.dose_per_administration, row.dose_unit)} "
                         f"shown as {format_cells(row.dose_cells_per_kg, 'cells/kg')} at {at}."})
    return pd.DataFrame(rows, columns=["Code", "Trial", "Arm", "Flag", "What to know"])
