"""Reconcile what an arm's text and its interventions' texts say into the arm's regimens.

Both record layouts end here, so both read arms the same way: the arm's own
words win where they disagree with its interventions (and a flag says so),
an intervention fills in what the arm leaves out, phase-specific intervention
text goes to the arm of that phase, a part of a shared text that names the arm
("Arm A: 300 million cells ... Arm B: placebo") goes to that arm, and the arm
gets a readable label and a type when the record has none. Placebo and
cell-free arms are never dosed; a dose with no stated repeat is one
administration, flagged. Trial-wide checks (a "low dose" label on the trial's
highest dose, a summary phase that the arms contradict) run last.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from ..grammar.phases import find_phase
from ..grammar.products import cell_free_product, dose_level, mentions_cells, mentions_control, mentions_placebo
from ..grammar.schedules import GIVING
from ..models import Arm, Flag, Intervention, Regimen
from ..notation import format_cells, format_dose_range, format_schedule
from .paragraph import ParagraphReading, Reading, describe_dose, read_paragraph

# A summary sentence speaks of the trial's own treatment only when it says something is given; background
# ("as many as 1*107 cells from 300 ml of lipoaspirate") is not read.
# Besides digits, the words of a schedule a summary may state without one ("a single infusion", "once weekly").
_SUMMARY_SCHEDULE_WORDS = ("once", "twice", "single", "weekly", "daily", "monthly", "every ")
_DIGIT = re.compile(r"\d")
_SENTENCE_REACH = 400
_PLACEBO_TYPES = ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION")


@dataclass(frozen=True)
class ArmText:
    """An arm as a reader found it: registry label and type when the layout has them."""

    description: str
    location: str
    label: str | None = None
    type: str | None = None
    interventions: tuple[Intervention, ...] = ()
    flags: tuple[Flag, ...] = ()


@dataclass
class _Draft:
    text: ArmText
    regimens: list[Regimen]
    flags: list[Flag]
    cellular: bool
    level: tuple[int, str] | None
    readings: list[Reading] = field(default_factory=list)
    placebo: bool = False


def build_arms(arm_texts: list[ArmText], trial_phases: tuple[str, ...],
               summaries: tuple[str, ...] = ()) -> tuple[list[Arm], list[Flag]]:
    """Arms with regimens, labels and flags, plus flags about the trial as a whole. `summaries` (the trial's
    brief summary and detailed description) are read only for what the arms leave out."""
    interventions = {i.name: i for text in arm_texts for i in text.interventions}
    intervention_readings = {name: _read_intervention(i) for name, i in interventions.items()}
    sharing = Counter(i.name for text in arm_texts for i in text.interventions)
    drafts = [_draft(text, intervention_readings, _own_parts(text, arm_texts, sharing)) for text in arm_texts]
    all_readings = [r for reading in intervention_readings.values() for r in reading.readings]
    _from_summaries(drafts, summaries)
    for draft in drafts:
        _settle_phase(draft, trial_phases, all_readings)
        _settle_count(draft)
    _check_level_labels(drafts)
    trial_flags = _check_phases(drafts, trial_phases)
    labels = _labels(drafts)
    arms = [
        Arm(
            label=label,
            label_from_record=draft.text.label is not None,
            type=draft.text.type or _infer_type(draft),
            type_from_record=draft.text.type is not None,
            description=draft.text.description,
            interventions=tuple(i.name for i in draft.text.interventions),
            cellular=draft.cellular,
            regimens=tuple(draft.regimens),
            flags=tuple(_unique(draft.flags)),
        )
        for draft, label in zip(drafts, labels)
    ]
    return arms, trial_flags


def _read_intervention(intervention: Intervention) -> ParagraphReading:
    return read_paragraph(intervention.description, f"intervention '{intervention.name}'")


def _own_parts(text: ArmText, arm_texts: list[ArmText], sharing: Counter[str]) -> dict[str, ParagraphReading]:
    """For each intervention this arm shares with others, the part of its text that names this arm, read alone:
    "Arm A: 300 million cells will be infused ... Arm B: Infusion of placebo"."""
    parts: dict[str, ParagraphReading] = {}
    if not text.label:
        return parts
    for intervention in text.interventions:
        if sharing[intervention.name] < 2:
            continue
        others = [t.label for t in arm_texts if t.label and t is not text and intervention in t.interventions]
        positions = {label: _named_at(intervention.description, label) for label in [text.label, *others]}
        if positions[text.label] is None or sum(p is not None for p in positions.values()) < 2:
            continue
        start = positions[text.label]
        ends = [p for p in positions.values() if p is not None and p > start]  # type: ignore[operator]
        segment = intervention.description[start:min(ends, default=len(intervention.description))]
        parts[intervention.name] = read_paragraph(segment, f"intervention '{intervention.name}', part for "
                                                  f"'{text.label}'")
    return parts


def _named_at(description: str, label: str) -> int | None:
    """Where a shared text starts speaking of the arm `label` ("Arm A:", "Group 1:", "low dose group:")."""
    if label.strip().lower() not in description.lower():
        return None
    found = _naming(label.strip()).search(description)
    return found.start() if found else None


@lru_cache(maxsize=4096)
def _naming(label: str) -> re.Pattern[str]:
    escaped = re.escape(label)
    return re.compile(rf"(?:\b(?:arm|group|cohort)\s{{0,3}}{escaped}\b|(?<![\w-]){escaped}\s{{0,3}}[:：])", re.I)


def _draft(text: ArmText, intervention_readings: dict[str, ParagraphReading],
           parts: dict[str, ParagraphReading]) -> _Draft:
    words = f"{text.label or ''}. {text.description}"
    own = read_paragraph(text.description, text.location)
    label_reading = read_paragraph(text.label, f"{text.location} label") if text.label and _has_digit(text.label) \
        else None
    label_dosed = label_reading is not None and any(r.regimen.dose for r in label_reading.readings)
    flags = list(text.flags) + list(own.flags)
    if not any(r.regimen.dose for r in own.readings) and label_dosed:
        own = label_reading  # type: ignore[assignment]
        flags.extend(own.flags)
    elif label_dosed:
        flags.extend(_label_check(label_reading, own))  # type: ignore[arg-type]
    linked = [parts.get(i.name) or intervention_readings[i.name] for i in text.interventions
              if i.name in intervention_readings]
    flags.extend(f for reading in linked for f in reading.flags)
    arm_phase = find_phase(words)
    route = own.route or next((r.route for r in linked if r.route), None)
    route_source = own.route_source or next((r.route_source for r in linked if r.route), None)
    linked_readings = [r for reading in linked for r in reading.readings]
    level = dose_level(words)
    readings = list(own.readings) + linked_readings
    if any(r.regimen.dose for r in own.readings):
        regimens = _from_arm_doses(own.readings, linked_readings, arm_phase, text.location, flags)
    else:
        regimens = _from_interventions(own.readings, linked_readings, arm_phase, level, flags)
    for reading in readings:  # the arm's own readings speak of it; an intervention's, where the arm uses them
        if reading in own.readings or any(reading.regimen is r or (reading.regimen.dose and
                                                                   r.dose == reading.regimen.dose) for r in regimens):
            flags.extend(reading.flags)
    regimens = [_with(r, route=r.route or route, route_source=r.route_source or route_source) for r in regimens]
    placebo = text.type in _PLACEBO_TYPES or (text.type is None and mentions_placebo(text.label or "")) or \
        (text.type is None and text.label is None and mentions_placebo(words) and not mentions_cells(words))
    cell_free = _cell_free(text)
    dosed = [r for r in regimens if r.dose]
    if dosed and (placebo or cell_free):
        kind = "a placebo or control" if placebo else f"a cell-free product ({cell_free})"
        flags.append(Flag(code="placebo-states-cells" if placebo else "cell-free",
                          message=f"The record gives this arm {kind}, yet its text states "
                          f"{describe_dose(dosed[0].dose)} (“{dosed[0].dose.source.text}”); "  # type: ignore[union-attr]
                          "no cells are counted for it."))
        regimens = [_with(r, dose=None) for r in regimens]
        regimens = [r for i, r in enumerate(regimens) if r not in regimens[:i]]
    elif cell_free:
        flags.append(Flag(code="cell-free", message=f"The arm gives a cell-free product ({cell_free}), not cells."))
    regimens = regimens or [Regimen(route=route, route_source=route_source, phase=arm_phase)]
    cellular = any(r.dose for r in regimens) or (
        not placebo and not cell_free and not mentions_placebo(words) and mentions_cells(words)
    )
    for regimen in regimens:
        flags.extend(_regimen_flags(regimen))
    if cellular and not any(r.dose for r in regimens):
        said = f" (the record says '{level[1]} dose' only)" if level else ""
        flags.append(Flag(code="no-dose", message=f"No cell number is stated for this arm{said}."))
    return _Draft(text, regimens, flags, cellular, level, readings, placebo=placebo or bool(cell_free))


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _cell_free(text: ArmText) -> str | None:
    """The cell-free product an arm's label or interventions' names say it gives (convention 5.1)."""
    names = [text.label or "", *(i.name for i in text.interventions)]
    for name in names:
        found = cell_free_product(name)
        if found:
            return found
    return None


def _label_check(label: ParagraphReading, own: ParagraphReading) -> list[Flag]:
    """A dose in the label ("Group 1: 20 million Allogeneic hMSCs") against the arm's text; the text wins."""
    label_doses = [r.regimen.dose for r in label.readings if r.regimen.dose]
    text_doses = [r.regimen.dose for r in own.readings if r.regimen.dose]
    if any(math.isclose(a.value, b.value, rel_tol=1e-3) for a in label_doses for b in text_doses):  # type: ignore[union-attr]
        return []
    return [Flag(code="label-dose-disagreement", message=f"The arm's label gives {describe_dose(label_doses[0])}, "  # type: ignore[arg-type]
                 f"but its text gives {describe_dose(text_doses[0])}. The text is used.")]  # type: ignore[arg-type]


def _from_summaries(drafts: list[_Draft], summaries: tuple[str, ...]) -> None:
    """What the arms leave out, read from the trial's summaries as an analyst would, flagged: the dose of the
    trial's only cell arm when its texts give none, and the schedule of dosed arms that state no repeat when the
    summaries state one schedule (or one for that very dose)."""
    cell_arms = [d for d in drafts if d.cellular and not d.placebo]
    undosed = [d for d in cell_arms if not any(r.dose for r in d.regimens)]
    unscheduled = [d for d in cell_arms if any(r.dose and r.administrations is None and not r.interval_days
                                               for r in d.regimens)]
    if not summaries or not ((undosed and len(cell_arms) == 1) or unscheduled):
        return
    kept = " ".join(sentence for text in summaries for sentence in _regimen_sentences(text))
    readings = list(read_paragraph(kept, "the trial's summary").readings) if kept else []
    if undosed and len(cell_arms) == 1:
        draft = undosed[0]
        dosed = list({(r.regimen.dose.unit, r.regimen.dose.value): r for r in readings if r.regimen.dose}.values())  # type: ignore[union-attr]
        if dosed:
            route, route_source = draft.regimens[0].route, draft.regimens[0].route_source
            draft.regimens = [_with(r.regimen, route=r.regimen.route or route,
                                    route_source=r.regimen.route_source or route_source) for r in dosed]
            draft.flags = [f for f in draft.flags if f.code != "no-dose"]
            draft.flags.append(Flag(code="dose-from-summary", message="The arm's texts state no cell number; "
                                    + "; ".join(f"{describe_dose(r.regimen.dose)} is read from the trial's summary "  # type: ignore[arg-type]
                                                f"(“{r.regimen.dose.source.text}”)" for r in dosed) + "."))  # type: ignore[union-attr]
            draft.readings.extend(dosed)
            for regimen in draft.regimens:
                draft.flags.extend(_regimen_flags(regimen))
    levels = len({(r.dose.unit, r.dose.value) for d in cell_arms for r in d.regimens if r.dose})
    scheduled = [r.regimen for r in readings if r.regimen.administrations and not _dose_levels(r.regimen, levels)]
    distinct = {(r.administrations, r.interval_days, r.administration_days): r for r in scheduled}
    for draft in unscheduled:
        settled = []
        for regimen in draft.regimens:
            if regimen.dose is None or regimen.administrations is not None or regimen.interval_days:
                settled.append(regimen)
                continue
            same = [r for r in scheduled if r.dose and _same_dose(r, regimen)]
            found = same[0] if same else (next(iter(distinct.values())) if len(distinct) == 1 else None)
            if found is None:
                settled.append(regimen)
                continue
            settled.append(_with(regimen, **_schedule_of(found)))
            draft.flags.append(Flag(code="dose-from-summary", message=f"The arm's texts state no repeat; the "
                                    f"schedule, {_schedule_text(found)}, is read from the trial's summary "
                                    f"(“{found.schedule_source.text if found.schedule_source else ''}”)."))
        draft.regimens = settled


def _regimen_sentences(text: str) -> list[str]:
    """The sentences of a summary that may state a regimen: around each digit or schedule word, the sentence
    holding it, if it also says something is given. A summary is long and mostly background; finding the few
    candidate sentences from plain character searches is far cheaper than reading the whole text."""
    lowered = text.lower()
    cues = [m.start() for m in _DIGIT.finditer(text)]
    for word in _SUMMARY_SCHEDULE_WORDS:
        at = lowered.find(word)
        while at >= 0:
            cues.append(at)
            at = lowered.find(word, at + len(word))
    found: dict[int, str] = {}
    covered = 0  # cues inside a sentence already taken are passed over
    for cue in sorted(cues):
        if cue < covered:
            continue
        low = max(0, cue - _SENTENCE_REACH)
        start = max(text.rfind(". ", low, cue) + 2, text.rfind("\n", low, cue) + 1, low)
        ends = [e for e in (text.find(". ", cue, cue + _SENTENCE_REACH), text.find("\n", cue, cue + _SENTENCE_REACH))
                if e >= 0]
        covered = min(ends) + 1 if ends else min(len(text), cue + _SENTENCE_REACH)
        sentence = text[start:covered]
        if GIVING.search(sentence):
            found[start] = sentence.strip()
    return list(found.values())


def _dose_levels(regimen: Regimen, levels: int) -> bool:
    """"the intravenous administration of 3 doses" in a trial of three dose levels counts levels, not doses."""
    words_ = regimen.schedule_source.text.lower() if regimen.schedule_source else ""
    return levels > 1 and regimen.administrations == levels and "doses" in words_


def _quoted(regimen: Regimen) -> str:
    sources = [regimen.dose.source if regimen.dose else None, regimen.schedule_source]
    return " ".join(source.text for source in sources if source is not None)


def _settle_count(draft: _Draft) -> None:
    """A dose with no stated repeat is one administration (convention 2.1); an open-ended schedule stays open."""
    open_ended = any(r.open_ended for r in draft.readings)
    settled = []
    for regimen in draft.regimens:
        if regimen.dose is not None and regimen.administrations is None:
            if open_ended or regimen.interval_days:
                draft.flags.append(Flag(code="count-open", message=f"{describe_dose(regimen.dose)} is given "
                                        f"{_schedule_text(regimen)} with no end stated: the number of "
                                        "administrations and the cumulative dose are unknown."))
            else:
                draft.flags.append(Flag(code="count-assumed", message="count not stated: one administration "
                                        f"assumed for {describe_dose(regimen.dose)}."))
                regimen = _with(regimen, administrations=1, administration_days=(0.0,))
        settled.append(regimen)
    draft.regimens = settled


def _from_arm_doses(
    own: tuple[Reading, ...], linked: list[Reading], arm_phase: str | None, location: str, flags: list[Flag]
) -> list[Regimen]:
    regimens: list[Regimen] = []
    for reading in (r for r in own if r.regimen.dose):
        regimen = reading.regimen
        same = [r.regimen for r in linked if r.regimen.dose and _same_dose(r.regimen, regimen)]
        if arm_phase:
            same = [r for r in same if r.phase in (None, arm_phase)] or same
        others = [r.regimen for r in linked if r.regimen.dose and not _same_dose(r.regimen, regimen)]
        if others and not same:
            flags.append(_disagreement("dose", describe_dose(regimen.dose), describe_dose(others[0].dose), others[0]))
        if regimen.administrations is not None:
            agreeing = [r for r in same if _same_schedule(r, regimen)]
            if same and not agreeing:
                flags.append(_disagreement("schedule", _schedule_text(regimen), _schedule_text(same[0]), same[0]))
            phases = {r.phase for r in agreeing if r.phase}
            phase = regimen.phase or arm_phase or (phases.pop() if len(phases) == 1 else None)
            regimens.append(_with(regimen, phase=phase))
            continue
        scheduled = [r for r in same if r.administrations is not None]
        if not scheduled:  # a schedule the interventions give without a dose ("once a week for 4 weeks")
            loose = {(r.regimen.administrations, r.regimen.interval_days): r.regimen for r in linked
                     if not r.regimen.dose and r.regimen.administrations
                     and (not arm_phase or r.regimen.phase in (None, arm_phase))}
            scheduled = list(loose.values()) if len(loose) == 1 else []
        if not scheduled:
            regimens.append(_with(regimen, phase=regimen.phase or arm_phase))
        for found in scheduled:
            regimens.append(_with(regimen, **_schedule_of(found), phase=found.phase or arm_phase))
    return regimens


def _from_interventions(
    own: tuple[Reading, ...],
    linked: list[Reading],
    arm_phase: str | None,
    level: tuple[int, str] | None,
    flags: list[Flag],
) -> list[Regimen]:
    own_schedule = next((r.regimen for r in own if r.regimen.administrations or r.regimen.interval_days), None)
    dosed = [r for r in linked if r.regimen.dose]
    if arm_phase:
        dosed = [r for r in dosed if r.regimen.phase in (None, arm_phase)]
    dosed = _pick_listed(dosed, level, flags)
    if not dosed:
        schedule = own_schedule or next((r.regimen for r in linked if r.regimen.administrations), None)
        return [_with(schedule, phase=schedule.phase or arm_phase)] if schedule else []
    regimens = []
    for reading in dosed:
        regimen = _with(reading.regimen, phase=reading.regimen.phase or arm_phase)
        if own_schedule is not None:
            if regimen.administrations is not None and not _same_schedule(regimen, own_schedule):
                flags.append(_disagreement("schedule", _schedule_text(own_schedule), _schedule_text(regimen), regimen))
            regimen = _with(regimen, **_schedule_of(own_schedule))
        regimens.append(regimen)
    return regimens


def _pick_listed(dosed: list[Reading], level: tuple[int, str] | None, flags: list[Flag]) -> list[Reading]:
    """One shared text listing "25, 100 or 200 million cells" gives the low arm the lowest."""
    listed = [r for r in dosed if r.listed]
    if len(listed) < 2:
        return dosed
    ordered = sorted(listed, key=lambda r: r.regimen.dose.value)  # type: ignore[union-attr]
    if level is None:
        flags.append(Flag(code="dose-alternatives", message="The intervention lists several doses and the arm "
                          "does not say which it receives; every listed dose is shown."))
        return dosed
    index = {1: 0, 2: len(ordered) // 2, 3: len(ordered) - 1}[level[0]]
    chosen = ordered[index]
    flags.append(Flag(code="dose-from-list", message=f"The intervention lists {len(ordered)} doses; this "
                      f"'{level[1]} dose' arm is given the {('lowest', 'middle', 'highest')[level[0] - 1]}, "
                      f"{describe_dose(chosen.regimen.dose)}."))  # type: ignore[arg-type]
    return [r for r in dosed if not r.listed] + [chosen]


def _settle_phase(draft: _Draft, trial_phases: tuple[str, ...], readings: list[Reading]) -> None:
    """Give each regimen a phase: the trial's only phase, or the phase whose schedule it shares."""
    settled = []
    for regimen in draft.regimens:
        phase = regimen.phase
        if phase is None and regimen.administrations:
            phases = {r.regimen.phase for r in readings if r.regimen.phase and _same_schedule(r.regimen, regimen)}
            if len(phases) == 1:
                phase = phases.pop()
                draft.flags.append(Flag(code="phase-inferred", message=f"{phase} is inferred: the record "
                                        f"gives this arm's schedule ({_schedule_text(regimen)}) only for {phase}."))
        if phase is None and len(trial_phases) == 1 and not any(r.regimen.phase for r in readings):
            phase = trial_phases[0]
        settled.append(_with(regimen, phase=phase))
    draft.regimens = settled


def _check_level_labels(drafts: list[_Draft]) -> None:
    """Flag arms whose "low/medium/high dose" wording contradicts their number; the number wins."""
    dosed = [(d, d.regimens[0].dose) for d in drafts if d.level and d.regimens and d.regimens[0].dose]
    for unit in {dose.unit for _, dose in dosed}:
        by_level: dict[int, list[float]] = {}
        for draft, dose in dosed:
            if dose.unit == unit:
                by_level.setdefault(draft.level[0], []).append(dose.value)  # type: ignore[index]
        reference = {level: _typical(level, values) for level, values in by_level.items()}
        for draft, dose in dosed:
            if dose.unit != unit:
                continue
            rank, word = draft.level  # type: ignore[misc]
            clash = [lvl for lvl, ref in reference.items() if (lvl > rank and ref <= dose.value) or
                     (lvl < rank and ref >= dose.value)]
            if not clash and _close(dose.value, reference[rank]):
                continue
            if not clash and len(set(by_level[rank])) == 1:
                continue
            others = "; ".join(f"'{_LEVEL_WORDS[lvl]} dose' arms receive {format_cells(reference[lvl], unit)}"
                               for lvl in sorted(reference) if lvl != rank or not _close(reference[lvl], dose.value))
            draft.flags.append(Flag(
                code="label-contradicts-dose",
                message=f"The record calls this arm '{word} dose', but it receives {describe_dose(dose)} "
                f"({others}). The number is used; the '{word} dose' wording is not.",
            ))


_LEVEL_WORDS = {1: "low", 2: "medium", 3: "high"}


def _typical(level: int, values: list[float]) -> float:
    """The dose most arms of a level share; on a tie, the end of the range the level names."""
    counts = Counter(values).most_common()
    top = [value for value, count in counts if count == counts[0][1]]
    if len(top) == 1:
        return top[0]
    return {1: min(top), 2: median(top), 3: max(top)}[level]


def _check_phases(drafts: list[_Draft], trial_phases: tuple[str, ...]) -> list[Flag]:
    """The record's stated phase(s) against the phases its arms' regimens belong to."""
    found = sorted({r.phase for d in drafts for r in d.regimens if r.phase})
    missing = [p for p in found if p not in trial_phases]
    if not trial_phases or not missing:
        return []
    return [Flag(code="phase-contradiction", message=f"The record states {' and '.join(trial_phases)}, but its "
                 f"arms include {' and '.join(missing)} regimens.")]


def _labels(drafts: list[_Draft]) -> list[str]:
    multi_phase = len({r.phase for d in drafts for r in d.regimens if r.phase}) > 1
    labels = [d.text.label or _derived_label(d, multi_phase) for d in drafts]
    counts = Counter(labels)
    seen: Counter[str] = Counter()
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(f"{label} ({seen[label]})" if counts[label] > 1 else label)
    return unique


def _derived_label(draft: _Draft, multi_phase: bool) -> str:
    words = draft.text.description
    if not draft.cellular:
        if mentions_placebo(words):
            return "Control (placebo)"
        return "Control (standard care)" if mentions_control(words) else "Control"
    dosed = [r for r in draft.regimens if r.dose]
    if not dosed:
        return f"Cells, {draft.level[1]} dose (number not stated)" if draft.level else "Cells (dose not stated)"
    parts = []
    for regimen in dosed:
        phase = f"{regimen.phase} · " if multi_phase and regimen.phase else ""
        parts.append(f"{phase}{_dose_text(regimen)} {_schedule_text(regimen)}")
    return " / ".join(parts)


def _infer_type(draft: _Draft) -> str:
    words = f"{draft.text.label or ''} {draft.text.description}"
    if "sham" in words.lower():
        return "SHAM_COMPARATOR"
    if mentions_placebo(words):
        return "PLACEBO_COMPARATOR"
    if draft.cellular:
        return "EXPERIMENTAL"
    return "NO_INTERVENTION" if mentions_control(words) else "OTHER"


def _regimen_flags(regimen: Regimen) -> list[Flag]:
    flags = []
    dose = regimen.dose
    if dose is None:
        return flags
    if dose.is_range:
        flags.append(Flag(code="dose-range", message=f"The dose is a range, {_dose_text(regimen)}; its midpoint, "
                          f"{describe_dose(dose)}, is used for charts and totals."))
    if dose.bound:
        flags.append(Flag(code="dose-bound", message=f"The dose is {dose.bound} {describe_dose(dose)} "
                          f"(“{dose.source.text}”); the bound is charted."))
    if dose.exponent_restored:
        flags.append(Flag(code="exponent-restored", message=f"Read as {describe_dose(dose)}: the record's "
                          f"superscript was lost (“{dose.source.text}”)."))
    return flags


def _disagreement(what: str, arm_says: str, other_says: str, other: Regimen) -> Flag:
    source = other.dose.source if other.dose else other.schedule_source
    where = source.location if source else "its intervention"
    return Flag(code=f"{what}-disagreement", message=f"The arm's text gives {arm_says}, but {where} gives "
                f"{other_says}. The arm's text is used.")


def _dose_text(regimen: Regimen) -> str:
    dose = regimen.dose
    if dose is None:
        return ""
    if dose.low is not None and dose.high is not None:
        return format_dose_range(dose.low, dose.high, dose.unit)
    return describe_dose(dose)


def _schedule_text(regimen: Regimen) -> str:
    return format_schedule(regimen.administrations, regimen.interval_days, regimen.administration_days)


def _with(regimen: Regimen, **changes: object) -> Regimen:
    """The regimen with `changes`, or itself when they change nothing: most do not, and a copy costs more."""
    # `is` first: a regimen mostly keeps its own route source, and comparing two models field by field is slow.
    # The same object is also an equal one here, as a validated regimen holds no NaN.
    if all((current := getattr(regimen, name)) is value or current == value for name, value in changes.items()):
        return regimen
    return regimen.model_copy(update=changes)


def _schedule_of(regimen: Regimen) -> dict:
    return {
        "administrations": regimen.administrations,
        "interval_days": regimen.interval_days,
        "administration_days": regimen.administration_days,
        "schedule_source": regimen.schedule_source,
    }


def _same_dose(a: Regimen, b: Regimen) -> bool:
    if a.dose is None or b.dose is None:
        return False
    return a.dose.unit == b.dose.unit and _close(a.dose.value, b.dose.value)


def _same_schedule(a: Regimen, b: Regimen) -> bool:
    if a.administrations != b.administrations:
        return False
    return a.interval_days is None or b.interval_days is None or _close(a.interval_days, b.interval_days)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _unique(flags: list[Flag]) -> list[Flag]:
    return list(dict.fromkeys(flags))
