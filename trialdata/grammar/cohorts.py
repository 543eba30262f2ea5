"""Who in an arm receives which dose, and how one dose is given: weight bands, dose levels and cohorts, target
doses beside accepted ranges, levels the record no longer uses, and a dose split over several days.

Each finder reads a table of `vocabulary` and returns spans, so `reading.paragraph` can pair them with the
doses of the same sentence. Every pattern is bounded and led by the characters it can start with, so a
paragraph is read in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import PhraseGate, led, lookup, words
from .vocabulary import (
    FRACTION_PHRASES,
    NOT_USED_PHRASES,
    NUMBER_WORDS,
    ORDINALS,
    TARGET_WORDS,
    WEIGHT_BAND_SIGNS,
    WEIGHT_BAND_SUBJECTS,
)


@dataclass(frozen=True, slots=True)
class Label:
    """Which patients a dose is for, as the record names them ("≤ 50 kg", "dose level 2", "group A")."""

    text: str
    start: int
    end: int


_KG = r"(?P<kg>\d{1,3}(?:[.,]\d{1,2})?)\s{0,2}(?:kg|kilograms?)\b"
_WEIGHT_BAND = led(
    rf"\b(?:{words(WEIGHT_BAND_SUBJECTS)})\s{{0,3}}(?:who\s{{1,3}}(?:are|weigh)\s{{1,3}}|weighing\s{{1,3}}|of\s{{1,3}})?"
    rf"(?:(?P<sign>{words(WEIGHT_BAND_SIGNS)})\s{{0,3}}{_KG}"
    r"|(?P<low>\d{1,3})\s{0,2}(?:-|–|to)\s{0,2}(?P<high>\d{1,3})\s{0,2}(?:kg|kilograms?)\b)"
    rf"|\(\s{{0,2}}(?:for\s{{1,3}})?(?P<bare>[≤≥<>]|<=|>=)\s{{0,2}}(?P<kg2>\d{{1,3}}(?:[.,]\d{{1,2}})?)\s{{0,2}}kg\b",
    re.I,
)
_LEVEL_ID = rf"\d{{1,2}}[A-Da-d]?|[A-H](?![\w])|I{{1,3}}V?|IV|V(?![\w])|{words(NUMBER_WORDS)}"
_KINDS = r"dose[-\s]{0,2}levels?|dose\s{1,3}groups?|dose\s{1,3}cohorts?|cohorts?|groups?|levels?"
# "Dose Level 1:", "Dose Level One: 5x10^6", "group A: 1.0 × 10^7", "Cohort 2 (1x10^8)", "DL3 -", "Cohort 2a Better
# Vision 100,000 cells", "The second cohort will receive 0.4 x10^8 cells".
_LEVEL = led(
    rf"\b(?P<kind>{_KINDS}|DL)\s{{0,3}}[-#]?\s{{0,2}}(?P<id>{_LEVEL_ID})(?=[\s:=()\-–,])"
    rf"|\b(?P<ordinal>{words(ORDINALS)})\s{{1,3}}(?P<kind2>{_KINDS})\b"
    r"|(?<![\w-])(?P<code>[A-H]\d{1,2})\s{0,2}(?=:)",  # "A1: 1x10(6) NK cells/kg", "B2: ..."
    re.I,
)
_BY_COHORT = led(
    r"\b(?:depending\s{1,3}on|according\s{1,3}to|based\s{1,3}on|per)\s{1,3}(?:the\s{1,3})?(?:assigned\s{1,3})?"
    r"(?:their\s{1,3})?(?P<kind>dose\s{1,3}level|cohort|group|dose\s{1,3}group)\b",
    re.I,
)
_TARGET = re.compile(rf"\b(?:{words(TARGET_WORDS)})\b", re.I)
_NOT_USED = led(rf"\s{{0,3}}[(\[\-–,]?\s{{0,3}}(?:{'|'.join(NOT_USED_PHRASES)})", re.I)
_FRACTION = led("|".join(rf"(?:{phrase})" for phrase in FRACTION_PHRASES), re.I)
_FRACTION_GATE = PhraseGate(FRACTION_PHRASES)
_NOT_USED_REACH = 40


def find_weight_bands(text: str) -> list[Label]:
    """Every weight band the text names, as "≤ 50 kg", in reading order."""
    bands = []
    for match in _WEIGHT_BAND.finditer(text):
        if match.group("low"):
            bands.append(Label(f"{match.group('low')}–{match.group('high')} kg", match.start(), match.end()))
            continue
        sign = match.group("sign") or match.group("bare")
        kg = (match.group("kg") or match.group("kg2")).replace(",", ".")
        normal = WEIGHT_BAND_SIGNS.get(sign, None) or str(lookup(WEIGHT_BAND_SIGNS, sign))
        bands.append(Label(f"{normal} {float(kg):g} kg", match.start(), match.end()))
    return bands


def find_level_labels(text: str) -> list[Label]:
    """Every dose level, cohort or group label the text sets before a dose ("Dose Level 2:", "group B:")."""
    labels = []
    for match in _LEVEL.finditer(text):
        if match.group("code"):
            labels.append(Label(f"cohort {match.group('code').upper()}", match.start(), match.end()))
            continue
        kind = " ".join((match.group("kind") or match.group("kind2")).lower().split()).rstrip("s")
        kind = {"dl": "dose level", "level": "dose level", "dose-level": "dose level"}.get(kind, kind)
        if match.group("ordinal"):
            written = str(lookup(ORDINALS, match.group("ordinal")))
        else:
            written = _level_id(match.group("id"))
        labels.append(Label(f"{kind} {written}", match.start(), match.end()))
    return labels


def by_cohort(text: str) -> str | None:
    """"2.5 x 10^7, 7.5 x 10^7, or 1.0 x 10^8 cells depending on assigned cohort": the word the listed doses are
    assigned by ("cohort"), or None."""
    match = _BY_COHORT.search(text)
    return " ".join(match.group("kind").lower().split()) if match else None


def names_target(text: str) -> bool:
    """"A target dose of ...", "the targeted dose is": the words of a dose the protocol aims at."""
    return _TARGET.search(text) is not None


def target_at(text: str) -> int:
    """Where the first target word stands in `text`, or -1."""
    match = _TARGET.search(text)
    return match.start() if match else -1


def not_used_after(text: str, end: int) -> str | None:
    """"Dose Level 3: 1x10^5 cells/m2 (NOT BEING USED)": the words saying a level is not used, or None."""
    match = _NOT_USED.match(text, end, min(len(text), end + _NOT_USED_REACH))
    return match.group(0).strip(" ([-–,") if match else None


def find_fraction(text: str) -> str | None:
    """The words saying one dose is split over days or bags ("split dose infusion over 3 days"), or None."""
    lowered = text.lower()
    match = _FRACTION.search(text) if _FRACTION_GATE.may_match(lowered) else None
    return match.group(0) if match else None


def _level_id(written: str) -> str:
    number = NUMBER_WORDS.get(written.lower())
    return str(number) if number is not None else written.upper() if len(written) <= 2 else written
