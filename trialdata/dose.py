"""Cell-dose grammar: registry notation -> numbers of cells, each with its exact span.

Registries write one dose in a dozen ways ("1.0×10^6 cells/kg", "1x10E6/kg",
"100 million cells", "2x108/20ml" with the superscript lost). Every form is a
named pattern below; `find_doses` returns what it read and the text it read it
from, so a user can check each number against the record.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

CELLS_PER_KG = "cells/kg"
CELLS = "cells"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺", "0123456789+")
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "mio": 1e6, "mln": 1e6, "billion": 1e9}

# Building blocks. They are plain (non-capturing) so they can be combined freely.
MANTISSA = r"\d+(?:[.,]\d+)?"
TIMES = r"\s*[x×X*·]\s*"
POWER = (
    r"10\s*(?:\\?\^\s*\(?\+?\d{1,2}\)?"  # 10^6, 10\^6 (markdown escape), 10^(6)
    r"|\+?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}"  # 10⁶
    r"|[Ee]\s*\+?\d{1,2}(?![\d.]))"  # 10E6, 10e+06
)
LOST_POWER = r"10[3-9](?![\d.,])"  # "2x108": the superscript 8 fell to the baseline
SCALE_WORD = r"\s*(?:thousand|million|billion|mio|mln)\b"
SCIENTIFIC = (
    rf"(?:{MANTISSA}{TIMES})?{POWER}"
    rf"|{MANTISSA}{TIMES}{LOST_POWER}"
    rf"|\d+(?:\.\d+)?[eE]\+?\d{{1,2}}(?![\w.])"  # 1.0E6, 1e6, 1.5E+06
)
QUANTITY = rf"(?:{SCIENTIFIC}|{MANTISSA}{SCALE_WORD})"
SHARED_SCALE = rf"(?:{TIMES}(?:{POWER}|{LOST_POWER})|{SCALE_WORD})"
RANGE_JOIN = r"\s*(?:-|–|—|~|to)\s*"
LISTED = r"\d+(?:\.\d+)?"
GROUPED = r"\d{1,3}(?:,\d{3})+(?!\d)|\d{4,}"  # 100,000,000 or 50000000 (needs a cell noun)

# Every form opens with a digit or "between"; saying so first lets `re` skip other positions fast. After its
# leading digits every form has a decimal part or digit group ([.,]), or, past any spaces, a times sign, a range
# join, a list's comma, "and" or "or", a power's ^, \^, + or superscript, an E exponent, or a scale word; or the
# digits are four or more (a grouped number). CANDIDATE_LEADS says so, and so spares the forms' alternation at
# the many numbers that are none of them ("28 days", "100 ml").
CANDIDATE_LEADS = (
    r"(?=\d+(?:[.,]|\s*(?:[x×X*·\-–—~,^\\+⁰¹²³⁴⁵⁶⁷⁸⁹eE]|to|and|or|thousand|million|billion|mio|mln))"
    r"|\d{4}|between)"
)
_NOT_WITHIN = r"(?<![\w.,^])"  # not inside a word or a number (nor after a caret)
CANDIDATE_FORMS = (
    rf"{_NOT_WITHIN}(?:"
    rf"(?P<full_range>(?:between\s+)?{QUANTITY}(?:{RANGE_JOIN}|\s+and\s+){QUANTITY})"
    rf"|(?P<shared_range>(?:between\s+)?{MANTISSA}(?:{RANGE_JOIN}|\s+and\s+){MANTISSA}{SHARED_SCALE})"
    # Lists are short and their numbers plain (no decimal comma), so the pattern cannot backtrack without end.
    rf"|(?P<listed>{LISTED}(?:\s*,\s*{LISTED}){{0,8}}\s*(?:,\s*)?(?:or|and)\s+{LISTED}{SHARED_SCALE})"
    rf"|(?P<single>{QUANTITY})"
    rf"|(?P<grouped>{GROUPED})"
    r")"
)
# The leads are checked after _NOT_WITHIN, at the start of a number only: at each digit of a long run they would
# read the rest of the run again.
_CANDIDATE = re.compile(rf"(?=[\db]){_NOT_WITHIN}{CANDIDATE_LEADS}{CANDIDATE_FORMS}", re.IGNORECASE)

CELL_NOUN = (
    r"\)?\s*(?:(?:viable|live|total|nucleated|mononuclear|mesenchymal|stem|stromal|progenitor|"
    r"allogeneic|autologous|human|umbilical|cord|bone|marrow|derived|CD34\+|[A-Z][\w-]*)\s+){0,4}"
    r"[\w+-]{0,30}?(?:cells?|MSCs?|MNCs?)\b"
)
_CELL_NOUN = re.compile(CELL_NOUN, re.IGNORECASE)
_OTHER_UNIT = re.compile(
    r"\)?\s*(?:mg|g|µg|μg|ug|mcg|ng|ml|mL|IU|U|units?|copies|vg|gc|pfu|TCID50|CFU|mmol|"
    r"/\s*(?:mm3|mm³|µl|μl|ul|l)\b|%|fold|times\b)(?![\w])",
    re.IGNORECASE,
)
_PER_KG = re.compile(
    r"\)?\s*(?:/|per|each|a|for\s+each)\s*(?:kilogram|kg)s?\b"
    r"(?:\s*(?:of\s+)?(?:body\s*weight|bw\b|b\.w\.?))?"
    r"|\s*[·\s]kg\s*(?:-1|⁻¹)",
    re.IGNORECASE,
)
_CONCENTRATION = re.compile(
    r"\s*(?:/|per)\s*(?:ml|µl|μl|ul|l|liter|litre|milliliter|millilitre)\b", re.IGNORECASE
)
_VOLUME = re.compile(
    r"\s*(?:/|in|per)\s*(?P<ml>\d+(?:\.\d+)?)\s*(?:ml|milliliters?|millilitres?)\b", re.IGNORECASE
)
_FLAT_MARK = re.compile(
    r"\s*(?:/|per|each|a|every)\s*(?:time|infusion|injection|dose|administration|patient|"
    r"subject|treatment|session|transplant(?:ation)?|course|bag)s?\b",
    re.IGNORECASE,
)
# The pieces of one quantity, read by `quantity_value`.
_RESTORED = re.compile(rf"{TIMES}{LOST_POWER}")
_WORDS_FORM = re.compile(rf"({MANTISSA}){SCALE_WORD}", re.IGNORECASE)
_E_FORM = re.compile(r"(\d+(?:\.\d+)?)[eE]\+?(\d{1,2})")
_POWER_TAIL = re.compile(r"10\s*(?:\^\s*\(?\+?|[eE]\s*\+?|\+)?(\d{1,2})\)?$")
_MANTISSA_HEAD = re.compile(rf"\s*({MANTISSA}){TIMES}$")
_NEGATIVE_EXPONENT = re.compile(r"\s*\\?\^?\s*[-−⁻]")
_SPELLED_OUT_REACH = 40
# The pieces of a range or a list, read by `_range_bounds` and `_listed_values`.
_BETWEEN = re.compile(r"^between\s+", re.IGNORECASE)
_JOIN = re.compile(rf"{RANGE_JOIN}|\s+and\s+", re.IGNORECASE)
_FIRST_OF_RANGE = re.compile(rf"({MANTISSA})(?:{RANGE_JOIN}|\s+and\s+)", re.IGNORECASE)
_MANTISSA = re.compile(MANTISSA)
_QUANTITY = re.compile(QUANTITY, re.IGNORECASE)
_LISTED = re.compile(LISTED)


@dataclass(frozen=True)
class DoseMention:
    """One cell dose read from text: the number of cells and the span it came from."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    exponent_restored: bool = False
    listed: bool = False
    volume_ml: float | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None


def find_doses(text: str) -> list[DoseMention]:
    """Every cell dose written in `text`, in reading order.

    Volumes, concentrations, drug doses in mg and lab values are not doses and
    are skipped; a lost superscript ("1x106") is read as a power of ten and
    marked `exponent_restored`, unless a spelled-out value stands beside it.
    """
    mentions: list[DoseMention] = []
    for match in _CANDIDATE.finditer(text):
        mentions.extend(_read_candidate(text, match))
    return _prefer_spelled_out(mentions)


def _read_candidate(text: str, match: re.Match[str]) -> list[DoseMention]:
    kind = match.lastgroup or "single"
    span = match.group(kind)
    end = match.end()
    if kind == "single" and span.endswith("10") and _NEGATIVE_EXPONENT.match(text, end):
        return []
    unit, end, volume = _read_unit(text, end, needs_cell_noun=kind == "grouped")
    if unit is None:
        return []
    restored = _RESTORED.search(span) is not None
    start = match.start()
    sign = 1.0
    if start > 0 and text[start - 1] in "-−" and not (start > 1 and text[start - 2].isalnum()):
        start, sign = start - 1, -1.0  # "-1×10^6 cells/kg": kept negative so validation can refuse it by name
    source = text[start:end]
    if kind in ("full_range", "shared_range"):
        low, high = _range_bounds(span, kind)
        if not (_usable(low) and _usable(high)):
            return []
        low, high = min(low, high), max(low, high)
        return [DoseMention((low + high) / 2, unit, source, start, end, low=low, high=high,
                            exponent_restored=restored, volume_ml=volume)]
    if kind == "listed":
        values = _listed_values(span)
        return [DoseMention(v, unit, source, start, end, exponent_restored=restored, listed=True, volume_ml=volume)
                for v in values if _usable(v)]
    value = _grouped_value(span) if kind == "grouped" else quantity_value(span)
    if not _usable(value):
        return []
    return [DoseMention(sign * value, unit, source, start, end, exponent_restored=restored, volume_ml=volume)]


def _read_unit(text: str, pos: int, needs_cell_noun: bool) -> tuple[str | None, int, float | None]:
    """The unit written after a number: (unit, end of the dose's span, volume in mL)."""
    if _OTHER_UNIT.match(text, pos):
        return None, pos, None
    noun = _CELL_NOUN.match(text, pos)
    if noun:
        pos = noun.end()
    elif needs_cell_noun:
        return None, pos, None
    per_kg = _PER_KG.match(text, pos)
    if per_kg:
        return CELLS_PER_KG, per_kg.end(), None
    volume = _VOLUME.match(text, pos)
    if volume:
        return CELLS, volume.end(), float(volume.group("ml"))
    if _CONCENTRATION.match(text, pos):
        return None, pos, None
    flat = _FLAT_MARK.match(text, pos)
    if flat:
        return CELLS, flat.end(), None
    return CELLS, pos, None


def quantity_value(quantity: str) -> float:
    """The number of cells in one written quantity ("1.0×10^6", "1e6", "2 million")."""
    if not quantity.isascii():  # an ASCII quantity has no superscript to translate
        quantity = quantity.translate(_SUPERSCRIPTS)
    if "\\" in quantity:
        quantity = quantity.replace("\\", "")
    quantity = quantity.strip()
    words = _WORDS_FORM.fullmatch(quantity)
    if words:
        word = quantity[words.end(1) :].strip().lower()
        return _mantissa(words.group(1)) * _SCALE_WORDS[word]
    e_form = _E_FORM.fullmatch(quantity)
    if e_form:
        return float(e_form.group(1)) * 10.0 ** int(e_form.group(2))
    power = _POWER_TAIL.search(quantity)
    if power is None:
        return math.nan
    head = quantity[: power.start()]
    mantissa_match = _MANTISSA_HEAD.match(head)
    mantissa = _mantissa(mantissa_match.group(1)) if mantissa_match else 1.0
    return mantissa * 10.0 ** int(power.group(1))


def _mantissa(number: str) -> float:
    return float(number.replace(",", "."))


def _grouped_value(number: str) -> float:
    return float(number.replace(",", ""))


def _range_bounds(span: str, kind: str) -> tuple[float, float]:
    body = _BETWEEN.sub("", span)
    if kind == "full_range":
        parts = _JOIN.split(body, maxsplit=1)
        quantities = _split_full_range(body)
        if quantities:
            return quantity_value(quantities[0]), quantity_value(quantities[1])
        return quantity_value(parts[0]), quantity_value(parts[1])
    first = _FIRST_OF_RANGE.match(body)
    assert first is not None
    rest = body[first.end() :]
    scale = rest[_MANTISSA.match(rest).end() :]  # type: ignore[union-attr]
    return quantity_value(first.group(1) + scale), quantity_value(rest)


def _split_full_range(body: str) -> tuple[str, str] | None:
    """Split "A to B" where A and B are whole quantities; the join may be a hyphen."""
    for join in _JOIN.finditer(body):
        left, right = body[: join.start()], body[join.end() :]
        if _QUANTITY.fullmatch(left) and _QUANTITY.fullmatch(right):
            return left, right
    return None


def _listed_values(span: str) -> list[float]:
    numbers = _LISTED.findall(span)
    tail = span[span.rindex(numbers[-1]) + len(numbers[-1]) :]
    return [quantity_value(n + tail) for n in numbers[:-1]] + [quantity_value(numbers[-1] + tail)]


def _usable(value: float) -> bool:
    return not math.isnan(value)


def _prefer_spelled_out(mentions: list[DoseMention]) -> list[DoseMention]:
    """Drop a restored-exponent reading when a spelled-out value stands right beside it."""
    if not any(mention.exponent_restored for mention in mentions):  # only a restored reading is ever dropped
        return mentions
    kept: list[DoseMention] = []
    for i, mention in enumerate(mentions):
        neighbours = mentions[max(0, i - 1) : i] + mentions[i + 1 : i + 2]
        beside = [
            other
            for other in neighbours
            if not other.exponent_restored
            and min(abs(other.start - mention.end), abs(mention.start - other.end)) <= _SPELLED_OUT_REACH
        ]
        if mention.exponent_restored and beside:
            continue
        kept.append(mention)
    return kept
