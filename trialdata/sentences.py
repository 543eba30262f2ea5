"""Split registry prose into sentences, keeping each one's exact text for provenance.

Registry text is full of full stops that do not end sentences ("1.0×10^6",
"i.v.", "approx. 5"), so a sentence ends only at '.', '!' or '?' followed by
white space and a capital letter, a digit, or the end of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“*•-])|\n+")
_ABBREVIATIONS = ("e.g.", "i.e.", "approx.", "i.v.", "vs.", "Dr.", "No.", "Fig.", "et al.")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts in its paragraph."""

    text: str
    start: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order, stripped, none empty."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = text[start : match.start()]
        if piece.rstrip().endswith(_ABBREVIATIONS):
            continue
        _append(sentences, text, start, match.start())
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        sentences.append(Sentence(stripped, start + piece.index(stripped[0])))
