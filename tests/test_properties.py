"""Property tests: registry text of any shape never crashes the readers, and what they read is consistent.

Readers may refuse a file with `RecordError` (the one error callers catch); the text-level
functions (`find_doses`, `find_schedules`, `read_paragraph`) must never raise at all.
"""

import math
import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import trialdata.reading.arms  # noqa: F401  (every pattern of the grammar and the reading compiled, so LED lists them)
from trialdata.errors import RecordError
from trialdata.frames import administrations_frame, arms_frame
from trialdata.grammar import phases, products, quantities, routes, schedules, sentences
from trialdata.grammar.doses import find_doses
from trialdata.grammar.patterns import LED
from trialdata.grammar.schedules import find_schedules
from trialdata.load import read_record
from trialdata.readers.clinicalindex import NCT_ID, SECTIONS
from trialdata.reading.paragraph import read_paragraph, split_phase_parts

ROOT = Path(__file__).parents[1]
SETTINGS = settings(max_examples=200, deadline=1000, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
HUGE = "9" * 400  # a digit run too long for a float: registry text is not obliged to be sensible

# --- Registry-like text ---------------------------------------------------------------------------

FRAGMENTS = [
    " ", " ", " ", ", ", ". ", "\n", "(", ")", "-", "–", "~", " to ", " and ", " or ", "between ",
    "×10^", "×10\\^", "x10E", "x10e+", "X 10", "*10^", "·10", "\\^", "^", "E", "e+", "×", "x",
    "⁶", "⁸", "⁻", "¹⁰", "−", "10", "107", "1.0", "2,5", "0", "0.0",
    "cells/kg", "cells", " cells/kg", " cells", "/kg", " per kg", "cells/time", "/time", " MSCs", " million",
    " billion", "thousand", " mL", "/ml", " in 40 mL", "mg", "%", " body weight",
    "once a week", "once a month", "every", " every 3 days", "day", "days", "week", "weeks", "weekly", "daily",
    "for a total of", "a total of", "times", " times", " doses", " infusions", "twice", "single infusion",
    "single dose", "one-time", "apart", "intervals", "interval of", "days 1, 4", "day 0, 7 and 14", "week0, week1",
    "phase I:", "For phase II:", "Phase 1", "phase iv:", "For phase 3:", "low dose", "high-dose", "placebo",
    "intravenously", "via the hepatic artery", "IV", "i.v.", "conventional treatment", "e.g. ", "approx. ",
]
NUMBER = st.one_of(
    st.integers(min_value=0, max_value=99999).map(str),
    st.from_regex(r"\A[0-9]{1,3}[.,][0-9]{1,2}\Z"),
    st.sampled_from(["one", "two", "four", "twelve", HUGE]),
)


def _bounded_digits(text: str) -> str:
    """Cap digit runs at 5 digits (except the deliberate HUGE run): a text saying "a total of
    99999999999 times" is checked on its own below, so that it cannot stall every property here."""
    return re.sub(r"\d{6,}", lambda m: m.group(0) if len(m.group(0)) >= len(HUGE) else m.group(0)[:5], text)


fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), NUMBER), max_size=40).map("".join).map(
    _bounded_digits)
registry_text = st.one_of(st.text(), fragment_text, st.lists(st.one_of(st.text(max_size=5), fragment_text),
                                                             max_size=4).map("".join).map(_bounded_digits))

INFINITE_COUNT = "Administered once a week for a total of " + "1" * 400 + " times."
INFINITE_INTERVAL = "1.0×10\\^6 cells/kg every " + "1" * 400 + " days."
INFINITE_SPAN = "1.0×10\\^6 cells/kg once a day for " + "1" * 400 + " weeks."


@SETTINGS
@given(registry_text)
@example(INFINITE_COUNT)
@example(INFINITE_INTERVAL)
@example(INFINITE_SPAN)
def test_find_doses_never_raises(text):
    mentions = find_doses(text)
    for mention in mentions:
        assert mention.text == text[mention.start:mention.end]
        assert mention.unit in ("cells", "cells/kg")


@SETTINGS
@given(registry_text)
@example(INFINITE_COUNT)
@example(INFINITE_INTERVAL)
@example(INFINITE_SPAN)
def test_find_schedules_never_raises(text):
    schedules = find_schedules(text)
    for schedule in schedules:
        assert schedule.text == text[schedule.start:schedule.end]
    assert [s.start for s in schedules] == sorted(s.start for s in schedules)


@SETTINGS
@given(registry_text)
@example("Between 1 and 2 ×10^6 cells/kg; 1.0 x 10 ^ 6, 2 × 10⁶, 3 *10E+6, 4·10\\^(7), 5 ×107 cells, 1e6, 1.5E+06")
@example("(1-6)*10^7 cells; 2×1,000,000 MSC/kg; 1.106 cells/kg; 2·0×106; 1 X 10 8 cells; 2×10~7; 10(6) cells")
@example("2 million, 3 Thousand, 4 BILLION, 5 mio, 6 lakh; 2M cells/kg; 500.000 cells; 15,000,000 cells; 50000000")
def test_the_scanner_lookahead_changes_no_match(text):
    """The scanner opens with a lookahead for a digit or a bracket, only so that `re` skips other positions fast;
    without it, it must find the same numbers."""
    pattern = quantities._SCANNER
    plain = re.compile(pattern.pattern.removeprefix("(?=[\\d(])"), pattern.flags)
    assert plain.pattern != pattern.pattern
    assert [m.group(0) for m in pattern.finditer(text)] == [m.group(0) for m in plain.finditer(text)]


_PLAIN = [(fast, re.compile(source, flags)) for fast, source, flags in LED]


@SETTINGS
@given(registry_text)
@example("Mesenchymal stem cells (MSCs) 1x10^6/kg; no cells; placebo; low-dose group; Day 0: 10% of total dose")
@example("Fludarabine 30 mg/m2 on Days -5 to -3; 2 x 10^6 anti-CD19 CAR T cells/kg; IL-2 600,000 IU/kg q8h")
def test_every_leading_lookahead_changes_no_match(text):
    """A led pattern opens with a lookahead for the characters its matches can start with, only so that `re`
    rejects other places at once; every one of them must find what its plain form finds, where it finds it."""
    assert len(_PLAIN) > 80  # the grammar's patterns are led, not a handful
    for fast, plain in _PLAIN:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], plain.pattern


def _clues_ungated(text: str) -> list:
    """schedules._clues without its word gates: every pattern tried on every text, in the same order."""
    clues, taken = [], []
    for kind, pattern, _, _ in schedules._GATED:
        for match in pattern.finditer(text):
            clue = schedules._READERS[kind](match)
            if clue is None or any(clue.start < end and start < clue.end for start, end in taken):
                continue
            if len(clues) >= schedules.MAX_CLUES:
                return clues
            taken.append((clue.start, clue.end))
            clues.append(clue)
    return clues


@SETTINGS
@given(registry_text)
@example("Day 1, 4 and 7; One dose Every week; Twice; Thrice; X3 doses; For 4 weeks; A total of Five times; "
         "at an eight-week interval; Nine days apart; two, three, four, six, seven, ten, eleven, twelve doses")
@example("quarterly for 4 doses; fortnightly, 6 times; Q4W x 3; twice a week for 2 weeks; once every 3 months")
@example("in the 1st, 8th and 15th day of treatment; up to 4 infusions; 2 intrathecal autologous MSCs infusions")
def test_the_schedule_word_gates_change_no_clue(text):
    """Each schedule pattern is tried only on sentences holding a word its table says it needs; the gates are
    built from the same tables, and must never hide a clue the pattern would read."""
    assert schedules._clues(text) == _clues_ungated(text)


def _route_ungated(text: str):
    best = None
    for row, pattern in enumerate(routes._PATTERNS):
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), row, match.group(0))
    return (routes.ROUTES[best[1]][0], best[2]) if best else None


ROUTE_TEXT = st.lists(st.one_of(st.sampled_from([
    " ", "intra", "-", "venous", "nasal", "IV", "iv", "i.v.", "i. m.", "s.c.", "into the ", "knee", "fistula",
    "lesion", "wound", "hepatic", "artery", "liver", "portal vein", "peripheral", "vein", "Phase IV", "subarachnoid",
    "lumbar puncture", "topically", "applied to the skin", "spray on", "Intra-Articular", "INTRATHECAL",
]), st.text(max_size=3)), max_size=12).map("".join)


@SETTINGS
@given(st.one_of(registry_text, ROUTE_TEXT))
@example("Intra nasal drops, i. m. and s.c. given; into the knee; in the chronic wound; Phase IV; IV infusion")
def test_the_route_gates_change_no_route(text):
    """Each route is tried only on a text holding a string its phrases need (derived from the table); the gates
    must never hide the route the phrases would find."""
    assert routes.find_route(text) == _route_ungated(text)


@SETTINGS
@given(st.one_of(registry_text, ROUTE_TEXT))
@example("hUC-MSCs; BM-MNCs; ADSC; SVF; CAR-T; NK; CIK; TILs; DCs; DC vaccine; DLI; islets; T-cells; keratinocytes")
@example("without any cell therapy; cell-free; cord blood; bone marrow aspirate; lipoaspirate; fat grafting")
def test_the_cell_word_gate_changes_no_answer(text):
    """A text holding none of the strings the cell-word pattern needs (read from the pattern) is not scanned; the
    pattern itself must agree that it names no cells."""
    gated = not any(needed in text.lower() for needed in products._CELLS_GATE)
    if gated:
        assert products._CELLS.search(text) is None
    assert products.find_cell_words(text) == [m.span() for m in products._CELLS.finditer(text)]


@SETTINGS
@given(registry_text)
@example("a week apart; at an interval of a month; every week; single infusion; once weekly; twice; Q week")
def test_a_sentence_the_schedule_prefilter_skips_has_no_clue(text):
    """find_schedules skips a sentence with no digit and no schedule word; no clue may hide in one."""
    if not schedules.may_state_schedule(text):
        assert _clues_ungated(text) == []


@SETTINGS
@given(registry_text)
@example("One. Two! Three? (Four) 5 cells. \"Six\" “seven” *eight •nine -ten.\n\nEleven.  \t Twelve e.g. Thirteen")
@example("cells).The interval time is 3 months。Then; x.Y a.Bc (q).Ab")
def test_sentence_boundaries_are_the_plain_ones(text):
    """_BOUNDARY opens with white space only so that `re` scans fast; it must find what BOUNDARY_PLAIN finds, and
    a text with a full stop glued to the next sentence is split there too."""
    plain = re.compile(sentences.BOUNDARY_PLAIN)
    assert [m.span() for m in sentences._BOUNDARY.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert sentences.split_sentences(text) == _plain_sentences(text)
    assert sentences.sentence_texts(text) == [sentence.text for sentence in _plain_sentences(text)]


def _plain_sentences(text: str) -> list[sentences.Sentence]:
    """split_sentences written plainly: each piece between boundaries, unless it ends in an abbreviation."""
    pieces, start = [], 0
    boundary_pattern = sentences.BOUNDARY_PLAIN
    if sentences._GLUED.search(text):
        boundary_pattern += "|" + sentences.GLUED_PLAIN
    for boundary in re.finditer(boundary_pattern, text):
        if not text[start:boundary.start()].rstrip().endswith(sentences._ABBREVIATIONS):
            pieces.append((start, text[start:boundary.start()]))
            start = boundary.end()
    pieces.append((start, text[start:]))
    return [sentences.Sentence(piece.strip(), at + piece.index(piece.strip()[0]))
            for at, piece in pieces if piece.strip()]


@SETTINGS
@given(registry_text, registry_text)
@example("MSC 2", "5 million cells")
@example("1x10^6 cells", "1x106 cells/kg")
@example("Cells 1 to", "2 million cells/kg")
def test_a_dose_in_a_description_is_a_dose_after_its_name(name, description):
    """linking reads "name. description" as dosed when the description alone is: no dose form reads across ". "."""
    if find_doses(description):
        assert find_doses(f"{name}. {description}")


@SETTINGS
@given(registry_text)
@example("NCT01234567 xNCT01234567 NCT012345678 (NCT01234567) NCT0123456 _NCT01234567 NCT01234567x ٣NCT01234567")
def test_the_nct_id_pattern_is_the_plain_one(text):
    plain = re.compile(r"\bNCT\d{8}\b")
    assert [m.span() for m in NCT_ID.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("letters", ["pha"])
def test_letters_read_case_blind_have_no_other_case(letters):
    """Sound only while no character that `re` matches to one of these case-insensitively lower-cases to another
    (as ſ does for s): split_phase_parts and find_phase skip a text whose lower case lacks "pha"."""
    pattern = re.compile(f"[{letters}]", re.IGNORECASE)
    odd = [c for c in map(chr, range(sys.maxunicode + 1)) if pattern.fullmatch(c) and c.lower() not in letters]
    assert odd == []


@SETTINGS
@given(registry_text)
@example("For PHASE I: 1×10^6 cells/kg. During Phase ii: weekly. phase-3: once; in the phase 4 study：x")
@example("the Phase IV cohort; a PHASE 2 arm")
def test_the_phase_gate_changes_no_part(text):
    """A text the "pha" gate skips has no marker nor mention; the parts of one it reads start at the markers."""
    markers = list(phases.PHASE_MARKER.finditer(text))
    if not phases.may_name_phase(text):
        assert markers == []
        assert phases.PHASE_MENTION.search(text) is None
    parts = split_phase_parts(text)
    if markers:
        assert [part for _, part in parts][-len(markers):] == [
            text[m.start():n.start() if n else len(text)] for m, n in zip(markers, [*markers[1:], None])]
    else:
        assert parts == [(None, text)]


@SETTINGS
@given(registry_text)
@example(INFINITE_COUNT)
@example(INFINITE_INTERVAL)
@example(INFINITE_SPAN)
def test_read_paragraph_never_raises(text):
    reading = read_paragraph(text, "x")
    for item in reading.readings:
        regimen = item.regimen
        assert regimen.dose is None or (math.isfinite(regimen.dose.value) and regimen.dose.value > 0)
        assert regimen.administrations is None or regimen.administrations >= 0


def _record(paragraphs: list[str], headings: list[str]) -> str:
    return "\n".join(line for pair in zip(headings, paragraphs) for line in pair)


record_text = st.builds(
    _record,
    st.lists(registry_text, max_size=10),
    st.lists(st.sampled_from((*SECTIONS, "", "Title", "NCT01234567")), max_size=10),
)


@SETTINGS
@given(st.one_of(registry_text, record_text))
@example("\n".join(SECTIONS))
@example("At a glance\nTitle\nIn Brief\nArms & Interventions\n" + INFINITE_COUNT + "\nInterventions\n")
@example("At a glance\nTitle\nIn Brief\nArms & Interventions\n" + INFINITE_INTERVAL + "\nInterventions\n")
def test_read_record_raises_only_record_error(text):
    try:
        trials = read_record("x.txt", text.encode("utf-8"))
    except RecordError as error:
        assert str(error)  # a message a user can act on
        return
    assert len(trials) == 1
    arms_frame(trials)  # what was read can be tabled


@SETTINGS
@given(st.binary(max_size=300))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe\x00junk")
def test_read_record_bytes_raise_only_record_error(data):
    try:
        trials = read_record("x.txt", data)
    except RecordError as error:
        assert str(error)
        return
    assert len(trials) == 1


# --- Generated ClinicalIndex records: every arm regimen is consistent -----------------------------

MANTISSAS = ["1", "1.0", "1.5", "2", "2.0", "4", "5", "0.5", "10"]
UNITS = [" cells/kg", " cells", " cells/time", "/kg", " cells per kg", " MSCs/kg", " cells each infusion"]
ROUTES = ["", "Administered intravenously. ", "Infused via the hepatic artery. ", "Given IV, "]
PHASES = ["", "For phase I: ", "For phase II: ", "Phase 1: "]
COUNTS = st.one_of(st.integers(min_value=1, max_value=12).map(str),
                   st.sampled_from(["one", "two", "three", "four", "six", "twelve"]))


@st.composite
def dose_phrases(draw) -> str:
    mantissa = draw(st.sampled_from(MANTISSAS))
    exponent = draw(st.integers(min_value=4, max_value=9))
    unit = draw(st.sampled_from(UNITS))
    form = draw(st.sampled_from(["{m}×10\\^{e}", "{m}×10^{e}", "{m}x10E{e}", "{m} x 10^{e}", "{m}×10{sup}",
                                 "{m}-{m2}×10^{e}", "{m} to {m2} x10^{e}", "{m} million"]))
    sup = str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    m2 = str(float(mantissa) * 2)
    return form.format(m=mantissa, m2=m2, e=exponent, sup=sup) + unit


@st.composite
def schedule_phrases(draw) -> str:
    n = draw(COUNTS)
    k = draw(st.integers(min_value=1, max_value=30))
    days = sorted(draw(st.lists(st.integers(min_value=0, max_value=90), min_size=2, max_size=5, unique=True)))
    listed = ", ".join(map(str, days[:-1])) + f" and {days[-1]}"
    return draw(st.sampled_from([
        f"once a week for a total of {n} times",
        f"once a week for a total of {n} administrations",
        f"every {k} days, {n} times",
        f"once a month, {n} times",
        f"weekly for {n} doses",
        f"{n} doses, one week apart",
        f"on days {listed}",
        f"at week{days[0]}, week{days[1]} and week{days[-1]}",
        "single infusion",
        "as a single dose",
        "twice",
        "",
    ]))


@st.composite
def cell_paragraphs(draw) -> str:
    route = draw(st.sampled_from(ROUTES))
    parts = []
    for phase in draw(st.lists(st.sampled_from(PHASES), min_size=1, max_size=2, unique=True)):
        parts.append(f"{phase}{draw(dose_phrases())} {draw(schedule_phrases())}.")
    lead = draw(st.sampled_from(["", "Patients in low dose group receive CG-BM1 + conventional treatment. ",
                                 "Patients receive umbilical cord MSCs. ", "The high-dose group receives "]))
    return f"{lead}{route}{' '.join(parts)}"


control_paragraphs = st.builds(
    lambda schedule, words: f"{words} {schedule}.".strip(),
    schedule_phrases(),
    st.sampled_from(["The control group received placebo + conventional treatment.",
                     "Standard medical treatment alone.", "Solvent of CG-BM1, administered intravenously,"]),
)
arm_paragraphs = st.lists(st.one_of(cell_paragraphs(), control_paragraphs), min_size=1, max_size=5)


def clinicalindex_record(arms: list[str], interventions: list[str], brief_phase: str) -> str:
    return textwrap.dedent("""\
        At a glance
        ClinicalIndex Comparison RecordStandardized by ClinicalIndex from the ClinicalTrials.gov record · verify.
        A Generated Trial of Mesenchymal Stem Cells
        In Brief
        A {phase} clinical trial evaluating MSC (low dose), Placebo, and 2 other interventions for Liver Failure. \
Completed, enrolled 90 participants across 1 site.
        Detailed Summary
        Generated for a property test.
        Study Details
        Timeline
        Arms & Interventions
        {arms}
        Interventions
        {interventions}
        """).format(phase=brief_phase, arms="\n".join(arms), interventions="\n".join(interventions))


def check_regimen_rows(frame: pd.DataFrame) -> None:
    for row in frame.itertuples():
        dose, count = row.dose_per_administration, row.administrations
        days = list(row.administration_days)
        if pd.notna(dose) and pd.notna(count):
            assert row.cumulative_dose == pytest.approx(dose * count), row
            assert row.cumulative_cells_per_kg == pytest.approx(row.dose_cells_per_kg * count), row
        else:
            assert pd.isna(row.cumulative_dose), row
            assert pd.isna(row.cumulative_cells_per_kg), row
        if pd.notna(dose):
            assert dose > 0 and math.isfinite(dose)
        if pd.notna(count) and pd.notna(dose):
            assert count >= 1
        if days:
            assert days == sorted(days), row
            assert days[0] == 0, row
            if pd.notna(count):
                assert len(days) == count, row
        if pd.notna(row.interval_days):
            assert row.interval_days > 0


@SETTINGS
@given(arm_paragraphs, st.lists(st.one_of(cell_paragraphs(), control_paragraphs), max_size=5),
       st.sampled_from(["Phase 1", "Phase 2", "Phase 1/Phase 2", "Early Phase 1", "N/A"]))
def test_generated_records_give_consistent_regimens(arms, interventions, brief_phase):
    text = clinicalindex_record(arms, interventions, brief_phase)
    trials = read_record("generated.txt", text.encode("utf-8"))
    assert len(trials) == 1
    assert len(trials[0].arms) == len(arms), "every arm paragraph is shown as an arm"
    frame = arms_frame(trials)
    assert set(frame["arm"]) == {arm.label for arm in trials[0].arms}
    check_regimen_rows(frame)
    assert len(administrations_frame(frame)) == sum(len(days) for days in frame["administration_days"])
    for weight in (1.0, 60.0, 500.0):
        check_regimen_rows(arms_frame(trials, weight_kg=weight))


@SETTINGS
@given(st.sampled_from(MANTISSAS), st.integers(min_value=4, max_value=9), st.integers(min_value=2, max_value=12),
       st.sampled_from(ROUTES))
def test_a_stated_weekly_regimen_is_read_back(mantissa, exponent, count, route):
    paragraph = f"{route}Patients receive {mantissa}×10\\^{exponent} cells/kg once a week for a total of {count} times."
    trials = read_record("generated.txt", clinicalindex_record([paragraph], [paragraph], "Phase 2").encode("utf-8"))
    frame = arms_frame(trials)
    assert len(frame) == 1
    (row,) = frame.itertuples()
    dose = float(mantissa) * 10**exponent
    assert row.dose_per_administration == pytest.approx(dose)
    assert row.dose_unit == "cells/kg"
    assert row.administrations == count
    assert row.interval_days == 7
    assert list(row.administration_days) == [7.0 * i for i in range(count)]
    assert row.cumulative_dose == pytest.approx(dose * count)


# --- Schedule phrases -----------------------------------------------------------------------------


def check_schedule(schedule) -> None:
    days = list(schedule.days)
    if days:
        assert days == sorted(days), schedule
        assert days[0] == 0, schedule
        assert len(days) == schedule.administrations, schedule
    if schedule.administrations is not None:
        assert schedule.administrations >= 1, schedule


@SETTINGS
@given(st.one_of(schedule_phrases(), fragment_text))
@example("on days " + HUGE + ", " + HUGE)
def test_every_schedule_mention_is_consistent(text):
    for schedule in find_schedules(text):
        check_schedule(schedule)


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


@SETTINGS
@given(st.integers(min_value=1, max_value=365), st.integers(min_value=1, max_value=60),
       st.sampled_from(["every {k} days, {n} times", "every {k} days, {n} doses",
                        "every {k} days for a total of {n} times",
                        "Administered intravenously every {k} days, {n} infusions."]),
       st.booleans())
def test_every_k_days_n_times(k, n, template, words):
    spelled = {v: w for w, v in NUMBER_WORDS.items()}
    count = spelled[n] if words and n in spelled else str(n)
    text = template.format(k=k, n=count)
    schedules = find_schedules(text)
    assert len(schedules) == 1, (text, schedules)
    (schedule,) = schedules
    check_schedule(schedule)
    assert schedule.administrations == n
    if n == 1:
        assert schedule.days == (0.0,)
    else:
        assert schedule.interval_days == k
        assert schedule.days == tuple(float(k * i) for i in range(n))


@SETTINGS
@given(st.integers(min_value=1, max_value=60), st.sampled_from(["times", "doses", "administrations", "infusions"]),
       st.booleans())
def test_once_a_week_for_a_total_of_n(n, noun, words):
    spelled = {v: w for w, v in NUMBER_WORDS.items()}
    count = spelled[n] if words and n in spelled else str(n)
    (schedule,) = find_schedules(f"once a week for a total of {count} {noun}")
    check_schedule(schedule)
    assert schedule.administrations == n
    assert schedule.days == tuple(7.0 * i for i in range(n))


@SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=8, unique=True),
       st.sampled_from(["day", "days", "Day"]), st.sampled_from([" and ", " & ", ", and "]))
def test_on_days_list(days, word, last_join):
    text = f"on {word} " + ", ".join(map(str, days[:-1])) + last_join + str(days[-1])
    (schedule,) = find_schedules(text)
    check_schedule(schedule)
    first = min(days)
    assert schedule.days == tuple(float(d - first) for d in sorted(days))
    assert schedule.administrations == len(days)


# --- A count no registry means must not exhaust memory -------------------------------------------


def _limit_memory() -> None:
    two_gb = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (two_gb, two_gb))


@pytest.mark.parametrize("phrase", [
    "1.0×10^6 cells/kg once a day for a total of 1000000000 times.",
    "1.0×10^6 cells/kg every 1 day, 99999999999 times.",
])
def test_a_huge_count_is_read_without_exhausting_memory(phrase):
    """One record saying "1000000000 times" (a typo, or a dilution) must not stall or kill the reader."""
    code = ("import sys; from trialdata.reading.paragraph import read_paragraph; "
            "r = read_paragraph(sys.argv[1], 'x'); print(len(r.readings))")
    result = subprocess.run([sys.executable, "-c", code, phrase], cwd=ROOT, capture_output=True, timeout=120,
                            preexec_fn=_limit_memory)
    assert result.returncode == 0, result.stderr.decode()[-500:]
