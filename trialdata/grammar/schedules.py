"""Schedules: "once a week for a total of 4 times" -> administrations, interval and days.

Day 0 is the first administration; a month counts 30 days and a year 365. A
schedule is assembled from clues found in a sentence (an interval, a count, a
list of days, "single", a span of time) so that word order does not matter:
"weekly for 4 doses", "4 doses, one week apart" and "once a week, 4 times" read
the same. Clues the text makes conditional ("a fourth, optional dose may be
given on day 7", "If needed a second dose") are set aside and counted apart,
and "until progression" leaves the count open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

from .patterns import TIMES_SIGNS, PhraseGate, Strings, gate_index, led, lookup, words
from .text import has_digit, short_text_cache
from .vocabulary import (
    ADMINISTRATION_NOUNS,
    GIVING_STEMS,
    INTERVAL_ADVERBS,
    MULTIPLES,
    NUMBER_WORDS,
    OPEN_ENDED_PHRASES,
    OPTIONAL_PHRASES,
    ORDINALS,
    OTHER_THERAPIES,
    PEOPLE_WORDS,
    REFERENCE_WORDS,
    SCALE_WORDS,
    SEVERAL_PHRASES,
    TIME_UNITS,
)

COUNT_NUMBER = rf"(?:\d{{1,4}}(?![\d.,]\d)|{words(NUMBER_WORDS)}\b)"
_NUMBER = rf"(?:{COUNT_NUMBER}|an?\b)"  # "once a week", "a week apart"; a count is never "a" ("a dose of")
_UNIT = rf"(?P<unit>{words(TIME_UNITS)})s?\b"
_NOUN = rf"(?:{words(ADMINISTRATION_NOUNS, plural=True)}|occasions?)\b"
# Up to three words between a count and its noun ("2 intrathecal autologous MSCs infusions"), none of them a time
# unit or a word that ends the phrase ("30 min before administration", "28 days post dose" count nothing).
_NOT_ADJECTIVE = (
    rf"(?:{words([*TIME_UNITS, 'min', 'minute', 'minutes', 'hour', 'hours', 'hr', 'h'], plural=True)}|"
    rf"{words(SCALE_WORDS, plural=True)}|"
    r"before|after|post|prior|of|the|a|an|as|to|for|per|each|in|on|at|by|via|and|or|with|from|patients?|subjects?|"
    r"participants?|cohorts?|groups?|arms?|levels?|escalating|increasing|ascending|different|various|several|"
    r"steps?|stages?|will|shall|be|is|are|was|were|receives?|received|receiving|given|get|gets|"
    rf"{words(NUMBER_WORDS)})\b"  # "a sequential 2 step procedure" selects cells in steps; it gives them once; in
    # "dose level 9 will receive two cell doses" the 9 counts nothing
)
# Up to five words between a count and its noun: "6 weekly HER-2 pulsed dendritic cell vaccines".
_ADJECTIVES = rf"(?:(?:(?!{_NOT_ADJECTIVE})[A-Za-z][\w-]{{0,24}}|\([^()]{{1,30}}\))\s{{1,3}}){{0,5}}?"
# "3 dose cohorts", "one treatment arm": the noun names a group of patients, not administrations.
_NOT_GROUP = (
    r"(?![-\s]{1,3}(?:cohorts?|levels?|groups?|arms?|panels?|tiers?|steps?|escalation|regimens?|finding|ranging|"
    r"limiting|volume|visits?|follow|of\s{1,3}follow|points?|frames?|determination|selection|"
    r"recipients?|patients?)\b)"  # "in 6 living-related kidney transplant recipients" counts people
)
_COUNTED = rf"(?P<noun>{words(ADMINISTRATION_NOUNS, plural=True)}|occasions?)\b{_NOT_GROUP}"  # what a count counts
_ADVERB = words(INTERVAL_ADVERBS)
_SEPARATOR = r"(?:\s{0,3}(?:,\s{0,3}and|,|;|and|&|\+|or|then)\s{0,3}|\s{1,3}-\s{1,3})"  # "D1 - D3 - D5" too
_POINT_UNIT = rf"(?:{words(TIME_UNITS)})s?\.?"  # before its number: "day 0", "d0", "W4"
_UNIT_AFTER = rf"(?:{words(TIME_UNITS)})s?\b"  # after it: "2-week", "4 weeks", never the d of "3 doses"

_INTERVALS = [
    # twice a week, three times weekly: a frequency, read as its interval (and a span makes its count)
    led(rf"\b(?:(?P<multiple>{words(k for k in MULTIPLES if MULTIPLES[k] > 1)})|(?P<times>{COUNT_NUMBER})"
               rf"\s{{1,3}}times)\s{{1,3}}"
               rf"(?:(?:a|per|every|each|in\s{{1,3}}a)\s{{1,3}}{_UNIT}|(?P<adverb>{_ADVERB}))", re.I),
    # "once a week", "once per two-week", "three times, one time per week"
    led(rf"\b(?:once|(?:one|1)\s{{1,3}}time)\s{{1,3}}(?:a|per|every|each|in)\s{{1,3}}(?:(?P<n>{_NUMBER})[-\s]{{1,3}})?"
        rf"{_UNIT}", re.I),
    led(rf"\b(?:every|each|q)\s{{0,3}}(?P<other>other\s{{1,3}})?(?:(?P<n>{_NUMBER})\s{{0,3}})?{_UNIT}", re.I),
    led(rf"\b(?:at\s{{1,3}})?(?:an?\s{{1,3}})?(?P<n>{_NUMBER})[-\s]{{0,3}}{_UNIT}\s{{1,3}}intervals?", re.I),
    led(rf"\bintervals?(?:\s{{1,3}}time)?\s{{1,3}}(?:of|is|was|will\s{{1,3}}be)\s{{1,3}}(?P<n>{_NUMBER})\s{{1,3}}{_UNIT}",
               re.I),
    led(rf"\b(?P<n>{_NUMBER})(?:\s{{1,3}}(?:-|to)\s{{1,3}}{_NUMBER})?\s{{1,3}}{_UNIT}\s{{1,3}}apart\b", re.I),
    led(rf"\b(?:once\s{{1,3}})?(?P<adverb>{_ADVERB})\b", re.I),
    # "1 x 10^6 CMVpp65-CTL/kg/dose/week for 3 weeks": a dose per week
    led(r"(?<=[\w)])/\s{0,2}(?:dose\s{0,2}/\s{0,2})?(?P<unit>week|month)s?\b", re.I),
    # "two infusions of MSC per week during two weeks": administrations per unit of time, a frequency
    led(rf"\b(?P<times>{COUNT_NUMBER})\s{{1,3}}{_NOUN}(?:\s{{1,3}}of\s{{1,3}}[\w-]{{1,25}})?"
        rf"\s{{1,3}}per\s{{1,3}}{_UNIT}", re.I),
]
# "a total of 2 x 10^7 cells", "a total of 100 million": the number of a quantity of cells, not a count.
# "a total of 30 HLHS patients", "a total of 20 consecutive participants": people, after up to two words that are
# not what a count counts ("a total of 3 doses per patient" counts doses).
_QUANTITY_FOLLOWS = (
    rf"(?!\s{{0,2}}(?:[{TIMES_SIGNS}]\s{{0,2}}\d|[.,]\d|\d|\^|[eE]\d|{words(SCALE_WORDS, plural=True)}\b|M\b|"
    rf"cells?\b|MSCs?\b|ml\b|mL\b|cc\b|{_UNIT_AFTER}|"  # "for a total of 16 weeks" is a span
    rf"(?:(?!{_NOUN})[\w-]{{1,25}}\s{{1,3}}){{0,2}}{words(PEOPLE_WORDS, plural=True)}\b))"
)
# "patients will receive one of three doses of CNDO-109-AANK cells, and the lowest of these three doses (dose 1)
# is ...": a choice among dose levels, not three administrations.
_NOT_A_CHOICE = r"(?<!\bone\sof\s)(?<!\bany\sof\s)(?<!\beither\sof\s)(?<!\bof\sthese\s)"
# The procedures of an autologous product count its harvest too, not only its administrations.
_HARVEST = led(r"\b(?:harvest|aspirat|obtaining\s{1,3}(?:the\s{1,3})?bone\s{1,3}marrow|liposuction|lipoaspirat)", re.I)
_HARVEST_REACH = 120
_TOTAL_BEFORE = re.compile(r"\btotal\b", re.I)  # "total 2 times", "a total of 4 doses": the whole course's count
# "(6 doses totally)", "4 times in all,i.v." (not "in all patients")
_TOTAL_AFTER = re.compile(r"\s{0,3}\(?\s{0,3}(?:in\s{1,3}total|totally|altogether|in\s{1,3}all\b(?!\s{1,3}[a-z]))\b",
                          re.I)
_LATER_ORDINALS = tuple(word for word, n in ORDINALS.items() if n > 1)
_COUNTS = [
    led(rf"\b(?:for\s{{1,3}})?(?:a\s{{1,3}})?total\s{{1,3}}of\s{{1,3}}(?P<n>{COUNT_NUMBER}){_QUANTITY_FOLLOWS}"
               rf"(?:\s{{1,3}}{_ADJECTIVES}{_COUNTED})?", re.I),
    # "up to 4 infusions", "a maximum of 9 administrations"
    led(rf"\b(?:up\s{{1,3}}to|(?:a\s{{1,3}})?maximum\s{{1,3}}of)\s{{1,3}}(?P<bounded>{COUNT_NUMBER})\s{{1,3}}{_ADJECTIVES}"
        rf"{_COUNTED}", re.I),
    # "3 doses", "2 intrathecal autologous MSCs infusions"; not a number inside a range or a decimal ("100-300 million")
    # not after a slash: "anti-MAGE-A3/12 cells as an infusion" names a product, "1/2 doses" is a share
    led(rf"(?=\d)(?<![\w.^~/])(?<![-–~,]\d)(?<![-–~,])(?<!phase\s)(?<!Phase\s)(?<!PHASE\s){_NOT_A_CHOICE}"
        rf"(?P<n>\d{{1,4}})(?![\d.,]\d)(?:\s{{1,3}}|-(?=time))(?:{_ADJECTIVES}){_COUNTED}", re.I),  # "2-time injection"
    # "(7x, 2 - 10 x 106 DC each, intradermal injection, weekly wk11-14, wk17, 21, 25)": a count before a times sign
    # that no number follows
    re.compile(r"(?<![\w.,^])(?P<n>\d{1,2})\s?[x×](?=\s{0,2}[,;)])"),
    # "3 or more cycles of the CAR-T cells treatment": a count at least
    led(rf"\b(?P<n>{COUNT_NUMBER})\s{{1,3}}or\s{{1,3}}more\s{{1,3}}{_ADJECTIVES}{_COUNTED}", re.I),
    # "three infusions", "two doses"
    led(rf"\b(?<!first\s)(?<!last\s)(?<!the\s){_NOT_A_CHOICE}(?P<n>{words(NUMBER_WORDS)})\b"
               rf"\s{{1,3}}{_ADJECTIVES}{_COUNTED}", re.I),
    led(r"[×xX](?<![\w.].)(?<!\d\s.)\s{0,2}(?P<n>\d{1,2})(?![\d^.]|\s{0,2}10)\b(?!\s{0,2}[\d^(~])"),  # ×4
    led(rf"\b(?P<multiple>{words(k for k in MULTIPLES if MULTIPLES[k] > 1)})\b", re.I),
    # "The second transplantation: the same amount of cells are again transplanted": a heading naming the Nth
    # administration says there are at least N
    led(rf"\bthe\s{{1,3}}(?P<ordinal>{words(_LATER_ORDINALS)})\s{{1,3}}{_COUNTED}\s{{0,2}}[:：]", re.I),
]
_IN_A_ROW = r"(?:(?:consecutive|continuous)\s{1,3})?"  # "for 3 consecutive days", "for continuous three days"
# "for a total of 8 weeks", "for the first two-month"
_SPAN = led(rf"\b(?:for|during|over)\s{{1,3}}"
            rf"(?:a\s{{1,3}}(?:period|total)\s{{1,3}}of\s{{1,3}}|the\s{{1,3}}first\s{{1,3}})?{_IN_A_ROW}"
            rf"(?P<n>{_NUMBER})[-\s]{{1,3}}{_IN_A_ROW}{_UNIT}", re.I)
# "every 4 weeks from Week 0 to Week 36": a span whose two ends are both administrations (10 of them, not 9).
_FROM_TO = led(rf"\bfrom\s{{1,3}}(?:the\s{{1,3}})?{_UNIT}\s{{0,2}}(?P<a>\d{{1,3}})\s{{1,3}}(?:to|through|until|till)"
               rf"\s{{1,3}}(?:(?:{words(TIME_UNITS)})s?\s{{0,2}})?(?P<b>\d{{1,3}})\b", re.I)
_SINGLE = led(
    # not "a single centre, non-randomized dose-escalation evaluation": single is what the trial is, not its dosing
    rf"\b(?:a\s{{1,3}})?single(?![-\s](?:cent(?:er|re)|site|arm|group|blind|institution|patient)s?\b)"
    rf"(?:[-\s](?:dose|shot))?\b(?:[,\s]{{1,3}}[\w-]{{1,25}}){{0,3}}?[,\s]{{1,3}}{_NOUN}"
    r"|\bsingle[-\s]dose\b|\bsingle\s{1,3}(?:IV|i\.v\.|intravenous(?:ly)?)\b|\bone[-\s]time\b(?!\s{1,3}(?:a|per|every|each)\s)|\bone[-\s]off\b|\bonce\s{1,3}only\b|\bonly\s{1,3}once\b"
    r"|\b(?:infused|injected|administered|given|transplanted|applied|implanted|delivered|performed|done)\s{1,3}once\b"
    rf"(?!\s{{1,3}}(?:a|per|every|each|{_ADVERB})\b)"
    r"|\bonce\s{1,3}on\s{1,3}day\b"
    # "once intracavernous injection of ...": once before the administration itself, not before an interval
    rf"|\bonce\s{{1,3}}(?!(?:a|an|per|every|each|in|{_ADVERB})\b)(?:[\w-]{{1,25}}\s{{1,3}}){{0,2}}?{_NOUN}",
    re.I,
)
# "days 1, 4 and 7", "Day 0, Day 2, and Day 4", "at week 0, week 1 and week 2", "day 0 and week 4".
# A number followed by % is a share of a dose, not a day: "day0,30%; day1, 30%; day2, 40%" lists no days 30 and 40.
_NOT_A_DAY = r"(?!\d)(?!\.\d)(?!\s{0,2}%)(?!\s{0,2}[×xX*]\s{0,2}\d)"  # nor the mantissa of "10x109 TIL on Day 15"
_DAY_LIST = led(
    rf"\b(?P<first>{_POINT_UNIT}\s{{0,2}}[+-]?\d{{1,4}}){_NOT_A_DAY}"
    rf"(?P<rest>(?:{_SEPARATOR}(?:(?:on|at|in)\s{{1,3}})?(?:{_POINT_UNIT}\s{{0,2}})?[+-]?\d{{1,4}}{_NOT_A_DAY}){{1,24}})",
    re.I,
)
# A list whose last item follows "or" ("on Day 0, Day 1 or Day 2") is a window for one administration.
_ALTERNATIVE_DAYS = re.compile(r"\bor\s{1,3}(?:on\s{1,3})?(?:day|d|week|month)?\s{0,2}[+-]?\d{1,4}\s{0,3}$", re.I)
# "in the 1st, 8th and 15th day", "on the 1, 4, 7 and 10 days after": read only where the sentence speaks of giving
# something, since "at 1, 3 and 6 months" is as often a list of follow-up visits.
_ORDINAL_DAYS = led(
    rf"\b(?P<ordinals>\d{{1,3}}(?:st|nd|rd|th)?(?:{_SEPARATOR}\d{{1,3}}(?:st|nd|rd|th)?){{1,24}})\s{{1,3}}{_UNIT}",
    re.I,
)
# "administered intravenously at surgery and day 4 post-transplant", "immediately after the surgery and at day 3
# after the surgery": the procedure is day 0.
_AT_PROCEDURE_AND_DAY = led(r"\b(?:at|after)\s{1,3}(?:the\s{1,3}(?:time\s{1,3}of\s{1,3})?)?"
                            r"(?:surgery|operation|transplant(?:ation)?)\s{1,3}and\s{1,3}(?:at\s{1,3}|on\s{1,3})?"
                            r"(?:post-?operative\s{1,3})?day\s{0,2}(?P<later>\d{1,3})\b", re.I)
# "repeat dose administration @ 4 weeks", "repeat administration of this dose @ week 4": a first dose and one more.
_REPEAT_AT = led(rf"\brepeat(?:ed)?\s{{1,3}}(?:(?:dose|administration|injection|infusion|treatment)s?\s{{1,3}}){{0,2}}"
                 rf"(?:of\s{{1,3}}th(?:is|e\s{{1,3}}same)\s{{1,3}}dose\s{{1,3}})?(?:@|at|after|in)\s{{1,3}}"
                 rf"(?:(?P<repeat_unit>{words(TIME_UNITS)})s?\s{{0,2}}(?P<repeat_n>\d{{1,3}})\b"
                 rf"|(?P<repeat_after>\d{{1,3}})\s{{0,2}}(?P<after_unit>{words(TIME_UNITS)})s?\b)", re.I)
# "visits at week 4, week 12, and week 24", "evaluated at 1, 6, 12 months", "a survival visit ... each 6 months":
# times of follow-up, not of doses, when the clause names a visit and nothing given.
FOLLOW_UP = led(r"\b(?:visits?|follow(?:ed)?[-\s]?up|followed|assess|evaluat|measur|examin|scan|collect|sampl|"
                r"test|monitor|check|record|analy[sz]|endpoint|outcome|time\s{1,3}points?|review)\w*\b", re.I)
_CLAUSE = led(r"[.;:]\s")
_REFERENCE_POINT = led(rf"\b{words(REFERENCE_WORDS)}[-\s]{{0,3}}(?:treatment|therapy|"
                              r"transplant(?:ation)?|infusion|injection|dosing|administration)\b", re.I)
# "Three cycles of HRT": the count of another treatment's administrations.
_OF_OTHER_THERAPY = re.compile(rf"\s{{1,3}}of\s{{1,3}}(?:the\s{{1,3}})?{words(OTHER_THERAPIES)}\b", re.I)
GIVING = led(rf"\b{words(GIVING_STEMS)}", re.I)
# "at 1st treatment, 2-week, 4-week, 16-week, and 24-week": times from the first administration, day 0 first.
_TIMES_SINCE_FIRST = led(
    rf"\b(?:(?P<first>(?:1st|first|initial)(?:\s{{1,3}}(?:treatment|dose|injection|infusion|administration))?)"
    rf"{_SEPARATOR})?(?P<items>\d{{1,3}}[-\s]{_UNIT_AFTER}(?:{_SEPARATOR}\d{{1,3}}[-\s]{_UNIT_AFTER}){{1,24}})",
    re.I,
)
_HYPHEN_POINT = re.compile(rf"(\d{{1,3}})[-\s]({words(TIME_UNITS)})s?\b", re.I)
_POINT = led(rf"(?:\b(?P<unit>{words(TIME_UNITS)})s?\.?\s{{0,2}})?(?P<n>[+-]?\d{{1,4}})", re.I)
_OPTIONAL = led("|".join(rf"\b{phrase}" for phrase in OPTIONAL_PHRASES), re.I)
_OPTIONAL_GATE = PhraseGate(OPTIONAL_PHRASES)
_OPEN_ENDED = led("|".join(rf"\b{phrase}" for phrase in OPEN_ENDED_PHRASES), re.I)
_CLAUSE_END = re.compile(r"[.;]\s|\.$")
_ORDINAL_NOUN = led(rf"\b(?P<ordinal>{words(ORDINALS)})[,\s]{{1,3}}(?:[\w,-]{{1,20}}\s{{1,3}}){{0,2}}?{_NOUN}",
                           re.I)
_DIGITS = re.compile(r"\d+")
# What a conditional clause must speak of to be about doses: "a second dose", "repeat injection", "another 4 weeks
# of treatment", "on day 7", "cells" ("If no DLT occurs, the dose group will enroll three more subjects" is not).
_DOSE_WORDS = led(
    rf"\b(?:{words(ORDINALS)}|another|additional|further|more|extra|repeat(?:ed)?|second|one|a|an|\d{{1,2}})[,\s]{{1,3}}"
    rf"(?:[\w-]{{1,20}}\s{{1,3}}){{0,2}}?{_NOUN}|\brepeat|\bre-?(?:treat|dos|inject|infus|administ)|\bagain\b|"
    rf"\bcells?\b|\bMSCs?\b|\b{_POINT_UNIT}\s{{0,2}}\d", re.I)
_MORE_TIME = led(rf"\b(?:additional|further|another|extra)\s{{1,3}}(?P<n>{COUNT_NUMBER})\s{{1,3}}{_UNIT}", re.I)
_DAY_POINT = led(rf"\b{_POINT_UNIT}\s{{0,2}}[+-]?\d{{1,4}}", re.I)
_ONE_MORE = led(rf"\b(?:a|one|another)\s{{1,3}}(?:[\w,-]{{1,20}}\s{{1,3}}){{0,2}}?{_NOUN}|\brepeat", re.I)
_CLUE_REACH = 80
_OPTIONAL_REACH = 300  # a conditional clause ends at its sentence's end, or this far on
_START = attrgetter("start")
_ANCHORS = frozenset(("interval", "days", "single"))  # "count" and "span" clues join the nearest anchor
MAX_CLUES = 64  # a sentence with more schedule words than this states no one schedule
MAX_ADMINISTRATIONS = 366  # more than daily for a year is not a cell-therapy schedule


@dataclass(frozen=True)
class ScheduleMention:
    """A schedule read from text: how many administrations, how far apart, on which days."""

    administrations: int | None
    interval_days: float | None
    days: tuple[float, ...]
    text: str
    start: int
    end: int
    count_bound: str | None = None  # "at most": "up to 4 infusions"; "at least": "at least 6 cycles"
    open_ended: bool = False  # "every 3 months until progression": no count
    single: bool = False  # read from "single", "one time": one administration in so many words
    weak: bool = False  # "single dose" as an adjective ("single dose, 4x10^7 cells"): a stated count elsewhere wins
    noun: str = ""  # what the count counts ("injections" may be sites of one procedure)
    per_cycle: int | None = None  # a count made of cycles: how many administrations each cycle holds
    from_span: bool = False  # the count worked out from an interval and a length of time, not written


@dataclass(frozen=True)
class OptionalDoses:
    """Administrations the text makes conditional: how many (when it says), and its words."""

    extra: int | None
    text: str
    start: int


class _Clue(NamedTuple):
    kind: str  # "interval", "count", "days", "single", "span"
    start: int
    end: int
    value: float | tuple[float, ...]
    unit_days: float = 1.0
    bounded: bool = False  # a count that is a maximum
    frequency: int = 0  # "twice a week": administrations per interval unit
    weak: bool = False
    noun: str = ""  # what a count counts: "infusions", "injections", "times"
    total: bool = False  # "a total of 4", "total 2 times": the count of the whole course, before any other
    inclusive: bool = False  # a span from one administration to another ("from Week 0 to Week 36"): both ends count


def find_schedule(text: str) -> ScheduleMention | None:
    """The first schedule written in `text`, or None when it states none."""
    schedules = find_schedules(text)
    return schedules[0] if schedules else None


# Every clue holds a digit or one of these words (a property test checks it on generated text): a sentence holding
# none of them states no schedule, and most sentences of a registry text are skipped with a few substring tests.
_SCHEDULE_WORDS = tuple(dict.fromkeys(word.lower() for word in (
    *NUMBER_WORDS, *MULTIPLES, *INTERVAL_ADVERBS, "single", "every", "each", "interval", "apart", "other")))
_SCHEDULE_STRINGS = Strings.of(_SCHEDULE_WORDS)


def may_state_schedule(text: str) -> bool:
    if has_digit(text):
        return True
    lowered = text.lower()
    return _SCHEDULE_STRINGS.any_in(lowered)


def find_schedules(text: str) -> list[ScheduleMention]:
    """Every schedule written in `text`, in reading order, optional doses left out (see `find_optional`).

    Each interval, day list or "single" anchors one schedule; a count joins the
    nearest anchor within reach, so "PE every 3 days, 3 times; MSC weekly, 4
    times" gives two schedules, not one muddled one.
    """
    if not may_state_schedule(text):
        return []
    clues = _clues(text)
    if not clues:
        return []
    optional = _optional_spans(text)
    if optional:
        clues = [kept for c in clues if (kept := _outside(text, c, optional)) is not None]
    clues.sort(key=_START)
    anchors = [c for c in clues if c.kind in _ANCHORS]
    phased = _phases_with_total(text, anchors, clues)
    if phased is not None:
        return [phased]
    groups: dict[int, list[_Clue]] = {id(a): [a] for a in anchors}
    lowered = text.lower()
    per_cycle = any(map(lowered.__contains__, CYCLE_NOUNS)) and PER_CYCLE.search(text) is not None
    for clue in clues:
        if clue.kind in _ANCHORS:
            continue
        if per_cycle and clue.kind == "count" and clue.noun.lower().startswith(CYCLE_NOUNS):
            groups[id(clue)] = [clue]  # "for 3 cycles, each cycle received four infusions on day 14, 16, 30 and 32":
            continue  # the days and the count of infusions are of each cycle; the cycles are counted apart
        nearest, gap = None, 0
        for anchor in anchors:
            distance = _distance(anchor, clue)
            if (nearest is None or distance < gap) and not _then_between(text, anchor, clue):
                nearest, gap = anchor, distance
        if nearest is not None and gap <= _CLUE_REACH and not _counts_apart(nearest, clue) \
                and not _more_of_course(text, clue, groups[id(nearest)]) \
                and not _another_count(clue, groups[id(nearest)]):
            groups[id(nearest)].append(clue)
        elif clue.kind == "count" and (not clue.noun.startswith("time") or clue.total or GIVING.search(text)):
            groups[id(clue)] = [clue]  # "4 times of those are proceeded": a lone "times" counts only doses given,
            # or a course ("Each time 10 billion cells, 4 times in all")
    open_ended = _OPEN_ENDED.search(text) is not None if "until" in text or "long as" in text or "indefinite" in \
        text else False
    schedules = [s for s in map(_assemble, repeat(text), groups.values(), repeat(open_ended)) if s is not None]
    schedules = [_then_once_more(text, s) for s in _phases_added(text, sorted(schedules, key=_START))]
    repeats = [r for r in schedules if _REPEAT_AT.match(text, r.start)] if "repeat" in text.lower() else []
    if repeats:  # "single administration at Day 0 , repeat administration of this dose @ week 4": its first dose
        schedules = [s for s in schedules if not (s.single and any(r.start > s.end for r in repeats))]
    return schedules


# One more administration at a stated time after a counted course: "once weekly, for 3 weeks, then 12 weeks post
# aATC#1" is four, the last on week 12.
_THEN_AT = led(rf"\s{{0,3}},?\s{{0,3}}then\s{{1,3}}(?:at\s{{1,3}})?(?P<n>\d{{1,3}})\s{{1,3}}"
               rf"(?P<unit>{words(TIME_UNITS)})s?\s{{1,3}}(?:post|after)\b", re.I)


def _then_once_more(text: str, schedule: ScheduleMention) -> ScheduleMention:
    if not schedule.administrations or schedule.count_bound or "then" not in text[schedule.end:schedule.end + 8]:
        return schedule
    then = _THEN_AT.match(text, schedule.end)
    if then is None:
        return schedule
    later = float(then.group("n")) * float(lookup(TIME_UNITS, then.group("unit")))  # type: ignore[arg-type]
    days = (*schedule.days, later) if schedule.days and later > schedule.days[-1] else ()
    return replace(schedule, administrations=schedule.administrations + 1, interval_days=None, days=days,
                   text=text[schedule.start:then.end()], end=then.end())


# A later phase counted as more of the same course: "once every 2 weeks during the first 8 weeks, followed by
# injections every 4 weeks for an additional 10 vaccinations", "..., then 4 more infusions".
_ADDED = led(rf"\b(?:an?\s{{1,3}})?(?:additional|further|another)\s{{1,3}}{COUNT_NUMBER}"
             rf"|\b{COUNT_NUMBER}\s{{1,3}}(?:more|additional|further)\b", re.I)
_ADDED_REACH = 80  # characters between one phase and the next counted as more of it
_ADDED_LEAD = 20  # characters before a count searched for "an additional"


def _another_count(clue: _Clue, group: list[_Clue]) -> bool:
    """"4 bi-weekly vaccinations with 25E6 cells/vaccination ..., and 2 booster vaccinations with 10E6": a count
    other than the one an anchor already has counts something else."""
    return clue.kind == "count" and not clue.total and not clue.noun.lower().startswith(CYCLE_NOUNS) and any(
        c.kind == "count" and not c.total and not c.bounded and c.value != clue.value
        and not c.noun.lower().startswith(CYCLE_NOUNS) for c in group)


def _more_of_course(text: str, clue: _Clue, group: list[_Clue]) -> bool:
    """"two infusions of MSC per week during two weeks and 1 more MSC infusion": a count of more administrations
    after a phase already measured is a phase of its own (summed by `_phases_added`), not that phase's count."""
    return clue.kind == "count" and any(c.kind in ("span", "count") for c in group[1:]) \
        and _ADDED.search(text, max(0, clue.start - _ADDED_LEAD), clue.end) is not None


def _phases_added(text: str, schedules: list[ScheduleMention]) -> list[ScheduleMention]:
    """Two counted phases of which the second is "an additional N" are one course of their sum; its days are not
    listed, since when the second phase starts is not said."""
    if len(schedules) < 2 or _ADDED.search(text) is None:
        return schedules
    merged: list[ScheduleMention] = []
    for schedule in schedules:
        first = merged[-1] if merged else None
        if first is not None and first.administrations and schedule.administrations \
                and not first.count_bound and not schedule.count_bound \
                and 0 <= schedule.start - first.end <= _ADDED_REACH and ";" not in text[first.end:schedule.start] \
                and _ADDED.search(text, first.end, schedule.end) is not None:
            merged[-1] = ScheduleMention(first.administrations + schedule.administrations, None, (),
                                         text[first.start:schedule.end], first.start, schedule.end,
                                         noun=schedule.noun or first.noun,
                                         from_span=first.from_span or schedule.from_span)
            continue
        merged.append(schedule)
    return merged


def _phases_with_total(text: str, anchors: list[_Clue], clues: list[_Clue]) -> ScheduleMention | None:
    """"twice a week for the first two weeks and weekly for the following two weeks(6 doses totally)": intervals
    in phases of one course, summed up by a total after the last of them, are one schedule of that total (its
    days uneven, so not listed); "on Day 1, 15, 29, 43 and then every 3 weeks thereafter for ... a maximum of 9
    administrations": listed days, then an interval, up to a maximum, are one course (its days the list's, then
    the interval's). Not where a semicolon parts them (one product's schedule, then another's)."""
    phases = [a for a in anchors if a.kind in ("interval", "days")]
    totals = [c for c in clues if c.kind == "count" and (c.total or c.bounded)]
    if len(phases) < 2 or len(totals) != 1 or totals[0].start < phases[-1].end \
            or ";" in text[phases[0].start:totals[0].end] or not any(a.kind == "interval" for a in phases):
        return None
    total = totals[0]
    count = int(total.value)  # type: ignore[arg-type]
    if not 1 < count <= MAX_ADMINISTRATIONS:
        return None
    days: tuple[float, ...] = ()
    if len(phases) == 2 and phases[0].kind == "days" and phases[1].kind == "interval":
        listed = sorted(set(phases[0].value))  # type: ignore[arg-type]
        step = float(phases[1].value)  # type: ignore[arg-type]
        if len(listed) < count:
            listed += [listed[-1] + step * k for k in range(1, count - len(listed) + 1)]
        days = tuple(d - listed[0] for d in listed[:count])
    start = phases[0].start
    return ScheduleMention(count, None, days, text[start:total.end], start, total.end, noun=total.noun,
                           count_bound="at most" if total.bounded else None)


_SEVERAL = led("|".join(rf"\b{phrase}" for phrase in SEVERAL_PHRASES), re.I)
_SEVERAL_GATE = PhraseGate(SEVERAL_PHRASES)


def find_several(text: str) -> str | None:
    """The words that speak of several administrations without counting them ("the first NK cell infusion")."""
    lowered = text.lower()
    match = _SEVERAL.search(text) if _SEVERAL_GATE.may_match(lowered) else None
    return match.group(0) if match else None


_SAMPLING = led(r"\bblood\b[^.;]{0,60}?\b(?:taken|drawn|draws?|collected|sampled)\b"
                       r"|\b(?:blood|serum|plasma)\s{1,3}(?:samples?|sampling|draws?)\b", re.I)


def mentions_sampling(text: str) -> bool:
    """Whether the text speaks of blood draws: a schedule in it may time those, not doses ("blood will be taken
    before the infusion and then at 1, 2, 4, 5, 6 and 8 weeks")."""
    return _SAMPLING.search(text) is not None


def find_optional(text: str) -> list[OptionalDoses]:
    """Doses the text makes conditional, each with how many more administrations it adds when it says."""
    spans = _optional_spans(text)
    if not spans:
        return []
    clues = _clues(text)
    interval = next((float(c.value) for c in clues if c.kind == "interval" and not any(  # type: ignore[arg-type]
        start <= c.start < end for start, end in spans)), None)
    found = []
    for start, end in spans:
        inside = [c for c in clues if start <= c.start < end]
        words_ = text[start:end]
        if not (inside or _DOSE_WORDS.search(words_)):
            continue  # "if there are no safety concerns": a condition, but not on a dose
        found.append(OptionalDoses(_extra(words_, inside, interval), words_.strip(), start))
    return found


def _extra(words_: str, clues: list[_Clue], interval: float | None) -> int | None:
    """How many administrations a conditional clause adds: its count or days; "an additional 4 weeks" of a weekly
    schedule, 4; one for "a second dose"; else None."""
    more = _MORE_TIME.search(words_)
    if more and interval:
        return max(1, round(count_number(more.group("n")) * float(lookup(TIME_UNITS, more.group("unit"))) / interval))  # type: ignore[operator]
    for clue in clues:
        if clue.kind == "count":
            return int(clue.value)  # type: ignore[arg-type]
        if clue.kind == "days":
            return len(clue.value)  # type: ignore[arg-type]
    points = _DAY_POINT.findall(words_)
    if points:
        return len(points)
    if _ORDINAL_NOUN.search(words_) or _ONE_MORE.search(words_):
        return 1
    return None


@short_text_cache(maxsize=256)  # asked of each sentence twice: for its schedules and for its conditional doses
def _optional_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where conditional doses are written, merged: from the start of an optional phrase's clause ("a fourth,
    optional dose may be given on day 7") to the clause's end, or, for a bracketed "(if needed)" after a list,
    its last item."""
    if not _OPTIONAL_GATE.may_match(text.lower()):
        return ()
    spans: list[tuple[int, int]] = []
    for match in _OPTIONAL.finditer(text):
        reach = min(len(text), match.end() + _OPTIONAL_REACH)
        end_match = _CLAUSE_END.search(text, match.end(), reach)
        end = end_match.start() + 1 if end_match else reach
        start = match.start()
        if start > 0 and text[start - 1] == "(":
            start = max(text.rfind(",", 0, start), text.rfind(" and ", 0, start), start - 20)
        else:
            start = _clause_start(text, start)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return tuple(spans)


def _clause_start(text: str, start: int) -> int:
    """Back over the words of the phrase's own clause: to the last separator before it, and over one more when
    those words are only a few ("a fourth, optional dose")."""
    limit = start
    for _ in range(2):
        low = max(0, limit - 60)
        separator = max(text.rfind(",", low, limit), text.rfind(" and ", low, limit), text.rfind(";", low, limit))
        if separator < 0:
            return start
        after = separator + (5 if text.startswith(" and ", separator) else 1)
        if len(text[after:start].split()) > 2:
            return start
        start, limit = after, separator
    return start


def _outside(text: str, clue: _Clue, spans: tuple[tuple[int, int], ...]) -> _Clue | None:
    """The clue without what lies in a conditional span: None when it starts there; a list of days cut short
    when its last items do ("on days 1 and day 7 (if needed)")."""
    for start, end in spans:
        if start <= clue.start < end:
            return None
        if clue.kind == "days" and clue.start < start < clue.end:
            cut = _days_clue_of(text, clue.start, start)
            return cut
    return clue


def _days_clue_of(text: str, start: int, end: int) -> _Clue | None:
    points = _points(text[start:end])
    if len(points) == 1:  # "on day 1 (and day 7 if needed)": the one day that is not conditional
        return _Clue("single", start, end, 1.0)
    return _Clue("days", start, end, tuple(points)) if points else None


_UNIT_WORDS = tuple(TIME_UNITS)
# Each clue pattern, the words it cannot match without (lower case; any one of the first group and one of the
# second), all taken from the tables the patterns are built from: a substring test is far cheaper than a regex
# pass, and most sentences hold few of these words. Earlier clues win where two overlap.
_ANY = ("",)
_DIGITS_ = tuple("0123456789")
_GATES: list[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...]]] = [
    ("days", _DAY_LIST, _UNIT_WORDS, _DIGITS_),
    ("days", _TIMES_SINCE_FIRST, ("-week", "-day", "-month", " week", " day", " month"), _DIGITS_),
    ("days", _ORDINAL_DAYS, (",", " and "), _DIGITS_),
    ("days", _AT_PROCEDURE_AND_DAY, ("surgery", "operation", "transplant"), (" day",)),
    ("days", _REPEAT_AT, ("repeat",), _DIGITS_),
    ("single", _SINGLE, ("single", "one-", "one ", "once"), _ANY),
    ("interval", _INTERVALS[0], ("time", *MULTIPLES), (*_UNIT_WORDS, *INTERVAL_ADVERBS)),
    ("interval", _INTERVALS[1], ("once", "one time", "1 time"), _UNIT_WORDS),
    ("interval", _INTERVALS[2], ("every", "each", "q"), _UNIT_WORDS),
    ("interval", _INTERVALS[3], ("interval",), _UNIT_WORDS),
    ("interval", _INTERVALS[4], ("interval",), _UNIT_WORDS),
    ("interval", _INTERVALS[5], ("apart",), _UNIT_WORDS),
    ("interval", _INTERVALS[6], tuple(INTERVAL_ADVERBS), _ANY),
    ("interval", _INTERVALS[7], ("/",), ("week", "month")),
    ("interval", _INTERVALS[8], tuple(ADMINISTRATION_NOUNS), (" per week", " per month", " per day")),
    ("count", _COUNTS[0], ("total",), _ANY),
    ("count", _COUNTS[1], ("up to", "maximum"), _ANY),
    ("count", _COUNTS[2], (*ADMINISTRATION_NOUNS, "occasion"), _DIGITS_),
    ("count", _COUNTS[3], ("x,", "x;", "x)", "×,", "×;", "×)", "x ,", "x ;", "x )"), _DIGITS_),
    ("count", _COUNTS[4], (" or more ",), (*ADMINISTRATION_NOUNS, "occasion")),
    ("count", _COUNTS[5], tuple(NUMBER_WORDS), (*ADMINISTRATION_NOUNS, "occasion")),
    ("count", _COUNTS[6], ("×", "x"), _DIGITS_),
    ("count", _COUNTS[7], tuple(k for k in MULTIPLES if MULTIPLES[k] > 1), _ANY),
    ("count", _COUNTS[8], _LATER_ORDINALS, (":", "：")),
    ("span", _SPAN, ("for", "during", "over"), _UNIT_WORDS),
    ("span", _FROM_TO, ("from",), _UNIT_WORDS),
]
_GATED = [(kind, pattern, frozenset(first), frozenset(second)) for kind, pattern, first, second in _GATES]
_GATE_WORDS = Strings.of(word for _, _, first, second in _GATED for word in first | second)
_OPENS = gate_index(first for _, _, first, _ in _GATED)


def _clues(text: str) -> list[_Clue]:
    clues: list[_Clue] = []
    lowered = text.lower()
    present = _GATE_WORDS.found(lowered)
    for i in _OPENS.opened(lowered, present):
        kind, pattern, _, second = _GATED[i]
        if present.isdisjoint(second):
            continue
        read = _READERS[kind]
        for match in pattern.finditer(text):
            clue = read(match)
            if clue is None:
                continue
            if any(clue.start < other.end and other.start < clue.end and not _nested(clue, other) for other in clues):
                continue
            if len(clues) >= MAX_CLUES:
                return clues
            clues.append(clue)
    return clues


def _counts_apart(anchor: _Clue, clue: _Clue) -> bool:
    """"Single intraarticular injection of 100 million ... cells and three intraarticular injections of plateler
    Rich Plasma": a count of several beside a stated single administration counts something else; it stays a
    schedule of its own, and the dose takes the nearer."""
    return anchor.kind == "single" and not anchor.weak and clue.kind == "count" and not clue.total \
        and float(clue.value) > 1  # type: ignore[arg-type]  # "one time/one menstrual cycle, total 2 times" stays one


def _nested(a: _Clue, b: _Clue) -> bool:
    """"three weekly infusions": a count may hold an interval ("weekly"); the two then join as one schedule."""
    if {a.kind, b.kind} != {"count", "interval"}:
        return False
    count, interval = (a, b) if a.kind == "count" else (b, a)
    return count.start <= interval.start and interval.end <= count.end


def _follow_up(match: re.Match[str]) -> bool:
    """Whether the clause before a clue speaks of follow-up rather than of something given: the nearer of a
    follow-up word ("assessed", "visits") and a giving word ("infused", "treatment") decides."""
    text, start = match.string, match.start()
    window = text[max(0, start - 80):start]
    clause = _REFERENCE_POINT.sub(" ", _CLAUSE.split(window)[-1])  # "within one month pre treatment": not given
    follow = [m.end() for m in FOLLOW_UP.finditer(clause)]
    if not follow:
        return False
    giving = [m.end() for m in GIVING.finditer(clause)]
    return not giving or follow[-1] > giving[-1]


def _days_clue(match: re.Match[str]) -> _Clue | None:
    groups = match.groupdict()
    if _follow_up(match):
        return None
    if groups.get("items") is not None:
        if not GIVING.search(_REFERENCE_POINT.sub(" ", match.string)):
            return None
        points = [0.0] if groups.get("first") else []
        points += [float(n) * float(lookup(TIME_UNITS, unit)) for n, unit in _HYPHEN_POINT.findall(groups["items"])]
        return _Clue("days", match.start(), match.end(), tuple(points)) if len(set(points)) > 1 else None
    if groups.get("repeat_n") or groups.get("repeat_after"):
        n, unit = (groups["repeat_n"], groups["repeat_unit"]) if groups.get("repeat_n") else \
            (groups["repeat_after"], groups["after_unit"])
        later = float(n) * float(lookup(TIME_UNITS, unit))  # type: ignore[arg-type]
        return _Clue("days", match.start(), match.end(), (0.0, later)) if later > 0 else None
    if groups.get("later"):
        later = float(groups["later"])
        return _Clue("days", match.start(), match.end(), (0.0, later)) if later > 0 else None
    if groups.get("ordinals"):
        if not GIVING.search(_REFERENCE_POINT.sub(" ", match.string)):
            return None
        unit = float(lookup(TIME_UNITS, groups["unit"]))  # type: ignore[arg-type]
        points = tuple(float(n) * unit for n in _DIGITS.findall(groups["ordinals"]))
        return _Clue("days", match.start(), match.end(), points) if len(set(points)) > 1 else None
    if _ALTERNATIVE_DAYS.search(match.group(0)):
        return None  # "on Day 0, Day 1 or Day 2": a window for one infusion, not three
    points = _points(match.group(0))
    end = match.end()
    weeks = _OF_WEEKS.match(match.string, end)
    if weeks is not None and len(points) > 1:  # "on days 1, 3, and 5 of weeks 1 and 2": those days of each week
        listed = [int(w) for w in _DIGITS.findall(weeks.group("weeks"))]
        points = [point + 7.0 * (week - listed[0]) for week in listed for point in points]
        end = weeks.end()
    return _Clue("days", match.start(), end, tuple(points)) if len(points) > 1 else None


_OF_WEEKS = re.compile(r"\s{0,3}of\s{1,3}weeks?\s{0,2}"
                       r"(?P<weeks>\d{1,2}(?:\s{0,3}(?:,|and|&|,\s{0,3}and)\s{0,3}\d{1,2}){1,5})\b", re.I)


def _points(words_: str) -> list[float]:
    """The days of a list's items, each in its own unit or the last one written ("day 0 and week 4")."""
    points: list[float] = []
    unit = 1.0
    for point in _POINT.finditer(words_):
        if point.group("unit"):
            unit = float(lookup(TIME_UNITS, point.group("unit")))  # type: ignore[arg-type]
        points.append(float(point.group("n")) * unit)
    return points


def _single_clue(match: re.Match[str]) -> _Clue:
    words_ = match.group(0).lower()
    weak = words_.startswith(("single dose", "a single dose", "single-dose")) and not words_.endswith(
        ("infusion", "injection", "administration", "transfusion", "transplantation", "application"))
    return _Clue("single", match.start(), match.end(), 1.0, weak=weak)


_COURSE_INTERVAL_DAYS = 14  # "N times" before an adverb this far apart counts doses, not a frequency


def _interval_clue(match: re.Match[str]) -> _Clue | None:
    groups = match.groupdict()
    if _follow_up(match):
        return None
    times = groups.get("times") or groups.get("multiple")
    if groups.get("adverb"):
        interval = float(lookup(INTERVAL_ADVERBS, groups["adverb"]))  # type: ignore[arg-type]
    else:
        n = count_number(groups["n"]) if groups.get("n") else 1
        if n is None or n <= 0:
            return None
        if groups.get("other"):
            n = 2
        interval = n * float(lookup(TIME_UNITS, groups["unit"]))  # type: ignore[arg-type]
    if groups.get("times") and groups.get("adverb") and interval >= _COURSE_INTERVAL_DAYS:
        return None  # "vaccinated intranodally three times biweekly": three vaccinations, two weeks apart
    if times:
        per = int(lookup(MULTIPLES, times)) if times.lower() in MULTIPLES else count_number(times)  # type: ignore[arg-type]
        if not per:
            return None
        return _Clue("interval", match.start(), match.end(), interval / per, unit_days=interval, frequency=per)
    return _Clue("interval", match.start(), match.end(), interval)


# People counted in the words before a bare total: the total counts them, not administrations.
_PEOPLE_BEFORE = re.compile(rf"\b{words(PEOPLE_WORDS, plural=True)}\b[^.;]*$", re.I)
_PEOPLE_REACH = 80
_GIVEN_TO = re.compile(r"\b(?:receiv|given|administer|infus|inject|treated|transplant|implant)", re.I)


def _counts_people(text: str, start: int) -> bool:
    """Whether a bare total ("for a total of 6") follows people named with nothing given to them since."""
    people = _PEOPLE_BEFORE.search(text, max(0, start - _PEOPLE_REACH), start)
    return people is not None and _GIVEN_TO.search(text, people.start(), start) is None


def _count_clue(match: re.Match[str]) -> _Clue | None:
    groups = match.groupdict()
    if groups.get("multiple"):
        count: int | None = int(lookup(MULTIPLES, groups["multiple"]))  # type: ignore[arg-type]
    elif groups.get("ordinal"):
        count = int(lookup(ORDINALS, groups["ordinal"]))  # type: ignore[arg-type]
    elif groups.get("bounded"):
        count = count_number(groups["bounded"])
        return _Clue("count", match.start(), match.end(), float(count), bounded=True,
                     noun=(groups.get("noun") or "").lower()) if count else None
    else:
        count = count_number(groups["n"])
        noun = (groups.get("noun") or "").lower()
        if not noun and match.re is _COUNTS[0] and _counts_people(match.string, match.start()):
            return None  # "three additional patients will be accrued at the next-lowest dose, for a total of 6"
        if noun and _OF_OTHER_THERAPY.match(match.string, match.end()):
            return None
        if noun.startswith("procedure") and _HARVEST.search(match.string, match.end(), match.end() + _HARVEST_REACH):
            return None  # "two ... surgical procedures ...: obtaining bone marrow ..., and ... articular injection"
    return _Clue("count", match.start(), match.end(), float(count), noun=(groups.get("noun") or "").lower(),
                 total=_TOTAL_BEFORE.search(match.string, max(0, match.start() - 12), match.end()) is not None
                 or _TOTAL_AFTER.match(match.string, match.end()) is not None) \
        if count else None


def _span_clue(match: re.Match[str]) -> _Clue | None:
    if match.groupdict().get("a") is not None:  # "from Week 0 to Week 36"
        length = int(match.group("b")) - int(match.group("a"))
        unit = float(lookup(TIME_UNITS, match.group("unit")))  # type: ignore[arg-type]
        return _Clue("span", match.start(), match.end(), float(length), unit, inclusive=True) if length > 0 else None
    n = count_number(match.group("n"))
    unit = float(lookup(TIME_UNITS, match.group("unit")))  # type: ignore[arg-type]
    return _Clue("span", match.start(), match.end(), float(n), unit) if n else None


_READERS = {"days": _days_clue, "single": _single_clue, "interval": _interval_clue, "count": _count_clue,
            "span": _span_clue}


def count_number(word: str) -> int | None:
    """The number a count is written as: digits, a number word, "a"."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    return NUMBER_WORDS.get(word)


def _distance(a: _Clue, b: _Clue) -> int:
    return max(0, b.start - a.end, a.start - b.end)


_THEN = led(r"\bthen\b", re.I)


def _then_between(text: str, a: _Clue, b: _Clue) -> bool:
    """"6 times in first 3 months; then ... once every 3 months": two stages of a regimen, not one schedule."""
    start, end = min(a.end, b.end), max(a.start, b.start)
    return end > start and _THEN.search(text, start, end) is not None


CYCLE_NOUNS = ("cycle", "course", "round")  # what a count of repeated courses counts, not single administrations
# Words saying a count is of each cycle: "on days 1, 3 and 5 of each cycle", "3 cycles each consisting of 3 nDC
# injections", "for 3 cycles, each cycle received four infusions".
PER_CYCLE = led(
    r"\b(?:of|in|per|during)\s{1,3}(?:each|every|a|the)?\s{0,3}(?:treatment\s{1,3})?(?:cycle|course|round)\b"
    r"|(?<=\w)/\s{0,2}(?:cycle|course)\b"  # "two infusions of 7.5 x 106 ... NK cells/kg/cycle"
    r"|\b(?:cycles?|courses?|rounds?)\s{1,3}(?:each\s{1,3})?(?:consisting|comprising|composed)\s{1,3}of\b"
    r"|\beach\s{1,3}(?:cycle|course|round)\s{1,3}(?:received|receives|includes|included|consists|consisted|"
    r"comprises|has|had)\b",
    re.I,
)
_OF_AFTER = re.compile(r"\s{1,3}of\s{1,3}\d", re.I)  # "one dose of 1*10^6 cells": an amount
_AT_LEAST = led(r"\bat\s{1,3}least\s{1,3}$", re.I)
_OR_MORE = re.compile(r"\w{1,12}\s{1,3}or\s{1,3}more\b", re.I)


def _assemble(text: str, group: list[_Clue], open_ended: bool) -> ScheduleMention | None:
    start = min(c.start for c in group)
    end = max(c.end for c in group)
    words_ = text[start:end]
    by_kind: dict[str, _Clue] = {}
    for clue in group:
        by_kind.setdefault(clue.kind, clue)
    interval_clue = by_kind.get("interval")
    interval = float(interval_clue.value) if interval_clue else None  # type: ignore[arg-type]
    counts = [c for c in group if c.kind == "count"]
    if interval_clue is not None:  # "one cycle every month; 6 cycles", "(= 1 cycle) every 2 weeks", "one dose of
        # 1*10^6 cells ... once a day": a frequency or an amount, not one administration
        counts = [c for c in counts if c.value != 1 or not (
            c.noun.lower().startswith(CYCLE_NOUNS) or _OF_AFTER.match(text, c.end))]
    # "for a minimum of 4 administrations and a maximum of 9 administrations": the course planned is the maximum
    count_clue = next((c for c in counts if c.total), None) or next((c for c in counts if c.bounded), None) \
        or (counts[0] if counts else None)
    count = int(count_clue.value) if count_clue else None  # type: ignore[arg-type]
    bound = "at most" if count_clue is not None and count_clue.bounded else None
    if count_clue is not None and (_AT_LEAST.search(text, max(0, count_clue.start - 20), count_clue.start)
                                   or _OR_MORE.match(text, count_clue.start)):
        bound = "at least"  # "at least two fixed doses", "at least 6 cycles": the count is a minimum
    if "days" in by_kind:
        listed = tuple(sorted(set(by_kind["days"].value)))  # type: ignore[arg-type]
        if len(listed) > MAX_ADMINISTRATIONS:
            return None
        days = tuple(d - listed[0] for d in listed)
        gaps = {days[i + 1] - days[i] for i in range(len(days) - 1)}
        even = gaps.pop() if len(gaps) == 1 else None
        return ScheduleMention(len(days), even, days, words_, start, end)
    if "single" in by_kind and (count in (None, 1)) and interval is None:
        single = by_kind["single"]
        return ScheduleMention(1, None, (0.0,), words_, start, end, single=True, weak=single.weak)
    span = by_kind.get("span")
    from_span = count is None and span is not None and bool(interval)
    if from_span:
        # a month of weekly doses is four ("once per two-week for the first four-month": 8, not 120 / 14)
        month = span.unit_days == TIME_UNITS["month"] and interval is not None and interval % 7 == 0
        total_days = float(span.value) * (4 * TIME_UNITS["week"] if month else span.unit_days)  # type: ignore[union-attr]
        count = max(1, round(total_days / interval)) + span.inclusive  # type: ignore[operator,union-attr]
    if count is None and interval is None:
        return None
    if count is not None and not 0 < count <= MAX_ADMINISTRATIONS:
        return None
    days: tuple[float, ...] = ()
    if count == 1:
        days, interval = (0.0,), None
    elif count is not None and interval is not None and not (interval_clue and interval_clue.frequency):
        days = tuple(i * interval for i in range(count))
    return ScheduleMention(count, interval, days, words_, start, end, count_bound=bound,
                           open_ended=open_ended and count is None, noun=count_clue.noun if count_clue else "",
                           from_span=from_span)
