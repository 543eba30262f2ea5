"""Frames shaped for reading: the formatted comparison table, sources beside numbers, flags.

The dashboard shows these as they are; keeping them here means the table a
user reads and the file they download come from the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd
from pandas.io.formats.style import Styler

from .charts import DayScale, arm_codes, arm_colors, schedule_text, text_color
from .export import ExportSettings
from .filters import ArmFilter, apply_filter
from .flags import Severity, severity
from .frames import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG, arm_key, arms_frame, cumulative_frame
from .load import Problem
from .models import Source, Trial
from .notation import format_cells, format_dose_range, markdown_literal


@dataclass
class Comparison:
    """Everything the pages draw: all loaded arms, the selected ones, and fixed colours and codes."""

    trials: list[Trial]
    all_arms: pd.DataFrame
    arms: pd.DataFrame
    cumulative: pd.DataFrame
    colors: dict[str, str]
    codes: dict[str, str]
    weight_kg: float
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""  # identifies the loaded files, for caching what is derived from them
    bsa_m2: float = DEFAULT_BSA_M2
    selection: ArmFilter = field(default_factory=ArmFilter)

    @property
    def reference(self) -> str:
        """The reference patient doses are converted at, in words: '70 kg, 1.73 m²'."""
        return f"{self.weight_kg:g} kg, {self.bsa_m2:g} m²"


def build_comparison(
    trials: list[Trial],
    selection: ArmFilter = ArmFilter(),  # noqa: B008 - immutable
    weight_kg: float = DEFAULT_WEIGHT_KG,
    problems: Iterable[Problem] = (),
    all_arms: pd.DataFrame | None = None,
    digest: str = "",
    bsa_m2: float = DEFAULT_BSA_M2,
) -> Comparison:
    """The comparison for a selection; pass `all_arms` when it is already built for these trials."""
    everything = all_arms if all_arms is not None else arms_frame(trials, weight_kg, bsa_m2)
    shown = apply_filter(everything, selection)
    return Comparison(
        trials=trials, all_arms=everything, arms=shown, cumulative=cumulative_frame(shown),
        colors=arm_colors(everything["arm_key"]), codes=arm_codes(everything["arm_key"]),
        weight_kg=weight_kg, problems=list(problems), digest=digest, bsa_m2=bsa_m2, selection=selection,
    )


def _filter_choices(comparison: Comparison) -> list[tuple[str, tuple[str, ...] | None, pd.Series]]:
    """(filter, what was picked, the value each loaded arm has for it), in the sidebar's words."""
    chosen, everything = comparison.selection, comparison.all_arms
    return [
        ("Trials", chosen.trials, everything["trial_id"]),
        ("Arm type", chosen.arm_types, everything["arm_type"]),
        ("Phase", chosen.phases, everything["phase"].replace("", "Not stated")),
        ("Cells", chosen.cellular, everything["cellular"].map({True: "Cellular", False: "Non-cellular"})),
        ("Arms", chosen.arms, everything["arm_key"]),
    ]


def _narrows(picked: tuple[str, ...] | None, values: pd.Series) -> bool:
    return picked is not None and not set(values) <= set(picked)


def narrowing_caption(comparison: Comparison, default_trials: tuple[str, ...] = ()) -> str | None:
    """Why fewer trials are shown than are loaded, naming the filters that did it; None when all are shown."""
    shown = comparison.arms["trial_id"].nunique()
    loaded = comparison.all_arms["trial_id"].nunique()
    if shown >= loaded:
        return None
    chosen, everything = comparison.selection, comparison.all_arms
    first_ones = bool(default_trials) and tuple(chosen.trials or ()) == tuple(default_trials) and \
        _narrows(chosen.trials, everything["trial_id"])
    causes = []
    for name, picked, values in _filter_choices(comparison):
        if name == "Trials":
            if _narrows(picked, values) and not first_ones:
                causes.append(f"Trials ({len(picked or ())} picked)")
        elif name == "Arms":  # the dose range before it, as in the sidebar; only the chosen trials' arms count
            if chosen.dose_range is not None:
                causes.append("the dose range")
            if _narrows(picked, values[everything["trial_id"].isin(chosen.trials or everything["trial_id"])]):
                causes.append("Arms (some of the chosen trials' arms left out)")
        elif _narrows(picked, values):
            causes.append(f"{name} ({', '.join(picked or ()) or 'none'})")
    text = f"Arms of {shown} of {loaded} trials are shown"
    if causes:
        text += ", narrowed by " + "; ".join(causes) + " (widen them in the sidebar)"
    if first_ones:
        text += ("; " if causes else ": ") + ("with many arms loaded, the first trials are shown at first; pick "
                                               "others in Trials, or compare every trial on Across trials")
    return text + "."


def export_settings(comparison: Comparison) -> ExportSettings:
    """What a download of the shown arms carries to trace back here: codes, reference patient and filters."""
    filters = [(name, f"{len(picked or ())} of {values.nunique()}: " + "; ".join(picked or ())
                if _narrows(picked, values) else "all")
               for name, picked, values in _filter_choices(comparison)]
    if comparison.selection.dose_range is not None:
        low, high = comparison.selection.dose_range
        filters.append(("dose per administration", f"{format_cells(low, 'cells/kg')} to "
                                                   f"{format_cells(high, 'cells/kg')}"))
    return ExportSettings(weight_kg=comparison.weight_kg, bsa_m2=comparison.bsa_m2, codes=comparison.codes,
                          filters=tuple(filters), records=f"{len(comparison.trials)} trial(s)")


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


def _cumulative_text(row: pd.Series) -> str:
    if not row.cellular:
        return "no cells"
    if row.dose_axis and row.dose_axis != "cells/kg":  # per cm² or islet equivalents: in its own unit
        return format_cells(row.cumulative_dose, row.dose_unit) or "not known"
    return format_cells(row.cumulative_cells_per_kg, "cells/kg") or "not known"


def display_table(comparison: Comparison) -> pd.DataFrame:
    """The comparison table in human notation, one row per arm regimen shown."""
    rows = []
    for row in comparison.arms.itertuples():
        rows.append({
            "Code": comparison.codes.get(row.arm_key, ""),
            "Trial": row.trial_id,
            "Arm": row.arm,
            "For": row.applies_to,
            "Type": row.arm_type,
            "Phase": phase_text(row),
            "Cells": (row.cell_type or "yes") if row.cellular else "no",
            "Route": row.route or "not stated",
            "Dose per administration": dose_text(row, comparison.weight_kg, bsa_m2=comparison.bsa_m2),
            "Counted": row.population,
            "Schedule": schedule_text(row),
            "Administration days": ", ".join(f"{d:g}" for d in row.administration_days) or "not stated",
            "Cumulative": _cumulative_text(row),
            "Flags": flag_summary(row.arm_flag_codes),
        })
    return pd.DataFrame(rows, columns=["Code", "Trial", "Arm", "For", "Type", "Phase", "Cells", "Route",
                                       "Dose per administration", "Counted", "Schedule", "Administration days",
                                       "Cumulative", "Flags"])


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


def sources_by_trial(comparison: Comparison) -> list[TrialSources]:
    """Trial by trial: the trial's own flags once, then for each shown arm regimen its numbers, each sentence they
    were read from quoted once with what it supports, and its flags by importance."""
    table = flags_table(comparison)
    titles = {trial.trial_id: trial.title or trial.brief_title or "" for trial in comparison.trials}
    trials: dict[str, list[ArmSources]] = {}
    for row in comparison.arms.itertuples():
        code = comparison.codes.get(row.arm_key, "")
        regimen = row.series.removeprefix(row.arm_key).removeprefix(" · ")  # what tells the arm's regimens apart
        phase = f" · {regimen}" if regimen else ""
        numbers = (
            SourcedNumber("Dose per administration", dose_text(row, comparison.weight_kg, bsa_m2=comparison.bsa_m2),
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
        found.append(TrialSources(trial_id, titles.get(trial_id, ""),
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



def flags_table(comparison: Comparison) -> pd.DataFrame:
    """Every flag on a shown arm, and every flag on its trial, one per row."""
    shown = set(comparison.arms["arm_key"])
    rows = []
    for trial in comparison.trials:
        trial_arms = [a for a in trial.arms if arm_key(trial.trial_id, a.label) in shown]
        if not trial_arms:
            continue
        for flag in trial.flags:
            rows.append({"Code": "", "Trial": trial.trial_id, "Arm": "(whole trial)", "Flag": flag.code,
                         "What to know": flag.message})
        for arm in trial_arms:
            key = arm_key(trial.trial_id, arm.label)
            for flag in arm.flags:
                rows.append({"Code": comparison.codes.get(key, ""), "Trial": trial.trial_id, "Arm": arm.label,
                             "Flag": flag.code, "What to know": flag.message})
    for row in comparison.arms.itertuples():
        if row.dose_converted:
            per_m2 = row.dose_unit == "cells/m2"
            stated = "Dose" if per_m2 else "Flat dose"
            at = comparison.reference if per_m2 else f"{comparison.weight_kg:g} kg"
            rows.append({"Code": comparison.codes.get(row.arm_key, ""), "Trial": row.trial_id, "Arm": row.arm,
                         "Flag": "per-m2-dose-converted" if per_m2 else "flat-dose-converted",
                         "What to know": f"{stated} of {format_cells(row.dose_per_administration, row.dose_unit)} "
                         f"shown as {format_cells(row.dose_cells_per_kg, 'cells/kg')} at {at}."})
    return pd.DataFrame(rows, columns=["Code", "Trial", "Arm", "Flag", "What to know"])


def conversion_caption(arms: pd.DataFrame, comparison: Comparison, log: bool = False,
                       scale: DayScale = DayScale()) -> str:  # noqa: B008 - immutable
    """What the cells/kg charts convert and how, and which arms are drawn elsewhere: the caption under them."""
    parts = ["Doses in cells/kg per administration"]
    units = set(arms.loc[arms["dose_converted"].astype(bool), "dose_unit"])
    if "cells" in units:
        mark = "squares" if log else "hatched /"
        parts.append(f"flat doses ({mark}) are converted at {comparison.weight_kg:g} kg")
    if "cells/m2" in units:
        mark = "diamonds" if log else "hatched ×"
        parts.append(f"doses per m² ({mark}) at {comparison.bsa_m2:g} m² and {comparison.weight_kg:g} kg")
    elsewhere = arms[arms["dose_axis"].ne("") & arms["dose_axis"].ne("cells/kg")]
    text = "; ".join(parts) + ". Error bars span a dose range. Day 0 is each arm's first administration"
    text += (": the day axis is compressed (ticks in days) so that short and long schedules both read."
             if scale.compressed else ".")
    if not elsewhere.empty:
        codes = ", ".join(dict.fromkeys(comparison.codes.get(key, "") for key in elsewhere["arm_key"]))
        units_elsewhere = " and ".join(dict.fromkeys(elsewhere["dose_axis"]))
        text += f" {codes}: doses in {units_elsewhere}, charted below on their own axes."
    return text


def arm_key_table(comparison: Comparison) -> Styler:
    """The key to the charts: each arm's code on its chart colour, with its label and numbers."""
    full = display_table(comparison)
    columns = ["Code", "Arm", "Trial", "Phase", "Dose per administration", "Schedule", "Cumulative", "Flags"]
    if full["For"].ne("").any():  # weight bands and dose levels: which row is which
        columns.insert(2, "For")
    return with_color_chips(full[columns], comparison)


# The comparison table's columns as the Comparison table page shows them: what is compared first, then what the
# arm is, so that at 1280 px the doses, schedules and totals are on screen without scrolling sideways.
TABLE_PAGE_COLUMNS = ["Code", "Trial", "Arm", "Dose per administration", "Schedule", "Cumulative", "Phase", "For",
                      "Type", "Cells", "Counted", "Route", "Administration days", "Flags"]


def table_page(comparison: Comparison, literal: bool = False) -> Styler:
    """The Comparison table page's table: dose columns first, each arm's code on its chart colour. `literal`
    escapes every text cell for a renderer that reads cells as Markdown (st.table), so record text shows as
    written."""
    full = display_table(comparison)
    columns = [c for c in TABLE_PAGE_COLUMNS if c not in ("For", "Counted") or full[c].ne("").any()]
    table = full[columns]
    if literal:
        table = table.map(lambda value: markdown_literal(value) if isinstance(value, str) else value)
    return with_color_chips(table, comparison)


def with_color_chips(table: pd.DataFrame, comparison: Comparison) -> Styler:
    """`table` with each arm's code drawn on its chart colour, in black or white, whichever reads."""
    colors = {comparison.codes[key]: color for key, color in comparison.colors.items() if key in comparison.codes}
    return table.style.map(lambda code: f"background-color: {colors.get(code, '#ffffff')}; "
                           f"color: {text_color(colors.get(code, '#ffffff'))}; font-weight: bold", subset=["Code"])


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


def arm_detail(comparison: Comparison, key: str) -> ArmDetail:
    """The detail of the arm `key`; an arm with several regimens shows the first in its headline."""
    rows = comparison.arms[comparison.arms["arm_key"] == key]
    first = rows.iloc[0]
    total = first["cumulative_cells_per_kg"] * comparison.weight_kg if first["dose_axis"] == "cells/kg" else None
    only_this_arm = replace(comparison, arms=rows)  # format and flag one arm, not every arm shown
    regimens = display_table(only_this_arm)
    flags = flags_table(only_this_arm)
    flags = flags[(flags["Trial"] == first["trial_id"]) & flags["Arm"].isin([first["arm"], "(whole trial)"])].copy()
    flags["Matters"] = flags["Flag"].map(lambda code: SEVERITY_NAMES[severity(code)])
    flags = flags.iloc[flags["Flag"].map(lambda code: -severity(code)).argsort(kind="stable")]
    return ArmDetail(
        trial_id=first["trial_id"],
        arm_type=first["arm_type"],
        route=first["route"] or "route not stated",
        dose=dose_text(first, comparison.weight_kg, converted=False, bsa_m2=comparison.bsa_m2),
        schedule=schedule_text(first),
        cumulative=_cumulative_text(first),
        total_cells=format_cells(total, "cells") if total is not None and pd.notna(total) else _cumulative_text(first),
        regimens=regimens[["Phase", "Dose per administration", "Schedule", "Administration days", "Cumulative",
                           "Route"]],
        flags=flags[["Matters", "Flag", "What to know"]],
        description=first["description"],
    )
