"""One paragraph of registry text -> the regimens it states, each number with its sentence.

A paragraph may speak of several phases ("For phase I: single infusion, ...
For phase II: ... once a week for a total of 4 times"); each part becomes its
own reading with that phase. Arms and interventions are reconciled later, in
`arms.py`; this module only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from .dose import DoseMention, find_doses
from .models import Dose, Flag, Regimen, Source
from .notation import format_cells
from .schedule import ScheduleMention, find_schedules
from .sentences import sentence_texts
from .vocabulary import PHASE_MARKER, find_route, may_name_phase, phase_name


@dataclass(frozen=True)
class Reading:
    """A regimen as one paragraph states it; `listed` marks one of several alternative doses."""

    regimen: Regimen
    listed: bool = False


@dataclass(frozen=True)
class ParagraphReading:
    readings: tuple[Reading, ...]
    flags: tuple[Flag, ...]
    route: str | None
    route_source: Source | None


MAX_PARAGRAPH_CHARS = 20_000  # registry arm and intervention texts are capped at 1,000 characters


def read_paragraph(text: str, location: str) -> ParagraphReading:
    """Every regimen stated in `text`; `location` says where the paragraph sits in the record."""
    flags: list[Flag] = []
    if len(text) > MAX_PARAGRAPH_CHARS:
        flags.append(Flag(code="text-truncated", message=f"The text of {location} is {len(text):,} characters "
                          f"long; only its first {MAX_PARAGRAPH_CHARS:,} were read."))
        text = text[:MAX_PARAGRAPH_CHARS]
    route_found = find_route(text)
    route, route_source = None, None
    sentences: list[str] | None = None
    if route_found:
        route = route_found[0]
        sentences = sentence_texts(text)
        route_source = Source(text=_sentence_holding(sentences, text, route_found[1]), location=location)
    readings: list[Reading] = []
    for phase, part in split_phase_parts(text):
        # A paragraph without phase markers is one part, the whole text: its sentences are split once.
        part_sentences = sentences if sentences is not None and part is text else sentence_texts(part)
        readings.extend(_read_part(part_sentences, phase, location, route, route_source, flags))
    return ParagraphReading(tuple(readings), tuple(flags), route, route_source)


def split_phase_parts(text: str) -> list[tuple[str | None, str]]:
    """[(phase, text)] split at "For phase I:" style markers; one untagged part when there are none."""
    if not may_name_phase(text):
        return [(None, text)]
    markers = list(PHASE_MARKER.finditer(text))
    if not markers:
        return [(None, text)]
    parts: list[tuple[str | None, str]] = []
    if text[: markers[0].start()].strip():
        parts.append((None, text[: markers[0].start()]))
    for marker, following in zip(markers, [*markers[1:], None]):
        end = following.start() if following else len(text)
        parts.append((phase_name(marker.group("number")), text[marker.start() : end]))
    return parts


def _read_part(
    sentences: list[str],
    phase: str | None,
    location: str,
    route: str | None,
    route_source: Source | None,
    flags: list[Flag],
) -> list[Reading]:
    dosed: list[tuple[DoseMention, Source, ScheduleMention | None]] = []
    loose_schedules: list[tuple[ScheduleMention, Source]] = []
    for sentence in sentences:
        doses = find_doses(sentence)
        schedules = [s for s in find_schedules(sentence) if s.administrations or s.interval_days]
        if not doses and not schedules:
            continue
        # One Source per sentence, shared by the dose and the schedule read from it (a str-only model: it
        # cannot fail validation, so building it for a sentence whose numbers are later refused changes nothing).
        source = Source(text=sentence, location=location)
        if not doses:
            loose_schedules.extend((s, source) for s in schedules)
            continue
        for dose in doses:
            nearest = min(schedules, key=lambda s: _gap(dose, s), default=None)
            dosed.append((dose, source, nearest))

    def regimen(dose: Dose | None, schedule: tuple[ScheduleMention, Source] | None) -> Regimen:
        mention, source = schedule if schedule else (None, None)
        return Regimen(
            dose=dose,
            administrations=mention.administrations if mention else None,
            interval_days=mention.interval_days if mention else None,
            administration_days=mention.days if mention else (),
            route=route,
            route_source=route_source,
            phase=phase,
            schedule_source=source,
        )

    readings: list[Reading] = []
    for mention, source, schedule in dosed:
        dose = _dose(mention, source, location, flags)
        if dose is None:
            continue
        if schedule is not None:
            paired: tuple[ScheduleMention, Source] | None = (schedule, source)
        else:
            paired = loose_schedules[0] if len(loose_schedules) == 1 else None
        readings.append(_checked(lambda d=dose, p=paired: regimen(d, p), mention.listed, location, flags))
    if not dosed and loose_schedules:
        readings.append(_checked(lambda: regimen(None, loose_schedules[0]), False, location, flags))
    return [r for r in readings if r is not None]


def _dose(mention: DoseMention, source: Source, location: str, flags: list[Flag]) -> Dose | None:
    try:
        return Dose(
            value=mention.value,
            unit=mention.unit,  # type: ignore[arg-type]
            low=mention.low,
            high=mention.high,
            source=source,
            exponent_restored=mention.exponent_restored,
        )
    except ValidationError as error:
        flags.append(Flag(code="impossible-dose", message=f"Ignored '{mention.text}' in {location}: {_reason(error)}."))
        return None


def _checked(build: Callable[[], Regimen], listed: bool, location: str, flags: list[Flag]) -> Reading | None:
    """A reading, or None and a flag when what was read is impossible."""
    try:
        return Reading(build(), listed)
    except ValidationError as error:
        flags.append(Flag(code="impossible-schedule", message=f"Ignored a schedule in {location}: {_reason(error)}."))
        return None


def _reason(error: ValidationError) -> str:
    return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())


def _gap(dose: DoseMention, schedule: ScheduleMention) -> int:
    return max(0, schedule.start - dose.end, dose.start - schedule.end)


def _sentence_holding(sentences: list[str], text: str, words: str) -> str:
    for sentence in sentences:
        if words in sentence:
            return sentence
    return text.strip()


def describe_dose(dose: Dose) -> str:
    """'1.0×10⁶ cells/kg' for flags and labels."""
    return format_cells(dose.value, dose.unit)
