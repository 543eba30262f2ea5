"""Words that tell an expert what an arm is: route, phase, placebo, dose level, cells.

Each detector is a small table of patterns so a new registry phrasing is one
new row, not a new branch.
"""

from __future__ import annotations

import re

# (route, pattern, words the pattern cannot match without, in lower case): the substring test skips
# most patterns on most texts, which a single alternation cannot do. Each pattern opens with a lookahead for
# the characters a match can start with, so that `re` rejects other positions at once.
_ROUTES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("intra-arterial (hepatic artery)",
     re.compile(r"(?=[hli])(?:(?:hepatic|liver)\s+arter(?:y|ies|ial)|intra-?hepatic\s+arter)", re.I), ("arter",)),
    ("intraportal", re.compile(r"(?=[pi])(?:portal\s+vein|intra-?portal)", re.I), ("portal",)),
    ("intrasplenic", re.compile(r"(?=[is])(?:intra-?splenic|splenic\s+(?:artery|vein))", re.I), ("splenic",)),
    ("intra-arterial", re.compile(r"(?=[iv])(?:intra-?arterial(?:ly)?|via\s+(?:the\s+)?arter(?:y|ies))", re.I),
     ("arter",)),
    ("intrahepatic", re.compile(r"(?=i)(?:intra-?hepatic(?:ally)?|into\s+the\s+liver)", re.I), ("hepatic", "liver")),
    ("intravenous", re.compile(
        r"(?=[ipv])(?:intra-?venous(?:ly)?|peripheral\s+vein|(?:into|via)\s+(?:a|the)\s+(?:peripheral\s+)?vein"
        r"|venous\s+(?:infusion|drip)|\bi\.\s?v\b\.?|\b(?<![Pp]hase )(?<![Gg]rade )(?<![Ss]tage )IV\b)", re.I),
     ("venous", "vein", "i.", "iv")),
    ("intramuscular", re.compile(r"(?=i)(?:intra-?muscular(?:ly)?|\bi\.?m\.\B)", re.I), ("muscular", "m.")),
    ("subcutaneous", re.compile(r"(?=s)(?:sub-?cutaneous(?:ly)?|\bs\.?c\.\B)", re.I), ("cutaneous", "c.")),
    ("intrathecal", re.compile(r"(?=[il])(?:intra-?thecal(?:ly)?|lumbar\s+puncture)", re.I), ("thecal", "lumbar")),
    ("intra-articular", re.compile(r"(?=i)intra-?articular(?:ly)?", re.I), ("articular",)),
    ("intracoronary", re.compile(r"(?=i)intra-?coronary", re.I), ("coronary",)),
    ("intramyocardial", re.compile(r"(?=[it])(?:intra-?myocardial(?:ly)?|trans-?endocardial)", re.I),
     ("myocardial", "endocardial")),
    ("intradermal", re.compile(r"(?=i)intra-?dermal(?:ly)?", re.I), ("dermal",)),
]
# Each gate word and the rows it opens: one substring test per word, not one per row and word.
_ROUTE_ROWS: dict[str, tuple[int, ...]] = {
    word: tuple(row for row, (_, _, words) in enumerate(_ROUTES) if word in words)
    for word in dict.fromkeys(word for _, _, words in _ROUTES for word in words)
}

def may_name_phase(text: str) -> bool:
    """False when `text` cannot hold a phase marker or mention: every one says "phase", and a substring test is
    far cheaper than the patterns (tests check no other letter reads as p, h or a)."""
    return "pha" in text.lower()


_PHASE_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
PHASE_MENTION = re.compile(r"(?=p)\bphase\s*[-–]?\s*(?P<number>iv|i{1,3}|[1-4])\b(?![/\-–]\s*(?:i|[1-4]))", re.I)
PHASE_MARKER = re.compile(
    r"(?=[fidp])(?:\b(?:for|in|during)\s+(?:the\s+)?)?\bphase\s*[-–]?\s*(?P<number>iv|i{1,3}|[1-4])\b"
    r"(?:\s+(?:part|stage|portion|study|trial|cohorts?))?\s*[:：]",
    re.I,
)

_LEVELS = {"low": 1, "lower": 1, "medium": 2, "intermediate": 2, "middle": 2, "mid": 2, "moderate": 2,
           "high": 3, "higher": 3}
_LEVEL = re.compile(
    r"(?=[lmihd])(?:\b(?P<level>low|lower|medium|intermediate|middle|mid|moderate|high|higher)[-\s]+dose\b"
    r"|\bdose\s*[:(]?\s*(?P<after>low|medium|intermediate|high)\b)",
    re.I,
)

_PLACEBO = re.compile(r"(?=[psvd])\b(?:placebo|sham|vehicle|solvent|solubilizer|saline\s+only|dummy)\b", re.I)
_CONTROL = re.compile(
    r"(?=[csbua])(?:\bcontrol\b|\bconventional\b|\bstandard(?:\s+(?:of\s+)?(?:care|treatment|therapy|medical))?\b"
    r"|\bbest\s+supportive\b|\busual\s+care\b|\bSOC\b|\balone\b)",
    re.I,
)
_CELLS = re.compile(
    r"stem\s+cells?|stromal\s+cells?|progenitor\s+cells?|\b[\w-]*MSCs?\b|\bcells?\b|cell\s+therapy"
    r"|cell\s+transplantation|\bCAR[-\s]?T\b|cord\s+blood|mononuclear|islets?\b",
    re.I,
)
_NO_CELLS = re.compile(
    r"(?=[wnfec])(?:\b(?:without|no|not|free\s+of|excluding)\s+(?:any\s+)?(?:\w+\s+){0,3}?"
    r"(?:cells?|cell\s+therapy|MSCs?)\b|\bcell[-\s]free\b)",
    re.I,
)


def find_route(text: str) -> tuple[str, str] | None:
    """(route, matched words) for the route the text names first (the earlier row on a tie), or None."""
    lowered = text.lower()
    rows = sorted({row for word in filter(lowered.__contains__, _ROUTE_ROWS) for row in _ROUTE_ROWS[word]})
    best: tuple[int, int, str, str] | None = None
    for row in rows:
        route, pattern, _ = _ROUTES[row]
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), row, route, match.group(0))
    return (best[2], best[3]) if best else None


def phase_name(number: str) -> str:
    """'II' or '2' -> 'Phase 2'."""
    return f"Phase {_PHASE_NUMBERS[number.lower()]}"


def find_phase(text: str) -> str | None:
    """The one phase a text speaks of ("the phase I cohort"), or None when it names none or several."""
    if not may_name_phase(text):
        return None
    phases = {phase_name(m.group("number")) for m in PHASE_MENTION.finditer(text)}
    return phases.pop() if len(phases) == 1 else None


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


# Where the cells come from, when the text says; the tissue names registries use, and their usual acronyms
# (case-sensitive where the acronym is also an English word, as SHED is).
_CELL_SOURCES: list[tuple[str, re.Pattern[str]]] = [
    ("cord blood",
     re.compile(r"\b(?:umbilical\s+)?cord[-\s]blood\b|\bh?UCB(?:[-\s]?MNCs?)?\b|\bCB[-\s]?MNCs?\b", re.I)),
    ("umbilical cord", re.compile(
        r"\bumbilical[-\s]cord\b|\bh?UC[-\s]?MSCs?\b|\bh?UMSCs?\b|\bh?UC[-\s]?derived\b|\bcord[-\s]derived\b"
        r"|\bWharton['’]?s?\s+jelly\b|\bWJ[-\s]?MSCs?\b", re.I)),
    ("bone marrow", re.compile(
        r"\bbone[-\s]marrow\b|\bh?BM[-\s]?(?:MSCs?|MNCs?|derived)\b|\bBMSCs?\b|\bBMMNCs?\b|\bBMAC\b", re.I)),
    ("adipose", re.compile(
        r"\badipose\b|\bh?AD[-\s]?MSCs?\b|\bAT[-\s]?MSCs?\b|\bh?ADSCs?\b|\bADRCs?\b|(?-i:\bh?ASCs?\b)"
        r"|\bfat[-\s]derived\b|\blipoaspirate\b|\bstromal\s+vascular\s+fraction\b|(?-i:\bSVF\b)", re.I)),
    ("placenta", re.compile(
        r"\bplacenta(?:l)?\b|\bPD[-\s]?MSCs?\b|\bamnio(?:tic)?\b|\bamnion\b|\bh?AMSCs?\b|\bchorion(?:ic)?\b"
        r"|\bdecidua(?:l)?\b(?!\s+teeth)", re.I)),
    ("menstrual blood", re.compile(
        r"\bmenstrual\b|\bMenSCs?\b|\bendometri(?:al|um)[-\s]+(?:derived|stem|stromal|regenerative)\b", re.I)),
    ("dental pulp", re.compile(r"\bdental[-\s]pulp\b|\bDPSCs?\b|(?-i:\bSHED\b)|\bdeciduous\s+teeth\b", re.I)),
    ("peripheral blood", re.compile(
        r"\bperipheral[-\s]blood\b|\bPB[-\s]?MNCs?\b|\bPBMCs?\b|\bPBSCs?\b|\bleukapheresis\b", re.I)),
    ("induced pluripotent", re.compile(r"\binduced\s+pluripotent\b|\bh?iPSCs?\b|\biPS[-\s](?:cells?|derived)\b",
                                       re.I)),
]
# "after allogeneic bone marrow transplantation", "peripheral blood stem cell transplant recipients": the
# patients' earlier transplant, not the cells the arm gives.
_EARLIER_TRANSPLANT = re.compile(
    r"^[\w\s-]{0,30}?\btransplant(?:ation|ed)?\b(?:\s+(?:patients|recipients|survivors)\b)?", re.I)
_BEFORE_TRANSPLANT = re.compile(
    r"\b(?:after|following|post|underwent|undergoing|history\s+of|prior)\b[\w\s-]{0,25}$", re.I)


def find_cell_sources(text: str) -> list[tuple[str, str]]:
    """(tissue, matched words) for each cell source the text names, in reading order, each tissue once."""
    found: dict[str, tuple[int, str]] = {}
    taken: list[tuple[int, int]] = []
    for tissue, pattern in _CELL_SOURCES:  # earlier rows first: "umbilical cord blood" is cord blood, not cord
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            if _earlier_transplant(text, match) or tissue in found:
                continue
            found[tissue] = (match.start(), match.group(0))
    return [(tissue, words) for tissue, (_, words) in sorted(found.items(), key=lambda item: item[1][0])]


def _earlier_transplant(text: str, match: re.Match[str]) -> bool:
    after = _EARLIER_TRANSPLANT.match(text[match.end():match.end() + 60])
    if after is None:
        return False
    names_patients = after.group(0).lower().rstrip().endswith(("patients", "recipients", "survivors"))
    return names_patients or _BEFORE_TRANSPLANT.search(text[max(0, match.start() - 40):match.start()]) is not None
