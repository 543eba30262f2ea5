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
from itertools import pairwise

from pydantic import ValidationError

from ..flags import FLAGS
from ..grammar.cohorts import (
    Label,
    by_cohort,
    find_fraction,
    find_level_labels,
    find_weight_bands,
    not_used_after,
    target_at,
)
from ..grammar.doses import CELLS, DoseMention, find_doses
from ..grammar.patterns import led, lookup, words
from ..grammar.phases import PHASE_MARKER, may_name_phase, phase_name
from ..grammar.products import find_cell_words, find_drugs, mentions_placebo
from ..grammar.routes import find_route
from ..grammar.schedules import (
    COUNT_NUMBER,
    CYCLE_NOUNS,
    PER_CYCLE,
    OptionalDoses,
    ScheduleMention,
    count_number,
    find_optional,
    find_schedules,
    find_several,
    may_state_schedule,
)
from ..grammar.sentences import split_sentences
from ..grammar.text import readable, short_text_cache
from ..grammar.vocabulary import (
    ADMINISTRATION_NOUNS,
    BODY_UNITS,
    PROCEDURE_WORDS,
    REFERENCE_WORDS,
    SITE_WORDS,
    TIME_UNITS,
    VOLUME_UNITS,
)
from ..models import Dose, Flag, Regimen, Source
from ..notation import format_cells, format_dose_range

MAX_PARAGRAPH_CHARS = 20_000  # registry arm and intervention texts are capped at 1,000 characters
# No registry paragraph states more doses or schedules than this; reading them is pairwise, so more are not read.
MAX_MENTIONS = 64
_SAME = 1e-6
_THEN = re.compile(r"\bthen\b", re.I)
_OR_BEFORE = re.compile(r"\bor\s{1,3}$", re.I)  # "either a single dose of 30 million ..., or two doses": alternatives
MAX_ADMINISTRATIONS = 366
_PER_CYCLE_REACH = 40
# "NK cells (CD3-,CD 56+ cells)/kg recipient body weight": a text saying its doses are counted per kg.
_PER_KG_BASIS = led(r"\b(?:cells?|MSCs?)\W{0,3}\s{0,2}(?:/|per)\s{0,2}(?:kg|kilogram)\b(?!\s{0,3}\d)", re.I)
_BARE = re.compile(r"[\d\s.,^×xX*·()~+\-–—]{1,40}")  # "10^6", "3 x 10^7": a number with nothing it counts
_OR_GAP = led(r"\s{0,3}(?:,\s{0,3})?(?:or|/)\s{0,3}", re.I)
_DRUG_REACH = 40  # in a sentence naming no cells, a schedule this near a drug is the drug's
_LABEL_REACH = 40  # a dose level's or weight band's words stand this near the dose they label
_TOTAL_SLACK = 0.02  # a stated total within 2% of dose × count agrees with it
_PROCEDURE = led(rf"\b{words(PROCEDURE_WORDS)}", re.I)
_SITE_NOUN = re.compile(rf"^(?:injections?|{words(SITE_WORDS, plural=True)})$", re.I)
# "0.5 ml per injection x 10 injections": an amount per injection, so the injections are one procedure's.
_EACH_SITE_WORDS = r"(?:per|each|every)\s{1,3}(?:injection|site|point)\b"
_PER_INJECTION = led(rf"\b{_EACH_SITE_WORDS}|\bcells/\s{{0,2}}injection\b"
                     # "4 spinal cord injection of 4µL of cell suspensions": microlitres each, into one tissue
                     r"|\binjections?\s{1,3}of\s{1,3}\d{1,4}(?:\.\d{1,2})?\s{0,2}(?:µl|μl|ul)\b", re.I)
# A sentence about each injection of a procedure whose injections another sentence counts: its cells are per site.
_EACH_SITE = re.compile(_EACH_SITE_WORDS, re.I)
_TIMES_OF_DAY = led(
    rf"\b(?:{words(TIME_UNITS, plural=True)}|interval|apart)\b|\b\d{{1,3}}-(?:{words(TIME_UNITS)})", re.I)
_NUMBER_OF_CELLS = led(r"\b(?:number|amount|sum|quantity)\s{1,3}of\s{1,3}cells\b", re.I)
_CAP_WORDS = led(r"\b(?:maximum|max\.?|not\s{1,3}(?:to\s{1,3})?exceed(?:ing)?|capped|upper\s{1,3}limit)\b"
                        r"[^.;]{0,60}$", re.I)
_VOLUME_GIVEN = re.compile(
    r"(?P<low>\d{1,3}(?:[.,]\d{1,3})?)(?:\s{0,3}(?:-|–|to)\s{0,3}(?P<high>\d{1,3}(?:[.,]\d{1,3})?))?\s{0,2}"
    rf"(?P<unit>{words(VOLUME_UNITS, plural=True)})\b"
    r"(?P<each>\s{0,3}(?:per|each|/)\s{0,3}(?:injection|site|point))?",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    """A regimen as one paragraph states it; `listed` marks one of several alternative doses."""

    regimen: Regimen
    listed: bool = False
    flags: tuple[Flag, ...] = ()
    open_ended: bool = False
    banded: bool = False  # one of the arm's weight bands: every patient of the arm is in one, so none is an option
    cycles: int | None = None  # "3 cycles of ... D-CIK treatment": the count is of cycles, not administrations
    per_cycle: int | None = None  # "3 cycles, each cycle received four infusions": administrations of each cycle
    unit_assumed: bool = False  # "CART T cells 1-3x10^7 Day 0": a bare number, read as a flat count of cells


@dataclass(frozen=True)
class ParagraphReading:
    readings: tuple[Reading, ...]
    flags: tuple[Flag, ...]
    route: str | None
    route_source: Source | None
    optional: tuple[str, ...] = ()  # conditional doses the text describes, in its words
    text: str = ""  # what was read, for what only some arms need to look for ("multiple HANK immunotherapies")

    def several(self) -> str | None:
        """The words that speak of several administrations without counting them, or None."""
        return find_several(self.text)


@dataclass
class _Sentence:
    source: Source
    doses: list[DoseMention]
    schedules: list[ScheduleMention]
    optional: list[OptionalDoses]
    text: str  # what the grammar read (invisible characters removed)
    sites: int | None = None  # injections into several places in one procedure ("15 injections in the wall")
    fraction: str | None = None  # "split dose infusion over 3 days": one dose given in parts
    bands: list[Label] = field(default_factory=list)  # weight bands ("(for patients ≤ 50 kg)")
    levels: list[Label] = field(default_factory=list)  # dose levels, cohorts and groups ("Dose Level 2:")
    target: int = -1  # where "target dose" stands, or -1


@dataclass
class _Part:
    sentences: list[_Sentence] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    text: str = ""


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
        return ParagraphReading((), tuple(flags), route, route_source, text=text)
    for phase, part_text in split_phase_parts(text):
        part = _read_sentences(part_text, location)
        flags.extend(part.flags)
        readings.extend(_regimens(part, phase, location, route, route_source, flags))
        optional.extend(o.text for s in part.sentences for o in s.optional)
    return ParagraphReading(tuple(readings), tuple(dict.fromkeys(flags)), route, route_source,
                            tuple(dict.fromkeys(optional)), text)


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
    part = _Part(text=text)
    heading: re.Match[str] | None = None  # the last unit heading, for the lines under it
    for sentence in split_sentences(text):
        found = _UNIT_HEADING.search(sentence.text) if "(" in sentence.text else None
        if found:
            heading = found
        if not may_state_schedule(sentence.text):  # \d is any digit, fullwidth ones too
            continue
        grammar = _sentence_grammar(sentence.text)
        if grammar is None:
            continue
        if grammar.broken and grammar.doses:
            part.flags.append(_flag("invisible-character", f"An invisible character broke a number in {location} "
                                    f"(“{sentence.text}”); it was read without it."))
        if grammar.levels_counted:
            part.flags.append(_flag("count-is-levels", f"The count of {grammar.levels_counted} doses in {location} "
                                    f"is the number of dose levels its sentence lists (“{sentence.text}”), not "
                                    "administrations of each."))
        if grammar.together:
            part.flags.append(_flag("dose-computed", f"“{grammar.together}” ({location}) gives two products together; "
                                    "the dose is their sum."))
        doses = list(grammar.doses)
        if heading is not None and doses and not found:
            doses, heading = _under_heading(doses, heading, location, part.flags)
        part.sentences.append(_Sentence(
            Source(text=sentence.text, location=location), doses, list(grammar.schedules),
            list(grammar.optional), grammar.text, grammar.sites, grammar.fraction, list(grammar.bands),
            list(grammar.levels), grammar.target))
    _compose_cycles(part)
    return part


# A list's heading naming the unit its numbers are in: "Subjects will receive one of the following dose levels
# (cells/m2):" above "Dose Level 1 = 1 x 10^7".
_UNIT_HEADING = led(rf"\((?:[\w+-]{{1,20}}\s{{1,3}})?cells?\s{{0,2}}/\s{{0,2}}(?P<body>{words(BODY_UNITS)})\)"
                    r"\s{0,3}:\s{0,3}$", re.I)


def _under_heading(doses: list[DoseMention], heading: re.Match[str], location: str,
                   flags: list[Flag]) -> tuple[list[DoseMention], re.Match[str] | None]:
    """The doses of a line under a unit heading, in the heading's unit when the line writes none; a line that
    writes its own unit ends the list."""
    if any(d.unit_written for d in doses):
        return doses, None
    unit = str(lookup(BODY_UNITS, heading.group("body").lower()))
    flags.append(_flag("unit-from-heading", f"The numbers listed under “{heading.string.strip()}” ({location}) write "
                       f"no unit; they were read in {unit}, the unit the heading names."))
    return [replace(d, unit=unit) if d.unit == CELLS else d for d in doses], heading


@dataclass(frozen=True)
class _SentenceGrammar:
    """What the grammar reads in one sentence, whatever paragraph or record it stands in."""

    text: str
    broken: bool
    doses: tuple[DoseMention, ...]
    schedules: tuple[ScheduleMention, ...]
    optional: tuple[OptionalDoses, ...]
    sites: int | None
    fraction: str | None
    bands: tuple[Label, ...]
    levels: tuple[Label, ...]
    target: int
    levels_counted: str = ""  # "two doses will be investigated 1x10^8 ... and 2x10^8": the levels' count, as read
    together: str = ""  # "A at 1×10^6 cells/m^2 and B at 1×10^6 cells/m^2": two products' doses given as one


# What the grammar finds depends on the sentence alone, so a sentence met again (a detailed description restating
# its brief summary, arms sharing an intervention's words) is read once: 321 of the 3,180 sentences of the MSC
# corpus that reach the grammar.
@short_text_cache(maxsize=4096)
def _sentence_grammar(sentence_text: str) -> _SentenceGrammar | None:
    """The doses, schedules, conditional doses and labels of one sentence, or None when it states none."""
    words_, broken = readable(sentence_text)
    doses = find_doses(words_)
    schedules = [s for s in find_schedules(words_) if s.administrations or s.interval_days or s.open_ended]
    fraction = None if schedules else find_fraction(words_)
    if fraction:  # a split dose with no other schedule: "a three-day split-dose regimen (day0, 30%; ...)"
        at = words_.find(fraction)
        schedules = [ScheduleMention(1, None, (0.0,), fraction, at, at + len(fraction), single=True)]
    optional = find_optional(words_) if doses or schedules or _may_be_optional(words_) else []
    if not (doses or schedules or optional):
        return None
    levels_counted = ""
    if len(doses) > 1 and (counted := _levels_counted(doses, schedules)) is not None:
        levels_counted = str(counted.administrations)
        schedules = [s for s in schedules if s is not counted]
    doses, together = _given_together(words_, _escalation_span(words_, doses))
    read = _Sentence(Source(text=sentence_text, location=""), doses, schedules, optional, words_)
    read.schedules = _without_sites(read)
    if read.sites:
        read.doses = _itemised(read.doses, read.sites)
    if doses:
        _read_cohorts(read)
    if read.schedules:
        read.schedules = _without_drug_schedules(read)
        timed = any(x.interval_days for x in read.schedules)
        split = fraction or (find_fraction(words_) if not timed or "split" in words_.lower() else None)
        if split and (not timed or _days_of_split(words_, split, read.schedules)):
            read.fraction = split
        if read.fraction:
            first = read.schedules[0]
            read.schedules = [ScheduleMention(1, None, (0.0,), read.fraction, first.start, first.end, single=True)]
    return _SentenceGrammar(words_, broken, tuple(read.doses), tuple(read.schedules), tuple(read.optional),
                            read.sites, read.fraction, tuple(read.bands), tuple(read.levels), read.target,
                            levels_counted, together)


# An escalation written as its two ends: "starting dose: 0.3x106 CAR+ T cells/kg (weight based dosing)(up to a
# maximum dose of 18x106 CAR+ T cells /kg)" is one range, as "0.3x106- 15.0x106 CAR+ T cells per kg" is.
_STARTING = re.compile(r"\bstarting\s{1,3}dose\s{0,3}(?:level\s{0,3})?(?:of|:|is|=)?\s{0,3}$", re.I)
_MAXIMUM = re.compile(r"\b(?:up\s{1,3}to\s{1,3})?(?:a\s{1,3})?maximum\s{1,3}dose\s{0,3}(?:level\s{0,3})?(?:of|:|is|=)?"
                      r"\s{0,3}$", re.I)
_END_REACH = 30  # characters before a dose searched for the words naming it an escalation's start or end


def _escalation_span(text: str, doses: list[DoseMention]) -> list[DoseMention]:
    if len(doses) != 2 or "starting" not in text.lower():
        return doses
    first, last = doses
    if first.unit != last.unit or first.is_range or last.is_range or not first.value < last.value \
            or not _STARTING.search(text, max(0, first.start - _END_REACH), first.start) \
            or not _MAXIMUM.search(text, max(0, last.start - _END_REACH), last.start):
        return doses
    return [replace(first, value=(first.value + last.value) / 2, low=first.value, high=last.value, end=last.end,
                    text=text[first.start:last.end], bound=None)]


# Two products given together, each with its dose: "Group 1: CD19.CAR/28137ζ at 1×10^6 cells/m^2 and CD19.CAR/28ζ
# at 1×10^6 cells/m^2" is one administration of both. Not times or groups ("day 7 at ...").
_NOT_A_PRODUCT = r"(?!(?:days?|weeks?|months?|doses?|levels?|cohorts?|groups?|arms?|patients?|subjects?)\b)"
_NAME = rf"{_NOT_A_PRODUCT}[A-Za-z][\w.+/-]{{1,40}}(?:\s{{1,3}}[\w.+/-]{{1,40}}){{0,2}}?\s{{1,3}}at\s{{1,3}}"
_PRODUCT_AT = re.compile(rf"(?<![\w.+/-]){_NAME}$", re.I)
_AND_PRODUCT_AT = re.compile(rf"\s{{0,3}},?\s{{0,3}}and\s{{1,3}}{_NAME}", re.I)
_PRODUCT_REACH = 60  # characters before a dose searched for the product it is given "at"
# "dose level 2 = 1 × 10^8 ATLCAR.CD30 cells/m2 and 2 × 10^7 ATLCAR.CD30.CCR4 cells/m2": each dose names its product
# by a code (a word holding a dot, digit or sign) before the cells.
_PRODUCT_CODE = re.compile(r"(?<=\s)(?P<code>[A-Za-z][\w+/-]{0,40}[.\d+/-][\w.+/-]{0,40})\s{1,3}cells?\b")
_AND = re.compile(r"\s{0,3},?\s{0,3}and\s{1,3}", re.I)


def _two_products(text: str, first: DoseMention, then: DoseMention) -> bool:
    codes = [_PRODUCT_CODE.search(mention.text) for mention in (first, then)]
    return _AND.fullmatch(text, first.end, then.start) is not None and all(codes) \
        and codes[0].group("code") != codes[1].group("code")  # type: ignore[union-attr]


def _given_together(text: str, doses: list[DoseMention]) -> tuple[list[DoseMention], str]:
    """Doses of two products named and given together, each pair summed as one dose, and the words that gave
    them."""
    if len(doses) < 2 or " and " not in text:
        return doses, ""
    kept: list[DoseMention] = []
    together: list[str] = []
    merged = False
    for dose in doses:
        first = None if merged or not kept else kept[-1]
        merged = False
        alike = first is not None and first.role == dose.role == "dose" \
            and first.unit == dose.unit and not (first.population or dose.population) \
            and not (first.is_range or dose.is_range or first.listed or dose.listed or first.bound or dose.bound)
        named = alike and _AND_PRODUCT_AT.fullmatch(text, first.end, dose.start) \
            and _PRODUCT_AT.search(text, max(0, first.start - _PRODUCT_REACH), first.start)
        if first is not None and (named or (alike and _two_products(text, first, dose))):
            together.append(text[named.start() if named else first.start:dose.end])
            kept[-1] = replace(first, value=first.value + dose.value, end=dose.end, text=text[first.start:dose.end])
            merged = True
            continue
        kept.append(dose)
    return kept, "; ".join(together)


def _days_of_split(text: str, split: str, schedules: list[ScheduleMention]) -> bool:
    """"the split doses CART cells on day0, day1, day2": days named by the words that split the dose are its
    fractions' days, not administrations."""
    end = text.find(split) + len(split)
    return any(s.start <= end <= s.end for s in schedules)


def _levels_counted(doses: list[DoseMention], schedules: list[ScheduleMention]) -> ScheduleMention | None:
    """"two doses will be investigated 1x10^8 cells/m2 and 2x10^8 cells/m^2": a count of doses as large as the
    number of different doses its sentence lists counts those doses, not administrations of each."""
    levels = {(d.unit, d.value) for d in doses if d.role == "dose"}
    return next((s for s in schedules if s.administrations == len(levels) > 1 and not s.days
                 and s.noun.lower() in ("dose", "doses")), None)


def _open_cycles(found: list[tuple[ScheduleMention, _Sentence]]) -> None:
    """"During each cycle, subjects will receive ... on Days 1, 8, and 15", and no number of cycles: the doses of
    one cycle are counted, the cycles are not, so the count is open."""
    for schedule, sentence in found:
        if schedule.administrations and "cycle" in sentence.text.lower() \
                and not schedule.noun.lower().startswith(CYCLE_NOUNS) and PER_CYCLE.search(sentence.text):
            opened = replace(schedule, administrations=None, days=(), open_ended=True,
                             text=f"{schedule.text} of each cycle, cycles not counted")
            sentence.schedules = [opened if s is schedule else s for s in sentence.schedules]


def _per_cycle(text: str, schedule: ScheduleMention) -> bool:
    """Whether a schedule counts what one cycle holds: "per cycle", "of each cycle", "cycles each consisting of"
    stand right by it."""
    window = text[max(0, schedule.start - _PER_CYCLE_REACH):schedule.end + _PER_CYCLE_REACH]
    return PER_CYCLE.search(window) is not None


_ONE_EACH = re.compile(r"^(?:one|1|a\s{1,3}single)\s{1,3}(?:infusion|injection|dose|administration)s?\b", re.I)


def _within_cycle(schedule: ScheduleMention, cycle: ScheduleMention, same_sentence: bool, repeated: bool) -> bool:
    """"5-6 × 109 CIK cells, days 14 and 15; one cycle every month; at least 6 cycles": days listed in the cycle's
    own sentence, all within one cycle's interval, are the days of each cycle; so are days listed before a sentence
    saying the treatment repeats ("on days 1, 3, and 5 of weeks 1 and 2. Treatment repeats every 3 weeks for a total
    of 2 courses")."""
    return ((same_sentence and schedule.start < cycle.start) or repeated) and len(schedule.days) > 1 and \
        cycle.interval_days is not None and schedule.days[-1] < cycle.interval_days


_REPEATS = re.compile(r"\b(?:repeats?|is\s{1,3}repeated)\b", re.I)
# "on days 1, 3, and 5 of courses 2 and 3, and on day 1 of subsequent courses": days of some courses only
_OF_NAMED_CYCLES = re.compile(r"\bof\s{1,3}(?:courses?|cycles?)\s{0,2}\d", re.I)


def _before(part: _Part, first: _Sentence, then: _Sentence) -> bool:
    return any(s is first for s in part.sentences[:next(i for i, s in enumerate(part.sentences) if s is then)])


def _compose_cycles(part: _Part) -> None:
    """"on days 1, 3 and 5 of each cycle ... up to 6 cycles, which are administered monthly", "a maximum of 3
    cycles each consisting of 3 nDC injections": administrations per cycle times cycles, as one schedule."""
    if "cycle" not in part.text.lower() and "course" not in part.text.lower() and "round" not in part.text.lower():
        return
    found = [(s, sentence) for sentence in part.sentences for s in sentence.schedules]
    cycles = [(s, t) for s, t in found if s.noun.lower().startswith(CYCLE_NOUNS) and s.administrations]
    if not cycles:
        _open_cycles(found)
        return
    cycle, where = cycles[0]
    repeats = _REPEATS.search(where.text) is not None
    per = next(((s, t) for s, t in found if s is not cycle and (s.administrations or 0) > 0
                and not s.noun.lower().startswith(CYCLE_NOUNS)
                and (_per_cycle(t.text, s) or _within_cycle(s, cycle, t is where, repeats and _before(part, t, where)
                                                            and not _OF_NAMED_CYCLES.search(t.text)))), None)
    if per is None:
        return
    each, there = per
    # "2 cycles, each cycle received one infusions on day 21, 43": one each, on the cycles' days
    one_each = _ONE_EACH.search(each.text) is not None and len(each.days) == cycle.administrations
    per_each = 1 if one_each else each.administrations
    count = cycle.administrations * per_each  # type: ignore[operator]
    if not one_each and any((s.administrations or 0) >= count for s, _ in found):
        return  # "a total of 9 intravenous administrations ... three administrations per cycle": already counted
    interval = cycle.interval_days or next((s.interval_days for s, t in found if t is where and s.interval_days
                                            and s is not each), None)
    days: tuple[float, ...] = each.days if one_each else ()
    if each.days and interval and count <= MAX_ADMINISTRATIONS and not one_each:
        days = tuple(sorted(d + k * interval for k in range(cycle.administrations) for d in each.days))  # type: ignore[arg-type]
        if len(set(days)) != len(days):
            days = ()
    words_ = f"{each.text} … {cycle.text}" if where is not there else where.text[min(each.start, cycle.start):
                                                                                  max(each.end, cycle.end)]
    composite = ScheduleMention(count, None, days, words_, min(each.start, cycle.start), max(each.end, cycle.end),
                                count_bound=cycle.count_bound or each.count_bound, noun="administrations",
                                per_cycle=per_each)
    for sentence in part.sentences:
        sentence.schedules = [s for s in sentence.schedules if s is not each and s is not cycle and not (
            sentence is where and s.interval_days == interval and s.administrations is None)]
    where.schedules.append(composite)


def _read_cohorts(sentence: _Sentence) -> None:
    """Weight bands, dose levels and target words of a sentence that states doses, each looked for only when a
    word it needs is there."""
    lowered = sentence.text.lower()
    if "kg" in lowered:
        sentence.bands = find_weight_bands(sentence.text)
    if ":" in lowered or any(word in lowered for word in ("level", "cohort", "group", "dl")):
        sentence.levels = find_level_labels(sentence.text)
    if "target" in lowered or "intended" in lowered:
        sentence.target = target_at(sentence.text)


def _without_drug_schedules(sentence: _Sentence) -> list[ScheduleMention]:
    """Schedules of what is given beside the cells (convention 7.4): "fludarabine 30 mg/m2 on Days -5 to -3",
    "cyclophosphamide 25 mg b.i.d. for 7 days on and 7 days off; a total of 6 cycles". A schedule belongs to the
    nearer of the cells (a cell dose or a word naming cells) and a drug (named, or an amount in a drug's unit)."""
    drugs = find_drugs(sentence.text)
    if not drugs:
        return sentence.schedules
    named = _joined(find_cell_words(sentence.text))  # "post NK cell infusion": one name, after "post"
    cells = [(m.start, m.end) for m in sentence.doses] + [
        span for span in named if not _AS_REFERENCE.search(sentence.text, max(0, span[0] - _REFERENCE_REACH), span[0])]
    only_as_reference = bool(named) and not cells  # the cells only say when the drug starts
    kept = []
    for schedule in sentence.schedules:
        to_drug = min(_span_gap(schedule.start, schedule.end, span) for span in drugs)
        to_cells = min((_span_gap(schedule.start, schedule.end, span) for span in cells), default=None)
        if (to_cells is None and to_drug > _DRUG_REACH and not only_as_reference) or \
                (to_cells is not None and to_cells <= to_drug):
            kept.append(schedule)
    return kept


# Cells named as the time a drug is given from, not as what the schedule gives: "Aldesleukin ... every 8 hours
# beginning within 24 hours of TIL infusion and continuing for up to a maximum of 6 doses".
_AS_REFERENCE = led(
    rf"\b(?:{words(REFERENCE_WORDS)}|(?:hours?|days?|weeks?|evening|morning|night)\s{{1,3}}of)\s{{1,3}}(?:the\s{{1,3}})?$",
    re.I)  # "IL-2 is started the evening of the NK infusion and continued three times a week for 6 doses total"
_REFERENCE_REACH = 30  # characters before a cell word searched for those words: bounded, so reading stays linear


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent spans (a space apart at most) as one: "NK cell" is one name of cells, not two."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and start - joined[-1][1] <= 1:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _span_gap(start: int, end: int, span: tuple[int, int]) -> int:
    return max(0, span[0] - end, start - span[1])


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
            if procedure or _itemising(sentence.doses, schedule.administrations):
                sentence.sites = schedule.administrations
                continue
        kept.append(schedule)
    return kept


def _itemising(doses: list[DoseMention], count: int) -> bool:
    """Whether `count` times a figure the sentence gives per injection makes another of its doses: "8x106 cells (20
    injections of 4x105 cells/ injection)" counts injections of one procedure, whatever else it says of weeks."""
    return any(_itemises(d, doses, count) for d in doses)


def _itemised(doses: list[DoseMention], sites: int) -> list[DoseMention]:
    """"injections of 2x106 cells (10 injections x 2x105 cells/ injection)": a figure per injection that, times the
    injections of the procedure, makes another dose of the sentence is that dose's part, not a dose of its own."""
    return [replace(d, role="per-site") if _itemises(d, doses, sites) else d for d in doses]


def _itemises(part: DoseMention, doses: list[DoseMention], count: int) -> bool:
    return part.role == "dose" and _PER_INJECTION_UNIT.search(part.text) is not None and any(
        d.unit == part.unit and d.value != part.value and d.role in ("dose", "total")
        and math.isclose(part.value * count, d.value, rel_tol=0.01) for d in doses)


_PER_INJECTION_UNIT = re.compile(r"(?:/|\bper)\s{0,2}injection\b", re.I)


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
            elif unused := not_used_after(sentence.text, mention.end):
                flags.append(_flag("level-not-used", f"{describe(mention)} is marked '{unused}' in {location} "
                                   f"(“{sentence.source.text}”); it is left out."))
            else:
                doses.append((mention, sentence))
    if any(s.sites for s in sentences):  # "Each injection will administer approximately 2, 3, or 4 x 105 cells"
        doses = [(replace(m, role="per-site") if m.role == "dose" and _EACH_SITE.match(s.text) else m, s)
                 for m, s in doses]
    schedules = [(schedule, s) for s in sentences for schedule in s.schedules]
    if len(doses) > MAX_MENTIONS or len(schedules) > MAX_MENTIONS:
        flags.append(_flag("text-truncated", f"{location} states {len(doses):,} numbers of cells and "
                           f"{len(schedules):,} schedules; only the first {MAX_MENTIONS} of each were read."))
        doses, schedules = doses[:MAX_MENTIONS], schedules[:MAX_MENTIONS]
    doses = _with_stated_basis(doses, part.text, location, flags)
    primary = [(m, s) for m, s in doses if m.role == "dose"]
    if any(s.sites for s in sentences) and any(m.role == "total" for m, _ in doses):
        primary = []  # injections into several sites with a stated total: the total is the procedure's dose (2.4)
    primary = _without_population_limits(_without_caps(primary, location, flags), flags)
    labels, banded = _who(primary)
    primary = _targets(primary, labels if banded else {}, flags)
    readings: list[Reading] = []
    if primary:
        readings = _from_doses(primary, doses, schedules, part, location, flags, labels, banded)
    else:
        readings = _from_totals(doses, schedules, part, location, flags)
    if not readings and schedules:
        schedule, sentence = schedules[0]
        split = (_flag("fractionated", f"The dose is given in fractions (“{sentence.fraction}”); it is counted as one "
                       "administration of the whole dose."),) if sentence.fraction else ()
        readings = [Reading(_regimen(None, schedule, sentence.source), flags=split, open_ended=schedule.open_ended,
                            cycles=schedule.administrations if schedule.noun.lower().startswith(CYCLE_NOUNS)
                            else None)]
    readings = _with_maintenance(readings, schedules)
    if not optional_texts and any(r.regimen.dose and r.regimen.administrations is None and not r.open_ended
                                  for r in readings):
        readings = _several(readings, part.text)
    finished = []
    for reading in readings:  # route and phase cannot make a regimen impossible: a copy needs no validation
        regimen = reading.regimen.model_copy(update={"route": route, "route_source": route_source, "phase": phase,
                                                     **_certain_part(reading.regimen, optional_texts)})
        extra = _optional_flag(regimen, optional_texts)
        finished.append(Reading(regimen, reading.listed, reading.flags + extra, reading.open_ended, reading.banded,
                                reading.cycles, reading.per_cycle, reading.unit_assumed))  # replace() costs more
    return finished


def _several(readings: list[Reading], text: str) -> list[Reading]:
    """A dose with no count in a text that speaks of "the first NK cell infusion" or "the last NK Infusion": there
    are several administrations, and how many is not said (unless the others are optional, read apart)."""
    words_ = find_several(text)
    if words_ is None:
        return readings
    note = _flag("count-open", f"The record speaks of several administrations (“{words_}”) but does not say how "
                 "many: the number of administrations and the cumulative dose are unknown.")
    return [replace(r, flags=(*r.flags, note), open_ended=True)
            if r.regimen.dose and r.regimen.administrations is None else r for r in readings]


def _with_maintenance(readings: list[Reading], schedules: list[tuple[ScheduleMention, _Sentence]]) -> list[Reading]:
    """"6 times in first 3 months; then interval treatment: once every 3 months": a counted course followed by
    repeats with no end leaves the number of administrations open."""
    for (first, where), (then, there) in pairwise(schedules):
        if where is there and first.administrations and then.interval_days and then.administrations is None \
                and not then.days and _THEN.search(where.text, first.end, then.start) \
                and not mentions_placebo(where.text[first.end:then.end]):  # "and then receive transdermal placebo"
            return [_maintained(r, first, then, where.source) for r in readings]
    return readings


def _maintained(reading: Reading, first: ScheduleMention, then: ScheduleMention, source: Source) -> Reading:
    regimen = reading.regimen
    if regimen.administrations != first.administrations:
        return reading
    regimen = regimen.model_copy(update={"administrations": None, "administration_days": (),
                                         "interval_days": then.interval_days, "schedule_source": source})
    note = _flag("count-open", f"{first.administrations} administrations (“{first.text}”), then “{then.text}” with "
                 "no end stated: the number of administrations and the cumulative dose are unknown.")
    return replace(reading, regimen=regimen, flags=(*reading.flags, note), open_ended=True)


def _with_stated_basis(doses: list[tuple[DoseMention, _Sentence]], text: str, location: str,
                       flags: list[Flag]) -> list[tuple[DoseMention, _Sentence]]:
    """"based on the number of NK cells (CD3-,CD 56+ cells)/kg recipient body weight. Dose levels are: 10^6, 10^7,
    3 x 10^7, 10^8": bare numbers after a statement that doses are counted per kg are per kg (flagged)."""
    bare = [m for m, _ in doses if m.unit == "cells" and not m.unit_written and m.role != "fraction"
            and _BARE.fullmatch(m.text)]
    if not bare:
        return doses
    basis = next((b for b in _PER_KG_BASIS.finditer(text)), None)
    if basis is None:
        return doses
    flags.append(_flag("per-kg-assumed", f"{', '.join(f'“{m.text}”' for m in bare)} in {location} state no unit; "
                       f"the record counts its doses per kg (“{basis.group(0).strip()}”), so they are read per kg."))
    return [(replace(m, unit="cells/kg") if m in bare else m, s) for m, s in doses]


def _without_population_limits(primary: list[tuple[DoseMention, _Sentence]],
                               flags: list[Flag]) -> list[tuple[DoseMention, _Sentence]]:
    """"up to 1 X 10(7) CD56+ cells/kg patient weight with less than 0.5 X 10(6) CD3+ cells/kg": a ceiling on
    another population of the product, after its dose, is a purity limit, not a dose."""
    kept = []
    for mention, sentence in primary:
        if mention.bound == "at most" and mention.population and any(
                where is sentence and other.start < mention.start and other.population
                and other.population != mention.population for other, where in primary):
            flags.append(_flag("population-limit", f"“{mention.text}” limits another population of the cells "
                               f"given; it is not a dose (“{sentence.source.text}”)."))
            continue
        kept.append((mention, sentence))
    return kept


def _who(primary: list[tuple[DoseMention, _Sentence]]) -> tuple[dict[int, str], bool]:
    """Which patients each dose is for (by `id` of its mention): its weight band, else its dose level, cohort or
    group; and whether the labels are weight bands. Labels count only when they tell two or more doses apart."""
    if len(primary) < 2:
        return {}, False
    bands: dict[int, str] = {}
    for mention, sentence in primary:
        if sentence.bands and (band := _band_of(mention, sentence, primary)):
            bands[id(mention)] = band
    by_unit: dict[str, set[str]] = {}
    for mention, _ in primary:
        if id(mention) in bands:
            by_unit.setdefault(mention.unit, set()).add(bands[id(mention)])
    for mention, _ in primary:  # "The target dose for this protocol is 5x10⁹": the band its unit's doses share
        if id(mention) not in bands and len(by_unit.get(mention.unit, ())) == 1:
            bands[id(mention)] = next(iter(by_unit[mention.unit]))
    if len(set(bands.values())) > 1:
        return bands, True
    levels = _levels_of(primary)
    return (levels, False) if len(set(levels.values())) > 1 else ({}, False)


# What stands between a dose and the band or level it names right after: "(for patients ≤ 50 kg)", " to subjects".
_BRACKETED = re.compile(r"\s{0,3}(?:[(\[,]\s{0,3})?(?:for|in|to)?\s{0,3}(?:the\s{1,3})?", re.I)


def _band_of(mention: DoseMention, sentence: _Sentence, primary: list[tuple[DoseMention, _Sentence]]) -> str | None:
    """"1.0 to 2.5 x 10^8 cells (for patients > 50 kg)" names its band right after the dose; "Patients <40 kg
    will be dosed ... 0.125 x10⁹ cells/kg" before it, in the same sentence."""
    for band in sentence.bands:
        if band.start >= mention.end and _BRACKETED.fullmatch(sentence.text, mention.end, band.start):
            return band.text
    before = [band for band in sentence.bands if band.end <= mention.start]
    if not before:
        return None
    nearest = before[-1]
    others = [m for m, s in primary if s is sentence and nearest.end <= m.start < mention.start]
    if any(_BRACKETED.fullmatch(sentence.text, m.end, nearest.start) for m in others):
        return None  # that band is the bracketed band of an earlier dose
    return nearest.text


def _levels_of(primary: list[tuple[DoseMention, _Sentence]]) -> dict[int, str]:
    """"Dose Level 2: 3x10^4 cells/m2", "group B: 1.0 × 10^8", "2.5 x 10^7 (cohort 1)", "The second cohort will
    receive 0.4 x10^8 cells", and doses listed "depending on assigned cohort" (numbered in order)."""
    levels: dict[int, str] = {}
    used: set[tuple[int, int]] = set()
    for mention, sentence in primary:
        mentions = [m for m, s in primary if s is sentence]
        after = next((label for label in sentence.levels if label.start >= mention.end
                      and _BRACKETED.fullmatch(sentence.text, mention.end, label.start)
                      and "(" in sentence.text[mention.end:label.start]), None)
        if after is not None and (id(sentence), after.start) not in used:
            levels[id(mention)] = after.text
            used.add((id(sentence), after.start))
            continue
        before = [label for label in sentence.levels if label.end <= mention.start
                  and mention.start - label.end <= _LABEL_REACH and (id(sentence), label.start) not in used
                  and not any(label.end <= m.start < mention.start for m in mentions)]
        if before:
            levels[id(mention)] = before[-1].text
            used.add((id(sentence), before[-1].start))
    for sentence in {id(s): s for _, s in primary}.values():
        unlabelled = [m for m, s in primary if s is sentence and id(m) not in levels and m.listed]
        kind = by_cohort(sentence.text) if len(unlabelled) > 1 else None
        if kind:
            for number, mention in enumerate(unlabelled, start=1):
                levels[id(mention)] = f"{kind} {number}"
    return levels


def _targets(primary: list[tuple[DoseMention, _Sentence]], bands: dict[int, str],
             flags: list[Flag]) -> list[tuple[DoseMention, _Sentence]]:
    """"A target dose of ... 2.0 to 5.0 x 10^6 ... The following cell dose ranges may be infused if all other
    safety release criteria are met: 0.2 to 5.0 x 10^6": the protocol's target is the dose; the ranges it accepts
    are not further regimens. Read per weight band, when the arm has them."""
    if all(sentence.target < 0 for _, sentence in primary):
        return primary
    targets = {id(m) for m, s in primary if _is_target(m, s, primary)}
    kept = []
    for mention, sentence in primary:
        band = bands.get(id(mention))
        aimed = [m for m, _ in primary if id(m) in targets and bands.get(id(m)) == band]
        if id(mention) not in targets and aimed:
            flags.append(_flag("dose-target", f"The record gives a target dose, {describe(aimed[0])}, and also "
                               f"{describe(mention)} (“{sentence.source.text}”); the target is used."))
            continue
        kept.append((mention, sentence))
    return kept


def _is_target(mention: DoseMention, sentence: _Sentence, primary: list[tuple[DoseMention, _Sentence]]) -> bool:
    if sentence.target < 0 or sentence.target > mention.start:
        return False
    return not any(s is sentence and sentence.target < m.start < mention.start for m, s in primary)


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


def _timing_of(counted: ScheduleMention, sentence: _Sentence, schedules: list[tuple[ScheduleMention, _Sentence]]
               ) -> tuple[ScheduleMention, _Sentence] | None:
    """The days or interval of a bare count, from the paragraph's other schedules: the same count with its days
    ("three separate doses ... on days 0, 3, and 6"; "4 intravenous infusions ... HB-adMSC infusions will occur at
    day 0, 3, 7, and 10"), else the one interval its sentence gives further on ("Four times of MSC infusion ...
    (once every 4 days)") or, failing that, another sentence gives its administrations ("Three intravenous
    infusions ... with each infusion 1 month apart")."""
    dated = [(s, t) for s, t in schedules if s.administrations == counted.administrations and s.days]
    if dated:
        return dated[0]
    if any(s.noun.lower().startswith(CYCLE_NOUNS) or PER_CYCLE.search(t.text) for s, t in schedules):
        return None  # "every 30 days and cycles every 120 days": cycles space the administrations unevenly
    paced = [(s, t) for s, t in schedules if s.interval_days and s.administrations is None and not s.open_ended
             and (t is sentence or _ADMINISTRATION_NOUN.search(t.text))]
    here = [(s, t) for s, t in paced if t is sentence]
    found = here if here else paced
    if len(found) != 1:
        return None
    every, where = found[0]
    count = counted.administrations or 0
    days = tuple(i * every.interval_days for i in range(count)) if count <= MAX_ADMINISTRATIONS else ()  # type: ignore[operator]
    if where is sentence:
        return replace(counted, interval_days=every.interval_days, days=days, start=min(counted.start, every.start),
                       end=max(counted.end, every.end)), sentence
    return replace(counted, interval_days=every.interval_days, days=days), where  # the interval's sentence quoted


_ADMINISTRATION_NOUN = re.compile(rf"\b{words(ADMINISTRATION_NOUNS, plural=True)}\b", re.I)


# "1 million cell/kg iv----day 0", "1 million cell/kg iv ----day 2", ...: one line per administration, each naming its
# day.
_LINE_DAY = re.compile(r"\b(?:day|d)\s{0,2}(\d{1,3})\s{0,2}$", re.I)


def _dated_repeats(primary: list[tuple[DoseMention, _Sentence]], text: str,
                   location: str) -> dict[int, tuple[ScheduleMention, Source]]:
    """For the first mention of a dose written again on lines that each end with their own day (and give no other
    schedule), the schedule those lines make (one administration on each day, the first day 0) and its source, the
    lines from the first to the last as the record writes them."""
    found: dict[int, tuple[ScheduleMention, Source]] = {}
    for mention, _ in primary:
        same = [(m, s) for m, s in primary if _same_mention(m, mention)]
        if same[0][0] is not mention or len(same) < 2 or len({id(s) for _, s in same}) != len(same):
            continue
        points = [_LINE_DAY.search(s.text) for _, s in same]
        if not all(points):
            continue
        days = sorted(float(p.group(1)) for p in points if p)
        if len(set(days)) != len(days):
            continue
        offsets = tuple(d - days[0] for d in days)
        gaps = {b - a for a, b in pairwise(offsets)}
        first, last = same[0][1].source.text, same[-1][1].source.text
        start = text.find(first)
        end = text.find(last, max(start, 0)) + len(last)
        quoted = text[start:end] if 0 <= start < end else first
        found[id(mention)] = (ScheduleMention(len(days), gaps.pop() if len(gaps) == 1 else None, offsets, quoted,
                                              0, 0), Source(text=quoted, location=location))
    return found


def _from_doses(primary: list[tuple[DoseMention, _Sentence]], doses: list[tuple[DoseMention, _Sentence]],
                schedules: list[tuple[ScheduleMention, _Sentence]], part: _Part, location: str,
                flags: list[Flag], labels: dict[int, str], banded: bool) -> list[Reading]:
    dated = _dated_repeats(primary, part.text, location) if not schedules else {}
    distinct: list[tuple[DoseMention, _Sentence]] = []
    for mention, sentence in primary:
        same = next((i for i, (m, _) in enumerate(distinct) if _same_mention(m, mention)), None)
        if same is None or (labels.get(id(mention)) and _schedule_for(mention, sentence, schedules)[0]
                            is not _schedule_for(*distinct[same], schedules)[0]):
            # "group II will receive a single dose of 1 x 106 T cells/kg/dose; ... group IV will receive 3 weekly
            # doses of 1 x 106 T cells/kg/dose": cohorts of one dose given on different schedules are rows apart
            distinct.append((mention, sentence))
        elif labels.get(id(mention)) and labels.get(id(distinct[same][0])) != labels[id(mention)]:
            # "B1: 1 x 10(7) NK cells/kg + rhIL15 0.25 ... B2: 1 x 10(7) NK cells/kg + rhIL15 0.5": cohorts that
            # differ in something else get one row for their one cell dose, naming them all
            kept = distinct[same][0]
            labels[id(kept)] = f"{labels.get(id(kept), '')}, {labels[id(mention)]}".strip(", ")
        elif not distinct[same][0].unit_written and mention.unit_written:
            distinct[same] = (mention, sentence)
        elif sentence is not distinct[same][1] and sentence.schedules and distinct[same][1].schedules:
            _flag_other_schedule(mention, sentence, *distinct[same], schedules, flags)
    distinct = _unit_alternatives(_tolerances_merged(distinct), flags)
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
    labelled = options and all(id(m) in labels for m, _ in distinct) and \
        len({labels[id(m)] for m, _ in distinct}) == len(distinct)
    for mention, sentence in distinct:
        dose = _dose(mention, sentence, location, flags)
        if dose is None:
            continue
        schedule, schedule_sentence = _schedule_for(mention, sentence, schedules)
        schedule_source = schedule_sentence.source if schedule_sentence else None
        if id(mention) in dated:
            schedule, schedule_source = dated[id(mention)]
        regimen = _regimen(dose, schedule, schedule_source, labels.get(id(mention)) if options else None)
        extra: tuple[Flag, ...] = ()
        regimen, extra = _with_additional(regimen, schedule, schedules)
        listing = ", ".join(f"{labels[id(m)]}: {describe(m)}" if id(m) in labels else describe(m)
                            for m, _ in distinct) if options else ""
        if labelled and banded:
            extra += (_flag("weight-bands", f"The dose depends on body weight ({listing}); each band is a row of "
                            "its own."),)
        elif labelled:
            extra += (_flag("dose-levels", f"The arm has several dose levels or cohorts ({listing}); each is a row "
                            "of its own."),)
        elif options:
            extra += (_flag("dose-options", f"The text gives several doses for this arm ({listing}); each is a row "
                            "of its own."),)
        if sentence.fraction or (schedule_sentence is not None and schedule_sentence.fraction):
            words_ = sentence.fraction or schedule_sentence.fraction  # type: ignore[union-attr]
            extra += (_flag("fractionated", f"The dose is given in fractions (“{words_}”); it is counted as one "
                            "administration of the whole dose."),)
        if schedule is not None and schedule.from_span and regimen.administrations == schedule.administrations:
            extra += (_flag("count-from-span", f"The count, {schedule.administrations}, is worked out from "
                            f"“{schedule.text}”, not written; a month of weekly doses counts four."),)
        if schedule is not None and schedule.count_bound:
            extra += (_flag("count-bound", f"The count is {schedule.count_bound} {schedule.administrations} "
                            f"(“{schedule.text}”); that many are charted."),)
        if mention.assumed_per_kg:
            extra += (_flag("per-kg-assumed", f"“{mention.text}” does not say kg; it is read as a dose per kg of "
                            "body weight."),)
        extra += _total_check(regimen, doses, sentence)
        extra += _volume_check(mention, sentence)
        readings.append(Reading(regimen, listed=(bool(mention.listed) or options) and not banded, flags=extra,
                                open_ended=bool(schedule and schedule.open_ended), banded=banded and options,
                                per_cycle=schedule.per_cycle if schedule else None,
                                unit_assumed=mention.unit == "cells" and not (mention.unit_written or mention.named)))
    return readings


_ADDITIONAL = re.compile(r"^(?:[\w-]{1,12}\s{1,3})?(?:additional|further|extra|more)\b|^another\b", re.I)


def _flag_other_schedule(mention: DoseMention, sentence: _Sentence, kept: DoseMention, kept_sentence: _Sentence,
                         schedules: list[tuple[ScheduleMention, _Sentence]], flags: list[Flag]) -> None:
    """One dose written again on a line of its own with another schedule ("5 million cells / cm² , single
    administration at Day 0" ... "5 million cells/cm² , single administration at Day 0 , repeat administration of
    this dose @ week 4"): the row shows the first; the flag says the text gives another."""
    first, then = _schedule_for(kept, kept_sentence, schedules)[0], _schedule_for(mention, sentence, schedules)[0]
    if first is not None and then is not None and (first.administrations, first.days) != (then.administrations,
                                                                                           then.days):
        flags.append(_flag("schedule-disagreement", f"The text gives {describe(mention)} on more than one schedule "
                           f"(“{first.text}”, “{then.text}”); the row shows the first."))


def _with_additional(regimen: Regimen, schedule: ScheduleMention | None,
                     schedules: list[tuple[ScheduleMention, _Sentence]]) -> tuple[Regimen, tuple[Flag, ...]]:
    """"DCs (10^7 cells) were injected intratumorally three times ... One additional DC injection was given before
    surgery": administrations the text adds to a stated count (not optional ones, which are read apart)."""
    if schedule is None or not regimen.administrations:
        return regimen, ()
    added = [s for s, _ in schedules if s is not schedule and s.administrations and _ADDITIONAL.match(s.text)]
    if not added:
        return regimen, ()
    total = regimen.administrations + sum(s.administrations or 0 for s in added)
    note = _flag("count-added", f"{regimen.administrations} administrations and "
                 + " and ".join(f"“{s.text}”" for s in added) + f" make {total}; the added ones' days are not stated.")
    return regimen.model_copy(update={"administrations": total, "administration_days": ()}), (note,)


def _unit_alternatives(distinct: list[tuple[DoseMention, _Sentence]],
                       flags: list[Flag]) -> list[tuple[DoseMention, _Sentence]]:
    """"minimum: 250,000 IEQ / injection or 3500 IEQ / kg / injection": one dose written flat and per kg, as
    alternatives of one list; the per-kg figure is the one trials are compared on."""
    kept = []
    for mention, sentence in distinct:
        per_kg = [m for m, s in distinct if s is sentence and m.unit.endswith("/kg")
                  and m.unit.split("/")[0] == mention.unit and _OR_GAP.fullmatch(sentence.text, mention.end, m.start)]
        if per_kg and "/" not in mention.unit:
            flags.append(_flag("unit-alternative", f"The record writes this dose both as {describe(mention)} and as "
                               f"{describe(per_kg[0])} (“{sentence.source.text}”); the per-kg figure is used."))
            continue
        kept.append((mention, sentence))
    return kept


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
            # "260 µL (130 µL, one spray, of each solution) containing 0.5 x 106 cells per mL": in mL
            ml = float(lookup(VOLUME_UNITS, volume.group("unit")))  # type: ignore[arg-type]
            low = float(volume.group("low").replace(",", ".")) * ml
            high = float(volume.group("high").replace(",", ".")) * ml if volume.group("high") else None
            computed = _scaled(mention, low) if high is None else _ranged(mention, low, high)
            dose = _dose(computed, sentence, location, flags)
            if dose is None:
                continue
            note = _flag("dose-computed", f"{describe(mention)} per mL × {volume.group(0).strip()} = "
                         f"{dose_words(dose)}.")
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
    if len(own) > 1:  # "twice infusions of iNKT cells(1E8~1E10) and CD8+T cells(1E7~1E9) in one course of
        # treatment": a count of courses is not a count of administrations where the sentence also gives one
        administered = [s for s in own if not s.noun.lower().startswith(CYCLE_NOUNS)]
        own = administered or own
    if own:
        nearest = min(own, key=lambda s: _gap(mention, s))
        if nearest.administrations is None and nearest.interval_days and not nearest.open_ended:
            counted = [(s, t) for s, t in schedules if s.administrations and s.interval_days == nearest.interval_days]
            if counted:  # "three weekly infusions ... Each weekly dose will provide 2 x 10^6 T cells/kg"
                return counted[0]
        if nearest.administrations and not nearest.interval_days and not nearest.days:
            timed = _timing_of(nearest, sentence, schedules)
            if timed is not None:
                return timed
        if nearest.weak:
            # "A single dose of 2×107 hUC-MSC will treated to patients, IV, Repeat every weeks for four times."
            stronger = [(s, t) for s, t in schedules if s is not nearest and (s.administrations or 0) > 1
                        and (s.interval_days or s.days) and not (t is sentence and _offered_instead(t, nearest, s))
                        and not (t is sentence and _nearer_another(mention, sentence, s))]
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


def _nearer_another(mention: DoseMention, sentence: _Sentence, schedule: ScheduleMention) -> bool:
    """"Group I will receive a single dose of 5 x 105 T cells/kg ...; group IV will receive 3 weekly doses of 1 x 106
    T cells/kg/dose": a schedule nearer to another dose of the sentence is that dose's."""
    return any(_gap(other, schedule) < _gap(mention, schedule) for other in sentence.doses if other is not mention)


def _offered_instead(sentence: _Sentence, first: ScheduleMention, later: ScheduleMention) -> bool:
    """"either a single dose of 30 million ..., or two doses of AMSCs": the later schedule is another option."""
    before = sentence.text[max(0, later.start - 8):later.start]
    return later.start > first.end and _OR_BEFORE.search(before) is not None


def _regimen(dose: Dose | None, schedule: ScheduleMention | None, source: Source | None,
             applies_to: str | None = None) -> Regimen:
    return Regimen(
        dose=dose,
        applies_to=applies_to,
        administrations=schedule.administrations if schedule else None,
        interval_days=schedule.interval_days if schedule else None,
        administration_days=schedule.days if schedule else (),
        schedule_source=source if schedule and (schedule.administrations or schedule.interval_days) else None,
    )


def _dose(mention: DoseMention, sentence: _Sentence, location: str, flags: list[Flag]) -> Dose | None:
    try:
        return Dose(value=mention.value, unit=mention.unit, low=mention.low, high=mention.high,  # type: ignore[arg-type]
                    source=sentence.source, exponent_restored=mention.exponent_restored, bound=mention.bound,  # type: ignore[arg-type]
                    population=mention.population)
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
                      f"{dose_words(dose)} × {count or 1} is {format_cells(dose.value * (count or 1), dose.unit)} "
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


# "Therapy in LCCC1606-ATL involves one to two infusion(s) of ATLCAR." beside "... may receive a second infusion of
# ATLCAR.": a range of counts whose upper end the optional doses make up.
_COUNT_RANGE = re.compile(rf"\b(?P<low>{COUNT_NUMBER})\s{{1,3}}(?:to|or)\s{{1,3}}(?P<high>{COUNT_NUMBER})\s{{1,3}}"
                          rf"{words(ADMINISTRATION_NOUNS, plural=True)}", re.I)


def _certain_part(regimen: Regimen, optional: list[OptionalDoses]) -> dict[str, object]:
    """The count without the optional doses, where the text writes the count as a range they complete."""
    if not optional or not regimen.administrations or regimen.schedule_source is None \
            or not all(o.extra for o in optional):
        return {}
    found = _COUNT_RANGE.search(regimen.schedule_source.text)
    if found is None:
        return {}
    low, high = count_number(found.group("low")) or 0, count_number(found.group("high")) or 0
    if high != regimen.administrations or low + sum(o.extra or 0 for o in optional) != high or not 0 < low < high:
        return {}
    return {"administrations": low, "administration_days": regimen.administration_days[:low]}


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


def dose_words(dose: Dose) -> str:
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

