"""Fuzz tests: registry text, whole records, JSON documents and raw bytes of any shape.

The text-level functions (`find_doses`, `find_schedules`, `read_paragraph`) and the loader's
`read_file` must never raise, whatever they are given; what they return must keep the
guarantees their code states, and no input may take more than a second (the deadline).

Only guarantees the code makes are asserted. In particular `find_doses` may return a mention
whose value is 0 or infinite ("0 million cells", a 400-digit mantissa): it only drops NaN.
It is `extract` that rejects such doses (with an "impossible-dose" flag), so finiteness and
positivity are asserted on regimens, not on raw mentions.

Some inputs make the grammar's regular expressions backtrack for minutes (see the reproductions
at the end), and a running regular expression cannot be interrupted. So every fuzzed call runs
in a child process (`call`), which is killed when it overruns `HARD_LIMIT`: the test then fails
instead of hanging the suite.
"""

from __future__ import annotations

import atexit
import copy
import io
import json
import math
import multiprocessing
import random
import time
import traceback
import zipfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialdata.grammar.doses import find_doses
from trialdata.grammar.schedules import find_schedules
from trialdata.load import read_file
from trialdata.models import DOSE_UNITS, Regimen, Trial
from trialdata.readers.clinicalindex import SECTIONS
from trialdata.reading.paragraph import read_paragraph

ROOT = Path(__file__).parents[1]
FUZZ = settings(
    max_examples=300,
    deadline=1000,  # milliseconds: no input takes more than a second
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
LONG = 20_000  # the longest fuzzed text, in characters
HARD_LIMIT = 2.0  # seconds after which a call is stopped (the tests assert 1 s)


# --- Calls that can be stopped --------------------------------------------------------------------


def _serve(connection) -> None:
    connection.send(("ready", None, ""))
    while True:
        function, args = connection.recv()
        started = time.perf_counter()
        try:
            value = function(*args)
        except BaseException as error:  # sent back to the test, which raises it
            details = traceback.format_exc()
            try:
                connection.send(("error", error, details))
            except Exception:  # an exception that cannot be pickled
                connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}"), details))
            continue
        connection.send(("ok", (value, time.perf_counter() - started), ""))


class _Worker:
    """A child process that runs library calls and is killed (and replaced) when one overruns."""

    def __init__(self) -> None:
        self._process = None
        self._connection = None

    def start(self) -> None:
        """A ready worker, started outside any timed call: starting one (imports and all) takes seconds."""
        if self._process is not None and self._process.is_alive():
            return
        # "spawn", not "fork": a forked child can inherit a lock held by another thread of the test
        # session (the browser tests run a server and a driver) and hang before it ever answers.
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        if not self._connection.poll(120) or self._connection.recv()[0] != "ready":
            raise RuntimeError("the fuzz worker process did not start within 2 minutes")

    def run(self, function: Callable, args: tuple, limit: float) -> tuple[object, float]:
        self.start()
        self._connection.send((function, args))
        if not self._connection.poll(limit):
            self.close()
            raise TimeoutError(f"{function.__name__} did not return within {limit:g} s")
        status, payload, details = self._connection.recv()
        if status == "error":
            payload.add_note(f"raised in the worker process:\n{details}")
            raise payload
        return payload

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process = None


_WORKER = _Worker()
atexit.register(_WORKER.close)


@pytest.fixture(autouse=True)
def _worker_ready() -> None:
    """Each test starts with a live worker, so no Hypothesis example is timed while one starts."""
    _WORKER.start()


def call(function: Callable, *args):
    """`function(*args)` run in the worker process, failing the test when it takes a second or more.

    The time is measured in the worker, and a call still running after `HARD_LIMIT` is stopped and
    fails the same way, so that Hypothesis sees one kind of failure and the message shows the input.
    """
    try:
        value, elapsed = _WORKER.run(function, args, HARD_LIMIT)
    except TimeoutError:
        value, elapsed = None, math.inf
    took = f"did not return within {HARD_LIMIT:g} s" if math.isinf(elapsed) else f"took {elapsed:.2f} s"
    assert elapsed < 1.0, f"{function.__name__} {took} on {_show(max(args, key=len))}"
    return value


def _show(value) -> str:
    shown = repr(value)
    return f"{len(value):,} characters: {shown[:300]}{'...' if len(shown) > 300 else ''}"


def timed(function: Callable, *args, limit: float = HARD_LIMIT):
    """(`function(*args)`, seconds it took in the worker process)."""
    return _WORKER.run(function, args, limit)


# --- Registry-like text ---------------------------------------------------------------------------

FRAGMENTS = [
    # numbers and powers of ten, whole and broken
    "1", "1.0", "2,5", "0", "0.5", "10", "107", "108", "1.0×10^6", "2×10\\^7", "1x10E6", "1.5x10e+08",
    "5 x 10^8", "10^(6)", "1e6", "1.5E+06", "10⁶", "1×10⁸", "2x108", "-6", "×10^", "x10E", "10\\^", "X 10",
    "*10^", "·10", "^", "E", "e+", "×", "x", "⁰", "¹", "⁶", "⁸", "⁺", "⁻", "−",
    # units, volumes and concentrations
    "cells/kg", " cells/kg", "cells", " cells", " MSCs", " viable CD34+ cells", "/kg", " per kg", " per kilogram",
    " per kilogram of body weight", " kg-1", "/40ml", " in 40 mL", "/ml", " mL", " mg", "%", " million",
    " billion", " thousand", "cells/time", " per infusion", " each time",
    # ranges and lists
    "1-2", "1 – 2", " to ", "between 1 and 2", "1, 2 or 3 million", "25, 100 or 200 million cells", "1,000,000",
    "100,000,000 cells", "50000000 cells",
    # schedules
    "once a week", "once a month", "every 3 days", "every other week", "q4w", "for a total of",
    "a total of 4 times", " times", " doses", " infusions", "twice", "thrice", "weekly", "daily", "biweekly",
    "single infusion", "single dose", "one-time", "only once", "2 weeks apart", "at 4-week intervals",
    "interval of 3 days", "for 4 weeks", "days 1, 4 and 7", "day 0, 7 and 14", "week0, week1",
    "week 0, week 4 & week 8", "x4", "×2",
    # phases, routes and prose
    "For phase I:", "For phase II:", "phase 1:", "In the phase 2 part:", "low dose", "high-dose", "placebo",
    "intravenously", "via the hepatic artery", "i.v.", "e.g.", "approx.", "(", ")", "[", "]", "\\",
]
SEPARATORS = ["", " ", "  ", ", ", ". ", "; ", "\n", "\r\n", "\t", "\u00a0", " and ", " or "]

numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.from_regex(r"\A[0-9]{1,3}[.,][0-9]{1,3}\Z"),
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(str),
)
digit_runs = st.text(alphabet="0123456789", min_size=1, max_size=400)
superscripts = st.text(alphabet="⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", min_size=1, max_size=4)
white_runs = st.builds(str.__mul__, st.sampled_from([" ", "\t", "\n", "\u00a0"]),  # longer runs: see SLOW_INPUTS
                       st.integers(min_value=1, max_value=300))
piece = st.one_of(
    white_runs,
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS),
    st.sampled_from(SEPARATORS),
    numbers,
    digit_runs,
    superscripts,
    st.text(max_size=8),  # any unicode
)
short_text = st.lists(piece, max_size=60).map(lambda parts: "".join(parts)[:LONG])
long_text = st.builds(
    lambda parts, times: ("".join(parts) * times)[:LONG],
    st.lists(piece, min_size=1, max_size=10),
    st.one_of(st.integers(min_value=1, max_value=50), st.integers(min_value=500, max_value=5000)),
)
number_lists = st.builds(  # "1, 2 or 3 million", "days 1, 4 and 7", "1,000,000": lists of any length
    lambda head, items, join, tail: head + join.join(items) + tail,
    st.sampled_from(["", "days ", "day ", "between ", "week"]),
    st.lists(st.one_of(st.integers(min_value=0, max_value=999).map(str),
                       st.from_regex(r"\A[0-9]{1,3}[.,][0-9]{1,3}\Z")), min_size=1, max_size=80),
    st.sampled_from([",", ", ", " , ", "; ", " and ", ", and ", " or "]),
    st.sampled_from(["", " million cells", "×10^6 cells/kg", " or 4 million", " and 7", " cells/kg once a week"]),
)
registry_text = st.one_of(short_text, long_text, number_lists, st.text())


@FUZZ
@given(registry_text)
def test_dose_grammar_never_raises_and_quotes_its_source(text):
    mentions = call(find_doses, text)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions), "in reading order"
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start : m.end] == m.text, m
        assert m.unit in DOSE_UNITS, m  # per kg, flat, per m² or cm², islet equivalents
        assert m.value >= 0, m  # never NaN, never negative (0 and inf are possible: see the module docstring)
        assert (m.low is None) == (m.high is None), m
        if m.is_range:
            assert m.low <= m.high, m
        assert m.volume_ml is None or m.volume_ml >= 0, m


@FUZZ
@given(registry_text)
def test_schedule_grammar_never_raises_and_gives_consistent_days(text):
    schedules = call(find_schedules, text)
    assert [s.start for s in schedules] == sorted(s.start for s in schedules), "in reading order"
    for s in schedules:
        assert 0 <= s.start < s.end <= len(text), s
        assert text[s.start : s.end] == s.text, s
        assert s.administrations is None or s.administrations >= 1, s
        assert s.interval_days is None or (math.isfinite(s.interval_days) and s.interval_days > 0), s
        if s.days:
            days = list(s.days)
            assert all(math.isfinite(d) for d in days), s
            assert days == sorted(days), s
            assert days[0] == 0, s
            assert len(days) == s.administrations, s
            if s.interval_days is not None:
                gaps = [b - a for a, b in pairwise(days)]
                assert gaps == pytest.approx([s.interval_days] * len(gaps)), s


@FUZZ
@given(registry_text)
def test_read_paragraph_never_raises_and_keeps_only_possible_regimens(text):
    reading = call(read_paragraph, text, "x")
    for item in reading.readings:
        check_regimen(item.regimen)
    for flag in reading.flags:
        assert flag.code and flag.message


def check_regimen(regimen: Regimen) -> None:
    """What every regimen that reaches a user must satisfy."""
    Regimen.model_validate(regimen.model_dump())  # model_copy(update=...) skips validation: validate again
    dose, count, days = regimen.dose, regimen.administrations, list(regimen.administration_days)
    if dose is not None:
        assert math.isfinite(dose.value) and dose.value > 0, regimen
        if dose.is_range:
            assert 0 < dose.low <= dose.value <= dose.high, regimen
        assert count is None or count >= 1, regimen
    if dose is not None and count is not None:
        assert regimen.cumulative_dose == dose.value * count, regimen
    else:
        assert regimen.cumulative_dose is None, regimen
    if days:
        assert days == sorted(days) and days[0] == 0, regimen
        if count is not None:
            assert len(days) == count, regimen
    assert regimen.interval_days is None or regimen.interval_days > 0, regimen


def check_trial(trial: Trial, name: str) -> None:
    Trial.model_validate(trial.model_dump())
    assert trial.trial_id
    assert trial.record_files == (name,)
    for arm in trial.arms:
        assert arm.label
        for regimen in arm.regimens:
            check_regimen(regimen)


def check_problems(result, name: str) -> None:
    for problem in result.problems:
        assert problem.path == name or problem.path.startswith(f"{name}/"), problem
        assert problem.message.strip(), problem


# --- Whole ClinicalIndex text records -------------------------------------------------------------

SEED_LINES = sorted({
    line.strip()
    for path in (ROOT / "seeds").glob("*.txt")
    for line in path.read_text(encoding="utf-8-sig").splitlines()
    if line.strip() and line.strip() not in SECTIONS
})
UNITS = [" cells/kg", " cells", "/kg", " cells per kilogram", " MSCs/kg", " cells/40ml", " cells each infusion", ""]
SCHEDULES = [
    "once a week for a total of {n} times", "every {k} days, {n} times", "weekly for {n} doses", "twice",
    "{n} doses, one week apart", "on days 1, 4 and 7", "at week0, week1 and week{k}", "single infusion",
    "once a month", "for a total of {n} administrations", "", "every {k} days for {n} weeks",
]


@st.composite
def regimen_sentences(draw) -> str:
    m = draw(st.sampled_from(["1", "1.0", "2.5", "4", "0.5", "10", "100", "0"]))
    e = draw(st.integers(min_value=0, max_value=12))
    sup = str(e).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    dose = draw(st.sampled_from([
        "{m}×10^{e}", "{m}×10\\^{e}", "{m}x10E{e}", "{m} x 10{sup}", "{m} million", "{m}-{m}0 million",
        "{m}, {m}0 or {m}00 million", "between {m} and {m}0×10^{e}", "{m}×10{e}",
    ])).format(m=m, e=e, sup=sup)
    schedule = draw(st.sampled_from(SCHEDULES)).format(
        n=draw(st.integers(min_value=0, max_value=400)), k=draw(st.integers(min_value=0, max_value=60)))
    phase = draw(st.sampled_from(["", "For phase I: ", "For phase II: ", "Phase 1: "]))
    route = draw(st.sampled_from(["", "Administered intravenously. ", "Via the hepatic artery, "]))
    return f"{route}{phase}{dose}{draw(st.sampled_from(UNITS))} {schedule}."


paragraphs = st.one_of(
    st.lists(regimen_sentences(), min_size=1, max_size=3).map(" ".join),
    st.sampled_from(SEED_LINES),
    short_text,
    st.sampled_from(SECTIONS),  # a heading inside a section
)
briefs = st.one_of(
    st.builds(
        "A {} clinical trial evaluating {} for {}. {}, enrolled {} participants across {} sites.".format,
        st.sampled_from(["Phase 1", "Phase 1/Phase 2", "Early Phase 1", "N/A", "Phase 9"]),
        st.sampled_from(["MSC (low dose), Placebo, and 2 other interventions", "A and B", "X", ""]),
        st.sampled_from(["Liver Failure", "A, B and 3 other conditions", ""]),
        st.sampled_from(["Completed", "Recruiting", ""]),
        st.one_of(st.integers(min_value=0, max_value=10**30).map(str), st.sampled_from(["1,000", ",", "0"])),
        st.one_of(st.integers(min_value=0, max_value=10**30).map(str), st.just("")),
    ),
    paragraphs,
)


@st.composite
def clinicalindex_records(draw) -> bytes:
    content = {
        "At a glance": st.lists(st.one_of(st.just("ClinicalIndex Comparison RecordStandardized by ClinicalIndex"),
                                          st.sampled_from(SEED_LINES), short_text), max_size=3),
        "In Brief": st.lists(briefs, max_size=2),
        "Detailed Summary": st.lists(paragraphs, max_size=2),
        "Study Details": st.lists(short_text, max_size=2),
        "Timeline": st.lists(short_text, max_size=2),
        "Arms & Interventions": st.lists(paragraphs, max_size=5),
        "Interventions": st.lists(paragraphs, max_size=5),
    }
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["NCT06740149", "NCT0000000", "nct12345678", ""])))
    for heading in SECTIONS:
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            continue  # a missing section
        pad = draw(st.sampled_from(["", " ", "\t"]))
        lines.append(f"{pad}{heading}{pad}")
        lines.extend(draw(content[heading]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode("utf-8")


@FUZZ
@given(clinicalindex_records())
def test_text_reader_never_raises_on_generated_records(data):
    result = call(read_file, "x.txt", data)
    assert len(result.trials) + len(result.problems) == 1, result
    check_problems(result, "x.txt")
    for trial in result.trials:
        check_trial(trial, "x.txt")


# --- ClinicalTrials.gov JSON ----------------------------------------------------------------------

SEED_STUDIES = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "seeds").glob("*.json"))]
DEEP = "\x00deep\x00"  # replaced, after json.dumps, by nesting too deep for json.dumps itself
huge_strings = st.builds(lambda s, n: (s * n)[:LONG], st.text(min_size=1, max_size=12),
                         st.integers(min_value=100, max_value=5000))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), huge_strings, paragraphs,
    st.just(DEEP),
    st.sampled_from(["", "EXPERIMENTAL", "PLACEBO_COMPARATOR", "experimental", "PHASE1", "EARLY_PHASE1", "NA",
                     "Biological: MSC", "Drug: Placebo", "MSC", "COMPLETED", "ACTIVE_NOT_RECRUITING", "NCT01342250"]),
)
KEYS = ["protocolSection", "studies", "armGroups", "interventions", "label", "name", "description", "count"]
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(KEYS)), inner, max_size=4),
    ),
    max_leaves=12,
)


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Usually the registry's shape, sometimes anything at all."""
    return st.one_of(valid, valid, junk)


def module(**fields: st.SearchStrategy) -> st.SearchStrategy:
    return maybe(st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in fields.items()}))


text_field = st.one_of(st.text(max_size=40), paragraphs, st.sampled_from(["", "  ", "MSC", "Placebo"]))
labels = st.sampled_from(["Low dose", "High dose", "Control", "MSC", "low  DOSE", "", "Arm 1"])
intervention_names = st.sampled_from(["Biological: MSC", "Drug: Placebo", "MSC", "Other: X", ": MSC", "Biological:"])
arm_group = module(
    label=st.one_of(labels, text_field),
    type=st.sampled_from(["EXPERIMENTAL", "PLACEBO_COMPARATOR", "NO_INTERVENTION", "weird", ""]),
    description=text_field,
    interventionNames=st.lists(maybe(intervention_names), max_size=3),
)
intervention = module(
    type=st.sampled_from(["BIOLOGICAL", "DRUG", "OTHER", ""]),
    name=st.one_of(st.sampled_from(["MSC", "Placebo", "MSC", "X"]), text_field),
    description=text_field,
    armGroupLabels=st.lists(maybe(labels), max_size=3),
    otherNames=st.lists(maybe(text_field), max_size=2),
)
generated_study = module(protocolSection=module(
    identificationModule=module(nctId=st.sampled_from(["NCT01342250", "NCT00000001", "", "x"]),
                                briefTitle=text_field, officialTitle=text_field),
    statusModule=module(overallStatus=st.sampled_from(["COMPLETED", "ACTIVE_NOT_RECRUITING", "", "_"]),
                        startDateStruct=module(date=st.sampled_from(["2010-10", "", "never"]))),
    descriptionModule=module(briefSummary=text_field),
    conditionsModule=module(conditions=st.lists(maybe(text_field), max_size=3)),
    designModule=module(phases=st.lists(maybe(st.sampled_from(["PHASE1", "PHASE2", "EARLY_PHASE1", "NA"])),
                                        max_size=3),
                        enrollmentInfo=module(count=st.one_of(st.integers(), st.booleans(), st.floats()))),
    armsInterventionsModule=module(armGroups=st.lists(arm_group, max_size=4),
                                   interventions=st.lists(intervention, max_size=4)),
    contactsLocationsModule=module(locations=st.lists(junk, max_size=3)),
    sponsorCollaboratorsModule=module(leadSponsor=module(name=text_field)),
))


def _paths(node, prefix=()):
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, (*prefix, key))


@st.composite
def mutated_seeds(draw):
    """A real study from seeds/ with a few values replaced by junk or removed."""
    study = copy.deepcopy(draw(st.sampled_from(SEED_STUDIES)))
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        path = draw(st.sampled_from(list(_paths(study))))
        if not path:
            continue
        parent = study
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(junk)
        else:
            del parent[path[-1]]
    return study


studies = st.one_of(generated_study, mutated_seeds(), st.sampled_from(SEED_STUDIES), junk)


@st.composite
def json_documents(draw) -> tuple[bytes, int | None, bool]:
    """(bytes, how many entries the container holds when that is certain, whether raw JSON was spliced in)."""
    kind = draw(st.sampled_from(["study", "page", "array"]))
    entries = draw(st.lists(studies, max_size=4))
    if kind == "study":
        document = draw(studies)
        expected = 1 if isinstance(document, dict) and "protocolSection" in document else None
    elif kind == "page":
        document = {"studies": entries, **draw(st.dictionaries(st.sampled_from(["nextPageToken", "totalCount"]),
                                                                junk, max_size=2))}
        expected = len(entries)
    else:
        document, expected = entries, len(entries)
    text = json.dumps(document, indent=draw(st.sampled_from([None, 2])))
    deep, spliced = json.dumps(DEEP), False
    while deep in text:
        depth = draw(st.integers(min_value=1, max_value=100_000))
        nested = draw(st.sampled_from(["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth,
                                       "1" * min(depth, 6000), "-0.5e999", "NaN"]))
        text, spliced = text.replace(deep, nested, 1), True
    return text.encode("utf-8"), expected, spliced


@FUZZ
@given(json_documents())
def test_json_reader_never_raises_and_names_the_file(document):
    data, expected, spliced = document
    result = call(read_file, "x.json", data)
    check_problems(result, "x.json")
    if expected is not None:  # each entry is a trial or a problem, unless spliced JSON spoils the whole document
        whole_document_refused = not result.trials and len(result.problems) == 1
        assert len(result.trials) + len(result.problems) == expected or (spliced and whole_document_refused), result
    for trial in result.trials:
        check_trial(trial, "x.json")


# --- Arbitrary bytes and zip archives -------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"


@st.composite
def zip_archives(draw) -> bytes:
    buffer = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        members = ["a.txt", "b.json", "dir/c.JSON", "d.csv", "../e.txt", "dir/"]
        for member in draw(st.lists(st.sampled_from(members), max_size=4, unique=True)):
            payload = draw(st.one_of(
                st.binary(max_size=300),
                st.sampled_from([p.read_bytes() for p in sorted((ROOT / "seeds").iterdir())]),
                clinicalindex_records(),
            ))
            archive.writestr(member, payload)
    data = buffer.getvalue()
    if draw(st.booleans()) and len(data) > 4:  # corrupt one byte past the magic
        at = draw(st.integers(min_value=4, max_value=len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(min_value=0, max_value=255))]) + data[at + 1 :]
    return data


raw_bytes = st.one_of(
    st.binary(max_size=2000),
    st.builds(bytes.__add__, st.sampled_from([b"{", b"[", b"\xef\xbb\xbf", b"\xef\xbb\xbf{", b" \n["]),
              st.binary(max_size=500)),
    st.builds(bytes.__add__, st.just(ZIP_MAGIC), st.binary(max_size=2000)),
    zip_archives(),
)


@FUZZ
@given(st.sampled_from(["x.txt", "x.json", "x.zip", "x"]), raw_bytes)
def test_read_file_never_raises_on_arbitrary_bytes(name, data):
    result = call(read_file, name, data)
    check_problems(result, name)
    for trial in result.trials:
        assert trial.record_files and trial.record_files[0].startswith(name)
        Trial.model_validate(trial.model_dump())


# --- Timing guard ---------------------------------------------------------------------------------

TRICKY = [
    "1.0×10^6 cells/kg", "2x10E7 cells per kilogram", "10\\^", "x10E", "×10^", "10⁶", "1×10⁶ cells", "3 x 10^8/40ml",
    "1-2", "1–2×10^6 cells/kg", "between 1 and 2 million cells", "1, 2 or 3 million cells", "once a week",
    "every 3 days", "for a total of 4 times", "days 1, 4 and 7", "week0, week1", "For phase I:", "For phase II:",
    "12345678901234567890", "1,2,3,4,5,6", "cells/kg", "per kilogram", "(", ")", "single infusion", "twice", "i.v.",
    "e.g.", "⁻", ".", "2x108/20ml", "100,000,000 cells", "\u00a0", "CD34+ 細胞",
]


def test_an_adversarial_200_kb_paragraph_reads_in_under_a_second():
    rng = random.Random(0)
    words: list[str] = []
    while sum(map(len, words)) + len(words) < 200_000:
        words.append(rng.choice(TRICKY))
    paragraph = " ".join(words)[:200_000]
    assert len(paragraph) == 200_000
    reading, elapsed = timed(read_paragraph, paragraph, "x", limit=30)
    assert reading.readings
    assert elapsed < 1.0, f"read_paragraph took {elapsed:.2f} s on a 200 kB paragraph"


# --- Inputs the fuzzers found, kept as plain reproductions ----------------------------------------

SLOW_INPUTS = {
    # `_CANDIDATE`'s "listed" branch: a comma is a decimal comma or a list comma, so every split is tried.
    "dose-comma-digits": (find_doses, "1," * 32 + "1"),
    # `\s*,?\s*` in the "listed" branch: quadratic in a run of white space after a number.
    "dose-white-space-run": (find_doses, "1" + " " * 19_999),
    # the "listed" branch restarts at each number of a long comma list: quadratic.
    "dose-long-list": (find_doses, "day " + ", ".join(["1"] * 6600)),
    # after a 4-digit number `CELL_NOUN`'s `[\w+-]*` runs to the end of the text, at every number: quadratic.
    "dose-hyphenated-numbers": (find_doses, "1000-" * 4000),
    # find_schedules compares every count clue with every anchor (and every clue with every taken span).
    "schedule-many-clues": (find_schedules, "daily x2 " * 2200),
}


@pytest.mark.parametrize("name", list(SLOW_INPUTS))
def test_found_slow_inputs_finish_in_under_a_second(name):
    function, text = SLOW_INPUTS[name]
    assert len(text) <= LONG
    _, elapsed = timed(function, text, limit=30)
    assert elapsed < 1.0, f"{function.__name__} took {elapsed:.2f} s on {len(text)} characters ({name})"


TINY_DOSE = "0." + "0" * 323 + "5×10^0 cells/kg"  # 5e-324: the smallest float above 0


def test_a_tiny_dose_does_not_crash_the_text_reader():
    record = f"At a glance\nT\nIn Brief\nX\nArms & Interventions\nPatients receive {TINY_DOSE}.\nInterventions\n"
    result = read_file("x.txt", record.encode())
    assert len(result.trials) + len(result.problems) == 1


def test_a_json_number_with_more_than_4300_digits_does_not_crash_the_json_reader():
    result = read_file("x.json", b"[" + b"1" * 4301 + b"]")
    assert result.problems and not result.trials


def test_a_list_among_the_phases_does_not_crash_the_json_reader():
    study = {"protocolSection": {"armsInterventionsModule": {"armGroups": [{}]}, "designModule": {"phases": [[]]}}}
    result = read_file("x.json", json.dumps(study).encode())
    assert len(result.trials) + len(result.problems) == 1


def test_an_enrollment_of_only_a_comma_does_not_crash_the_text_reader():
    record = ("At a glance\nIn Brief\n"
              "A Phase 1 clinical trial evaluating X for Y. Completed, enrolled , participants.\n"
              "Arms & Interventions\n")
    result = read_file("x.txt", record.encode())
    assert len(result.trials) + len(result.problems) == 1


def test_a_zip_member_with_an_empty_name_does_not_crash_the_loader():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"x")
    result = read_file("x.zip", buffer.getvalue())
    assert result.problems


def test_a_zip_member_stored_before_the_archive_does_not_crash_the_loader():
    # a central directory whose offsets put the member's header before the start of the data
    data = (b"PK\x03\x04PK\x01\x02" + b"\x00" * 25 + b"\x01" + b"\x00" * 16 + b"\x01.txt"
            + b"PK\x05\x06" + b"\x00" * 8 + b"3" + b"\x00" * 6 + b"\x01\x00\x00")
    result = read_file("x.zip", data)
    assert result.problems
