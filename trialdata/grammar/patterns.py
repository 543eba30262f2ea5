"""Regular expressions built from the vocabulary's tables, so a table row is all a new word needs.

Every fragment here is bounded: no quantifier without an upper limit, so each
pattern does a bounded amount of work at each place it is tried and a reader
runs in time linear in its text, whatever the text holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def words(table: Iterable[str], plural: bool = False) -> str:
    """A non-capturing alternation of the table's words, longest first (so "bi-weekly" wins over "weekly"),
    each escaped, its spaces matching one to three white-space characters; `plural` allows a final "s"."""
    alternatives = sorted(dict.fromkeys(table), key=len, reverse=True)
    escaped = [re.escape(word).replace(r"\ ", r"\s{1,3}") for word in alternatives]
    body = "|".join(escaped)
    return f"(?:{body})s?" if plural else f"(?:{body})"


def first_letters(table: Iterable[str]) -> str:
    """A lookahead for the characters the table's words can start with, in either case, so that `re` rejects
    other positions at once."""
    letters = sorted({c for word in table for c in (word[0].lower(), word[0].upper())})
    return "(?=[" + "".join(re.escape(c) for c in letters) + "])"


def lookup(table: dict[str, object], found: str) -> object:
    """The table's value for a matched word, whatever its case, spacing or plural."""
    key = " ".join(found.lower().split())
    if key in table:
        return table[key]
    lowered = {k.lower(): v for k, v in table.items()}
    if key in lowered:
        return lowered[key]
    return lowered[key[:-1]] if key.endswith("s") and key[:-1] in lowered else lowered[key]


# Characters a hand of registry authors types for "times" between a mantissa and its power of ten.
TIMES_SIGNS = "x×X*·∙⋅✕"
TIMES = r"\s{0,2}[" + TIMES_SIGNS + r"]\s{0,2}"
RANGE_JOIN = r"\s{0,3}(?:-|–|—|~|to|‒|−)\s{0,3}"
