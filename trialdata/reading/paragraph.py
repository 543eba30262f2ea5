"""One paragraph of registry text -> the regimens it states, each number with its sentence.

The grammar finds doses and schedules sentence by sentence; this module reads
them together as an analyst would (docs/reading-conventions.md): a dose meets
its schedule, a total is divided by its count or is one procedure's dose, a
concentration becomes a dose only with a volume, a cap stays a cap, options and
escalation steps become regimens of their own, and conditional doses are
counted apart. A paragraph may speak of several phases ("For phase I: ... For
phase II: ..."); each part is read with its phase. Arms and interventions are
reconciled later, in `arms.py`; this module only reads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from pydantic import ValidationError

from ..flags import FLAGS
from ..grammar.doses import DoseMention, find_doses
from ..grammar.patterns import words
from ..grammar.phases import PHASE_MARKER, may_name_phase, phase_name
from ..grammar.routes import find_route
from ..grammar.schedules import (
    OptionalDoses,
    ScheduleMention,
    find_optional,
    find_schedules,
    may_state_schedule,
)
from ..grammar.sentences import split_sentences
from ..grammar.text import readable
from ..grammar.vocabulary import PROCEDURE_WORDS, SITE_WORDS, TIME_UNITS
from ..models import Dose, Flag, Regimen, Source
from ..notation import format_cells, format_dose_range

MAX_PARAGRAPH_CHARS = 20_000  # registry arm and intervention texts are capped at 1,000 characters
# No registry paragraph states more doses or schedules than this; reading them is pairwise, so more are not read.
MAX_MENTIONS = 64
_SAME = 1e-6
_TOTAL_SLACK = 0.02  # a stated total within 2% of dose × count agrees with it
_PROCEDURE = re.compile(rf"\b{words(PROCEDURE_WORDS)}", re.I)
_SITE_NOUN = re.compile(rf"^(?:injections?|{words(SITE_WORDS, plural=True)})$", re.I)
# "0.5 ml per injection x 10 injections": an amount per injection, so the injections are one procedure's.
_PER_INJECTION = re.compile(r"\b(?:per|each|every)\s{1,3}(?:injection|site|point)\b", re.I)
_TIMES_OF_DAY = re.compile(
    rf"\b(?:{words(TIME_UNITS, plural=True)}|interval|apart)\b|\b\d{{1,3}}-(?:{words(TIME_UNITS)})", re.I)
_NUMBER_OF_CELLS = re.compile(r"\b(?:number|amount|sum|quantity)\s{1,3}of\s{1,3}cells\b", re.I)
_CAP_WORDS = re.compile(r"\b(?:maximum|max\.?|not\s{1,3}(?:to\s{1,3})?exceed(?:ing)?|capped|upper\s{1,3}limit)\b"
                        r"[^.;]{0,60}$", re.I)
_VOLUME_GIVEN = re.compile(
    r"(?P<low>\d{1,3}(?:[.,]\d{1,3})?)(?:\s{0,3}(?:-|–|to)\s{0,3}(?P<high>\d{1,3}(?:[.,]\d{1,3})?))?\s{0,2}"
    r"(?:ml|mL|cc|milliliters?|millilitres?)\b(?P<each>\s{0,3}(?:per|each|/)\s{0,3}(?:injection|site|point))?",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    """A regimen as one paragraph states it; `listed` marks one of several alternative doses."""

    regimen: Regimen
    listed: bool = False
    flags: tuple[Flag, ...] = ()
    open_ended: bool = False


@dataclass(frozen=True)
class ParagraphReading:
    readings: tuple[Reading, ...]
    flags: tuple[Flag, ...]
    route: str | None
    route_source: Source | None
    optional: tuple[str, ...] = ()  # conditional doses the text describes, in its words


@dataclass
class _Sentence:
    source: Source
    doses: list[DoseMention]
    schedules: list[ScheduleMention]
    optional: list[OptionalDoses]
    text: str  # what the grammar read (invisible characters removed)
    sites: int | None = None  # injections into several places in one procedure ("15 injections in the wall")


@dataclass
class _Part:
    sentences: list[_Sentence] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def read_paragraph(text: str, location: str) -> ParagraphReading:
    """Every regimen stated in `text`; `location` says where the paragraph sits in the record."""
    flags: list[Flag] = []
    if len(text) > MAX_PARAGRAPH_CHARS:
        flags.append(_flag("text-truncated", f"The text of {location} is {len(text):,} characters long; only its "
                           f"first {MAX_PARAGRAPH_CHARS:,} were read."))
        text = text[:MAX_PARAGRAPH_CHARS]
    route_found = find_route(text)
    route, route_source = None, None
    if route_found:
        route = route_found[0]
        route_source = Source(text=_sentence_holding(text, route_found[1]), location=location)
    readings: list[Reading] = []
    optional: list[str] = []
    if not may_state_schedule(text):  # no digit and no schedule word: no dose, no schedule (most arm texts)
        return ParagraphReading((), tuple(flags), route, route_source)
    for phase, part_text in split_phase_parts(text):
        part = _read_sentences(part_text, location)
        flags.extend(part.flags)
        readings.extend(_regimens(part, phase, location, route, route_source, flags))
        optional.extend(o.text for s in part.sentences for o in s.optional)
    return ParagraphReading(tuple(readings), tuple(dict.fromkeys(flags)), route, route_source,
                            tuple(dict.fromkeys(optional)))


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


def _read_sentences(text: str, location: str) -> _Part:
    part = _Part()
    for sentence in split_sentences(text):
        if not may_state_schedule(sentence.text):  # \d is any digit, fullwidth ones too
            continue
        words_, broken = readable(sentence.text)
        doses = find_doses(words_)
        schedules = [s for s in find_schedules(words_) if s.administrations or s.interval_days or s.open_ended]
        optional = find_optional(words_) if doses or schedules or _may_be_optional(words_) else []
        if not (doses or schedules or optional):
            continue
        source = Source(text=sentence.text, location=location)
        if broken and doses:
            part.flags.append(_flag("invisible-character", f"An invisible character broke a number in {location} "
                                    f"(“{sentence.text}”); it was read without it."))
        read = _Sentence(source, doses, schedules, optional, words_)
        read.schedules = _without_sites(read)
        part.sentences.append(read)
    return part


def _may_be_optional(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ("if ", "option", "may ", "discretion", "possible", "cross"))


def _without_sites(sentence: _Sentence) -> list[ScheduleMention]:
    """"between 10 and 20 intramyocardial injections", "15 injections in the anterior wall", "20 divided doses to
    15-20 parts of the muscle": injections into several places in one procedure are one administration
    (convention 2.4), so their count is set aside."""
    kept = []
    procedure: bool | None = None  # read once per sentence, and only when a count of injections asks for it
    for schedule in sentence.schedules:
        sites = _SITE_NOUN.match(schedule.noun or "-") or "divided" in schedule.text.lower()
        if schedule.administrations and schedule.interval_days is None and not schedule.days and sites:
            if procedure is None:
                per_injection = _PER_INJECTION.search(sentence.text) and not _TIMES_OF_DAY.search(sentence.text)
                procedure = bool(_PROCEDURE.search(sentence.text) or per_injection)
            if procedure:
                sentence.sites = schedule.administrations
                continue
        kept.append(schedule)
    return kept


def _regimens(part: _Part, phase: str | None, location: str, route: str | None, route_source: Source | None,
              flags: list[Flag]) -> list[Reading]:
    sentences = part.sentences
    optional_texts = [o for s in sentences for o in s.optional]
    doses: list[tuple[DoseMention, _Sentence]] = []
    for sentence in sentences:
        spans = [(o.start, o.start + len(o.text) + 2) for o in sentence.optional]
        for mention in sentence.doses:
            if mention.refused:
                flags.append(_flag("impossible-dose", f"Ignored '{mention.text}' in {location}: {mention.refused}."))
            elif any(start <= mention.start < end for start, end in spans):
                continue  # a conditional dose ("If needed a second dose of 100 million ASCs"): counted apart
            else:
                doses.append((mention, sentence))
    schedules = [(schedule, s) for s in sentences for schedule in s.schedules]
    if len(doses) > MAX_MENTIONS or len(schedules) > MAX_MENTIONS:
        flags.append(_flag("text-truncated", f"{location} states {len(doses):,} numbers of cells and "
                           f"{len(schedules):,} schedules; only the first {MAX_MENTIONS} of each were read."))
        doses, schedules = doses[:MAX_MENTIONS], schedules[:MAX_MENTIONS]
    primary = [(m, s) for m, s in doses if m.role == "dose"]
    if any(s.sites for s in sentences) and any(m.role == "total" for m, _ in doses):
        primary = []  # injections into several sites with a stated total: the total is the procedure's dose (2.4)
    primary = _without_caps(primary, location, flags)
    readings: list[Reading] = []
    if primary:
        readings = _from_doses(primary, doses, schedules, part, location, flags)
    else:
        readings = _from_totals(doses, schedules, part, location, flags)
    if not readings and schedules:
        schedule, sentence = schedules[0]
        readings = [Reading(_regimen(None, schedule, sentence.source), open_ended=schedule.open_ended)]
    finished = []
    for reading in readings:  # route and phase cannot make a regimen impossible: a copy needs no validation
        regimen = reading.regimen.model_copy(update={"route": route, "route_source": route_source, "phase": phase})
        extra = _optional_flag(regimen, optional_texts)
        finished.append(Reading(regimen, reading.listed, reading.flags + extra, reading.open_ended))
    return finished


def _without_caps(primary: list[tuple[DoseMention, _Sentence]], location: str,
                  flags: list[Flag]) -> list[tuple[DoseMention, _Sentence]]:
    """Bounds read as an analyst reads them: "2x10^6 cells/kg (up to a maximum dose of 100x10^6 cells)" caps a
    per-kg dose; "up to 5 x 10^6 ... The three doses are 1, 3 and 5 x 10^6" sums up the options; "a minimum dose
    of 0.5 x10^6 and a maximum of 1.5 x10^6 per kg" is one range."""
    paired = _bounds_as_ranges(primary)
    kept = []
    for mention, sentence in paired:
        others = [m for m, _ in paired if m is not mention and m.bound is None]
        head = sentence.text[max(0, mention.start - 80):mention.start]
        capping = mention.bound == "at most" or bool(_CAP_WORDS.search(head))
        if capping and others:
            if mention.unit == "cells" and any(m.unit != mention.unit for m in others):
                flags.append(_flag("dose-cap", f"{describe(mention)} caps the per-kg dose "
                                   f"(“{sentence.source.text}”)."))
                continue
            if mention.bound == "at most" and any(math.isclose(m.value, mention.value, rel_tol=_SAME)
                                                  for m in others):
                continue
        kept.append((mention, sentence))
    return kept


def _bounds_as_ranges(primary: list[tuple[DoseMention, _Sentence]]) -> list[tuple[DoseMention, _Sentence]]:
    """An "at least" and an "at most" of one unit in one sentence are the two ends of one range."""
    result = list(primary)
    for low, sentence in primary:
        if low.bound != "at least":
            continue
        high = next(((m, s) for m, s in primary if s is sentence and m.bound == "at most" and m.unit == low.unit
                     and m.value > low.value), None)
        if high is None:
            continue
        ranged = replace(low, value=(low.value + high[0].value) / 2, low=low.value, high=high[0].value, bound=None,
                         exponent_restored=low.exponent_restored or high[0].exponent_restored)
        result = [(ranged, sentence) if m is low else (m, s) for m, s in result if m is not high[0]]
    return result


def _from_doses(primary: list[tuple[DoseMention, _Sentence]], doses: list[tuple[DoseMention, _Sentence]],
                schedules: list[tuple[ScheduleMention, _Sentence]], part: _Part, location: str,
                flags: list[Flag]) -> list[Reading]:
    distinct: list[tuple[DoseMention, _Sentence]] = []
    for mention, sentence in primary:
        same = next((i for i, (m, _) in enumerate(distinct) if _same_mention(m, mention)), None)
        if same is None:
            distinct.append((mention, sentence))
        elif not distinct[same][0].unit_written and mention.unit_written:
            distinct[same] = (mention, sentence)
    distinct = _tolerances_merged(distinct)
    steps = [d for d in distinct if d[0].ordinal]
    readings = []
    if len(steps) > 1 and len({m.value for m, _ in steps}) > 1:
        flags.append(_flag("dose-steps", "The dose changes from one administration to the next ("
                           + ", then ".join(describe(m) for m, _ in sorted(steps, key=lambda d: d[0].ordinal or 0))
                           + "); each is shown as its own row of one administration."))
        for mention, sentence in sorted(steps, key=lambda d: d[0].ordinal or 0):
            single = ScheduleMention(1, None, (), "", 0, 0)
            readings.append(Reading(_regimen(_dose(mention, sentence, location, flags), single, sentence.source)))
        distinct = [d for d in distinct if not d[0].ordinal]
    distinct = _without_cumulative(distinct, schedules)
    options = len(distinct) > 1
    for mention, sentence in distinct:
        dose = _dose(mention, sentence, location, flags)
        if dose is None:
            continue
        schedule, schedule_sentence = _schedule_for(mention, sentence, schedules)
        regimen = _regimen(dose, schedule, schedule_sentence.source if schedule_sentence else None)
        extra: tuple[Flag, ...] = ()
        if options:
            extra += (_flag("dose-options", "The text gives several doses for this arm ("
                            + ", ".join(describe(m) for m, _ in distinct) + "); each is a row of its own."),)
        if schedule is not None and schedule.count_bound:
            extra += (_flag("count-bound", f"The count is {schedule.count_bound} {schedule.administrations} "
                            f"(“{schedule.text}”); that many are charted."),)
        if mention.assumed_per_kg:
            extra += (_flag("per-kg-assumed", f"“{mention.text}” does not say kg; it is read as a dose per kg of "
                            "body weight."),)
        extra += _total_check(regimen, doses, sentence)
        extra += _volume_check(mention, sentence)
        readings.append(Reading(regimen, listed=bool(mention.listed) or options, flags=extra,
                                open_ended=bool(schedule and schedule.open_ended)))
    return readings


def _tolerances_merged(distinct: list[tuple[DoseMention, _Sentence]]) -> list[tuple[DoseMention, _Sentence]]:
    """"approximately 5 x 10^7 cells/10 mL (range: 4.5 x 10^7 to 5.5 x 10^7 cells/10 mL)": a range that brackets a
    dose of the same sentence is that dose's tolerance, not another dose."""
    singles = [(m, s) for m, s in distinct if not m.is_range]
    kept = []
    for mention, sentence in distinct:
        if mention.is_range and any(s is sentence and m.unit == mention.unit and mention.low <= m.value <= mention.high
                                    for m, s in singles):  # type: ignore[operator]
            continue
        kept.append((mention, sentence))
    return kept


def _without_cumulative(distinct: list[tuple[DoseMention, _Sentence]],
                        schedules: list[tuple[ScheduleMention, _Sentence]]) -> list[tuple[DoseMention, _Sentence]]:
    """A dose that is another dose × its count is that regimen's cumulative dose, stated as a check ("at least 10
    million per procedure, maximum four procedures, minimum number of cells 40 million"), not a regimen."""
    kept = []
    for mention, sentence in distinct:
        cumulative = False
        for other, where in distinct:
            if other is mention or other.unit != mention.unit or other.value >= mention.value:
                continue
            head = sentence.text[max(0, mention.start - 60):mention.start]
            if not ((mention.bound is not None and mention.bound == other.bound) or _NUMBER_OF_CELLS.search(head)):
                continue  # two bounds alike, or "the number of cells": read as a total ("minimum ... 40 million")
            schedule, _ = _schedule_for(other, where, schedules)
            count = schedule.administrations if schedule else None
            if count and count > 1 and math.isclose(other.value * count, mention.value, rel_tol=_TOTAL_SLACK):
                cumulative = True
        if not cumulative:
            kept.append((mention, sentence))
    return kept


def _from_totals(doses: list[tuple[DoseMention, _Sentence]], schedules: list[tuple[ScheduleMention, _Sentence]],
                 part: _Part, location: str, flags: list[Flag]) -> list[Reading]:
    """No dose per administration is written: a total, injections into one site each, or a concentration with a
    volume may still give one (each flagged as computed), or the flag says why there is none."""
    totals = [(m, s) for m, s in doses if m.role == "total"]
    per_site = [(m, s) for m, s in doses if m.role == "per-site"]
    concentrations = [(m, s) for m, s in doses if m.role == "concentration"]
    sites = next((s.sites for s in part.sentences if s.sites), None)
    if totals:
        mention, sentence = totals[0]
        schedule, schedule_sentence = _schedule_for(mention, sentence, schedules)
        count = schedule.administrations if schedule else None
        if count and count > 1 and not sites and schedule is not None and not schedule.single:
            per_dose = _scaled(mention, 1 / count)
            dose = _dose(per_dose, sentence, location, flags)
            note = _flag("dose-computed", f"The record states a total of {describe(mention)} over {count} "
                         f"administrations; each is {describe(per_dose)}.")
        else:
            dose = _dose(mention, sentence, location, flags)
            note = None
            if sites:
                note = _flag("dose-computed", f"{describe(mention)} is the total of {sites} injections in one "
                             "procedure, read as one administration (the per-injection figure is in the source).")
        if dose is None:
            return []
        regimen = _regimen(dose, schedule, schedule_sentence.source if schedule_sentence else None)
        return [Reading(regimen, flags=(note,) if note else (), open_ended=bool(schedule and schedule.open_ended))]
    if per_site:
        mention, sentence = per_site[0]
        if sites:
            total = _scaled(mention, sites)
            dose = _dose(total, sentence, location, flags)
            if dose is None:
                return []
            note = _flag("dose-computed", f"{describe(mention)} per injection × {sites} injections in one procedure "
                         f"= {describe(total)}, read as one administration.")
            schedule, schedule_sentence = _schedule_for(mention, sentence, schedules)
            return [Reading(_regimen(dose, schedule, schedule_sentence.source if schedule_sentence else None),
                            flags=(note,))]
        flags.append(_flag("per-site-only", f"The record gives {describe(mention)} per injection but not how many "
                           f"injections make one administration (“{sentence.source.text}”)."))
        return []
    for mention, sentence in concentrations:
        volume = _VOLUME_GIVEN.search(sentence.text, mention.end) or _VOLUME_GIVEN.search(sentence.text)
        if volume is not None and not volume.group("each"):
            low = float(volume.group("low").replace(",", "."))
            high = float(volume.group("high").replace(",", ".")) if volume.group("high") else None
            computed = _scaled(mention, low) if high is None else _ranged(mention, low, high)
            dose = _dose(computed, sentence, location, flags)
            if dose is None:
                continue
            note = _flag("dose-computed", f"{describe(mention)} per mL × {volume.group(0).strip()} = "
                         f"{_dose_words(dose)}.")
            schedule, schedule_sentence = _schedule_for(mention, sentence, schedules)
            return [Reading(_regimen(dose, schedule, schedule_sentence.source if schedule_sentence else None),
                            flags=(note,))]
        if volume is not None:
            flags.append(_flag("per-site-only", f"The record gives {describe(mention)} per mL and the volume of each "
                               "injection, but not how many injections make one administration "
                               f"(“{sentence.source.text}”)."))
        else:
            flags.append(_flag("concentration-only", f"Only a concentration is stated ({describe(mention)} per mL, "
                               f"“{sentence.source.text}”); with no volume it gives no dose."))
        return []
    return []


def _schedule_for(mention: DoseMention, sentence: _Sentence,
                  schedules: list[tuple[ScheduleMention, _Sentence]]) -> tuple[ScheduleMention | None,
                                                                             _Sentence | None]:
    """The schedule of a dose: the nearest in its own sentence, else the paragraph's one schedule (or the one
    all its schedules agree on); a "single dose" adjective gives way to a count stated elsewhere."""
    own = [s for s in sentence.schedules]
    if own:
        nearest = min(own, key=lambda s: _gap(mention, s))
        if nearest.weak:
            stronger = [(s, t) for s, t in schedules if t is not sentence and (s.administrations or 0) > 1
                        and (s.interval_days or s.days)]
            if stronger:
                return stronger[0]
        return nearest, sentence
    elsewhere = [(s, t) for s, t in schedules if t is not sentence]
    if not elsewhere:
        return None, None
    signatures = {(s.administrations, s.interval_days) for s, _ in elsewhere}
    if len(signatures) == 1:
        return elsewhere[0]
    return None, None


def _regimen(dose: Dose | None, schedule: ScheduleMention | None, source: Source | None) -> Regimen:
    return Regimen(
        dose=dose,
        administrations=schedule.administrations if schedule else None,
        interval_days=schedule.interval_days if schedule else None,
        administration_days=schedule.days if schedule else (),
        schedule_source=source if schedule and (schedule.administrations or schedule.interval_days) else None,
    )


def _dose(mention: DoseMention, sentence: _Sentence, location: str, flags: list[Flag]) -> Dose | None:
    try:
        return Dose(value=mention.value, unit=mention.unit, low=mention.low, high=mention.high,  # type: ignore[arg-type]
                    source=sentence.source, exponent_restored=mention.exponent_restored, bound=mention.bound)  # type: ignore[arg-type]
    except ValidationError as error:
        reason = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        flags.append(_flag("impossible-dose", f"Ignored '{mention.text}' in {location}: {reason}."))
        return None


def _same_mention(a: DoseMention, b: DoseMention) -> bool:
    return a.unit == b.unit and math.isclose(a.value, b.value, rel_tol=_SAME) and \
        (a.low is None) == (b.low is None)


def _scaled(mention: DoseMention, factor: float) -> DoseMention:
    return replace(mention, value=mention.value * factor,
                   low=mention.low * factor if mention.low is not None else None,
                   high=mention.high * factor if mention.high is not None else None, role="dose")


def _ranged(mention: DoseMention, low: float, high: float) -> DoseMention:
    ends = sorted(((mention.low or mention.value) * low, (mention.high or mention.value) * high))
    return replace(mention, value=sum(ends) / 2, low=ends[0], high=ends[1], role="dose")


def _total_check(regimen: Regimen, doses: list[tuple[DoseMention, _Sentence]], sentence: _Sentence) -> tuple[Flag, ...]:
    """A stated total against dose × count (convention 6)."""
    dose, count = regimen.dose, regimen.administrations
    if dose is None:
        return ()
    for mention, where in doses:
        if mention.role != "total" or mention.unit != dose.unit:
            continue
        expected = [dose.value * (count or 1)]
        if where.sites:
            expected.append(dose.value * where.sites)
        if any(math.isclose(mention.value, e, rel_tol=_TOTAL_SLACK) for e in expected):
            continue
        if mention.is_range and mention.low and mention.high and \
                any(mention.low * (1 - _TOTAL_SLACK) <= e <= mention.high * (1 + _TOTAL_SLACK) for e in expected):
            continue
        if math.isclose(mention.value, dose.value, rel_tol=_TOTAL_SLACK):
            continue
        return (_flag("total-contradiction", f"The record states a total of {describe(mention)}, but "
                      f"{_dose_words(dose)} × {count or 1} is {format_cells(dose.value * (count or 1), dose.unit)} "
                      f"(“{where.source.text}”)."),)
    return ()


def _volume_check(mention: DoseMention, sentence: _Sentence) -> tuple[Flag, ...]:
    """A stated concentration × volume against the stated dose (convention 6)."""
    for other in sentence.doses:
        if other.role != "concentration" or mention.unit != "cells":
            continue
        volume = _VOLUME_GIVEN.search(sentence.text, other.end)
        if volume is None or volume.group("each") or volume.group("high"):
            continue
        computed = other.value * float(volume.group("low").replace(",", "."))
        if not math.isclose(computed, mention.value, rel_tol=_TOTAL_SLACK):
            return (_flag("volume-contradiction", f"{describe(other)} per mL × {volume.group(0).strip()} is "
                          f"{format_cells(computed, 'cells')}, but the record states {describe(mention)}."),)
    return ()


def _optional_flag(regimen: Regimen, optional: list[OptionalDoses]) -> tuple[Flag, ...]:
    if not optional or (regimen.dose is None and not regimen.administrations):
        return ()
    words_ = "; ".join(f"“{o.text}”" for o in optional)
    extra = [o.extra for o in optional]
    count = regimen.administrations
    if count and all(extra):
        more = f" {count + sum(e for e in extra if e)} administrations if they are given"
    else:
        more = " more administrations if they are given"
    return (_flag("optional-doses", f"The record also describes optional or conditional doses ({words_}), not "
                  f"counted:{more}."),)


def describe(mention: DoseMention) -> str:
    if mention.is_range and mention.low is not None and mention.high is not None:
        return format_dose_range(mention.low, mention.high, mention.unit)
    return format_cells(mention.value, mention.unit)


def _dose_words(dose: Dose) -> str:
    if dose.low is not None and dose.high is not None:
        return format_dose_range(dose.low, dose.high, dose.unit)
    return format_cells(dose.value, dose.unit)


def describe_dose(dose: Dose) -> str:
    """'1.0×10⁶ cells/kg' for flags and labels."""
    return format_cells(dose.value, dose.unit)


def _gap(dose: DoseMention, schedule: ScheduleMention) -> int:
    return max(0, schedule.start - dose.end, dose.start - schedule.end)


def _sentence_holding(text: str, words_: str) -> str:
    for sentence in split_sentences(text):
        if words_ in sentence.text:
            return sentence.text
    return text.strip()


def _flag(code: str, message: str) -> Flag:
    assert code in FLAGS, code  # every code is in the one table
    return Flag(code=code, message=message)

