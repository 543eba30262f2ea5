"""Many trials loaded: the landing page stays readable and charts share traces instead of one per arm.

Users load hundreds of trials; what they would notice is a wall of thousands of rows, a page that
takes seconds per click, or a trial picked in the sidebar whose arms do not appear.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.chart_points import points
from tests.test_pages import APP, metrics
from trialdata.filters import MAX_DEFAULT_ARMS, default_trials
from trialdata.frames import arm_codes, arms_frame, cumulative_frame
from trialdata.load import read_file
from trialdata.presentation.across_charts import MAX_CHARTED_TRIALS, charted_trials
from trialdata.presentation.arm_charts import LEGEND_LIMIT, cumulative_chart, dose_chart, schedule_chart
from trialdata.presentation.style import arm_colors

TRIALS = 15
ARMS_PER_TRIAL = 4


def study(number: int) -> dict:
    nct = f"NCT0980{number:04d}"
    groups = [{"label": f"Cohort {k}", "type": "EXPERIMENTAL",
               "description": f"Patients receive {k}.0×10^6 cells/kg hUC-MSCs intravenously once a week for "
                              f"{k + 1} weeks."} for k in range(1, ARMS_PER_TRIAL + 1)]
    return {"protocolSection": {
        "identificationModule": {"nctId": nct, "briefTitle": f"UC-MSC dose finding {number}"},
        "statusModule": {"overallStatus": "RECRUITING", "startDateStruct": {"date": f"20{10 + number}-01"}},
        "conditionsModule": {"conditions": ["Liver Cirrhosis"]},
        "designModule": {"phases": ["PHASE1"]},
        "armsInterventionsModule": {"armGroups": groups},
    }}


@pytest.fixture(scope="module")
def many() -> bytes:
    return json.dumps([study(n) for n in range(1, TRIALS + 1)]).encode()


def test_default_trials_stop_before_the_arm_limit(many: bytes) -> None:
    arms = arms_frame(read_file("many.json", many).trials)
    chosen = default_trials(arms)
    assert len(chosen) == MAX_DEFAULT_ARMS // ARMS_PER_TRIAL
    assert list(chosen) == list(dict.fromkeys(arms["trial_id"]))[: len(chosen)]  # the first ones loaded
    few = arms[arms["trial_id"].isin(chosen[:3])]
    assert default_trials(few) == chosen[:3]  # under the limit, every trial
    assert len(default_trials(arms, max_arms=1)) == 1  # a trial larger than the limit is still shown


def test_charts_of_many_arms_share_traces_and_still_name_every_arm(many: bytes) -> None:
    arms = arms_frame(read_file("many.json", many).trials)
    colors, codes = arm_colors(arms["arm_key"]), arm_codes(arms["arm_key"])
    dose = dose_chart(arms, colors, codes).to_dict()["data"]
    schedule = schedule_chart(arms, colors, codes).to_dict()["data"]
    cumulative = cumulative_chart(cumulative_frame(arms), arms, colors, codes).to_dict()["data"]
    assert len(arms) == TRIALS * ARMS_PER_TRIAL > LEGEND_LIMIT
    assert len(dose) == 1 and len(cumulative) <= LEGEND_LIMIT
    # the schedule: one bar trace of timelines and one of marks, however many arms
    assert [trace["type"] for trace in schedule] == ["bar", "scatter"]
    timelines = schedule[0]
    timed = [row for row in arms.itertuples() if len(row.administration_days)]
    assert list(timelines["marker"]["color"]) == [colors[row.arm_key] for row in timed]
    assert list(timelines["base"]) == [min(row.administration_days) for row in timed]
    assert [b + x for b, x in zip(timelines["base"], timelines["x"], strict=True)] == [
        max(row.administration_days) for row in timed]
    for drawn in (dose, schedule, cumulative):
        named = {point["data"][0] for point in points(drawn)}
        assert named == set(arms["arm"])
    by_arm = {(p["data"][0], p["color"]) for p in points(dose)}
    assert by_arm == {(row.arm, colors[row.arm_key]) for row in arms.itertuples()}


def run_many(tmp_path: Path, many: bytes, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    (tmp_path / "many.json").write_bytes(many)
    monkeypatch.setenv("TRIALDATA_RECORDS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_landing_shows_the_first_trials_and_says_so(tmp_path: Path, many: bytes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_many(tmp_path, many, monkeypatch)
    shown = MAX_DEFAULT_ARMS // ARMS_PER_TRIAL
    assert metrics(at)["Arms shown"] == f"{shown * ARMS_PER_TRIAL} of {TRIALS * ARMS_PER_TRIAL}"
    assert any(f"Arms of {shown} of {TRIALS} trials are shown" in c.value for c in at.caption)


def test_a_trial_picked_in_the_sidebar_brings_its_arms(tmp_path: Path, many: bytes,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_many(tmp_path, many, monkeypatch)
    last = at.multiselect(key="trial").options[-1]
    assert last not in at.multiselect(key="trial").value
    at.multiselect(key="trial").set_value([*at.multiselect(key="trial").value, last]).run()
    assert not at.exception
    shown = at.session_state["page_state"].arms
    assert (shown["trial_id"] == last).sum() == ARMS_PER_TRIAL
    assert metrics(at)["Arms shown"].startswith(f"{MAX_DEFAULT_ARMS + ARMS_PER_TRIAL} of ")


def test_the_arms_list_offers_the_picked_trials_arms_not_every_loaded_arm(tmp_path: Path, many: bytes,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With thousands of trials loaded, a list of every arm is unreadable and is sent to the browser on every
    click; the list holds the arms of the trials picked, and grows and shrinks with them."""
    at = run_many(tmp_path, many, monkeypatch)
    picked = at.multiselect(key="trial").value
    arms = at.multiselect(key="arm")
    assert len(arms.options) == len(picked) * ARMS_PER_TRIAL
    assert {option.split(" · ")[0] for option in arms.options} == set(picked)
    last = at.multiselect(key="trial").options[-1]
    at.multiselect(key="trial").set_value([*picked, last]).run()
    assert {option.split(" · ")[0] for option in at.multiselect(key="arm").options} == {*picked, last}
    assert sum(v.startswith(f"{last} · ") for v in at.multiselect(key="arm").value) == ARMS_PER_TRIAL


def test_regimens_of_one_arm_never_share_a_chart_row() -> None:
    text = ("Patients receive 1.0×10^6 cells/kg hUC-MSCs intravenously once a week for 4 weeks. After 12 weeks, "
            "patients receive 2.0×10^6 cells/kg hUC-MSCs intravenously once a week for 4 weeks.")
    record = json.loads(json.dumps(study(1)))
    record["protocolSection"]["armsInterventionsModule"]["armGroups"] = [
        {"label": "Two courses", "type": "EXPERIMENTAL", "description": text}]
    arms = arms_frame(read_file("two.json", json.dumps(record).encode()).trials)
    assert len(arms) == 2 and arms["series"].is_unique
    colors, codes = arm_colors(arms["arm_key"]), arm_codes(arms["arm_key"])
    rows = dose_chart(arms, colors, codes).to_dict()["data"][0]["y"]
    assert len(set(rows)) == 2


def test_across_trials_draws_the_focus_and_the_first_others_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = MAX_CHARTED_TRIALS + 5
    (tmp_path / "more.json").write_bytes(json.dumps([study(n) for n in range(1, count + 1)]).encode())
    monkeypatch.setenv("TRIALDATA_RECORDS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/across.py")
    at.run()
    assert not at.exception
    assert metrics(at)["Trials chosen"] == f"{count} of {count}"
    dose = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {point["data"][0] for point in points(dose["data"])}
    assert len(drawn) == MAX_CHARTED_TRIALS and at.selectbox(key="x_focus").value in drawn
    assert any(f"The charts draw {MAX_CHARTED_TRIALS} of the {count} trials chosen" in c.value for c in at.caption)
    table = next(df.value for df in at.dataframe if "Code" in df.value.columns)
    assert table["Trial"].nunique() == count  # the table keeps every chosen trial


def test_charted_trials_keep_the_focus_first(many: bytes) -> None:
    arms = arms_frame(read_file("many.json", many).trials)
    trials = list(dict.fromkeys(arms["trial_id"]))
    kept = charted_trials(arms, trials[-1], limit=3)
    assert list(dict.fromkeys(kept["trial_id"])) == [*trials[:2], trials[-1]]  # load order, focus kept
