"""Routes of administration: the words registries use for each, as one table.

Each row is a route and the phrases that name it (regular-expression fragments,
matched case-insensitively at word starts). The first phrase a text uses wins;
on a tie the earlier row wins, so specific routes ("hepatic artery") come before
general ones ("intra-arterial").
"""

from __future__ import annotations

import re

from .patterns import gate, gate_index, led
from .text import short_text_cache

ROUTES: list[tuple[str, tuple[str, ...]]] = [
    ("intra-arterial (hepatic artery)", (
        r"(?:hepatic|liver)\s{1,3}arter(?:y|ies|ial)",
        r"intra[-\s]?hepatic\s{1,3}arter",
    )),
    ("intraportal", (r"portal\s{1,3}vein", r"intra[-\s]?portal(?:ly)?")),
    ("intracoronary", (r"intra[-\s]?coronary",)),
    ("intra-arterial", (
        r"intra[-\s]?arterial(?:ly)?",
        r"via\s{1,3}(?:the\s{1,3})?arter(?:y|ies)",
        r"intra[-\s]?carotid",
        r"(?:renal|femoral|mesenteric|carotid|vertebral)\s{1,3}artery",
    )),
    ("intramyocardial", (
        r"intra[-\s]?myocardial(?:ly)?",
        r"trans[-\s]?endocardial(?:ly)?",
        r"epicardial",
        r"intra[-\s]?cardiac",
    )),
    ("intrahepatic", (r"intra[-\s]?hepatic(?:ally)?", r"into\s{1,3}the\s{1,3}liver")),
    ("intravenous", (
        r"intra[-\s]?venous(?:ly)?",
        r"peripheral\s{1,3}vein",
        r"(?:into|via|through)\s{1,3}(?:a|the)\s{1,3}(?:peripheral\s{1,3})?vein",
        r"venous\s{1,3}(?:infusion|drip|transfusion)",
        r"i\.\s?v\b\.?",
        r"(?<![Pp]hase\s)(?<![Gg]rade\s)(?<![Ss]tage\s)(?<![Tt]ype\s)(?<![Cc]lass\s)(?-i:IV)(?![\w-])",
    )),
    ("intramuscular", (
        r"intra[-\s]?muscular(?:ly)?",
        r"i\.\s?m\.(?!\w)",
        r"into\s{1,3}the\s{1,3}(?:\w+\s{1,3})?muscles?",
    )),
    ("subcutaneous", (r"sub[-\s]?cutaneous(?:ly)?", r"s\.c\.(?!\w)")),
    ("intrathecal", (r"intra[-\s]?thecal(?:ly)?", r"lumbar\s{1,3}puncture", r"sub[-\s]?arachnoid")),
    ("intra-articular", (
        r"intra[-\s]?articular(?:ly)?",
        r"into\s{1,3}the\s{1,3}(?:\w+\s{1,3})?(?:knee|joint)",
        r"(?:knee\s{1,3})?joint\s{1,3}cavity",
    )),
    ("intradermal", (r"intra[-\s]?dermal(?:ly)?",)),
    ("intradiscal", (
        r"intra[-\s]?discal(?:ly)?",
        r"into\s{1,3}the\s{1,3}(?:\w+\s{1,3})?dis[ck]",
        r"nucleus\s{1,3}pulposus",
    )),
    ("intravitreal", (r"intra[-\s]?vitreal(?:ly)?",)),
    ("subretinal", (r"sub[-\s]?retinal(?:ly)?",)),
    ("subconjunctival", (r"sub[-\s]?conjunctival(?:ly)?",)),
    ("intranasal", (r"intra[-\s]?nasal(?:ly)?", r"nasal\s{1,3}(?:spray|drops|instillation)")),
    ("inhaled", (r"inhal(?:ed|ation)", r"nebuli[sz](?:ed|ation|er)", r"aerosoli[sz]ed")),
    ("intraperitoneal", (r"intra[-\s]?peritoneal(?:ly)?", r"into\s{1,3}the\s{1,3}peritoneal\s{1,3}cavity")),
    ("intracerebral", (r"intra[-\s]?cerebral(?:ly)?", r"stereotactic(?:ally)?", r"intra[-\s]?striatal")),
    ("intraparenchymal", (r"intra[-\s]?parenchymal(?:ly)?",)),
    ("intraventricular", (r"intra[-\s]?(?:cerebro)?ventricular(?:ly)?",)),
    ("intraspinal", (
        r"intra[-\s]?spinal(?:ly)?",
        r"intra[-\s]?medullary",
        r"into\s{1,3}the\s{1,3}spinal\s{1,3}cord",
    )),
    ("intraosseous", (r"intra[-\s]?osseous(?:ly)?", r"into\s{1,3}the\s{1,3}(?:femoral\s{1,3}head|bone)")),
    ("intrauterine", (r"intra[-\s]?uterine", r"into\s{1,3}the\s{1,3}uter(?:us|ine)")),
    ("intracavernous", (r"intra[-\s]?cavernos(?:al|us)(?:ly)?", r"intra[-\s]?cavernous(?:ly)?")),
    ("periurethral", (r"peri[-\s]?urethral(?:ly)?", r"intra[-\s]?sphincteric")),
    ("intralesional", (
        r"intra[-\s]?lesional(?:ly)?",
        r"peri[-\s]?lesional(?:ly)?",
        r"intra[-\s]?fistul(?:ar|ous)",
        r"(?:into|in)\s{1,3}the\s{1,3}(?:\w+\s{1,3})?(?:fistula|lesion|ulcer|wound)s?",
        r"fistula\s{1,3}tract",
    )),
    ("submucosal", (r"sub[-\s]?mucos(?:al|a)",)),
    ("intratracheal", (
        r"intra[-\s]?tracheal(?:ly)?",
        r"endo[-\s]?bronchial(?:ly)?",
        r"intra[-\s]?bronchial(?:ly)?",
        r"bronchoscop(?:ic|y)",
    )),
    ("intraovarian", (r"intra[-\s]?ovarian",)),
    ("topical", (
        r"topical(?:ly)?",
        r"applied\s{1,3}(?:to|on(?:to)?)\s{1,3}the\s{1,3}(?:\w+\s{1,3})?(?:wound|skin|ulcer|burn)",
        r"spray(?:ed)?\s{1,3}(?:on|onto)",
    )),
]
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a route's phrases, opening with a lookahead for the characters they can start with."""
    return led(rf"(?<![\w-])(?:{'|'.join(phrases)})", re.IGNORECASE)


# One pattern a route; a route is tried only on a text holding one of its phrases' gates.
_PATTERNS = [_compiled(phrases) for _, phrases in ROUTES]


# Each gate and the routes it opens: one substring test a gate, not one a route and gate.
_OPENS = gate_index(frozenset().union(*(gate(phrase) for phrase in phrases)) for _, phrases in ROUTES)


@short_text_cache(maxsize=4096, max_chars=2_000)  # arms repeat their intervention's words
def find_route(text: str) -> tuple[str, str] | None:
    """(route, matched words) for the route the text names first (the earlier row on a tie), or None."""
    lowered = text.lower()
    rows = _OPENS.opened(lowered)
    best: tuple[int, int, str] | None = None
    for row in rows:
        match = _PATTERNS[row].search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), row, match.group(0))
    return (ROUTES[best[1]][0], best[2]) if best else None
