"""The reading's shortcuts read exactly what the plain reading does.

Each shortcut makes the grammar faster without changing what it reads: strings gated in one pass, lookaheads
written in both cases, patterns compiled for ASCII text, digits found by substring tests, one-sentence texts not
split, word lists written as trees, case-blind alternatives opened by a case-sensitive class, phrases gated by every
string they need. If a shortcut read differently, a dose, schedule or cell type in the table would change with no
reason a user could see; each is checked here against the plain form, on generated registry-like text and on the
characters that make Unicode and ASCII matching differ.
"""

import re
import sys

from hypothesis import example, given
from hypothesis import strategies as st

import trialdata.reading.arms  # noqa: F401  (every pattern compiled)
from tests.test_properties import SETTINGS, _plain_sentences, registry_text
from trialdata.grammar import cohorts, patterns, products, quantities, schedules
from trialdata.grammar.patterns import (
    LED,
    WORD_TREES,
    PhraseGate,
    Strings,
    ascii_twin,
    compile_fast,
    gate_index,
    plain_ascii,
    words,
)
from trialdata.grammar.sentences import split_sentences
from trialdata.grammar.text import has_digit

# Characters where the shortcuts could go wrong: those `re` folds to an ASCII letter, the separators \s reads only
# in Unicode mode, digits of other scripts, and sentence ends before each kind of white space.
ODD = ["\u212a", "\u0130", "\u0131", "\u017f", "\x1c", "\x1d", "\x1e", "\x1f", "\x0b", "\x0c", "\u2028", "\xa0",
       "\uff11", "\u0663", "\u00b5", ". ", ".\t", "!\x1f", "?\n", "\u3002"]
odd_text = st.lists(st.one_of(registry_text, st.sampled_from(ODD)), max_size=6).map("".join)


@SETTINGS
@given(st.one_of(registry_text, odd_text), st.lists(st.text(min_size=1, max_size=4), max_size=12))
@example("\u017fingle do\u017fe; weekly x 3", ["single", "x", "", "3"])
def test_strings_found_in_one_pass_are_the_substrings(text, strings):
    lowered = text.lower()
    found = Strings.of(strings)
    assert found.found(lowered) == {s for s in strings if s in lowered}
    assert found.any_in(lowered) == any(s in lowered for s in strings)
    rows = gate_index([strings[:3], strings[3:]])
    assert rows.opened(lowered) == [row for row, needs in enumerate([strings[:3], strings[3:]])
                                    if any(s in lowered for s in needs)]
    assert set(rows.opening(lowered)) == {row for row, needs in enumerate([strings[:3], strings[3:]])
                                          if any(s and s in lowered for s in needs)}


def test_the_letters_re_folds_case_blind_are_listed():
    """Every code point `re` matches to an ASCII letter without regard to case, checked one by one: the
    lookaheads written in both cases and the ASCII twins are exact only while this list is whole."""
    for letter in "abcdefghijklmnopqrstuvwxyz":
        blind = re.compile(f"[{letter}]", re.IGNORECASE)
        matched = {c for c in map(chr, range(sys.maxunicode + 1)) if blind.fullmatch(c)}
        assert matched == {letter, letter.upper(), *patterns._OTHER_CASES.get(letter, "")}, letter
    assert {ord(c) for c in "".join(patterns._OTHER_CASES.values())} == patterns._FOLDS_TO_ASCII


def test_ascii_and_unicode_classes_differ_only_on_the_listed_separators():
    for cls in (r"\s", r"\w", r"\d", r"\b"):
        unicode_, ascii_ = re.compile(cls), re.compile(cls, re.ASCII)
        differ = {c for c in map(chr, range(128)) if bool(unicode_.search(f"a{c}")) != bool(ascii_.search(f"a{c}"))}
        assert differ <= set(patterns._UNICODE_ONLY_SPACES), cls
    assert not plain_ascii("1 x 10^6 cells\x1c/kg") and not plain_ascii("1×10^6") and plain_ascii("1 x 10^6")


def test_a_pattern_that_could_fold_to_ascii_has_no_twin():
    for folding in (re.compile("\u017fingle", re.I), re.compile("[\u0100-\u0180]", re.I), re.compile("(?i:\u212a)")):
        assert ascii_twin(folding) is folding
    for plain in (re.compile("(?-i:\u017f)ingle", re.I), re.compile("\u212a"), re.compile(r"\bdose\s\d", re.I)):
        assert ascii_twin(plain) is not plain and ascii_twin(plain).flags & re.ASCII


TWINNED = [quantities._SCANNER, products._CELLS, products._NO_CELLS]


@SETTINGS
@given(st.one_of(registry_text, odd_text))
@example("Allogeneic MSCs 1 x 10^6 cells/kg, without any cell therapy; cell counts; 2.5\x1cmillion cells")
@example("NK cells 1 x 10^7; no CAR-T cells; 5 lakh BM-MNC; \u212aeratinocytes; \u017ftem cells")
def test_an_ascii_twin_reads_ascii_text_as_its_pattern_does(text):
    assert len(TWINNED) == 3
    for pattern in TWINNED:
        twin = ascii_twin(pattern)
        assert twin is not pattern
        if plain_ascii(text):
            assert [(m.span(), m.groups()) for m in twin.finditer(text)] == \
                [(m.span(), m.groups()) for m in pattern.finditer(text)], pattern.pattern[:60]


@SETTINGS
@given(st.one_of(registry_text, odd_text))
@example("\uff11\u00d7\uff11\uff10^\uff16 cells")
@example("day \u0663")
def test_a_digit_is_found_as_re_finds_one(text):
    assert has_digit(text) == (re.search(r"\d", text) is not None)
    assert schedules.may_state_schedule(text) == (
        re.search(r"\d", text) is not None or any(word in text.lower() for word in schedules._SCHEDULE_WORDS))


@SETTINGS
@given(st.one_of(registry_text, odd_text))
@example("One sentence with 1.5 x 10^6 cells/kg, no end")
@example("Ends here.\x1fNext one")
@example("Ends here!\x0bNext one")
def test_a_text_read_as_one_sentence_is_one(text):
    assert split_sentences(text) == _plain_sentences(text)


# A word list written as a tree is tried in different places: alone, up to a word boundary (which makes `re` go
# back to a shorter word), and between the marks of a whole word with a plural.
_WORD_PLACES = ("(?:{})", r"(?:{})\b", r"(?<![\w-])(?:{})s?(?![\w-])")


def _texts_of(table: tuple[str, ...]) -> list[str]:
    """Each word and its neighbours: other cases, beginnings, a plural, doubled or other white space, and the
    letters `re` folds to ASCII in place of theirs."""
    texts = []
    for word in table:
        texts += [word, word.upper(), word.swapcase(), word + "s", word[:-1], f"a {word}-x", word.replace(" ", "  "),
                  word.replace(" ", "\n"), word.replace("k", "\u212a").replace("s", "\u017f").replace("i", "\u0131")]
    return [*texts, " ".join(table), "; ".join(w.title() for w in table)]


def test_a_word_tree_matches_as_its_flat_list():
    """The grammar's word lists are written as trees of their shared beginnings; on every table, each match (its
    place and its end) is the flat list's, with and without regard to case."""
    assert len(WORD_TREES) > 40  # the grammar's tables are written as trees
    for tree, flat, table in WORD_TREES:
        texts = _texts_of(table)
        for place in _WORD_PLACES:
            for flags in (0, re.IGNORECASE):
                as_tree, as_list = re.compile(place.format(tree), flags), re.compile(place.format(flat), flags)
                for text in texts:
                    assert [m.span() for m in as_tree.finditer(text)] == [m.span() for m in as_list.finditer(text)], \
                        (table[:5], place, flags, text)


@SETTINGS
@given(st.one_of(registry_text, odd_text))
@example("saline only; Saline  only; normal saline; solvent; sham-operated; vehicle controls")
def test_word_trees_read_registry_text_as_flat_lists(text):
    for tree, flat, _ in WORD_TREES:
        for place in _WORD_PLACES[1:]:
            assert [m.span() for m in re.finditer(place.format(tree), text, re.I)] == \
                [m.span() for m in re.finditer(place.format(flat), text, re.I)]


def test_a_table_whose_letters_fold_together_keeps_its_flat_list():
    """"K" and the Kelvin sign, or two letters of other scripts, could both match one character of a text: those
    tables stay flat lists, which `re` tries in order."""
    # as a tree, "AbC" would be tried before the longer "abcd" (in "abcd", without regard to case)
    assert words(["ABcde", "abcd", "AbC", "ab"]) == "(?:ABcde|abcd|AbC|ab)"
    assert words(["Ka", "\u212ab"]) == "(?:Ka|\u212ab)"
    assert words(["\u03b2eta", "\u0392x"]) == "(?:\u03b2eta|\u0392x)"
    assert words(["no cells", "no  cells"]) == r"(?:no\s{1,3}\s{1,3}cells|no\s{1,3}cells)"
    assert words(["tumor", "tumour", "b", "beta"]) == "(?:tumo(?:ur|r)|b(?:eta)?)"


GATED_TABLES = [(cohorts._FRACTION_GATE, cohorts.FRACTION_PHRASES),
                (schedules._OPTIONAL_GATE, schedules.OPTIONAL_PHRASES),
                (schedules._SEVERAL_GATE, schedules.SEVERAL_PHRASES)]
_ASCII = st.characters(codec="ascii")


@SETTINGS
@given(st.data())
def test_a_phrase_gate_opens_on_every_text_its_phrases_match(data):
    """A gate only spares the grammar texts none of its phrases can match: a text a phrase matches (generated from
    the phrase itself, in any case and spacing, with registry text around it) always opens it."""
    for gate, phrases in GATED_TABLES:
        phrase = data.draw(st.sampled_from(phrases))
        text = data.draw(st.from_regex(re.compile(phrase, re.IGNORECASE), alphabet=_ASCII))
        assert gate.may_match(text.lower()), (phrase, text)


class _CountedText(str):
    """A text that counts the substring tests asked of it."""

    asked = 0

    def __contains__(self, string: object) -> bool:
        type(self).asked += 1
        return super().__contains__(string)  # type: ignore[operator]


def test_a_phrase_gate_asks_each_phrase_once_however_often_its_strings_recur():
    """A 100 KB label of "3 injections " took a second when the gate asked a phrase again at each recurrence of its
    first string (one scan of the text each time): each phrase is asked once, so a text is read in linear time."""
    for gate, phrases in GATED_TABLES:
        strings = {string for needs in gate._needs for need in needs for string in need}
        for needs in gate._needs:
            text = _CountedText((next(iter(needs[0])) + " ") * 2_000)
            _CountedText.asked = 0
            gate.may_match(text)
            assert _CountedText.asked <= len(strings), (phrases[:1], _CountedText.asked)


def test_a_phrase_gate_asks_for_every_string_a_phrase_needs():
    gate = PhraseGate([r"\d{1,3}\s{0,2}%\s{0,3}on\s{1,3}day", r"split(?:\s{1,3}doses?)?\s{1,3}over"])
    assert gate.may_match("10% on day 1") and gate.may_match("split doses over 3 days")
    assert not gate.may_match("on day 1, 10 mg")  # "day" and "on" without "%"
    assert not gate.may_match("a split decision")
    assert PhraseGate([r"\d+", "x"]).may_match("anything")  # a phrase needing nothing opens every text


_CASE_BLIND = [(source, flags) for _, source, flags in LED if flags & re.IGNORECASE]


@SETTINGS
@given(st.one_of(registry_text, odd_text))
@example("\u212aeratinocytes; \u017fingle do\u017fe; \u0130SLETS; \u0131nfusion; SHAM; Placebo; soc; SOC")
def test_case_blind_alternations_match_as_re_compiles_them(text):
    """Every case-blind pattern of the grammar, its alternatives opened by a case-sensitive class of their first
    letter's cases, finds what `re.compile` of the same source finds, on text holding the letters that fold."""
    assert len(_CASE_BLIND) > 60
    for source, flags in _CASE_BLIND:
        fast, plain = compile_fast(source, flags), re.compile(source, flags)
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], source[:80]


def test_a_fast_compilation_keeps_the_pattern_its_groups_and_scoped_cases():
    fast = compile_fast(r"\b(?P<word>sham|solvent|(?-i:SOC)|x(?:y|z))s?\b", re.IGNORECASE)
    assert fast.pattern.startswith(r"\b(?P<word>") and fast.groupindex == {"word": 1}
    assert fast.search("the SOLVENTS").group("word") == "SOLVENT"
    assert fast.search("standard of care (SOC)") and not fast.search("soc")
    assert fast.search("\u017fham")  # the long s is an s without regard to case
