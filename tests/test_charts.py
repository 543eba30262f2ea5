"""Dose ranges drawn as error bars, in cells/kg, on both dose charts: a flat range converts like its midpoint.

A user reading "1–2×10^8 cells" at 70 kg expects the bar to span 1.43–2.86×10⁶ cells/kg, not the raw cells.
"""

from __future__ import annotations

import json

import pytest

from trialdata.across import across_frame
from trialdata.frames import arm_codes, arms_frame
from trialdata.load import read_file
from trialdata.presentation.across_charts import across_dose_chart
from trialdata.presentation.arm_charts import dose_chart, schedule_chart
from trialdata.presentation.style import arm_colors

TEXT = {
    "Flat range": "Patients receive a single intravenous infusion of 1-2×10^8 hUC-MSCs.",
    "Per kg": "Patients receive a single intravenous infusion of 1.0×10^6 cells/kg hUC-MSCs.",
}


@pytest.fixture(scope="module")
def arms():
    study = {"protocolSection": {
        "identificationModule": {"nctId": "NCT09700001", "briefTitle": "UC-MSC ranges"},
        "armsInterventionsModule": {"armGroups": [
            {"label": label, "type": "EXPERIMENTAL", "description": text} for label, text in TEXT.items()]},
    }}
    trials = read_file("ranges.json", json.dumps(study).encode()).trials
    return arms_frame(trials, 70)


def error_bars(traces: list[dict]) -> list[tuple[float, float, float]]:
    """(point, low end, high end) of every visible error bar."""
    out = []
    for trace in traces:
        bars = trace.get("error_x") or {}
        if not bars or bars.get("visible") is False:
            continue
        for x, plus, minus in zip(trace["x"], bars["array"], bars["arrayminus"], strict=True):
            out.append((x, x - minus, x + plus))
    return out


def test_the_record_gives_a_flat_range(arms) -> None:
    flat = arms[arms["arm"] == "Flat range"].iloc[0]
    assert (flat["dose_low"], flat["dose_high"], flat["dose_unit"]) == (1e8, 2e8, "cells")
    assert flat["dose_converted"]


@pytest.mark.parametrize("chart", ["compare", "across"])
def test_a_flat_range_spans_its_ends_in_cells_per_kg(arms, chart: str) -> None:
    colors, codes = arm_colors(arms["arm_key"]), arm_codes(arms["arm_key"])
    if chart == "compare":
        figure = dose_chart(arms, colors, codes)
    else:
        figure = across_dose_chart(across_frame([], arms), colors, codes, 70)
    [(point, low, high)] = error_bars(figure.to_dict()["data"])  # the per-kg arm states no range: no bar
    assert point == pytest.approx(1.5e8 / 70)
    assert (low, high) == (pytest.approx(1e8 / 70), pytest.approx(2e8 / 70))


def schedule_axis(text: str) -> dict:
    study = {"protocolSection": {
        "identificationModule": {"nctId": "NCT09700002", "briefTitle": "UC-MSC schedules"},
        "armsInterventionsModule": {"armGroups": [{"label": "MSC", "type": "EXPERIMENTAL", "description": text}]},
    }}
    arms = arms_frame(read_file("schedules.json", json.dumps(study).encode()).trials, 70)
    figure = schedule_chart(arms, arm_colors(arms["arm_key"]), arm_codes(arms["arm_key"]))
    return figure.to_dict()["layout"]["xaxis"]


@pytest.mark.parametrize("text", [
    "Patients receive a single intravenous infusion of 1.0×10^6 cells/kg hUC-MSCs.",
    "Patients receive 1.0×10^6 cells/kg hUC-MSCs.",  # no schedule stated
])
def test_a_schedule_axis_without_repeat_doses_marks_day_0_only(text: str) -> None:
    # Plotly alone would tick -1, -0.5, 0, 0.5, 1 around a lone day 0: negative and half days nobody gives.
    axis = schedule_axis(text)
    assert axis["tickvals"] == [0.0]
    assert axis["range"][0] < 0 < axis["range"][1]  # the day-0 mark is not cut in half at the edge


def test_a_schedule_axis_with_repeat_doses_keeps_plotly_ticks() -> None:
    axis = schedule_axis("Patients receive 1.0×10^6 cells/kg hUC-MSCs intravenously once a week for 4 weeks.")
    assert "tickvals" not in axis
    assert axis["range"][1] > 21
