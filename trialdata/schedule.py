"""Schedule grammar: "once a week for a total of 4 times" -> administrations and days.

Day 0 is the first administration. A month counts as 30 days and a year as
365, the convention of registry summaries; "every 4 weeks" stays 28 days.
A schedule is assembled from three kinds of clue found in a sentence (an
interval, a count, or an explicit list of days) so that word order does not
matter: "weekly for 4 doses", "4 doses, one week apart" and "once a week,
4 times" all read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_ADVERB_DAYS = {
    "daily": 1.0, "weekly": 7.0, "biweekly": 14.0, "bi-weekly": 14.0,
    "fortnightly": 14.0, "monthly": 30.0,
}
_MULTIPLE_WORDS = {"once": 1, "twice": 2, "thrice": 3}

N = r"(?:\d{1,4}(?!\d)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# A pattern that opens with a lookahead for its possible first characters is scanned several times faster
# by `re` than one opening with \b or a group. N_FIRST: a digit or the first letter of a number word.
N_FIRST = r"(?=[\dotfsen])"
UNIT = r"(?P<unit>day|week|month|year)s?"
DOSE_NOUN = (
    r"(?:times|doses|administrations|infusions|injections|transfusions|transplantations|"
    r"treatments|courses|cycles|applications)"
)

_INTERVALS = [
    re.compile(rf"(?=o)\bonce\s+(?:a|per|every|each)\s+(?:(?P<n>{N})\s+)?{UNIT}", re.I),
    re.compile(rf"(?=[eq])\b(?:every|each|q)\s*(?P<other>other\s+)?(?:(?P<n>{N})\s*)?{UNIT}", re.I),
    re.compile(rf"(?=[\daotfsen])\b(?:at\s+)?(?:an?\s+)?(?P<n>{N})[-\s]?{UNIT}\s+intervals?", re.I),
    re.compile(rf"\bintervals?\s+of\s+(?P<n>{N})\s+{UNIT}", re.I),
    re.compile(rf"{N_FIRST}\b(?P<n>{N})\s+{UNIT}\s+apart\b", re.I),
    re.compile(r"(?=[odwbfm])\b(?:once\s+)?(?P<adverb>daily|weekly|bi-?weekly|fortnightly|monthly)\b", re.I),
]
TIMES_COUNT_PLAIN = r"(?<![\w.])[×xX]\s*(?P<n>\d{1,2})(?![\d^.]|\s*10)\b"  # read with re.I
_COUNTS = [
    re.compile(rf"(?=[fa])\b(?:for\s+)?a\s+total\s+of\s+(?P<n>{N})\b(?:\s+{DOSE_NOUN})?", re.I),
    re.compile(rf"{N_FIRST}\b(?<!first\s)(?<!last\s)(?<!the\s)(?P<n>{N})\s+(?:separate\s+|consecutive\s+|repeated\s+)?"
               rf"(?:(?:intravenous|IV|i\.v\.)\s+)?{DOSE_NOUN}\b", re.I),
    # "×4", "x 4": TIMES_COUNT_PLAIN, with the sign first and case spelled out (the pattern has no other letter), so
    # that `re` looks for a match only at a sign; the word boundary before it is checked behind it.
    re.compile(r"[×xX](?<![\w.].)\s*(?P<n>\d{1,2})(?![\d^.]|\s*10)\b"),
    re.compile(r"(?=t)\b(?P<multiple>twice|thrice)\b", re.I),
]
_SPAN_COUNT = re.compile(rf"(?=f)\bfor\s+(?P<n>{N})\s+(?:consecutive\s+)?{UNIT}", re.I)
_SINGLE = re.compile(
    r"(?=[asoigt])(?:\b(?:a\s+)?single(?:[-\s](?:dose|shot))?\b(?:\s+[\w-]+){0,3}?\s*"
    r"(?:infusion|injection|dose|administration|transfusion|transplantation|treatment|application)"
    r"|\bsingle[-\s]dose\b|\bone[-\s]time\b|\bonce\s+only\b|\bonly\s+once\b"
    r"|\b(?:infused|injected|administered|given|transplanted)\s+once\b(?!\s+(?:a|per|every|each|daily|weekly|bi-?weekly|fortnightly|monthly)\b))",
    re.I,
)
_DAY_LIST = re.compile(
    r"(?=[dwm])\b(?P<unit>day|week|month)s?\s*(?P<first>\d{1,4}(?!\d))"
    r"(?P<rest>(?:\s*(?:,|and|&|\+|,\s*and)\s*(?:(?:day|week|month)s?\s*)?\d{1,4}(?!\d))+)",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_CLUE_REACH = 80
_START = attrgetter("start")
_ANCHORS = frozenset(("interval", "days", "single"))  # the other kinds, "count" and "span", join an anchor
MAX_CLUES = 64  # a sentence with more schedule words than this states no one schedule
MAX_ADMINISTRATIONS = 366  # more than daily for a year is not a cell-therapy schedule; ignore it


@dataclass(frozen=True)
class ScheduleMention:
    """A schedule read from text: how many administrations, how far apart, on which days."""

    administrations: int | None
    interval_days: float | None
    days: tuple[float, ...]
    text: str
    start: int
    end: int


class _Clue(NamedTuple):
    """A clue is made for most sentences and lives only while they are read: a tuple is built several times
    faster than a frozen dataclass."""

    kind: str  # "interval", "count", "days", "single", "span"
    start: int
    end: int
    value: float | tuple[float, ...]
    unit_days: float = 1.0


def find_schedule(text: str) -> ScheduleMention | None:
    """The first schedule written in `text`, or None when it states none."""
    schedules = find_schedules(text)
    return schedules[0] if schedules else None


def find_schedules(text: str) -> list[ScheduleMention]:
    """Every schedule written in `text`, in reading order.

    Each interval, day list or "single" anchors one schedule; a count joins the
    nearest anchor within reach, so "PE every 3 days, 3 times; MSC weekly, 4
    times" gives two schedules, not one muddled one.
    """
    clues = _clues(text)
    if not clues:  # most sentences
        return []
    clues.sort(key=_START)
    anchors = [c for c in clues if c.kind in _ANCHORS]
    groups: dict[int, list[_Clue]] = {id(a): [a] for a in anchors}
    for clue in clues:
        if clue.kind in _ANCHORS:
            continue
        nearest, gap = None, 0
        for anchor in anchors:  # the first of the nearest, as min() picks
            distance = _distance(anchor, clue)
            if nearest is None or distance < gap:
                nearest, gap = anchor, distance
        if nearest is not None and gap <= _CLUE_REACH:
            groups[id(nearest)].append(clue)
        elif clue.kind == "count":
            groups[id(clue)] = [clue]
    schedules = [s for s in map(_assemble, repeat(text), groups.values()) if s is not None]
    return sorted(schedules, key=_START)


_UNIT_WORDS = ("day", "week", "month", "year")
_DOSE_NOUN_WORDS = ("time", "dose", "administration", "infusion", "injection", "transfusion", "transplantation",
                    "treatment", "course", "cycle", "application")
# Words each pattern cannot match without (lower case; one of each of its two groups): a substring test is far
# cheaper than a regex pass, and most sentences hold few of them. Earlier clues win where two overlap.
_ANY = ("",)  # the empty word, which every text holds: no second requirement
_GATES: list[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...]]] = [
    ("days", _DAY_LIST, ("day", "week", "month"), _ANY),
    ("single", _SINGLE, ("single", "one", "once", "only"), _ANY),
    ("interval", _INTERVALS[0], ("once",), _UNIT_WORDS),
    ("interval", _INTERVALS[1], ("every", "each", "q"), _UNIT_WORDS),
    ("interval", _INTERVALS[2], ("interval",), _UNIT_WORDS),
    ("interval", _INTERVALS[3], ("interval",), _UNIT_WORDS),
    ("interval", _INTERVALS[4], ("apart",), _UNIT_WORDS),
    ("interval", _INTERVALS[5], ("daily", "week", "fortnight", "month"), _ANY),
    ("count", _COUNTS[0], ("total",), _ANY),
    ("count", _COUNTS[1], _DOSE_NOUN_WORDS, _ANY),
    ("count", _COUNTS[2], ("×", "x"), _ANY),
    ("count", _COUNTS[3], ("twice", "thrice"), _ANY),
    ("span", _SPAN_COUNT, ("for",), _UNIT_WORDS),
]
_GATED = [(kind, pattern, frozenset(first), frozenset(second)) for kind, pattern, first, second in _GATES]
_GATE_WORDS = frozenset(word for _, _, first, second in _GATED for word in first | second)
# Each word of a first group and the patterns it opens, by their place in _GATED: a sentence then visits only the
# patterns its words open, in order, rather than testing every pattern's groups.
_OPENS = {word: tuple(i for i, (_, _, first, _) in enumerate(_GATED) if word in first) for word in _GATE_WORDS}


def _clues(text: str) -> list[_Clue]:
    clues: list[_Clue] = []
    taken: list[tuple[int, int]] = []
    present = set(filter(text.lower().__contains__, _GATE_WORDS))
    for i in sorted({i for word in present for i in _OPENS[word]}):
        kind, pattern, _, second = _GATED[i]
        if present.isdisjoint(second):
            continue
        read = _READERS[kind]
        for match in pattern.finditer(text):
            clue = read(match)
            if clue is None:
                continue
            start, end = clue.start, clue.end
            for taken_start, taken_end in taken:
                if start < taken_end and taken_start < end:
                    break
            else:
                if len(clues) >= MAX_CLUES:
                    return clues
                taken.append((start, end))
                clues.append(clue)
    return clues


def _days_clue(match: re.Match[str]) -> _Clue:
    numbers = [float(n) for n in _DIGITS.findall(match.group("first") + " " + match.group("rest"))]
    unit = _UNIT_DAYS[match.group("unit").lower()]
    return _Clue("days", match.start(), match.end(), tuple(n * unit for n in numbers))


def _single_clue(match: re.Match[str]) -> _Clue:
    return _Clue("single", match.start(), match.end(), 1.0)


def _interval_clue(match: re.Match[str]) -> _Clue | None:
    interval = _interval_days(match)
    return _Clue("interval", match.start(), match.end(), interval) if interval else None


def _count_clue(match: re.Match[str]) -> _Clue | None:
    count = _count(match)
    return _Clue("count", match.start(), match.end(), float(count)) if count else None


def _span_clue(match: re.Match[str]) -> _Clue | None:
    n = _number(match.group("n"))
    return _Clue("span", match.start(), match.end(), float(n), _UNIT_DAYS[match.group("unit").lower()]) if n else None


_READERS = {"days": _days_clue, "single": _single_clue, "interval": _interval_clue, "count": _count_clue,
            "span": _span_clue}


def _interval_days(match: re.Match[str]) -> float | None:
    groups = match.groupdict()
    if groups.get("adverb"):
        return _ADVERB_DAYS[groups["adverb"].lower()]
    n = _number(groups["n"]) if groups.get("n") else 1
    if n is None or n <= 0:
        return None
    if groups.get("other"):
        n = 2
    return n * _UNIT_DAYS[groups["unit"].lower()]


def _count(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("multiple"):
        return _MULTIPLE_WORDS[groups["multiple"].lower()]
    return _number(groups["n"])


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _distance(a: _Clue, b: _Clue) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def _assemble(text: str, group: list[_Clue]) -> ScheduleMention | None:
    start = min(c.start for c in group)
    end = max(c.end for c in group)
    by_kind = {c.kind: c for c in group}
    interval = by_kind["interval"].value if "interval" in by_kind else None
    count = int(by_kind["count"].value) if "count" in by_kind else None  # type: ignore[arg-type]
    if "days" in by_kind:
        listed = tuple(sorted(set(by_kind["days"].value)))  # type: ignore[arg-type]
        if len(listed) > MAX_ADMINISTRATIONS:
            return None
        days = tuple(d - listed[0] for d in listed)
        gaps = {days[i + 1] - days[i] for i in range(len(days) - 1)}
        even = gaps.pop() if len(gaps) == 1 else None
        return ScheduleMention(len(days), even, days, text[start:end], start, end)
    if "single" in by_kind and count in (None, 1) and interval is None:
        return ScheduleMention(1, None, (0.0,), text[start:end], start, end)
    if count is None and "span" in by_kind and isinstance(interval, float):
        span = by_kind["span"]
        count = max(1, round(float(span.value) * span.unit_days / interval))  # type: ignore[arg-type]
    if count is None and interval is None:
        return None
    if count is not None and not 0 < count <= MAX_ADMINISTRATIONS:
        return None
    days: tuple[float, ...] = ()
    if count == 1:
        days, interval = (0.0,), None
    elif count is not None and isinstance(interval, float):
        days = tuple(i * interval for i in range(count))
    return ScheduleMention(count, interval, days, text[start:end], start, end)  # type: ignore[arg-type]
