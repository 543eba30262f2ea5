"""Split registry prose into sentences, keeping each one's exact text for provenance.

Registry text is full of full stops that do not end sentences ("1.0×10^6",
"i.v.", "approx. 5"), so a sentence ends only at '.', '!' or '?' followed by
white space and a capital letter, a digit, or the end of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import Strings

# A boundary is white space after '.', '!' or '?' and before a sentence's first character, or a run of newlines:
# BOUNDARY_PLAIN. _BOUNDARY says the same with the white space first, so that `re` looks for a match only where
# the text has white space (a pattern opening with a character class is scanned in C), not at every character.
BOUNDARY_PLAIN = r"(?<=[.!?。])\s+(?=[A-Z0-9(\"“*•-])|\n+"
GLUED_PLAIN = r"(?<=[a-z)][.。])(?=[A-Z][a-z])"
_BOUNDARY = re.compile(r"\s(?:(?<=[.!?。]\s)\s*(?=[A-Z0-9(\"“*•-])|(?<=\n)\n*)")
# A full stop with no space after it, between a word (or a bracket) and a capitalised word: "4x10^7 cells).The
# interval time is 3 months". Only texts that hold one are scanned with the slower pattern that splits there too.
_GLUED = re.compile(r"\.(?<=[a-z)]\.)(?=[A-Z][a-z])|。(?<=[a-z)]。)(?=[A-Z][a-z])")  # led by the stop: `re` finds a
# character quickly, where a pattern led by a class ([a-z)]) is tried at every letter
_BOUNDARY_OR_GLUED = re.compile(r"\s(?:(?<=[.!?。]\s)\s*(?=[A-Z0-9(\"“*•-])|(?<=\n)\n*)|(?<=[a-z)][.。])(?=[A-Z][a-z])")
_ABBREVIATIONS = ("e.g.", "i.e.", "approx.", "i.v.", "vs.", "Dr.", "No.", "Fig.", "et al.")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts in its paragraph."""

    text: str
    start: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order, stripped, none empty."""
    return [Sentence(piece, start) for piece, start in _pieces(text)]


def sentence_texts(text: str) -> list[str]:
    """The texts of `split_sentences(text)`, for readers that need no positions: no Sentence is built for each."""
    return [piece for piece, _ in _pieces(text)]


# ASCII white space as `\s` reads it, and the pairs of a sentence's last character and white space after it.
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_ENDINGS = Strings.of(("\n", *(end + space for end in ".!?" for space in _ASCII_SPACE)))


def _one_sentence(text: str) -> bool:
    """Whether an ASCII text has no place a boundary could be (no line break, no white space after a full stop,
    '!' or '?'): most arm and intervention texts are one sentence, and a few substring tests tell so faster than
    `re` trying each space."""
    return text.isascii() and not _ENDINGS.any_in(text)


def _pieces(text: str) -> list[tuple[str, int]]:
    """(sentence, where it starts) for each sentence of `text`."""
    pieces: list[tuple[str, int]] = []
    start = 0
    glued = _GLUED.search(text) is not None
    boundary = _BOUNDARY_OR_GLUED if glued else _BOUNDARY
    for match in boundary.finditer(text) if glued or not _one_sentence(text) else ():
        piece = text[start : match.start()].rstrip()
        if piece.endswith(_ABBREVIATIONS):
            continue
        stripped = piece.lstrip()
        if stripped:
            pieces.append((stripped, start + len(piece) - len(stripped)))
        start = match.end()
    piece = text[start:].rstrip()
    stripped = piece.lstrip()
    if stripped:
        pieces.append((stripped, start + len(piece) - len(stripped)))
    return pieces
