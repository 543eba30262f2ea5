"""The Compare arms charts as an analyst puts them on a slide, on the bundled real records (seeds/).

Each chart names the trial of every arm it shows; an arm without a phase of its own is in its trial's phase;
a weekly and a quarterly schedule both read on one day axis; coinciding lines stay visible; no two arms share a
colour; a log dose axis draws markers, not bars from an arbitrary baseline.
"""

from __future__ import annotations

import colorsys
from pathlib import Path

import pandas as pd
import pytest

from trialdata.filters import ArmFilter, apply_filter, filter_options
from trialdata.frames import arm_codes, arms_frame, cumulative_frame
from trialdata.load import load_paths
from trialdata.merge import merge_trials
from trialdata.presentation.arm_charts import (
    arm_names,
    cumulative_chart,
    day_scale,
    dose_chart,
    schedule_chart,
    split_charted,
)
from trialdata.presentation.style import arm_colors, trial_of
from trialdata.presentation.tables import display_table
from trialdata.state import load_state, select

ROOT = Path(__file__).resolve().parents[1]
WEEKLY = "NCT06740149"  # "once a week for 4 consecutive weeks": days 0, 7, 14, 21
QUARTERLY = "NCT01573923"  # "4.0×10^7 cells ... every 3 months", four infusions: days 0 to 270
PHASE_1_2 = "NCT01342250"  # registered as Phase 1 and Phase 2; its arms' texts name no phase


@pytest.fixture(scope="module")
def state():
    trials = merge_trials(load_paths([ROOT / "seeds"]).trials)
    return select(load_state(trials))


@pytest.fixture(scope="module")
def charted(state) -> pd.DataFrame:
    return split_charted(state.arms)[0]


def figures(state, charted: pd.DataFrame, log: bool = False) -> dict[str, dict]:
    return {
        "dose": dose_chart(charted, state.loaded.colors, state.loaded.codes, log=log).to_dict(),
        "schedule": schedule_chart(charted, state.loaded.colors, state.loaded.codes).to_dict(),
        "cumulative": cumulative_chart(cumulative_frame(charted), charted, state.loaded.colors, state.loaded.codes,
                                       log=log).to_dict(),
    }


def test_every_chart_names_the_trial_of_every_arm_it_shows(state, charted) -> None:
    charts = figures(state, charted)
    for name in ("dose", "schedule"):
        rows = charts[name]["layout"]["yaxis"]["categoryarray"]
        assert len(rows) == len(charted)
        for row, trial in zip(rows[::-1], charted["trial_id"], strict=True):
            assert row.startswith(f"{trial} · "), (name, row)
    lines = charts["cumulative"]["data"]
    assert charts["cumulative"]["layout"]["showlegend"] is True
    dosed_and_timed = charted[charted["dose_cells_per_kg"].notna() & charted["administration_days"].map(len).gt(0)]
    assert [trace["name"].split(" · ")[0] for trace in lines] == list(dosed_and_timed["trial_id"])
    for name, chart in charts.items():  # the hover names the trial too
        for trace in chart["data"]:
            if trace.get("hoverinfo") == "skip":
                continue
            assert any(trial in " ".join(map(str, point)) for point in trace["customdata"]
                       for trial in charted["trial_id"]), name


def test_a_row_name_gives_phase_dose_schedule_and_code(state, charted) -> None:
    names = dict(zip(charted["arm_key"], arm_names(charted, state.loaded.codes), strict=True))
    weekly = charted[(charted["trial_id"] == WEEKLY) & (charted["dose_per_administration"] == 2e6)
                     & (charted["administrations"] == 4)].iloc[0]
    code = state.loaded.codes[weekly["arm_key"]]
    assert names[weekly["arm_key"]] == f"{WEEKLY} · Ph 2 · 2.0×10⁶/kg · weekly ×4 · {code}"
    quarterly = charted[charted["trial_id"] == QUARTERLY].iloc[0]
    assert names[quarterly["arm_key"]].startswith(f"{QUARTERLY} · Ph 1/2 · 4.0×10⁷ cells · every 3 months ×4 · ")
    assert len(set(names.values())) == len(names)


def test_an_arm_without_a_phase_of_its_own_is_in_its_trials(state) -> None:
    arms = state.loaded.arms[state.loaded.arms["trial_id"] == PHASE_1_2]
    assert set(arms["phase"]) == {"Phase 1/2"} and arms["phase_from_trial"].all()
    own = state.loaded.arms[state.loaded.arms["trial_id"] == WEEKLY]
    assert not own["phase_from_trial"].any() and set(own["phase"]) == {"Phase 1", "Phase 2"}
    assert "Phase 1/2" in filter_options(state.loaded.arms).phases
    kept = apply_filter(state.loaded.arms, ArmFilter(phases=("Phase 1/2",)))
    assert PHASE_1_2 in set(kept["trial_id"])  # the Phase filter no longer drops them
    phase_1_2 = select(state.loaded, ArmFilter(trials=(PHASE_1_2,)))
    table = display_table(phase_1_2.arms, state.loaded)
    assert set(table["Phase"]) == {"Phase 1/2 (trial)"}


def _share_of_axis(figure: dict, label_start: str) -> float:
    """How much of the x axis the marks of the first row starting with `label_start` span."""
    marks = figure["data"][-1]
    xs = [x for x, y in zip(marks["x"], marks["y"], strict=True) if y.startswith(label_start)]
    low, high = figure["layout"]["xaxis"]["range"]
    return (max(xs) - min(xs)) / (high - low)


def test_a_weekly_and_a_quarterly_schedule_both_read_on_one_axis(state, charted) -> None:
    both = charted[charted["trial_id"].isin([WEEKLY, QUARTERLY])]
    assert day_scale(both).compressed  # fitted: 270 days beside 21
    fitted = schedule_chart(both, state.loaded.colors, state.loaded.codes).to_dict()
    assert _share_of_axis(fitted, f"{WEEKLY} · Ph 2") > 0.4  # weekly ×4 spread over much of the axis
    assert _share_of_axis(fitted, QUARTERLY) > 0.85
    ticks = dict(zip(fitted["layout"]["xaxis"]["ticktext"], fitted["layout"]["xaxis"]["tickvals"], strict=True))
    assert {"0", "7", "28", "90", "180"} <= set(ticks)  # ticks still read in days
    marks = fitted["data"][-1]
    assert {point[3] for point in marks["customdata"]} >= {"0", "7", "14", "21", "90", "180", "270"}  # hover: days
    linear = schedule_chart(both, state.loaded.colors, state.loaded.codes, scale=day_scale(both, "linear")).to_dict()
    assert _share_of_axis(linear, f"{WEEKLY} · Ph 2") < 0.1  # what users saw before: a blob at day 0
    weekly_only = charted[charted["trial_id"] == WEEKLY]
    assert not day_scale(weekly_only).compressed  # schedules of like length keep a linear axis


def test_coinciding_cumulative_lines_are_each_drawn_visibly(state, charted) -> None:
    lines = figures(state, charted)["cumulative"]["data"]
    shapes: dict[tuple, list[dict]] = {}
    for trace in lines:
        shapes.setdefault((tuple(trace["x"]), tuple(trace["y"])), []).append(trace)
    alike = [traces for traces in shapes.values() if len(traces) > 1]
    assert alike, "the seeds hold two arms at 1.0×10⁵ cells/kg weekly ×4 (NCT01724398)"
    for traces in alike:
        looks = {(trace["line"].get("dash", "solid"), trace["marker"].get("symbol", "circle"),
                  trace["marker"]["size"]) for trace in traces}
        assert len(looks) == len(traces)  # each drawn differently, the later ones larger and open


def test_no_two_arms_share_a_colour_and_a_trial_keeps_one_hue() -> None:
    files = sorted((ROOT / "tests" / "data" / "gold" / "msc-2022").glob("*.json"))
    arms = arms_frame(merge_trials(load_paths(files).trials))
    colors = arm_colors(arms["arm_key"])
    assert len(colors) == arms["arm_key"].nunique() > 300
    assert len(set(colors.values())) == len(colors)
    codes = arm_codes(arms["arm_key"])
    assert len(set(codes.values())) == len(codes)
    by_trial: dict[str, set[float]] = {}
    for key, color in list(colors.items())[:120]:
        red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
        by_trial.setdefault(trial_of(key), set()).add(round(colorsys.rgb_to_hls(red, green, blue)[0], 1))
    assert all(len(hues) <= 2 for hues in by_trial.values())  # one hue per trial (rounding may split one)


def test_a_log_dose_axis_draws_markers_not_bars(state, charted) -> None:
    log = figures(state, charted, log=True)
    assert {trace["type"] for trace in log["dose"]["data"]} == {"scatter"}
    assert log["dose"]["data"][0]["mode"] == "markers"
    axis = log["dose"]["layout"]["xaxis"]
    assert axis["type"] == "log" and axis["dtick"] == 1 and axis["tickangle"] == 0  # a tick per power of ten
    flat = [symbol for symbol, unit, converted in zip(log["dose"]["data"][0]["marker"]["symbol"],
                                                      charted["dose_unit"], charted["dose_converted"], strict=True)
            if converted and unit == "cells"]
    assert flat and set(flat) == {"square"}
    linear = figures(state, charted)
    assert linear["dose"]["data"][0]["type"] == "bar"


def test_flags_are_ranked_and_only_worth_checking_arms_are_counted(state) -> None:
    from trialdata.flags import Severity, severity
    from trialdata.presentation.sources import flag_summary, needs_checking, sources_by_trial

    arms = state.loaded.arms
    flagged = arms.loc[arms["flags"] != "", "arm_key"].nunique()
    assert needs_checking(arms) < flagged  # routine conversions and gaps no longer count as "to check"
    table = display_table(state.arms, state.loaded)
    for codes, shown in zip(arms["arm_flag_codes"], table["Flags"], strict=True):
        if codes:  # the most important of the arm's own flags, and how many more
            named = shown.split(" · ")[1].split(" (")[0]
            assert severity(named) == max(severity(code) for code in codes)
            assert shown.endswith(f"(+{len(set(codes)) - 1})") or len(set(codes)) == 1
    assert flag_summary(["dose-converted", "label-dose-disagreement", "count-assumed"]) == \
        "contradiction · label-dose-disagreement (+2)"
    for trial in sources_by_trial(state.arms, state.loaded):
        for arm in trial.arms:
            levels = [flag.severity for flag in arm.flags]
            assert levels == sorted(levels, reverse=True)
            assert not {f.message for f in arm.flags} & {f.message for f in trial.flags}  # not again on each arm
        messages = [flag.message for flag in trial.flags]
        assert len(messages) == len(set(messages))  # a trial's flag once
    assert Severity.CONTRADICTION > Severity.NOTE


def test_the_caption_names_the_filter_that_hides_trials(state) -> None:
    from trialdata.presentation.texts import narrowing_caption

    only_cells = select(state.loaded, ArmFilter(cellular=("Non-cellular",)))
    caption = narrowing_caption(only_cells)
    assert caption and "Cells (Non-cellular)" in caption and "many arms" not in caption
    assert narrowing_caption(state) is None  # every trial shown: nothing to explain
    from trialdata.filters import arms_of, default_trials

    files = sorted((ROOT / "tests" / "data" / "gold" / "msc-2022").glob("*.json"))
    trials = merge_trials(load_paths(files).trials)
    everything = arms_frame(trials)
    first = default_trials(everything)
    opened = select(load_state(trials, arms=everything), ArmFilter(trials=first, arms=arms_of(everything, first)))
    caption = narrowing_caption(opened)
    assert caption and "with many arms loaded, the first trials are shown at first" in caption
    assert "narrowed by" not in caption  # no filter is to blame when the first trials are shown by default


def test_a_cumulative_chart_without_days_draws_a_note_not_empty_axes(state, charted) -> None:
    undated = charted[charted["administration_days"].map(len).eq(0)]
    figure = cumulative_chart(cumulative_frame(undated), undated, state.loaded.colors, state.loaded.codes).to_dict()
    assert figure["layout"]["xaxis"]["visible"] is False and figure["layout"]["yaxis"]["visible"] is False
    assert "No administration days stated" in figure["layout"]["annotations"][0]["text"]


def test_arm_detail_opens_on_an_arm_with_a_dose() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["intended_page"] = "pages/arm_detail.py"
    at.run()
    at.switch_page("pages/arm_detail.py").run()
    chosen = at.selectbox(key="detail").value
    arms = at.session_state["page_state"].arms
    assert arms.loc[arms["arm_key"] == chosen, "dose_per_administration"].notna().any()


def test_arm_detail_of_a_dose_without_days_says_the_days_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """NCT00186914 (gold sample): "The first dose of cells to be given will be 1x10^6 MSC/kg and the second dose of
    cells will be 5x10^6 MSC/kg." Each dose is known and counted, no day is stated: the page had said the record
    gives no dose and schedule, beside a cumulative dose it showed."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRIALDATA_RECORDS", str(ROOT / "tests" / "data" / "gold" / "msc-2022" / "NCT00186914.json"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["intended_page"] = "pages/arm_detail.py"
    at.run()
    at.switch_page("pages/arm_detail.py").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Cumulative"] == "1.0×10⁶ cells/kg"
    notes = [box.value for box in at.info]
    assert any("states no administration days" in note for note in notes), notes
    assert not any("does not give both a dose and a schedule" in note for note in notes)


def test_past_a_legends_worth_of_lines_the_legend_names_each_trial() -> None:
    """Real MSC studies of the gold sample: more dosed, timed arms than the legend lists one by one."""
    from trialdata.presentation.arm_charts import LEGEND_LIMIT

    files = sorted((ROOT / "tests" / "data" / "gold" / "msc-2022").glob("*.json"))[:60]
    arms = arms_frame(merge_trials(load_paths(files).trials))
    charted = split_charted(arms)[0]
    steps = cumulative_frame(charted)
    lines = steps["series"].nunique()
    assert lines > LEGEND_LIMIT
    figure = cumulative_chart(steps, charted, arm_colors(arms["arm_key"]), arm_codes(arms["arm_key"])).to_dict()
    traces = figure["data"]
    trials = set(steps["trial_id"])
    assert len(trials) <= len(traces) < lines  # a trace per trial (and per line style), not one per arm
    assert figure["layout"]["showlegend"] is True
    named = {trace["name"] for trace in traces if trace.get("showlegend") is not False}
    assert named == trials  # every trial of the chart in its legend
    for trace in traces:  # and each point's hover names its arm's trial
        assert {point[3] for point in trace["customdata"] if point[3]} == {trace["name"]}


def test_a_weight_band_shows_its_sign_once_escaped_in_the_legend() -> None:
    """NCT02228096's "(for patients > 50 kg)" band: the legend reads "> 50 kg", not "&gt; 50 kg"."""
    from trialdata.notation import plotly_literal

    trials = merge_trials(load_paths([ROOT / "tests" / "data" / "mixed-products" / "NCT02228096.json"]).trials)
    arms = arms_frame(trials)
    codes, colors = arm_codes(arms["arm_key"]), arm_colors(arms["arm_key"])
    figure = cumulative_chart(cumulative_frame(arms), arms, colors, codes).to_dict()
    names = [trace["name"] for trace in figure["data"]]
    assert any(plotly_literal("> 50 kg") in name for name in names)
    assert not any("&amp;" in name for name in names)  # escaped once: plotly shows "&gt;" as ">"
    rows = dose_chart(arms, colors, codes).to_dict()["layout"]["yaxis"]["categoryarray"]
    assert any(plotly_literal("> 50 kg") in row for row in rows) and not any("&amp;" in row for row in rows)


def test_no_repeat_of_a_line_is_drawn_plain_however_many_coincide() -> None:
    """Five arms at one dose on the same days: only the first is plain; every repeat is dashed or dotted."""
    from trialdata.presentation.arm_charts import REPEAT_STYLES, StepLine, repeat_styles

    lines = [StepLine(f"T · arm {i}", f"T · arm {i}", "T", f"arm {i}", False, [0.0, 7.0, 7.0], [1e6, 2e6, 2e6])
             for i in range(len(REPEAT_STYLES) + 2)]
    style = repeat_styles(lines)
    assert style(lines[0]) == {}
    assert all(style(line).get("line", {}).get("dash") for line in lines[1:])
