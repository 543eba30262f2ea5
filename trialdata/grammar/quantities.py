"""Numbers of cells as registries write them -> values, each with its exact span.

"1.0×10^6", "1x10E6", "2·0×106" (a middle-dot decimal and a lost superscript),
"1.106", "10(6)", "2×10~7", "1 X 10 8", "100 million", "5 lakh", "2M", "500.000",
"15,000,000", "1-2 x 10^6", "600 million to 1 billion", "1, 3 or 5 x 10^6": every
form is one alternative of one scanner, built from the vocabulary's tables, and
ranges and lists are joined from the single quantities it finds. What a number
counts (cells, per kg, a volume, a drug) is read by `doses`, not here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from itertools import islice

from .patterns import RANGE_JOIN, TIMES, led, lookup, plain_ascii, twins, words
from .text import has_digit
from .vocabulary import NUMBER_WORDS, SCALE_LETTERS, SCALE_WORDS, TRAILING_BOUNDS

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺", "0123456789+")
MAX_EXPONENT = 13  # more cells than a human body holds (about 3×10^13): no dose is written with a larger power
_MANTISSA = r"\d{1,4}(?:[.,·]\d{1,3})?"
# Not inside a word or another number ("1,000,000"), nor a power's exponent; a comma after a word may start one:
# "1×10^6 /kg，3×10^6/Kg" (a fullwidth comma, read as ",").
_NUMBER_START = r"(?<![\w.^/])(?<!\d,)"
# How an exponent can follow the "10"; the last three only after a times sign ("2×10~7", "1 X 10 8", and the lost
# superscript of "2 x 107"), and those three are powers read from text that lost them, so flagged.
_EXPONENT_FORMS = ("caret", "sup", "e", "paren", "tilde", "star", "slash", "spaced", "lost")
_RESTORED_FORMS = frozenset(("tilde", "star", "slash", "spaced", "lost"))


def _power_pattern(tag: str, after_times: bool) -> str:
    """The exponent forms, their groups named `form + tag` so that one scanner can use the pattern several times."""
    forms = [
        rf"\s{{0,2}}\\?[\^`]\s{{0,2}}\(?\s{{0,2}}\+?(?P<caret{tag}>\d{{1,3}})(?!\d)\)?",  # 10^6, 10\^6, 10^(6), 10`9
        rf"(?P<sup{tag}>\+?[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,3}})",  # 10⁶
        rf"\s?[eE]\s?\+?(?P<e{tag}>\d{{1,3}})(?![\d.])",  # 10E6, 10e6, 10 E7
        rf"\((?P<paren{tag}>\d{{1,2}})\)",  # 10(6)
    ]
    if after_times:
        forms += [
            rf"~(?P<tilde{tag}>\d{{1,2}})(?!\d)",
            rf"\*(?P<star{tag}>\d{{1,2}})(?!\d)",  # "2x10*9": an asterisk for the lost caret
            rf"/(?P<slash{tag}>[3-9]|1[0-2])(?![\d.,])",  # "2*10/7": a slash for the lost caret
            rf"\s(?P<spaced{tag}>[3-9]|1[0-2])(?![\d]|[.,]\d)",
            rf"(?P<lost{tag}>[3-9]|1[0-2])(?![\d]|[.,]\d)",  # "5 × 108", "1.2 × 1010": a superscript lost
        ]
    return "(?:" + "|".join(forms) + ")"


_GROUPED = r"\d{1,3}(?:,\d{3}){1,4}(?![,.]?\d)|\d{1,3}(?:\.\d{3}){1,4}(?![.,]?\d)|\d{4,12}(?![.,]?\d)"
_SCANNER = re.compile(
    rf"(?=[\d(]){_NUMBER_START}(?:"
    # (1-6)*10^7: a range of mantissas in brackets before the power
    rf"\((?P<pa>{_MANTISSA})\s{{0,2}}[-–~]\s{{0,2}}(?P<pb>{_MANTISSA})\){TIMES}10{_power_pattern('_p', True)}"
    # 2×1,000,000: a mantissa times a grouped number
    rf"|(?P<gm>{_MANTISSA}){TIMES}(?P<gn>\d{{1,3}}(?:,\d{{3}}){{1,4}})(?![,.]?\d)"
    # 1.0×10^6, 2 x 107, 2·0×106: a mantissa times a power of ten
    rf"|(?P<mant>{_MANTISSA}){TIMES}10{_power_pattern('_m', True)}"
    # 1-3xE7: a mantissa times an exponent written without its ten
    rf"|(?P<xmant>{_MANTISSA}){TIMES}[eE]\+?(?P<xexp>\d{{1,2}})(?![\d.])"
    # 1.10^6, 1.106: a full stop for the times sign
    rf"|(?P<dot>\d{{1,2}})\.10(?:{_power_pattern('_d', False)}|(?P<dotlost>[3-9])(?![\d]|[.,]\d))"
    # 10^6 cells, 10(6) cells: a bare power of ten
    rf"|10{_power_pattern('_b', False)}"
    # "at least 10*9 CIK cells": an asterisk for the lost caret of a bare power
    r"|10\*(?P<bstar>[3-9]|1[0-2])(?![\d]|[.,]\d)"
    # 1.0E6, 1e6, 1.5E+06
    rf"|(?P<emant>\d{{1,4}}(?:\.\d{{1,3}})?)[eE]\+?(?P<eexp>\d{{1,3}})(?![\w.])"
    # 100 million, 1.5 billion, 5 lakh, 10 or more million
    rf"|(?P<smant>{_MANTISSA})(?:\s{{1,3}}(?P<sbound>{words(TRAILING_BOUNDS)}))?\s{{0,2}}"
    rf"(?P<scale>(?i:{words(SCALE_WORDS, plural=True)}))\b"  # "3-5 Million"
    # 2M cells/kg
    rf"|(?P<lmant>\d{{1,4}}(?:\.\d{{1,3}})?)\s?(?P<letter>{words(SCALE_LETTERS)})(?![\w])"
    # 1,5-3,0 10E6: a decimal mantissa (or a range of them) and a power with a space for the times sign
    rf"|(?P<smn>\d{{1,2}}[.,]\d{{1,3}})(?:\s{{0,2}}[-–]\s{{0,2}}(?P<smx>\d{{1,2}}[.,]\d{{1,3}}))?\s10"
    rf"{_power_pattern('_s', False)}"
    # 15,000,000; 500.000; 50000000
    rf"|(?P<grouped>{_GROUPED})"
    r")",
)
_SCANNER_TWINS = twins(_SCANNER)  # the scanner, and its twin for ASCII texts (see `patterns.ascii_twin`)
_RANGE_GAP = led(rf"{RANGE_JOIN}|\s{{1,3}}and\s{{1,3}}", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s{1,3}$", re.IGNORECASE)
# "ranging from 1.2×107 cells to 8×107 cells": the unit written at both ends of a range that says where it starts
_CELLS_TO = re.compile(r"\s{1,3}cells\s{1,3}to\s{1,3}", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s{1,3}$", re.IGNORECASE)
# "> 5.10e6 and ≤ 5.10e7 cellules NK/kg": a lower bound and an upper one joined by "and" are a range's two ends
_LOWER_BEFORE = re.compile(r"(?:[>≥]=?|more\s{1,3}than|greater\s{1,3}than|above|over|at\s{1,3}least)\s{0,3}$",
                           re.IGNORECASE)
_LOWER_REACH = 14  # characters before a range's low end searched for its lower bound
_AND_UPPER = re.compile(r"\s{1,3}and\s{1,3}(?:[<≤]=?|less\s{1,3}than|up\s{1,3}to|at\s{1,3}most)\s{0,3}", re.IGNORECASE)
_LIST_GAP = led(
    r"\s{0,2}(?:,\s{0,2}(?:(?:or|and)\s{1,3})?(?:then\s{1,3})?|(?:or|and)\s{1,3}(?:then\s{1,3})?|then\s{1,3}"
    r"|/\s{0,2}|;\s{0,2})", re.IGNORECASE)
# Before a quantity: "1-" or "0.5 to" sharing its power ("1-2 x 10^6"), or "1, 3 or" a list sharing it.
# Neither starts at the exponent of a number before it: in "1 x 105, 1 x 106 or 1 x 107" (lost superscripts) the
# "106" is 10^6's power, not a bare 106 sharing 10^7.
_NOT_AN_EXPONENT = r"(?<![x×*]\s)(?<![x×*])(?<![x×*]\s\s)"
# Nor a day's number: "5.0x109 TIL administered on Day 1 and 10x109 TIL on Day 15" lists no dose of 1×10^9.
# Nor a level's number: "Level 1-10 billion; Level 2-20 billion" names level 1's dose, not a range from 1.
_NOT_A_DAY_NUMBER = "".join(rf"(?<!{word}\s)" for word in ("day", "days", "week", "weeks", "month", "months",
                                                           "level", "cohort", "group"))
_SHARED_RANGE = led(
    rf"(?<![\w.,^\\])(?<![\w.,^]~){_NOT_AN_EXPONENT}{_NOT_A_DAY_NUMBER}(?:between\s{{1,3}})?\(?(?P<low>{_MANTISSA})\)?{RANGE_JOIN}$"
    rf"|(?<![\w.,^~\\])between\s{{1,3}}(?P<low2>{_MANTISSA})\s{{1,3}}and\s{{1,3}}$",
    re.IGNORECASE,
)
_SHARED_LIST = led(
    rf"(?<![\w.,^~\\]){_NOT_AN_EXPONENT}{_NOT_A_DAY_NUMBER}(?P<items>(?:{_MANTISSA}\s{{0,2}},\s{{0,2}}){{0,8}}{_MANTISSA})\s{{0,2}},?\s{{0,2}}"
    rf"(?:or|and)\s{{1,3}}$",
    re.IGNORECASE,
)
_ITEM = re.compile(_MANTISSA)
_OPEN_BRACKET = re.compile(r"\s{0,2}\(\s{0,2}")
_LOOKBEHIND = 80  # how far before a quantity a shared range or list may start


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number of things as written: its value (the midpoint of a range), its ends, and where it stands."""

    value: float
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    mantissa: float | None = None  # the number before a power or scale word, which a bare number before may share
    scientific: bool = True  # a power of ten or a scale word: a cell count unless a unit says otherwise
    restored: bool = False  # a lost superscript read as a power of ten
    listed: int = 0  # one of a list of alternatives ("1, 3 or 5 x 10^6"): the list's number in the text, else 0
    refused: str = ""  # why no dose can be this number ("a power of ten of 100"), said in a flag
    letter: bool = False  # "2M": a scale letter, a number only before cells or a per-body unit
    bound: str = ""  # "10 or more million": a bound written inside the number

    @property
    def is_range(self) -> bool:
        return self.low is not None


MAX_QUANTITIES = 256  # no registry paragraph states more numbers of cells; a text that does is not read past them


# "a dosage of two million cells/ cm2": a number written as a word before a scale word. Looked for only before the
# scale words a text holds, since a scanner trying every letter would cost more than all the others.
_SCALE_WORD = led(rf"\b(?:{words(SCALE_WORDS, plural=True)})\b", re.I)
_WORD_BEFORE = led(rf"\b(?P<word>{words(NUMBER_WORDS)})\s{{1,3}}$", re.I)
_WORD_REACH = 16
# "Eight to ten million dendritic cells": a range of number words sharing one scale word
_WORD_RANGE_BEFORE = led(rf"\b(?P<low>{words(NUMBER_WORDS)}){RANGE_JOIN}$", re.I)
_SCALE_GATE = tuple(f" {word.lower()}" for word in SCALE_WORDS)  # a scale word starts after a space

def find_quantities(text: str) -> list[Quantity]:
    """The numbers of cells `text` may state (the first MAX_QUANTITIES), in reading order, ranges and lists joined."""
    scanner = _SCANNER_TWINS[plain_ascii(text)]
    singles = [q for m in islice(scanner.finditer(text), MAX_QUANTITIES) if (q := _read(m)) is not None] \
        if has_digit(text) else []  # every number the scanner reads holds a digit
    lowered = text.lower()
    worded = [q for m in islice(_SCALE_WORD.finditer(text), MAX_QUANTITIES) if (q := _read_word(text, m)) is not None
              ] if any(map(lowered.__contains__, _SCALE_GATE)) else []
    if worded:
        singles = sorted(singles + worded, key=lambda q: q.start)[:MAX_QUANTITIES]
    if any(q.mantissa is None and _BARE_E_POWER.fullmatch(text, q.start, q.end) for q in singles) \
            and _E_NOTATION.search(text):
        singles = [_as_e_notation(text, q) for q in singles]
    return _join(text, singles) if singles else []


# A bare "10E8 cells per kilogram" is a power of ten; beside "25E6 cells/vaccination", a text writing numbers in
# E notation, "2 booster vaccinations with 10E6 cells" is ten times 10^6 too.
_E_NOTATION = re.compile(r"(?<![\w.^×*])(?!10[eE])\d{1,4}(?:\.\d{1,3})?[eE]\+?\d{1,2}(?![\w.])")
_BARE_E_POWER = re.compile(r"10[eE]\+?\d{1,2}")


def _as_e_notation(text: str, quantity: Quantity) -> Quantity:
    if quantity.mantissa is None and _BARE_E_POWER.fullmatch(text, quantity.start, quantity.end):
        return replace(quantity, value=quantity.value * 10, mantissa=10.0)
    return quantity


def _read_word(text: str, scale: re.Match[str]) -> Quantity | None:
    """"two million": the number word right before a scale word, or None when there is none."""
    before = _WORD_BEFORE.search(text, max(0, scale.start() - _WORD_REACH), scale.start())
    if before is None:
        return None
    number = float(lookup(NUMBER_WORDS, before.group("word")))  # type: ignore[arg-type]
    unit = float(lookup(SCALE_WORDS, scale.group(0)))  # type: ignore[arg-type]
    ranged = _WORD_RANGE_BEFORE.search(text, max(0, before.start() - _WORD_REACH), before.start())
    if ranged is not None:
        low, high = sorted((float(lookup(NUMBER_WORDS, ranged.group("low"))) * unit, number * unit))  # type: ignore[arg-type]
        if low < high:
            return Quantity((low + high) / 2, ranged.start(), scale.end(), low=low, high=high, scientific=False)
    return Quantity(number * unit, before.start(), scale.end(), scientific=False)  # a cell count only beside "cells"


def _read(match: re.Match[str]) -> Quantity | None:
    groups = match.groupdict()
    start, end = match.start(), match.end()
    if groups["pa"] is not None:
        power, restored, refused = _power(groups, "_p")
        low, high = sorted((_mantissa(groups["pa"]) * 10.0**power, _mantissa(groups["pb"]) * 10.0**power))
        return Quantity((low + high) / 2, start, end, low=low, high=high, restored=restored, refused=refused)
    if groups["gm"] is not None:
        return Quantity(_mantissa(groups["gm"]) * float(groups["gn"].replace(",", "")), start, end)
    if groups["mant"] is not None:
        power, restored, refused = _power(groups, "_m")
        mantissa = _mantissa(groups["mant"])
        return Quantity(mantissa * 10.0**power, start, end, mantissa=mantissa or None, restored=restored,
                        refused=refused)
    if groups["xmant"] is not None:
        mantissa, exponent = _mantissa(groups["xmant"]), int(groups["xexp"])
        return Quantity(mantissa * 10.0**exponent, start, end, mantissa=mantissa or None, refused=_refused(exponent))
    if groups["dot"] is not None:
        mantissa = float(groups["dot"])
        if groups["dotlost"] is not None:
            return Quantity(mantissa * 10.0 ** int(groups["dotlost"]), start, end, mantissa=mantissa or None,
                            restored=True)
        power, _, refused = _power(groups, "_d")
        return Quantity(mantissa * 10.0**power, start, end, mantissa=mantissa or None, restored=True, refused=refused)
    if groups["emant"] is not None:
        exponent = int(groups["eexp"])
        mantissa = float(groups["emant"])  # "1 to 3e8": the exponent shared by a range's low end
        return Quantity(mantissa * 10.0 ** min(exponent, 99), start, end, mantissa=mantissa or None,
                        refused=_refused(exponent))
    if groups["smant"] is not None:
        mantissa = _mantissa(groups["smant"])
        bound = str(lookup(TRAILING_BOUNDS, groups["sbound"])) if groups["sbound"] else ""
        return Quantity(mantissa * float(lookup(SCALE_WORDS, groups["scale"])), start, end,  # type: ignore[arg-type]
                        mantissa=None if bound else mantissa or None, bound=bound)
    if groups["lmant"] is not None:
        scale = float(lookup(SCALE_LETTERS, groups["letter"]))  # type: ignore[arg-type]
        return Quantity(float(groups["lmant"]) * scale, start, end, letter=True)
    if groups["smn"] is not None:
        power, _, refused = _power(groups, "_s")
        low = _mantissa(groups["smn"]) * 10.0**power
        if groups["smx"] is None:
            return Quantity(low, start, end, refused=refused)
        low, high = sorted((low, _mantissa(groups["smx"]) * 10.0**power))
        return Quantity((low + high) / 2, start, end, low=low, high=high, refused=refused)
    if groups["grouped"] is not None:
        return Quantity(float(groups["grouped"].replace(",", "").replace(".", "")), start, end, scientific=False)
    if groups["bstar"] is not None:
        return Quantity(10.0 ** int(groups["bstar"]), start, end, restored=True)
    power, _, refused = _power(groups, "_b")
    return Quantity(10.0**power, start, end, refused=refused)


def _power(groups: dict[str, str | None], tag: str) -> tuple[int, bool, str]:
    """The exponent, whether it was restored from a lost superscript, and why it is refused (or "")."""
    for form in _EXPONENT_FORMS:
        written = groups.get(form + tag)
        if written is not None:
            exponent = int(written.translate(_SUPERSCRIPTS).lstrip("+"))
            return min(exponent, 99), form in _RESTORED_FORMS, _refused(exponent)
    raise AssertionError("a power of ten without an exponent")  # every alternative of the scanner holds one


def _refused(exponent: int) -> str:
    return f"a power of ten of {exponent}, more cells than any body holds" if exponent > MAX_EXPONENT else ""


def _mantissa(number: str) -> float:
    return float(number.replace(",", ".").replace("·", "."))


def _join(text: str, singles: list[Quantity]) -> list[Quantity]:
    """Ranges ("600 million to 1 billion", "1-2 x 10^6") and lists ("1, 3 or 5 x 10^6") from single quantities."""
    joined: list[Quantity] = []
    lists = 0
    i = 0
    while i < len(singles):
        quantity = singles[i]
        following = singles[i + 1] if i + 1 < len(singles) else None
        if following is not None and _is_range(text, quantity, following):
            low, high = sorted((quantity.value, following.value))
            joined.append(Quantity((low + high) / 2, _range_start(text, quantity, following), following.end, low=low,
                                   high=high, scientific=quantity.scientific or following.scientific,
                                   restored=quantity.restored or following.restored,
                                   refused=quantity.refused or following.refused))
            i += 2
            continue
        shared = _shared(text, quantity) if quantity.mantissa and not quantity.refused else None
        if isinstance(shared, Quantity):
            joined.append(shared)
        elif shared is not None:
            lists += 1
            joined.extend(shared)
        else:
            joined.append(quantity)
        i += 1
    return _mark_lists(text, _drop_spelled_out(text, joined), lists)


_RANGE_GAP_CHARS = 16  # the longest words a range's join may be (" through to "), a cheap test before the pattern
_COUNT_OF_CELLS = 1e5  # a number written without a power of ten or a scale word this large counts cells too


def _is_range(text: str, first: Quantity, second: Quantity) -> bool:
    if first.is_range or second.is_range or second.start - first.end > _RANGE_GAP_CHARS \
            or (first.scientific != second.scientific and min(first.value, second.value) < _COUNT_OF_CELLS):
        return False  # "between 10 million and one billion" is a range; "2 x 10^6 cells - 3 doses" is not
    return joins_range(text, first.start, first.end, second.start)


def joins_range(text: str, first_start: int, first_end: int, second_start: int) -> bool:
    """Whether the words between two numbers make them a range: "A to B", "A - B", and "A and B" only after
    "between"; "from A cells to B cells"."""
    gap = text[first_end:second_start]
    if _AND_UPPER.fullmatch(gap):
        return _LOWER_BEFORE.search(text, max(0, first_start - _LOWER_REACH), first_start) is not None
    if _CELLS_TO.fullmatch(gap):
        return _FROM_BEFORE.search(text, max(0, first_start - 10), first_start) is not None
    if not _RANGE_GAP.fullmatch(gap):
        return False
    return gap.strip().lower() != "and" or bool(_BETWEEN.search(text, max(0, first_start - 10), first_start))


def _range_start(text: str, first: Quantity, second: Quantity) -> int:
    """Where a range's words start: at its "between", or at the lower bound of "> A and ≤ B" (whose bounds are the
    range's ends, not a bound on the dose)."""
    if _AND_UPPER.fullmatch(text, first.end, second.start):
        found = _LOWER_BEFORE.search(text, max(0, first.start - _LOWER_REACH), first.start)
        return found.start() if found else first.start
    return _between_start(text, first.start)


def _between_start(text: str, start: int) -> int:
    found = _BETWEEN.search(text, max(0, start - 10), start)
    return found.start() if found else start


_LOST_POWER = re.compile(r"10(?P<exponent>[3-9]|1[0-2])")


def _shared(text: str, quantity: Quantity) -> Quantity | list[Quantity] | None:
    """A range or a list of bare numbers before `quantity` that share its power or scale word, else None."""
    window_start = max(0, quantity.start - _LOOKBEHIND)
    before = text[window_start:quantity.start]
    scale = quantity.value / quantity.mantissa  # type: ignore[operator]
    found = _SHARED_RANGE.search(before)
    if found:
        written = found.group("low") or found.group("low2")
        low, high, restored = _mantissa(written) * scale, quantity.value, quantity.restored
        lost = _LOST_POWER.fullmatch(written) if low > high else None
        if lost is not None:  # "109~2x1010 lymphocytes": a low end above the high one is a power of its own
            low, restored = 10.0 ** int(lost.group("exponent")), True
        low, high = sorted((low, high))
        if low == high:
            return None
        return replace(quantity, value=(low + high) / 2, start=window_start + found.start(), low=low, high=high,
                       mantissa=None, restored=restored)
    listed = _SHARED_LIST.search(before)
    if not listed:
        return None
    start = window_start + listed.start("items")
    items = [replace(quantity, value=_mantissa(m.group(0)) * scale, start=m.start(), end=m.end(), mantissa=None)
             for m in _ITEM.finditer(text, start, window_start + listed.end("items"))]
    return [*items, replace(quantity, mantissa=None)]


def _mark_lists(text: str, quantities: list[Quantity], lists: int) -> list[Quantity]:
    """Give each run of alternatives one list number: bare numbers sharing a power (already joined, marked here)
    and whole quantities joined by commas, "or", "and" or "/" ("1 x 10^6, 3 x 10^6 or 5 x 10^6")."""
    marked = list(quantities)
    i = 0
    while i < len(marked):
        j = i
        while j + 1 < len(marked) and marked[j + 1].start - marked[j].end <= 12 and \
                not marked[j].is_range and not marked[j + 1].is_range and \
                _LIST_GAP.fullmatch(text, marked[j].end, marked[j + 1].start):
            j += 1
        if j > i:
            lists += 1
            for k in range(i, j + 1):
                marked[k] = replace(marked[k], listed=lists)
        i = j + 1
    return marked


def _drop_spelled_out(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """"1 x 108 (100 million)": the bracketed figure confirms (or corrects) the one before it; keep one."""
    kept: list[Quantity] = []
    for quantity in quantities:
        previous = kept[-1] if kept else None
        if previous is not None and not quantity.is_range and not previous.is_range and \
                _OPEN_BRACKET.fullmatch(text, previous.end, quantity.start):
            end = _closing(text, quantity.end)
            if math.isclose(previous.value, quantity.value, rel_tol=1e-6):
                kept[-1] = replace(previous, restored=False, end=end)
                continue
            if previous.restored:  # the superscript reading was wrong; the spelled-out figure is the number
                kept[-1] = replace(quantity, start=previous.start, end=end)
                continue
        kept.append(quantity)
    return kept


def _closing(text: str, end: int) -> int:
    close = text.find(")", end, end + 3)
    return close + 1 if close >= 0 else end
