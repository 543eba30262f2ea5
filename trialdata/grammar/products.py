"""What an arm gives, in words: cells, a cell-free product, a placebo, a control; at which dose level; from
which tissue. Each detector is a table of phrases (`vocabulary` and the tables below), bounded so that it
reads any text in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .patterns import words
from .vocabulary import CELL_FREE_WORDS, PLACEBO_WORDS

_LEVELS = {"low": 1, "lower": 1, "medium": 2, "intermediate": 2, "middle": 2, "mid": 2, "moderate": 2,
           "high": 3, "higher": 3}
_LEVEL = re.compile(
    rf"\b(?P<level>{words(_LEVELS)})[-\s]{{1,3}}dos(?:e|age)\b"
    rf"|\bdos(?:e|age)\s{{0,3}}[:(]?\s{{0,3}}(?P<after>{words(_LEVELS)})\b",
    re.I,
)
_PLACEBO = re.compile(rf"\b{words(PLACEBO_WORDS)}\b", re.I)
_CONTROL = re.compile(
    r"\b(?:control|conventional|standard(?:\s{1,3}(?:of\s{1,3})?(?:care|treatment|therapy|medical))?"
    r"|best\s{1,3}supportive|usual\s{1,3}care|(?-i:SOC)|alone|no\s{1,3}intervention)\b",
    re.I,
)
# Words that name living cells as a product. A word ending in "MSC(s)" counts, read from its end only.
CELL_PHRASES: tuple[str, ...] = (
    r"stem\s{1,3}cells?", r"stromal\s{1,3}cells?", r"progenitor\s{1,3}cells?", r"[\w-]{0,20}?MSCs?",
    r"cells?", r"cell\s{1,3}therapy", r"cell\s{1,3}transplantation", r"CAR[-\s]?T", r"cord\s{1,3}blood",
    r"mononuclear", r"islets?", r"[\w-]{0,20}?(?:ADSC|ASC|MNC|SVF|BMAC)s?", r"stromal\s{1,3}vascular\s{1,3}fraction",
    r"hepatocytes?", r"chondrocytes?", r"keratinocytes?", r"fibroblasts?", r"MCSs?", r"bone\s{1,3}marrow\s{1,3}"
    r"(?:aspirate|concentrate)", r"fat\s{1,3}graft(?:ing)?", r"lipoaspirate",
)
_CELLS = re.compile(rf"(?<![\w-])(?:{'|'.join(CELL_PHRASES)})(?![\w-])", re.I)
_NO_CELLS = re.compile(
    r"\b(?:without|no|not|free\s{1,3}of|excluding|devoid\s{1,3}of|lacking)\s{1,3}(?:any\s{1,3})?(?:\w{1,25}\s{1,3}){0,3}?"
    r"(?:cells?|cell\s{1,3}therapy|MSCs?)\b|\bcell[-\s]free\b",
    re.I,
)
_CELL_FREE = re.compile(rf"(?<![\w-]){words(CELL_FREE_WORDS)}(?![\w-])", re.I)


def dose_level(text: str) -> tuple[int, str] | None:
    """(rank, word) of the first "low/medium/high dose" the text uses, or None."""
    match = _LEVEL.search(text)
    if match is None:
        return None
    word = (match.group("level") or match.group("after")).lower()
    return _LEVELS[word], word


def mentions_placebo(text: str) -> bool:
    return _PLACEBO.search(text) is not None


def mentions_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def mentions_cells(text: str) -> bool:
    """True when the text gives cells, not when it only says it gives none ("without any cell therapy")."""
    return _CELLS.search(_NO_CELLS.sub(" ", text)) is not None


def cell_free_product(text: str) -> str | None:
    """The cell-free product the text names ("exosomes", "conditioned medium"), or None."""
    match = _CELL_FREE.search(text)
    return match.group(0) if match else None


# Where the cells come from, when the text says; the tissue names registries use, and their usual acronyms
# (case-sensitive where the acronym is also an English word, as SHED is).
CELL_SOURCES: list[tuple[str, str]] = [
    ("cord blood", r"\b(?:umbilical\s{1,3})?cord[-\s]blood\b|\bh?UCB(?:[-\s]?MNCs?)?\b|\bCB[-\s]?MNCs?\b"),
    ("umbilical cord",
     r"\bumbilical[-\s]cord\b|\bh?UC[-\s]?MSCs?\b|\bh?UMSCs?\b|\bh?UC[-\s]?derived\b|\bcord[-\s]derived\b"
     r"|\bWharton['’]?s?\s{1,3}jelly\b|\bWJ[-\s]?MSCs?\b"),
    ("bone marrow", r"\bbone[-\s]marrow\b|\bh?BM[-\s]?(?:MSCs?|MNCs?|derived)\b|\bBMSCs?\b|\bBMMNCs?\b|\bBMAC\b"),
    ("adipose",
     r"\badipose\b|\bh?AD[-\s]?MSCs?\b|\bAT[-\s]?MSCs?\b|\bh?ADSCs?\b|\bADRCs?\b|(?-i:\bh?ASCs?\b)"
     r"|\bfat[-\s]derived\b|\blipoaspirate\b|\bstromal\s{1,3}vascular\s{1,3}fraction\b|(?-i:\bSVF\b)"),
    ("placenta",
     r"\bplacenta(?:l)?\b|\bPD[-\s]?MSCs?\b|\bamnio(?:tic)?\b|\bamnion\b|\bh?AMSCs?\b|\bchorion(?:ic)?\b"
     r"|\bdecidua(?:l)?\b(?!\s{1,3}teeth)"),
    ("menstrual blood",
     r"\bmenstrual\b|\bMenSCs?\b|\bendometri(?:al|um)[-\s]{1,3}(?:derived|stem|stromal|regenerative)\b"),
    ("dental pulp", r"\bdental[-\s]pulp\b|\bDPSCs?\b|(?-i:\bSHED\b)|\bdeciduous\s{1,3}teeth\b"),
    ("peripheral blood", r"\bperipheral[-\s]blood\b|\bPB[-\s]?MNCs?\b|\bPBMCs?\b|\bPBSCs?\b|\bleukapheresis\b"),
    ("induced pluripotent", r"\binduced\s{1,3}pluripotent\b|\bh?iPSCs?\b|\biPS[-\s](?:cells?|derived)\b"),
]
_SOURCE_PATTERNS = [(tissue, re.compile(pattern, re.I)) for tissue, pattern in CELL_SOURCES]
# "after allogeneic bone marrow transplantation", "peripheral blood stem cell transplant recipients": the
# patients' earlier transplant, not the cells the arm gives.
_EARLIER_TRANSPLANT = re.compile(
    r"^[\w\s-]{0,30}?\btransplant(?:ation|ed)?\b(?:\s{1,3}(?:patients|recipients|survivors)\b)?", re.I)
_BEFORE_TRANSPLANT = re.compile(
    r"\b(?:after|following|post|underwent|undergoing|history\s{1,3}of|prior)\b[\w\s-]{0,25}$", re.I)


def find_cell_sources(text: str) -> list[tuple[str, str]]:
    """(tissue, matched words) for each cell source the text names, in reading order, each tissue once."""
    found: dict[str, tuple[int, str]] = {}
    starts: list[int] = []  # the words taken so far, as disjoint spans kept in order
    ends: list[int] = []
    for tissue, pattern in _SOURCE_PATTERNS:  # earlier rows first: "umbilical cord blood" is cord blood, not cord
        for match in pattern.finditer(text):
            before = bisect_left(starts, match.end()) - 1
            if before >= 0 and ends[before] > match.start():
                continue
            starts.insert(before + 1, match.start())
            ends.insert(before + 1, match.end())
            if tissue in found or _earlier_transplant(text, match):
                continue
            found[tissue] = (match.start(), match.group(0))
    return [(tissue, words_) for tissue, (_, words_) in sorted(found.items(), key=lambda item: item[1][0])]


def _earlier_transplant(text: str, match: re.Match[str]) -> bool:
    after = _EARLIER_TRANSPLANT.match(text[match.end():match.end() + 60])
    if after is None:
        return False
    names_patients = after.group(0).lower().rstrip().endswith(("patients", "recipients", "survivors"))
    return names_patients or _BEFORE_TRANSPLANT.search(text[max(0, match.start() - 40):match.start()]) is not None
