"""What an arm gives, in words: cells, a cell-free product, a placebo, a control; at which dose level; from
which tissue. Each detector is a table of phrases (`vocabulary` and the tables below), bounded so that it
reads any text in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .patterns import Strings, gate, gate_index, led, plain_ascii, twins, words
from .text import short_text_cache
from .vocabulary import (
    ANTIGEN_LOADING,
    CELL_FREE_WORDS,
    DRUG_UNITS,
    NOT_PRODUCT_CELLS,
    OTHER_THERAPIES,
    PLACEBO_WORDS,
    SCALE_WORDS,
)

_LEVELS = {"low": 1, "lower": 1, "lowest": 1, "medium": 2, "intermediate": 2, "middle": 2, "mid": 2, "moderate": 2,
           "high": 3, "higher": 3, "highest": 3}
_LEVEL_PHRASES = (rf"\b(?P<level>{words(_LEVELS)})[-\s]{{1,3}}dos(?:e|age)\b",
                  rf"\bdos(?:e|age)\s{{0,3}}[:(]?\s{{0,3}}(?P<after>{words(_LEVELS)})\b")
_LEVEL = led("|".join(_LEVEL_PHRASES), re.I)
_PLACEBO = led(rf"\b{words(PLACEBO_WORDS)}\b", re.I)
_CONTROL = led(
    r"\b(?:control|conventional|standard(?:\s{1,3}(?:of\s{1,3})?(?:care|treatment|therapy|medical))?"
    r"|best\s{1,3}supportive|usual\s{1,3}care|(?-i:SOC)|alone|no\s{1,3}intervention)\b",
    re.I,
)
# Words that name living cells as a product. A word ending in "MSC(s)" counts (after at most 20 characters: "hUC-MSCs",
# "BM-MSC"), and one ending in "ADSC", "ASC", "MNC", "SVF", "BMAC" or "MDC" (with or without "s"). Such a word is
# taken whole and its end looked at (`_ENDING_IN`), not tried at each of its lengths: trying every length at every
# word's start was half the time of finding cell words.
_ENDING_IN = r"[\w-]{{{low},{high}}}+(?<={endings})"
_WORDS_ENDING_IN = "|".join(
    _ENDING_IN.format(low=width, high=width + 20, endings="|".join(endings))
    for width, endings in ((3, ("MSC", "ASC", "MNC", "SVF", "MDC")),
                           (4, ("MSCs", "ADSC", "BMAC", "ASCs", "MNCs", "SVFs", "MDCs")),
                           (5, ("ADSCs", "BMACs"))))
CELL_PHRASES: tuple[str, ...] = (
    r"stem\s{1,3}cells?", r"stromal\s{1,3}cells?", r"progenitor\s{1,3}cells?", _WORDS_ENDING_IN,
    r"cells?", r"cell\s{1,3}therapy", r"cell\s{1,3}transplantation", r"CAR[-\s]?T", r"cord\s{1,3}blood",
    r"mononuclear", r"islets?",
    r"stromal\s{1,3}vascular\s{1,3}fraction",
    r"hepatocytes?", r"chondrocytes?", r"keratinocytes?", r"fibroblasts?", r"MCSs?", r"bone\s{1,3}marrow\s{1,3}"
    r"(?:aspirate|concentrate)", r"fat\s{1,3}graft(?:ing)?", r"lipoaspirate",
    r"T-cells",  # "Intrathecal T-Cells"; a singular "T-cell" is mostly a disease's ("T-cell lymphoma")
)
def _gates(pattern: str) -> frozenset[str]:
    """What a text must hold (lower-cased) for one of the pattern's alternatives to match it."""
    return frozenset().union(*(gate(alternative) for alternative in _alternatives(pattern)))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (its "|" outside brackets)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(pattern):
        if char == "\\" or (i and pattern[i - 1] == "\\"):
            continue
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


# What kind of cell product an arm gives, most specific first: the Across trials page filters by it and the
# comparison table shows it. A row is a name and the words registries use for it; an immune-cell product is
# named before the cells it is made of ("CAR-NK" before "NK cells"), a named product before generic words.
CELL_TYPES: list[tuple[str, str]] = [
    ("CAR-NK", r"\bCAR[-\s]?NK\b|\bNK[-\s]?CAR\b|\bCAR[-\s]?(?:engineered|modified|transduced|expressing)\s{1,3}"
               r"(?:[\w-]{1,15}\s{1,3})?NK\b|\bCAR\.\d{1,3}[/\w.-]{0,20}\bNK\b"),
    ("CAR-T", r"\bCAR[-\s]?T\b|\bCART[-\s]?\d{0,3}\b|\bchimeric\s{1,3}antigen\s{1,3}receptor\b|\bCTL019\b"
              r"|\b(?:axi|brexu|liso|ide|cilta|obe|rela)cabtagene\b|\btisagenlecleucel\b"
              r"|\bCAR[-\s]?(?:modified|expressing|transduced)\s{1,3}T\b"
              r"|(?-i:\bCAR\b)"),
    ("TCR-T", r"\bTCR[-\s]?T\b|\bTCR[-\s]?(?:transduced|engineered|modified|redirected)\b"
              r"|\bT[-\s]cell\s{1,3}receptor\b|(?:engineered|transduced)\s{1,3}(?:[\w()-]{1,20}\s{1,3}){0,3}T[-\s]?cells?"),
    ("TIL", r"(?-i:\bTILs?\b)|\btumou?r[-\s]infiltrating\s{1,3}lymphocytes?\b"),
    ("CIK", r"(?-i:\bCIKs?\b)|\bcytokine[-\s]induced\s{1,3}killer\b"),
    ("virus-specific T cells", r"(?-i:\bVSTs?\b)|\bvirus[-\s]specific\b"
                               r"|\b(?:CMV|EBV|adenovir\w{0,3}|BKV?|HHV6|multi-?virus)"
                               r"[-\s]?(?:specific\s{1,3})?(?:CTLs?|T[-\s]cells?)\b|(?-i:\bm?CTLs?\b)"
                               r"|\bcytotoxic\s{1,3}T[-\s]lymphocytes?\b"),
    ("Treg", r"\bT?regs?\b|\bregulatory\s{1,3}T[-\s]cells?\b"),
    ("NK cells", r"(?-i:\bNK\b)|\bnatural\s{1,3}killer\b"),
    ("dendritic cells", r"\bdendritic\b|(?-i:\bDCs?\b)|\bsipuleucel\b|\bantigen[-\s]presenting\s{1,3}cells?\b"
                        r"|\bDCVax\w{0,3}"),
    ("ESC-derived", r"\bh?ESCs?\b|\bembryonic\s{1,3}stem\b|\bhESC[-\s]derived\b"),
    ("iPSC-derived", r"\binduced\s{1,3}pluripotent\b|\bh?iPSCs?\b|\biPS[-\s](?:cells?|derived)\b"),
    # Cord blood as the source of mesenchymal cells ("Umbilical Cord Blood Derived-Mesenchymal Stem Cells",
    # "hUCB-MSCs") gives MSCs, not a cord-blood graft.
    ("cord blood", r"\bcord[-\s]blood\b(?![-\s]{1,3}(?:derived[-\s]{1,3})?(?:mesenchymal|MSCs?\b|stromal))"
                   r"|\bh?UCB\b(?![-\s]{0,3}(?:derived[-\s]{1,3})?(?:mesenchymal|MSCs?\b|stromal))"
                   r"|\bCB[-\s]?(?:units?|MNCs?)\b"),
    ("HSC / CD34+", r"\bCD34\s?\+|\bCD34[-\s]?(?:positive|selected|cells?)\b|\bCD133\s?\+"
                    r"|\bha?ematopoietic\s{1,3}(?:stem|progenitor)\b|\bHSPCs?\b|(?-i:\bHSCs?\b)"),
    ("islets", r"\bislets?\b|\bIEQ\b"),
    ("keratinocytes / fibroblasts", r"\bkeratinocytes?\b|\bfibroblasts?\b|\bazficel\b"),
    ("chondrocytes", r"\bchondrocytes?\b|\bchondrons?\b|\bchondrocelect\b"),
    ("hepatocytes", r"\bhepatocytes?\b|\bliver\s{1,3}(?:progenitor\s{1,3})?cells?\b"),
    ("MSC", r"MSCs?\b|\bmesenchymal\b|\bstromal\s{1,3}cells?\b|\bh?AD[-\s]?SCs?\b|(?-i:\bh?ASCs?\b)"
            r"|\bMPCs?\b|\bMAPCs?\b|\bmedicinal\s{1,3}signall?ing\s{1,3}cells?\b"),
    ("mononuclear cells", r"\bmononuclear\b|MNCs?\b|\bBMAC\b|\bbone\s{1,3}marrow\s{1,3}(?:aspirate|concentrate)\b"),
    ("SVF / adipose tissue", r"(?-i:\bSVF\b)|\bstromal\s{1,3}vascular\b|\bfat\s{1,3}graft\w{0,3}|\blipoaspirate\b"
                             r"|\bmicro-?fragmented\b|\blipogems\b|\badipose\s{1,3}tissue\b"),
]
# The two generic types: "T cells" and "stem cells" say less than any row above, so a text naming one of those
# wins over them.
GENERIC_CELL_TYPES: list[tuple[str, str]] = [
    ("T cells", r"\bT[-\s]cells?\b|\bT[-\s]lymphocytes?\b|\bdonor\s{1,3}lymphocytes?\b|(?-i:\bDLI\b)|\blymphocytes?\b"),
    ("stem cells", r"\bstem\s{1,3}cells?\b|\bprogenitor\s{1,3}cells?\b"),
]
# Each row with the strings a text must hold for it to match (read from its pattern), so that a text is searched
# only for the rows it may name, most specific first, and no further than the first found.
_TYPE_ROWS = [(name, led(pattern, re.I), _gates(pattern)) for name, pattern in CELL_TYPES + GENERIC_CELL_TYPES]
_GENERIC = frozenset(name for name, _ in GENERIC_CELL_TYPES)
NO_TYPE = len(_TYPE_ROWS)
_CELLS_SOURCE = (rf"(?<![\w-])(?:{'|'.join(CELL_PHRASES)})(?![\w-])"
                 r"|\b(?:lymphocytes?|cellular\s{1,3}(?:immuno)?therap\w{1,3}|dendritic|natural\s{1,3}killer|sipuleucel"
                 r"|tumou?r[-\s]infiltrating)\b|(?-i:\b(?:NK|CIK|TILs?|DCs|CTLs?|VSTs?|DLI)\b)"
                 r"|(?-i:\bDC\b)(?=\s{0,3}(?:vaccin|cells?\b|injection|therap|immunotherap))")
_CELLS = led(_CELLS_SOURCE, re.I)
# What a text must hold (lower-cased) for _CELLS to match it: a text without any of these names no cells, and is
# not scanned (most drug, control and procedure texts).
_CELLS_GATE = tuple(sorted(_gates(_CELLS_SOURCE)))
_CELLS_STRINGS = Strings.of(_CELLS_GATE)


@short_text_cache(maxsize=8192, max_chars=2_000)  # labels and product names repeat ("Control", "MSCs")
def type_rank(text: str) -> int:
    """The rank of the most specific cell type `text` names (lower is more specific), or `NO_TYPE`."""
    return _best_rank((text,))


def type_name(rank: int) -> str | None:
    return _TYPE_ROWS[rank][0] if rank < NO_TYPE else None


def cell_type(*texts: str) -> str | None:
    """The most specific cell type the texts name, or None: "CAR-T" for a text naming CAR T cells, "MSC" for
    mesenchymal stromal cells; a generic type ("T cells") only when nothing more specific is named."""
    return type_name(_best_rank(texts))


def _best_rank(texts: tuple[str, ...]) -> int:
    best = NO_TYPE
    for text in texts:
        if not text:
            continue
        lowered = text.lower()
        ranks = [rank for rank in _OPENS.opened(lowered) if rank < best]
        if not ranks:
            continue
        cleaned = _NO_CELLS_TWINS[plain_ascii(text)].sub(" ", text) if "cell" in lowered else text
        for rank in ranks:
            if _TYPE_ROWS[rank][1].search(cleaned):
                best = rank
                break
    return best


_OPENS = gate_index(needs for _, _, needs in _TYPE_ROWS)  # each string a row needs, and the rows it opens



def is_generic_type(name: str | None) -> bool:
    return name is None or name in _GENERIC
_NO_CELLS = led(
    r"\b(?:without|no|not|free\s{1,3}of|excluding|devoid\s{1,3}of|lacking)\s{1,3}(?:any\s{1,3})?(?:\w{1,25}\s{1,3}){0,4}?"
    r"(?:cells?|cell\s{1,3}therapy|MSCs?)\b|\bcell[-\s]free\b"
    # "tumor cells", "B-cell": a word of the table and "cell" after it, looked ahead for before the table is tried
    rf"|(?<![\w-])(?=[\w-]{{1,{max(map(len, NOT_PRODUCT_CELLS))}}}[-\s]{{1,3}}cell)"
    rf"(?:{words(NOT_PRODUCT_CELLS)})[-\s]{{1,3}}cells?\b"
    r"|\b(?:cells?|lymphocytes?)\s{1,3}(?:counts?|lines?|subsets?|subpopulations?)\b",
    re.I,
)
_CELLS_TWINS, _NO_CELLS_TWINS = twins(_CELLS), twins(_NO_CELLS)  # the patterns, and for ASCII texts
_CELL_FREE = led(rf"(?<![\w-]){words(CELL_FREE_WORDS)}(?![\w-])(?!\s{{1,3}}{words(ANTIGEN_LOADING)}\b)", re.I)


_DRUG_NAME = led(rf"(?<![\w-])(?:{words(OTHER_THERAPIES)})(?![\w-])", re.I)
_DRUG_AMOUNT = re.compile(  # "30 mg/m2", "600,000 IU/kg", "6 million units"
    rf"(?=\d)(?<![\w.,])\d{{1,7}}(?:[.,]\d{{1,3}})?\s{{0,2}}(?:{words(SCALE_WORDS)}\s{{1,2}})?(?:{words(DRUG_UNITS)})"
    rf"(?:\s{{0,2}}/\s{{0,2}}\w{{1,6}}){{0,2}}(?![\w])",
    re.I,
)
_DRUG_GATE = Strings.of(word.lower() for word in OTHER_THERAPIES)


def find_drugs(text: str) -> list[tuple[int, int]]:
    """Spans of what a text gives beside the cells: a drug or treatment named ("fludarabine", "IL-2") or an amount
    in a drug's unit ("30 mg/m2", "600,000 IU/kg"); bounded, so reading is linear. Names are looked for only in a
    text holding one, as a plain substring."""
    lowered = text.lower()
    spans = [m.span() for m in _DRUG_AMOUNT.finditer(text)]
    if _DRUG_GATE.any_in(lowered):
        spans += [m.span() for m in _DRUG_NAME.finditer(text)]
    return sorted(spans)


def find_cell_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words that name cells as a product ("NK cells", "MSCs", "islets")."""
    return [match.span() for match in _CELLS.finditer(text)] if _may_name_cells(text) else []


def _may_name_cells(text: str) -> bool:
    return _CELLS_STRINGS.any_in(text.lower())


@short_text_cache(maxsize=4096, max_chars=2_000)  # arms of a trial share their words
def dose_level(text: str) -> tuple[int, str] | None:
    """(rank, word) of the "low/medium/high dose" the text names, or None; None too when it names several ("started
    on the lowest dose ... the 2nd group of 5 will receive a higher dose" tells an escalation, not one arm's level)."""
    found = {_LEVELS[(m.group("level") or m.group("after")).lower()]: (m.group("level") or m.group("after")).lower()
             for m in _LEVEL.finditer(text)}
    if len(found) != 1:
        return None
    rank, word = next(iter(found.items()))
    return rank, word


@short_text_cache(maxsize=4096, max_chars=2_000)
def mentions_placebo(text: str) -> bool:
    return _PLACEBO.search(text) is not None


def mentions_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


@short_text_cache(maxsize=8192, max_chars=2_000)  # asked for an arm's cells, type and the arms sharing it
def mentions_cells(text: str) -> bool:
    """True when the text gives cells, not when it only says it gives none ("without any cell therapy")."""
    if not _may_name_cells(text):
        return False
    plain = plain_ascii(text)
    cells, no_cells = _CELLS_TWINS[plain], _NO_CELLS_TWINS[plain]
    if cells.search(text) is None:
        return False
    return no_cells.search(text) is None or cells.search(no_cells.sub(" ", text)) is not None


@short_text_cache(maxsize=4096, max_chars=2_000)  # each arm asks of every text it links
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
_BEFORE_TRANSPLANT = led(
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
