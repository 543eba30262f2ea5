"""Registry text made readable for the grammar, and what had to be done to it.

Copy-pasted registry text carries characters that look like nothing or like
something else: zero-width spaces and soft hyphens inside "25×10^6", fullwidth
digits and colons from East Asian keyboards ("１×１０^６", "Dose："). The
grammar reads the cleaned text; the quoted source stays the record's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

from .patterns import led

_T = TypeVar("_T")

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
# An invisible character between two parts of a number: the number was broken, and the reading says so.
_INSIDE_NUMBER = led(rf"(?<=[\d×xX*^.,⁰¹²³⁴⁵⁶⁷⁸⁹])[{INVISIBLE}]+(?=[\d×xX*^.,⁰¹²³⁴⁵⁶⁷⁸⁹])")
# Each look-alike and the character the grammar reads for it, one for one so that spans stay the record's: the
# fullwidth forms, and the modifier circumflex of "0.5 x 10ˆ6 donor Treg/kg" (U+02C6) for the caret.
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９：，．（）～＊＾＋－／％　ˆ",
    "0123456789:,.()~*^+-/% ^",
)


_ANY_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """Whether the text holds a digit of any script (as `\\d` says: "１×１０^６" holds some). ASCII text, by far the
    most, is searched with a substring test a digit, which is four times faster than `re` testing each character
    for a digit of any script."""
    if text.isascii():
        return any(map(text.__contains__, "0123456789"))
    return _ANY_DIGIT.search(text) is not None


def readable(text: str) -> tuple[str, bool]:
    """(text the grammar reads, whether an invisible character broke a number)."""
    broken = False
    if not text.isascii():
        broken = _INSIDE_NUMBER.search(text) is not None
        text = _INVISIBLE.sub("", text).translate(_FULLWIDTH)
    return text, broken


def short_text_cache(maxsize: int, max_chars: int = 1_000) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """Remember a pure reading of one text for texts of ordinary length. Registry texts repeat (a detailed
    description restating its brief summary, arms sharing an intervention's words, one sponsor's records), and
    a repeat is then read once. A longer text is read afresh, so the cache holds at most `maxsize` texts of
    `max_chars` characters, whatever a hostile record holds. Whatever is returned is shared: it must not be
    changed by the caller."""

    def decorate(read: Callable[[str], _T]) -> Callable[[str], _T]:
        cached = lru_cache(maxsize=maxsize)(read)

        @wraps(read)
        def reading(text: str) -> _T:
            return cached(text) if len(text) <= max_chars else read(text)

        return reading

    return decorate
