"""No text a registry field can hold makes the grammar slow: every pattern is bounded, so reading is linear.

Each case is a 100 KB field of a repeated fragment that once made a pattern backtrack (`a-` and `1-` against an
unbounded word pattern, "MSCs" against a cell-noun pattern, lists against the dose-list pattern, the In Brief line
against chained lazy groups). The whole record is read in a second, in its title, label, texts and summaries.
"""

import json
import time

import pytest

from trialdata.across import across_frame
from trialdata.frames import arms_frame
from trialdata.load import read_file

SIZE = 100_000
BUDGET_SECONDS = 1.0
FRAGMENTS = ["a-", "1-", "MSCs ", "UC-MSC ", "1, ", "1 x ", "10^", "1.", "x10", "(", "day 1, ", "every ",
             "once a week ", "1 to ", "between 1 and ", "total ", "up to ", "1 million or ", "if needed ", "a ",
             "1x10^6 cells/kg ", "1e6 ", "10(6) ", "1,000,", "intra ", "the first dose ", "2 doses of ", "10~",
             "umbilical cord blood ", "after bone marrow transplantation ", "D1 - ", "3 injections ", "per kg ",
             "repeat dose @ ", "A at 1 x 10^6 cells/m2 and ", "1 x 10^8 AB.CD cells/m2 and ", "then 1 weeks post ",
             "days 1, 3 of weeks 1 and ", "7x, ", "3 or more ", "starting dose 1 ", "one to two infusions ",
             "10E6 25E6 ", "patients for a total of 6 ", "109~"]


def _study(description: str = "1x10^6 cells/kg weekly", title: str = "A trial", summary: str = "",
           label: str = "Arm A") -> bytes:
    return json.dumps({"protocolSection": {
        "identificationModule": {"nctId": "NCT00000001", "officialTitle": title, "briefTitle": title[:300]},
        "descriptionModule": {"briefSummary": summary, "detailedDescription": summary},
        "armsInterventionsModule": {
            "armGroups": [{"label": label, "type": "EXPERIMENTAL", "description": description,
                           "interventionNames": ["Biological: X"]}],
            "interventions": [{"type": "BIOLOGICAL", "name": "X", "description": description,
                               "armGroupLabels": [label]}]}}}).encode()


def _record(paragraph: str) -> bytes:
    return "\n".join(["At a glance", "ClinicalIndex Comparison Record", "Title", "In Brief",
                      "A Phase 1 clinical trial evaluating X for Y. Completed, enrolled 9 participants.",
                      "Detailed Summary", paragraph, "Arms & Interventions", paragraph, "Interventions",
                      paragraph]).encode()


def _read_within_budget(name: str, data: bytes) -> None:
    started = time.perf_counter()
    result = read_file(name, data)
    across_frame(result.trials, arms_frame(result.trials))  # cell sources are read from titles and summaries
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{name}: {elapsed:.2f} s"
    assert result.trials or result.problems


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_a_100_kb_field_of_any_fragment_is_read_within_a_second(fragment: str) -> None:
    text = (fragment * (SIZE // len(fragment) + 1))[:SIZE]
    read_file("warm.json", _study())
    _read_within_budget("description.json", _study(description=text))
    _read_within_budget("title.json", _study(title=text))
    _read_within_budget("summary.json", _study(description="Cells.", summary=text))
    _read_within_budget("label.json", _study(label=text))
    _read_within_budget("paragraphs.txt", _record(text))


def test_the_in_brief_line_of_repeated_clauses_is_read_within_a_second() -> None:
    """"clinical trial evaluating x for y. z," repeated: the old pattern of chained lazy groups took minutes."""
    clause = "clinical trial evaluating x for y. z, "
    line = "A Phase 1 " + clause * (12_000 // len(clause))
    data = "\n".join(["At a glance", "Title", "In Brief", line, "Arms & Interventions", "Placebo.", "Interventions",
                      ""]).encode()
    started = time.perf_counter()
    result = read_file("brief.txt", data)
    assert time.perf_counter() - started < BUDGET_SECONDS
    assert result.trials
