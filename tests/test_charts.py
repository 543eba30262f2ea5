"""Dose ranges drawn as error bars, in cells/kg, on both dose charts: a flat range converts like its midpoint.

A user reading "1–2×10^8 cells" at 70 kg expects the bar to span 1.43–2.86×10⁶ cells/kg, not the raw cells.
"""

from __future__ import annotations

import json

import pytest

from trialdata.across import across_frame
from trialdata.across_charts import across_dose_chart
from trialdata.charts import arm_codes, arm_colors, dose_chart
from trialdata.frames import arms_frame
from trialdata.load import read_file

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
