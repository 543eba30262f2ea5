"""Regular expressions built from the vocabulary's tables, so a table row is all a new word needs.

Every fragment here is bounded: no quantifier without an upper limit, so each
pattern does a bounded amount of work at each place it is tried and a reader
runs in time linear in its text, whatever the text holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _parser  # the standard library's own pattern parser: which characters and words a pattern needs


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
RANGE_JOIN = r"\s{0,3}(?:-|–|—|~|through(?:\s{1,3}to)?|to|‒|−)\s{0,3}"  # "10^7 through to 10^9"


# --- derived from a pattern itself, so that no hand-written shortcut can fall out of step with it ---------------

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


def _first_characters(source: str, flags: int) -> set[str] | None:
    """Character-class items (a literal, a range, \\d) covering every character a match of `source` can start
    with, read from the parsed pattern; None when no short list covers them."""
    first: set[str] = set()

    def add_class(items) -> bool:
        for kind, what in items:
            name = str(kind)
            if name == "LITERAL":
                first.add(re.escape(chr(what)))
            elif name == "RANGE":
                first.add(f"{re.escape(chr(what[0]))}-{re.escape(chr(what[1]))}")
            elif name == "CATEGORY" and str(what) in _CATEGORIES:
                first.add(_CATEGORIES[str(what)])
            else:  # a negated class or another category
                return False
        return True

    def walk(items) -> bool | None:
        """True when the items can match the empty string (the next item may start the match), False when they
        cannot, None when a first character is beyond a short list."""
        for op, value in items:
            name = str(op)
            if name == "LITERAL":
                first.add(re.escape(chr(value)))
                return False
            if name == "IN":
                return False if add_class(value) else None
            if name == "SUBPATTERN":
                inner = walk(value[3])
                if inner is not True:
                    return inner
            elif name == "BRANCH":
                results = [walk(branch) for branch in value[1]]
                if None in results:
                    return None
                if not any(results):
                    return False
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                inner = walk(value[2])
                if inner is None:
                    return None
                if value[0] >= 1 and inner is False:
                    return False
            elif name in ("ASSERT", "ASSERT_NOT", "AT"):
                continue
            else:
                return None
        return True

    result = walk(_parser.parse(source, flags))
    return first if result is False and first else None


def led(source: str, flags: int = 0) -> re.Pattern[str]:
    """`source` compiled behind a lookahead for the characters its matches can start with (read from the parsed
    pattern, never written by hand), so that `re` rejects other positions at once."""
    first = _first_characters(source, flags)
    if first is None:
        return re.compile(source, flags)
    fast = re.compile("(?=[" + "".join(sorted(first)) + "])(?:" + source + ")", flags)
    LED.append((fast, source, flags))
    return fast


# Every led pattern with the source and flags it was led from, so that a test can compile the plain form and
# compare their matches (compiling both here would double the grammar's start-up for every process).
LED: list[tuple[re.Pattern[str], str, int]] = []


def gate_index(rows: Iterable[Iterable[str]]) -> dict[str, tuple[int, ...]]:
    """Each string some row of a table needs, with the rows (by position) it opens, so that a text is tested once
    for each string, not once for each row and string (see `opened_rows`)."""
    index: dict[str, list[int]] = {}
    for row, needs in enumerate(rows):
        for need in sorted(set(needs)):
            index.setdefault(need, []).append(row)
    return {need: tuple(opened) for need, opened in sorted(index.items())}


def opened_rows(lowered: str, index: dict[str, tuple[int, ...]]) -> list[int]:
    """The rows, in table order, of which the lower-cased text holds a string they need."""
    return sorted(set().union(*map(index.__getitem__, filter(lowered.__contains__, index))))


def _required(items) -> list[frozenset[str]]:
    """What a text must hold for these parsed pattern items to match it, as a list of requirements, each a set of
    lower-case strings of which one must appear: runs of literal characters in the pattern's main line, and for an
    alternation, one run of each alternative."""
    needs: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 2:
            needs.append(frozenset(("".join(run),)))
        run.clear()

    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(value).lower())
            continue
        if name == "SUBPATTERN":
            inner = list(value[3])
            if all(str(o) == "LITERAL" for o, _ in inner):
                run.extend(chr(v).lower() for _, v in inner)
                continue
            flush()
            needs.extend(_required(inner))
            continue
        flush()
        if name == "BRANCH":
            choices = [_required(list(branch)) for branch in value[1]]
            if all(choices):  # each alternative needs something: one of their needs must appear
                needs.append(frozenset().union(*(_best(choice) for choice in choices)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and value[0] >= 1:
            needs.extend(_required(list(value[2])))
    flush()
    return needs


def _best(needs: list[frozenset[str]]) -> frozenset[str]:
    """The need whose shortest string is longest; of equals, the last (in "intra-nasal", "nasal", not "intra")."""
    return max(reversed(needs), key=lambda need: min(map(len, need)))


def gate(phrase: str) -> frozenset[str]:
    """The most telling requirement of `phrase`: the one whose shortest string is longest. A phrase can match only
    a text holding one of its strings (case folded); an empty gate opens on every text."""
    needs = _required(list(_parser.parse(phrase, re.IGNORECASE)))
    return _best(needs) if needs else frozenset(("",))


