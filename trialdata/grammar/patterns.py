"""Regular expressions built from the vocabulary's tables, so a table row is all a new word needs.

Every fragment here is bounded: no quantifier without an upper limit, so each
pattern does a bounded amount of work at each place it is tried and a reader
runs in time linear in its text, whatever the text holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain, repeat
from operator import itemgetter
from re import _parser  # the standard library's own pattern parser and compiler (see `compile_fast`)

import ahocorasick

from .compiled import compile_parsed, remembered


def words(table: Iterable[str], plural: bool = False) -> str:
    """A non-capturing alternation of the table's words, longest first (so "bi-weekly" wins over "weekly"),
    each escaped, its spaces matching one to three white-space characters; `plural` allows a final "s".

    Written as a tree of the words' shared beginnings ("tumo(?:ur|r)"), which matches exactly as the flat list
    does: `re` tries each alternative of a list in turn, and where a text can match only one branch of each fork
    the tree tries a handful of first letters instead of every word. A table whose words a text could match
    along two branches at once (letters that are one letter without regard to case) is kept as the flat list."""
    alternatives = sorted(dict.fromkeys(table), key=len, reverse=True)
    flat = "|".join(re.escape(word).replace(r"\ ", r"\s{1,3}") for word in alternatives)
    tree = _word_tree(alternatives)
    body = flat if tree is None else "|".join(_branches(tree))
    if tree is not None:
        WORD_TREES.append((body, flat, tuple(alternatives)))
    return f"(?:{body})s?" if plural else f"(?:{body})"


# Each table written as a tree, with its flat list: a test matches both on the words and registry text.
WORD_TREES: list[tuple[str, str, tuple[str, ...]]] = []


_WORD_END = ""  # the key, among a node's letters, of a word ending there


def _word_tree(table: list[str]) -> dict | None:
    """The words as nested {letter: node}, or None when the tree would not match exactly as the list does. It does
    when the words a text matches at one place are each a beginning of the next (so the tree, deeper first, tries
    them longest first, as the list does): a space is one white-space run and no word has two in a row or one at
    an end, and no text character matches two letters of one fork."""
    tree: dict = {}
    for word in table:
        if not word or word != word.strip(" ") or "  " in word:
            return None
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[_WORD_END] = {}
    return tree if _forks_apart(tree) else None


def _forks_apart(node: dict) -> bool:
    letters = [letter for letter in node if letter != _WORD_END]
    if any(_one_character_matches_both(a, b) for i, a in enumerate(letters) for b in letters[i + 1:]):
        return False
    return all(_forks_apart(child) for child in node.values())


def _one_character_matches_both(a: str, b: str) -> bool:
    """Whether some character of a text matches both letters, with or without regard to case (a space stands for
    any white space)."""
    if " " in (a, b):
        other = b if a == " " else a
        return re.fullmatch(r"\s", other) is not None
    if not a.isascii() and not b.isascii():
        return True  # not worked out: the words keep their flat list
    if a.isascii() and b.isascii():
        return a.lower() == b.lower()
    plain, other = (a, b) if a.isascii() else (b, a)
    cases = {plain.lower(), plain.upper(), *_OTHER_CASES.get(plain.lower(), "")}
    return any(re.fullmatch(re.escape(other), case, re.I) for case in cases)


def _branches(node: dict) -> list[str]:
    return [(r"\s{1,3}" if letter == " " else re.escape(letter)) + _tree_source(child)
            for letter, child in node.items() if letter != _WORD_END]


def _tree_source(node: dict) -> str:
    """The pattern of a node: a fork of its letters, deeper words first, and its own word's end last."""
    branches = _branches(node)
    if not branches:
        return ""
    fork = branches[0] if len(branches) == 1 and _WORD_END not in node else "(?:" + "|".join(branches) + ")"
    return fork + "?" if _WORD_END in node else fork


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
    return remembered("first", source, flags, lambda: _read_first_characters(source, flags))  # type: ignore[return-value]


def _read_first_characters(source: str, flags: int) -> set[str] | None:
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
        return compile_parsed("plain", source, int(flags))
    lookahead = "[" + "".join(sorted(first)) + "]"
    if flags & re.IGNORECASE and all(map(_ascii_item, first)):
        lookahead = "(?-i:[" + "".join(sorted(first | _other_cases(first))) + "])"
    fast = compile_fast("(?=" + lookahead + ")(?:" + source + ")", flags)
    LED.append((fast, source, flags))
    return fast


# What `re` matches, without regard to case, for an ASCII letter besides its two cases (every code point checked):
# the Kelvin sign is "k", "İ" and "ı" are "i", "ſ" is "s". Digits, other ASCII characters and the classes \d, \s
# and \w match the same characters either way.
_OTHER_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _ascii_item(item: str) -> bool:
    """An item of a lookahead class that is one ASCII character (escaped or not), or \\d, \\s or \\w."""
    return (len(item) == 1 and item.isascii()) or (len(item) == 2 and item[0] == "\\" and item[1].isascii()
                                                   and (not item[1].isalnum() or item[1] in "dsw"))


def _other_cases(first: set[str]) -> set[str]:
    """Every case of the class's letters, so that a case-blind pattern's lookahead can be tested on each character
    as it is: `re` lowers each character it tests against a case-blind class (1.7% of the reading's instructions
    on the MSC corpus). The class then admits exactly the characters the case-blind one did."""
    cases: set[str] = set()
    for item in first:
        if len(item) == 1 and item.isalpha():
            cases.update((item.lower(), item.upper(), *_OTHER_CASES.get(item.lower(), "")))
    return cases


# The code points `re` matches, without regard to case, for an ASCII letter ("K", the Kelvin sign, is "k"), and the
# ASCII characters `\\s` matches in Unicode mode only: what a pattern compiled for ASCII reads differently in ASCII
# text (every code point checked).
_FOLDS_TO_ASCII = frozenset((0x130, 0x131, 0x17F, 0x212A))
_UNICODE_ONLY_SPACES = "\x1c\x1d\x1e\x1f"


def ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` compiled with `re.ASCII`, for texts `plain_ascii` accepts: in them it matches exactly as `pattern`
    does, and `re` then tests a letter's case, a digit or a word character from a table instead of asking Unicode.
    `pattern` itself when it holds a character that could fold to ASCII. A twin costs a compilation at start-up, so
    only the patterns that read the most text have one (the number scanner and the cell words: 1.5% of the
    reading's instructions on the MSC corpus)."""
    folds = remembered("folds", pattern.pattern, pattern.flags, lambda: _folds_to_ascii(
        _parser.parse(pattern.pattern, pattern.flags), bool(pattern.flags & re.IGNORECASE)))
    if folds:
        return pattern
    return compile_fast(pattern.pattern, (pattern.flags & ~re.UNICODE) | re.ASCII)


def twins(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(pattern, its `ascii_twin`), indexed by `plain_ascii(text)`."""
    return pattern, ascii_twin(pattern)


def plain_ascii(text: str) -> bool:
    """Whether a pattern and its `ascii_twin` read `text` alike: ASCII, without the four separators of U+001C-1F."""
    return text.isascii() and not any(map(text.__contains__, _UNICODE_ONLY_SPACES))


def _folds_to_ascii(items: object, blind: bool) -> bool:
    """Whether a parsed pattern holds, where it matches without regard to case, a code point that folds to ASCII."""
    if not isinstance(items, (list, tuple, _parser.SubPattern)):
        return False
    if len(items) == 2 and str(items[0]) in ("LITERAL", "NOT_LITERAL") and isinstance(items[1], int):
        return blind and items[1] in _FOLDS_TO_ASCII
    if len(items) == 2 and str(items[0]) == "RANGE":
        return blind and any(items[1][0] <= code <= items[1][1] for code in _FOLDS_TO_ASCII)
    if len(items) == 2 and str(items[0]) == "SUBPATTERN":
        _, add, remove, inner = items[1]
        return _folds_to_ascii(inner, (blind or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
    return any(_folds_to_ascii(item, blind) for item in items)


def compile_fast(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, but where the pattern is case-blind, each alternative of an alternation that
    starts with a letter starts with that letter's cases as a case-sensitive class ("(?-i:[Ssſ])ingle"), which
    matches the same characters. `re` tries an alternative that starts with a case-sensitive letter or class only
    where the text's character fits it, and enters every case-blind one: on the grammar's word lists, that is
    most of the time `re` spends. Compiled from the parsed pattern by the standard library's own compiler."""
    flags = int(flags)
    if not flags & re.IGNORECASE:
        return compile_parsed("plain", source, flags)

    def parsed() -> _parser.SubPattern:
        tree = _parser.parse(source, flags)
        _sensitive_starts(tree, blind=True, ascii_only=bool(flags & re.ASCII))
        return tree

    try:
        return compile_parsed("fast", source, flags, parsed)
    except (AttributeError, TypeError):  # another Python's internals: the plain compilation matches the same
        return re.compile(source, flags)


def _sensitive_starts(items, blind: bool, ascii_only: bool) -> None:
    """Rewrite, in place, the first letter of each case-blind alternative as a case-sensitive class of its cases."""
    for op, value in items:
        name = str(op)
        if name == "BRANCH":
            for alternative in value[1]:
                first = alternative.data[0] if alternative.data else None
                letter = chr(first[1]).lower() if first and str(first[0]) == "LITERAL" else ""
                if blind and letter.isascii() and letter.isalpha():
                    cases = {letter, letter.upper(), *("" if ascii_only else _OTHER_CASES.get(letter, ""))}
                    letters = _parser.SubPattern(alternative.state, [(_parser.IN, [(_parser.LITERAL, ord(c))
                                                                                   for c in sorted(cases)])])
                    alternative.data[0] = (_parser.SUBPATTERN, (None, 0, re.IGNORECASE, letters))
                _sensitive_starts(alternative, blind, ascii_only)
        elif name == "SUBPATTERN":
            _, add, remove, inner = value
            _sensitive_starts(inner, (blind or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE, ascii_only)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _sensitive_starts(value[2], blind, ascii_only)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _sensitive_starts(value[1], blind, ascii_only)
        elif name == "ATOMIC_GROUP":
            _sensitive_starts(value, blind, ascii_only)
        elif name == "GROUPREF_EXISTS":
            for branch in value[1:]:
                if branch is not None:
                    _sensitive_starts(branch, blind, ascii_only)


# Every led pattern with the source and flags it was led from, so that a test can compile the plain form and
# compare their matches (compiling both here would double the grammar's start-up for every process).
LED: list[tuple[re.Pattern[str], str, int]] = []


class Strings:
    """Lower-case strings looked for in a lower-cased text all at once, in one pass over it (an Aho-Corasick
    automaton, in C). The grammar's gates are tested on every sentence it reads: the 133 strings the schedule
    patterns need took 18 µs an arm text as one substring test each, and take 2.3 µs as one pass. Each string may
    open rows of a table (see `gate_index`); the empty string is in every text."""

    def __init__(self, rows: dict[str, tuple[int, ...]]) -> None:
        self._rows = rows
        self._empty = "" in rows
        automaton = ahocorasick.Automaton()
        for string in rows:
            if string:
                automaton.add_word(string, string)
        automaton.make_automaton()
        self._iter = automaton.iter if len(automaton) else None

    @classmethod
    def of(cls, strings: Iterable[str]) -> Strings:
        return cls(dict.fromkeys(strings, ()))

    def any_in(self, lowered: str) -> bool:
        """Whether the text holds one of the strings, stopping at the first."""
        return self._empty or (self._iter is not None and next(self._iter(lowered), None) is not None)

    def found(self, lowered: str) -> set[str]:
        """Each string the text holds."""
        found = set(map(_SECOND, self._iter(lowered))) if self._iter is not None else set()
        if self._empty:
            found.add("")
        return found

    def opened(self, lowered: str, found: set[str] | None = None) -> list[int]:
        """The rows, in table order, of which the text holds a string they need (`found`, when the caller has
        them, holds at least the strings of this table that the text holds)."""
        found = self.found(lowered) if found is None else found
        return sorted(set().union(*map(self._rows.get, found, repeat(()))))

    def opening(self, lowered: str) -> Iterator[int]:
        """The rows the text's strings open, as they are found (a row may come more than once; the empty string's
        rows are not among them): for a caller that stops at the first row it wants."""
        if self._iter is None:
            return iter(())
        return chain.from_iterable(map(self._rows.__getitem__, map(_SECOND, self._iter(lowered))))


_SECOND = itemgetter(1)


def gate_index(rows: Iterable[Iterable[str]]) -> Strings:
    """Each string some row of a table needs, with the rows (by position) it opens, so that a text is searched
    once for all of them, not once for each row and string (see `Strings.opened`)."""
    index: dict[str, list[int]] = {}
    for row, needs in enumerate(rows):
        for need in sorted(set(needs)):
            index.setdefault(need, []).append(row)
    return Strings({need: tuple(opened) for need, opened in sorted(index.items())})


def _required(items, shortest: int = 2) -> list[frozenset[str]]:
    """What a text must hold for these parsed pattern items to match it, as a list of requirements, each a set of
    lower-case strings of which one must appear: runs of literal characters (of `shortest` or more) in the
    pattern's main line, and for an alternation, one run of each alternative."""
    needs: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= shortest:
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
            needs.extend(_required(inner, shortest))
            continue
        flush()
        if name == "BRANCH":
            choices = [_required(list(branch), shortest) for branch in value[1]]
            if all(choices):  # each alternative needs something: one of their needs must appear
                needs.append(frozenset().union(*(_best(choice) for choice in choices)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            needs.extend(_required(list(value[2]), shortest))
        elif name == "ASSERT" and value[0] < 0:  # what a lookbehind sees is in the text ("(?<=MSC)" needs "msc")
            needs.extend(_required(list(value[1]), shortest))
    flush()
    return needs


def _best(needs: list[frozenset[str]]) -> frozenset[str]:
    """The need whose shortest string is longest; of equals, the last (in "intra-nasal", "nasal", not "intra")."""
    return max(reversed(needs), key=lambda need: min(map(len, need)))


class PhraseGate:
    """Whether a text may match one of a table's phrases. A phrase can match only a text holding every string it
    needs ("20% on day 1" needs "%", "on" and "day"); `gate` keeps the most telling one only. The most telling
    strings of all phrases are looked for first, in one pass, and a text holding one is asked for the rest."""

    def __init__(self, phrases: Iterable[str], flags: int = re.IGNORECASE) -> None:
        self._needs = [sorted(_needs(phrase, int(flags), 1), key=lambda need: min(map(len, need)), reverse=True)
                       for phrase in phrases]
        self._always = any(not needs for needs in self._needs)  # a phrase that needs nothing may match any text
        self._first = gate_index(needs[0] if needs else () for needs in self._needs)

    def may_match(self, lowered: str) -> bool:
        if self._always:
            return True
        holds = lowered.__contains__
        asked: set[int] = set()  # each phrase once, however often its strings recur: a text is read in linear time
        for phrase in self._first.opening(lowered):
            if phrase in asked:
                continue
            asked.add(phrase)
            for need in self._needs[phrase][1:]:
                if not any(map(holds, need)):
                    break
            else:
                return True
        return False


def gate(phrase: str) -> frozenset[str]:
    """The most telling requirement of `phrase`: the one whose shortest string is longest. A phrase can match only
    a text holding one of its strings (case folded); an empty gate opens on every text."""
    needs = _needs(phrase, int(re.IGNORECASE), 2)
    return _best(needs) if needs else frozenset(("",))


def _needs(phrase: str, flags: int, shortest: int) -> list[frozenset[str]]:
    """`_required` of a phrase, parsed only when the compiled-pattern store lacks it."""
    return remembered(f"needs{shortest}", phrase, flags,  # type: ignore[return-value]
                      lambda: _required(list(_parser.parse(phrase, flags)), shortest))


