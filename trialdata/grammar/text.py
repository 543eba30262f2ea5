"""Registry text made readable for the grammar, and what had to be done to it.

Copy-pasted registry text carries characters that look like nothing or like
something else: zero-width spaces and soft hyphens inside "25×10^6", fullwidth
digits and colons from East Asian keyboards ("１×１０^６", "Dose："). The
grammar reads the cleaned text; the quoted source stays the record's own.
"""

from __future__ import annotations

import re

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
# An invisible character between two parts of a number: the number was broken, and the reading says so.
_INSIDE_NUMBER = re.compile(rf"(?<=[\d×xX*^.,⁰¹²³⁴⁵⁶⁷⁸⁹])[{INVISIBLE}]+(?=[\d×xX*^.,⁰¹²³⁴⁵⁶⁷⁸⁹])")
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９：，．（）～＊＾＋－／％　",
    "0123456789:,.()~*^+-/% ",
)


def readable(text: str) -> tuple[str, bool]:
    """(text the grammar reads, whether an invisible character broke a number)."""
    broken = False
    if not text.isascii():
        broken = _INSIDE_NUMBER.search(text) is not None
        text = _INVISIBLE.sub("", text).translate(_FULLWIDTH)
    return text, broken
