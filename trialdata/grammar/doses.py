"""Cell doses: a number of cells with what stands around it -> the dose it states, and in what role.

After each quantity (`quantities`) the reader looks at most a few words ahead for
what the number counts: cells per kg ("MSC/Kg BW", "per kilogram of body weight"),
cells in a volume ("1x10e8 cells/3mL"), a concentration ("5 million cells/mL"),
cells per injection site, a rate, or something that is not cells at all (mg, IU,
particles, exosomes). Before it, it looks for a bound ("up to", "a minimum of"),
a total ("for a total of"), or an ordinal dose ("the second dose ... will be").
Both windows are short and fixed, so reading is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .patterns import first_letters, led, lookup, words
from .quantities import Quantity, find_quantities, joins_range
from .vocabulary import (
    ANTIGEN_LOADING,
    BODY_UNITS,
    BODY_WEIGHT_WORDS,
    BOUND_WORDS,
    CELL_FREE_WORDS,
    CELL_NOUN_ENDINGS,
    COUNTED_UNITS,
    ESCALATION_JOINS,
    FLAT_MARKS,
    ORDINALS,
    OTHER_UNITS,
    PER_SITE_MARKS,
    POPULATIONS,
    RATE_UNITS,
    TRAILING_BOUNDS,
    VOLUME_UNITS,
)

CELLS_PER_KG = "cells/kg"
CELLS = "cells"
# Units read as per kg although they do not say "kg" ("cells/weight range"): the reading is flagged.
ASSUMED_PER_KG = frozenset(word for word, unit in BODY_UNITS.items()
                           if unit == CELLS_PER_KG and "kg" not in word and "kilo" not in word)
MIN_CELLS = 1_000  # fewer cells than this is a count of something else ("1.5-2 cells/kg BW" lost its power)

_NUMBER = r"\d{1,4}(?:[.,]\d{1,3})?"
_PER = r"(?:/|per\s{0,3}/?|each|a|for\s{1,3}each|every|in\s{1,3}each)"
_WEIGHT_TAIL = (
    rf"(?:\s{{0,3}}\(?\s{{0,2}}(?:of\s{{1,3}})?(?:the\s{{1,3}})?(?:{words(BODY_WEIGHT_WORDS)})\b\)?"
    r"|\s{0,2}/\s{0,2}bb\b)?"
)
_PER_BODY = led(
    rf"\s{{0,3}}{_PER}\s{{0,3}}(?P<body>{words(BODY_UNITS, plural=False)})s?\b{_WEIGHT_TAIL}"
    r"|\s{0,2}[·\s]kg\s{0,2}(?:-1|⁻¹)"
    r"|\s{1,3}kg\s{0,2}/\s{0,2}bb\b",  # "0.3 million kg/bb": per kg of body weight (berat badan), no "per" before
    re.IGNORECASE,
)
_RATE = re.compile(rf"\s{{0,3}}(?:/|per)\s{{0,3}}(?:{words(RATE_UNITS)})\b", re.IGNORECASE)
_VOLUME_UNIT = words(VOLUME_UNITS)
_IN_VOLUME = led(
    rf"\s{{0,3}}(?:/|in(?:\s{{1,3}}a(?:\s{{1,3}}total)?\s{{1,3}}volume\s{{1,3}}of)?|per|,)\s{{0,3}}"
    rf"(?P<ml>{_NUMBER})(?:\s{{0,3}}(?:-|–|to)\s{{0,3}}(?P<ml_high>{_NUMBER}))?\s{{0,2}}(?P<unit>{_VOLUME_UNIT})\b"
    rf"|\s{{0,2}}\(\s{{0,2}}(?P<ml2>{_NUMBER})\s{{0,2}}(?P<unit2>{_VOLUME_UNIT})\s{{0,2}}\)",
    re.IGNORECASE,
)
_CONCENTRATION = re.compile(rf"\s{{0,3}}(?:/|per)\s{{0,3}}(?P<volume>{_VOLUME_UNIT})\b", re.IGNORECASE)
_PER_SITE = led(rf"\s{{0,3}}{_PER}\s{{0,3}}(?:(?:1|one)\s{{1,3}})?(?:{words(PER_SITE_MARKS)})s?\b", re.IGNORECASE)
_FLAT = led(rf"\s{{0,3}}{_PER}\s{{0,3}}(?:{words(FLAT_MARKS)})s?\b", re.IGNORECASE)
# not a unit glued by a hyphen to a name: "1x 10^6 CM-CS1 T-cells" is cells of the product CM-CS1, not centimetres
_OTHER_UNIT = led(rf"\s{{0,3}}(?:of\s{{1,3}})?(?:{words(OTHER_UNITS, plural=True)})(?!\w|-[A-Za-z]{{1,4}}\d)",
                  re.IGNORECASE)
_TRAILING_BOUND = re.compile(rf"\s{{1,3}}(?P<bound>{words(TRAILING_BOUNDS)})\b", re.IGNORECASE)
_IN_TOTAL = re.compile(r"\s{1,3}(?:in\s{1,3}total|total)\b", re.IGNORECASE)
# One word of what the number counts: "autologous", "(aMBMC)", "hUC-MSCs", "of".
# A word between a number and its unit; a slash between two digits is part of a name ("CAR-20/19-T cells/kg").
_TOKEN = re.compile(r"\s{0,3}(?:\([^()]{1,40}\)|[^\s/,;:()]{1,40}(?:(?<=\d)/(?=\d)[^\s/,;:()]{1,40})?)")
_STOP_WORDS = frozenset((
    "and", "or", "in", "into", "via", "with", "to", "at", "on", "for", "by", "from", "diluted", "suspended",
    "plus", "+", "was", "were", "will", "is", "are", "be", "given", "infused", "injected", "administered",
    "delivered", "transplanted", "through", "over", "during", "within", "after",
    "before", "once", "twice", "weekly", "daily", "monthly", "single", "every", "then", "followed", "that",
))
_MAX_TOKENS = 9
_CELL_FREE = led(words(CELL_FREE_WORDS), re.IGNORECASE)
_LOADING = re.compile(rf"\s{{1,3}}{words(ANTIGEN_LOADING)}\b", re.IGNORECASE)
_CELL_NOUN = led(rf"(?:{words(CELL_NOUN_ENDINGS)})\W{{0,2}}$", re.IGNORECASE)
_HEAD_REACH = 70
_BOUND_BEFORE = led(
    rf"(?<![\w])(?P<bound>{words(BOUND_WORDS)})"
    r"(?:\s{0,3}(?:a|the|dose|doses|of|total|approximately|about|~|≈|:|cells?|dosage))*\s{0,3}$",
    re.IGNORECASE,
)
_TOTAL_BEFORE = led(
    # "the total number of cells is about 5-10 × 109"
    r"\b(?:total(?:\s{1,3}(?:cell\s{1,3})?(?:dose|dosage|(?:number|amount)(?:\s{1,3}of\s{1,3}cells)?|of\s{1,3}cells))?"
    r"|cumulative(?:\s{1,3}dose)?"
    r"|overall(?:\s{1,3}dose)?|altogether)"
    r"(?:\s{0,3}(?:of|is|will\s{1,3}be|:|=|approximately|about|around|~|≈|up\s{1,3}to|\())*\s{0,3}$",
    re.IGNORECASE,
)
_ORDINAL_BEFORE = led(
    rf"\b(?P<ordinal>{words(ORDINALS)})\s{{1,3}}(?:dose|infusion|injection|administration|transplantation)s?\b"
    r"(?!\s{1,3}(?:levels?|groups?|cohorts?)\b)[^.;]{0,60}$",
    re.IGNORECASE,
)
# "two vials or a total of ≈ 30 million cells": the total of the containers given at once, not of the regimen.
_CONTAINERS_BEFORE = led(r"\b(?:vials?|bags?|syringes?|ampoules?|tubes?|units?)\s{0,3}[,(]?\s{0,3}(?:or|=|,|:)?"
                                r"\s{0,3}(?:a\s{1,3})?total\b", re.IGNORECASE)
# "Day 1, 10% fraction: 0.2-1x106 CART22 cells/kg": a share of a split dose, not a dose of its own.
_FRACTION_BEFORE = led(r"\d{1,3}(?:\.\d{1,2})?\s{0,2}%\s{0,3}(?:fraction|portion|of\s{1,3}(?:the\s{1,3})?"
                       r"(?:(?:total|target|planned|whole)\s{1,3})?(?:cell\s{1,3})?dose)\s{0,3}[:=,(]?\s{0,3}$",
                       re.IGNORECASE)
_CONCENTRATION_BEFORE = re.compile(r"\b(?:concentration|density)\s{1,3}(?:of\s{1,3})?[^.;]{0,10}$", re.IGNORECASE)
_ORDINAL_WORDS = first_letters(ORDINALS)
_DOSE_NOUNS = ("dose", "count", "number", "dosage")
_PLAIN_CELLS = re.compile(
    r"[\s(]{0,3}(?:[\w-]{0,12}MSCs?|cells?|(?:mesenchymal\s{1,3})?stem\s{1,3}cells?)[\s)]{0,3}", re.I)
_RATIO_BEFORE = re.compile(r"[A-Za-zµμ]\s{0,2}/\s{0,2}$")
_CODE_BEFORE = re.compile(r"[A-Za-z]-$")  # "TBI-1301 cells", "NK-92 cells": a product's code, not a count
_COUNTED = re.compile(rf"(?<![\w-])(?:{words(COUNTED_UNITS, plural=True)})(?![\w-])", re.I)
# One pattern, a group per row: the words are searched once and the first row that matched names the population.
_POPULATION = led("|".join(rf"(?<![\w-])(?P<p{rank}>{pattern})(?![\w-])"
                                  for rank, pattern in enumerate(POPULATIONS)), re.I)
_POPULATION_NAMES = list(POPULATIONS.values())
_DOSE_NOUN_AT_END = r"(?:dose|count|number|dosage)\s{0,3}(?:of|:|=|is)?\s{0,3}(?:\w{1,12}\s{1,3})?$"
_POPULATION_BEFORE = re.compile(rf"[^.;:()]{{0,40}}?(?:cells?\s{{1,3}})?{_DOSE_NOUN_AT_END}", re.I)
# What `_POPULATION_BEFORE` needs at its end, looked for first: that pattern tries forty starts at each place, and
# most texts before a number do not end with a dose noun.
_ENDS_WITH_DOSE_NOUN = led(_DOSE_NOUN_AT_END, re.I)


@dataclass(frozen=True, slots=True)
class DoseMention:
    """One cell dose read from text: the number, its unit, its role, and the span it came from."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    exponent_restored: bool = False
    listed: int = 0  # one of a list of alternatives: the list's number, else 0
    volume_ml: float | None = None  # the volume the cells are given in, when the text states it
    bound: str | None = None  # "at most", "at least"
    role: str = "dose"  # "dose", "total", "per-site", "concentration", "fraction" (a share of a split dose)
    ordinal: int | None = None  # "the second dose ... will be 5x10^6": which administration it is
    unit_written: bool = True  # False when the unit was taken from a list's last item or assumed flat
    named: bool = True  # False when no word after the number names cells ("CART T cells 1-3x10^7 Day 0")
    refused: str = ""  # why this number cannot be a dose, for a flag
    assumed_per_kg: str = ""  # a unit read as per kg that does not say kg ("weight range")
    population: str | None = None  # what is counted when it is a subset: "CAR+ T cells", "CD34+ cells", "TNC"

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None


def find_doses(text: str) -> list[DoseMention]:
    """Every cell dose written in `text`, in reading order; a concentration is kept with role "concentration" (it
    is a dose only with a volume), refused numbers ("10^100") with their reason."""
    quantities = find_quantities(text)
    if not quantities:
        return []
    mentions = [m for q in quantities if (m := _mention(text, q)) is not None]
    return _share_escalation_units(text, _share_list_units(_unit_ranges(text, mentions)))


def _unit_ranges(text: str, mentions: list[DoseMention]) -> list[DoseMention]:
    """"total dose of 5x10^6/kg-5x10^7/kg", "between 1x10^5/kg and 1x10^8/kg CD3- CD56+ cells/kg": a range each of
    whose ends writes the unit is one range dose."""
    joined: list[DoseMention] = []
    for mention in mentions:
        last = joined[-1] if joined else None
        if last is not None and last.unit == mention.unit and last.unit_written and mention.unit_written \
                and not last.is_range and not mention.is_range and not last.refused and not mention.refused \
                and last.value < mention.value and joins_range(text, last.start, last.end, mention.start):
            role = "total" if "total" in (last.role, mention.role) else mention.role
            joined[-1] = replace(mention, value=(last.value + mention.value) / 2, low=last.value, high=mention.value,
                                 text=text[last.start:mention.end], start=last.start, role=role,
                                 exponent_restored=last.exponent_restored or mention.exponent_restored,
                                 population=mention.population or last.population)
            continue
        joined.append(mention)
    return joined


def _mention(text: str, quantity: Quantity) -> DoseMention | None:
    tail = _read_tail(text, quantity.end)
    if tail is None:
        return None
    unit, end, role, volume, unit_written, cell_word, assumed, noun_end = tail
    if not quantity.scientific and not (cell_word or unit_written):
        return None  # a plain number ("2012", "100") counts cells only when the text says cells
    if not quantity.scientific and _CODE_BEFORE.search(text, max(0, quantity.start - 2), quantity.start):
        return None
    if quantity.letter and not (cell_word or unit == CELLS_PER_KG):
        return None  # "20m walking" is metres
    refused = quantity.refused or _refused(text, quantity)
    if quantity.value < MIN_CELLS and not refused:
        return None
    head_start = max(0, quantity.start - _HEAD_REACH)
    head = text[head_start:quantity.start]
    if head.rstrip().endswith("/") and _RATIO_BEFORE.search(head):
        return None  # "(50 μCi / 5 x 10^7 DCs)": the cells a label's activity is per, not a dose
    bound = quantity.bound or _bound(head)
    trailing = _TRAILING_BOUND.match(text, end)
    if trailing:
        bound = str(lookup(TRAILING_BOUNDS, trailing.group("bound")))
        end = trailing.end()
    if role == "dose" and (_TOTAL_BEFORE.search(head) or _IN_TOTAL.match(text, end)) and \
            not _CONTAINERS_BEFORE.search(head):
        role = "total"
    if role == "dose" and volume is None and _CONCENTRATION_BEFORE.search(head):
        role = "concentration"
    if role == "dose" and "%" in head and _FRACTION_BEFORE.search(head):
        role = "fraction"
    ordinal = None
    if _ORDINAL_WORDS and (found := _ORDINAL_BEFORE.search(head)):
        ordinal = int(lookup(ORDINALS, found.group("ordinal")))  # type: ignore[arg-type]
    start = quantity.start - 1 if refused == _NEGATIVE else quantity.start  # the sign belongs in the quote
    per_ml = _per_ml(text, quantity.end, end) if role == "concentration" else 1.0
    return DoseMention(
        value=quantity.value * per_ml, unit=unit, text=text[start:end], start=start, end=end,
        low=quantity.low * per_ml if quantity.low is not None else None,
        high=quantity.high * per_ml if quantity.high is not None else None, exponent_restored=quantity.restored,
        listed=quantity.listed,
        volume_ml=volume, bound=bound, role=role, ordinal=ordinal, unit_written=unit_written, named=cell_word,
        refused=refused, assumed_per_kg=assumed, population=_population(text, quantity.end, noun_end, head),
    )


def _population(text: str, start: int, end: int, head: str) -> str | None:
    """The subset a dose counts, named between the number and its unit ("2 x 10^6 anti-CD19 CAR T cells/kg"),
    else just before the number ("a CD34+ cell dose of 5 x 10^6/kg")."""
    words_ = text[start:end]
    if not any(c.isalpha() for c in words_):
        lowered = head.lower()
        before = _POPULATION_BEFORE.search(head) if any(map(lowered.__contains__, _DOSE_NOUNS)) \
            and _ENDS_WITH_DOSE_NOUN.search(head) else None
        if before is None:
            return None
        words_ = before.group(0)
    if _PLAIN_CELLS.fullmatch(words_):
        return None  # "cells", "hUC-MSCs": the cells given, no subset of them
    ranks = [int(match.lastgroup[1:]) for match in _POPULATION.finditer(words_)]  # type: ignore[index]
    return _POPULATION_NAMES[min(ranks)] if ranks else None


_NEGATIVE = "a negative number of cells"
_BEFORE_A_SIGN = frozenset(" \t\n(:;=[")  # "cells--0.3 million" is a dash, "receives -1×10^6" a sign


def _refused(text: str, quantity: Quantity) -> str:
    """Why a number written as a dose cannot be one: "-1×10^6 cells/kg", "0×10^6 cells/kg"."""
    start = quantity.start
    if start > 0 and text[start - 1] in "-−" and (start == 1 or text[start - 2] in _BEFORE_A_SIGN):
        return _NEGATIVE
    if quantity.value == 0:
        return "zero cells"
    return ""


def _per_ml(text: str, start: int, end: int) -> float:
    """A concentration is kept per mL: "50000 cells/uL" is 5×10^7 cells per mL."""
    written = _CONCENTRATION.search(text, start, end)
    return 1.0 / float(lookup(VOLUME_UNITS, written.group("volume"))) if written else 1.0  # type: ignore[arg-type]


def _bound(head: str) -> str | None:
    found = _BOUND_BEFORE.search(head)
    return str(lookup(BOUND_WORDS, found.group("bound"))) if found else None


def _read_tail(text: str, pos: int) -> tuple[str, int, str, float | None, bool, bool, str, int] | None:
    """(unit, end of the dose's span, role, volume in mL, unit written?, cells named?, assumed per-kg words, end
    of the words naming what is counted), or None when the number is not a cell dose (a drug, a rate, a cell-free
    product). Islet equivalents named before the unit make it "IEQ/kg" or "IEQ"."""
    if pos < len(text) and text[pos] == ")":
        pos += 1
    if _OTHER_UNIT.match(text, pos):
        return None
    start = pos
    cell_word = False
    noun_end = pos
    for _ in range(_MAX_TOKENS):
        reading = _unit_at(text, pos)
        if reading is not None:
            if not reading[0]:
                return None
            unit = _counted(text, start, pos, reading[0])
            return unit, reading[1], reading[2], reading[3], True, cell_word, reading[4], pos
        token = _TOKEN.match(text, pos)
        if token is None:
            break
        word = token.group(0).strip()
        if word.lower() in _STOP_WORDS:
            break
        if _CELL_FREE.search(word) and not _LOADING.match(text, token.end()):
            return None
        if _CELL_NOUN.search(word) or _COUNTED.search(word):
            cell_word, noun_end = True, token.end()
        pos = token.end()
    return _counted(text, start, noun_end, CELLS), noun_end, "dose", None, False, cell_word, "", noun_end


def _counted(text: str, start: int, end: int, unit: str) -> str:
    """`unit` with islet equivalents for cells when the words before it count them: "IEQ/kg", "IEQ"."""
    if end > start and _COUNTED.search(text, start, end) and unit in (CELLS, CELLS_PER_KG):
        return unit.replace("cells", "IEQ")
    return unit


def _unit_at(text: str, pos: int) -> tuple[str, int, str, float | None, str] | None:
    """The unit mark at `pos`: (unit or "" for not a dose, end, role, volume, assumed per-kg words), or None."""
    per_body = _PER_BODY.match(text, pos)
    if per_body:
        body = (per_body.group("body") or "kg").lower()
        assumed = body if body in ASSUMED_PER_KG else ""
        return str(lookup(BODY_UNITS, body)), per_body.end(), "dose", None, assumed
    if _RATE.match(text, pos):
        return "", pos, "", None, ""
    volume = _IN_VOLUME.match(text, pos)
    if volume:
        amount = volume.group("ml") or volume.group("ml2")
        unit = volume.group("unit") or volume.group("unit2")
        ml = float(amount.replace(",", ".")) * float(lookup(VOLUME_UNITS, unit))  # type: ignore[arg-type]
        per_site = _PER_SITE.match(text, volume.end())  # "250,000 cells per 5 uL per 1 entry site"
        if per_site:
            return CELLS, per_site.end(), "per-site", ml, ""
        return CELLS, volume.end(), "dose", ml, ""
    concentration = _CONCENTRATION.match(text, pos)
    if concentration:
        return CELLS, concentration.end(), "concentration", None, ""
    per_site = _PER_SITE.match(text, pos)
    if per_site:
        return CELLS, per_site.end(), "per-site", None, ""
    flat = _FLAT.match(text, pos)
    if flat:
        return CELLS, flat.end(), "dose", None, ""
    return None


def _share_list_units(mentions: list[DoseMention]) -> list[DoseMention]:
    """"1 x 10^6, 3 x 10^6 or 5 x 10^6 hMSCs/kg": items of a list without a unit of their own take the unit (and
    role) of the list's last item that has one."""
    if not any(m.listed for m in mentions):
        return mentions
    shared = list(mentions)
    for i in range(len(shared) - 1, -1, -1):
        mention = shared[i]
        if not mention.listed or mention.unit_written:
            continue
        donor = next((m for m in shared[i + 1:] if m.listed == mention.listed and m.unit_written), None)
        if donor is not None:
            shared[i] = DoseMention(**{**_fields(mention), "unit": donor.unit, "role": donor.role,
                                       "unit_written": False})
    return shared


# Between two levels of an escalation: an aside in brackets, a comma, then the joining words.
_ESCALATION_GAP = led(
    rf"\s{{0,2}}(?:\([^()]{{0,160}}\)\s{{0,2}})?,?\s{{0,2}}(?:{'|'.join(ESCALATION_JOINS)})\s{{1,3}}", re.IGNORECASE)


def _share_escalation_units(text: str, mentions: list[DoseMention]) -> list[DoseMention]:
    """"starting with 5 x 106 (...), followed by 1 x 107 and a final dose 2 x 107 mCTLs/m2": a dose written without
    a unit, joined to the next by ESCALATION_JOINS, takes the unit the next one writes or has taken."""
    shared = list(mentions)
    for i in range(len(shared) - 2, -1, -1):
        mention, following = shared[i], shared[i + 1]
        if mention.unit_written or mention.role != "dose" or following.unit == mention.unit:
            continue
        if not _ESCALATION_GAP.fullmatch(text, mention.end, following.start):
            continue
        shared[i] = DoseMention(**{**_fields(mention), "unit": following.unit, "unit_written": False})
    return shared


def _fields(mention: DoseMention) -> dict:
    return {name: getattr(mention, name) for name in DoseMention.__slots__}
