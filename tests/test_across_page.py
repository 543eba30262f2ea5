"""The Across trials page through Streamlit's AppTest, on the bundled records.

What a user would notice: a filter that keeps a trial it should drop, a flat dose shown as if it were
per kg, a download that holds other rows than the table, a summary figure with the wrong arms behind it.
Expectations are derived from the loaded records themselves (the across frame), not typed in.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.chart_points import points
from tests.page_text import as_read
from tests.test_pages import APP, BUNDLED_TRIALS, SEED, UPLOAD_RECORD, metrics
from trialdata.across import across_frame
from trialdata.export import ACROSS_COLUMNS
from trialdata.notation import format_cells

PAGE = "pages/across.py"


def run_across(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def loaded(at: AppTest) -> pd.DataFrame:
    """Every loaded arm with its trial's facts, as the library builds it for the session's records."""
    loaded = at.session_state["page_state"].loaded
    return across_frame(loaded.trials, loaded.arms)


def table(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "Code" in df.value.columns)


def summary(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "Figure" in df.value.columns)


def chart(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_landing_shows_every_trial_on_one_dose_axis_with_the_seed_in_focus() -> None:
    at = run_across()
    shown = metrics(at)
    assert shown["Trials chosen"] == f"{BUNDLED_TRIALS} of {BUNDLED_TRIALS}"
    assert len(at.get("plotly_chart")) == 2
    assert at.selectbox(key="x_focus").value == SEED  # the trial with the most dosed arms
    assert any(as_read(m.value).startswith(f":material/my_location: {SEED} gives 1.0×10⁶ to 4.0×10⁶ cells/kg")
               for m in at.markdown)
    every = loaded(at)
    assert list(table(at)["Arm"]) == list(every["arm"])
    dose = chart(at, 0)
    assert dose["layout"]["xaxis"]["title"]["text"] == "cells/kg per administration"
    ticks = dose["layout"]["yaxis"]["ticktext"]
    assert len(ticks) == BUNDLED_TRIALS and SEED in ticks[0]  # the trial in focus on top
    marked = [point["x"] for point in points(dose["data"])]
    assert sorted(marked) == sorted(every["dose_cells_per_kg"].dropna())


def test_cell_source_filter_chooses_whole_trials() -> None:
    at = run_across()
    at.multiselect(key="x_source").set_value(["umbilical cord"]).run()
    every = loaded(at)
    cord = set(every.loc[every["cell_source"].str.contains("umbilical cord"), "trial_id"])
    shown = table(at)
    assert set(shown["Trial"]) == cord and SEED not in cord
    assert list(shown["Arm"]) == list(every.loc[every["trial_id"].isin(cord), "arm"])  # control arms too
    assert metrics(at)["Trials chosen"] == f"{len(cord)} of {BUNDLED_TRIALS}"


def test_condition_phase_and_status_filters_from_a_shared_link() -> None:
    at = run_across(x_condition="Liver Cirrhosis", x_status="Unknown")
    every = loaded(at)
    expected = {t for t, c, s in zip(every["trial_id"], every["conditions"], every["status"], strict=True)
                if "Liver Cirrhosis" in c and "Unknown" in s}
    assert expected and set(table(at)["Trial"]) == expected
    phases = every.drop_duplicates("trial_id").set_index("trial_id")["trial_phases"]
    assert not any("Phase 3" in phases[t] for t in expected)  # so adding the phase leaves nothing
    at.multiselect(key="x_phase").set_value(["Phase 3"]).run()
    assert "No loaded trial matches these filters" in at.info[0].value
    assert len(at.get("plotly_chart")) == 0


def test_merged_status_matches_either_record() -> None:
    at = run_across(x_status="Recruiting")
    assert set(table(at)["Trial"]) == {SEED}  # the seed's records say Recruiting and Completed
    at = run_across(x_status="Completed")
    assert SEED in set(table(at)["Trial"])


def test_narrowed_year_range_drops_trials_without_a_start_date() -> None:
    at = run_across()
    every = loaded(at)
    undated = set(every.loc[every["start_year"].isna(), "trial_id"])
    assert undated, "the bundled records include a trial without a start date"
    assert undated <= set(table(at)["Trial"])  # the full range keeps them
    years = sorted(every["start_year"].dropna().unique())
    at.select_slider(key="x_year").set_value((years[0], years[-2])).run()
    shown = set(table(at)["Trial"])
    assert not shown & undated
    assert SEED not in shown  # started in the last year, outside the range


def test_flat_dose_shows_converted_at_the_reference_weight() -> None:
    at = run_across()
    at.file_uploader(key="uploader").set_value([("uc-msc.txt", UPLOAD_RECORD.encode(), "text/plain")]).run()
    assert not at.exception
    row = table(at).set_index("Trial").loc["NCT09999999"]
    flat = row[row["Dose as stated"] != "not stated"].iloc[0]
    assert flat["Dose as stated"] == "1.5×10⁸ cells"
    assert flat["Dose (cells/kg)"] == "2.14×10⁶ cells/kg (converted)"
    symbols = {point["data"][1]: point["symbol"] for point in points(chart(at, 0)["data"])}
    assert symbols[flat["Arm"]] == "circle-open"
    assert symbols["Phase II low dose group"] == "circle"
    at.number_input(key="weight").set_value(60.0).run()
    row = table(at).set_index("Trial").loc["NCT09999999"]
    assert "2.5×10⁶ cells/kg (converted)" in set(row["Dose (cells/kg)"])
    assert metrics(at)["Converted doses"] == str(int(loaded(at)["dose_converted"].sum()))


def test_summary_names_the_arms_behind_each_figure() -> None:
    at = run_across()
    every = loaded(at)
    figures = summary(at).set_index("Figure")
    dosed = every[every["cellular"] & every["dose_cells_per_kg"].notna()]
    dose = figures.loc["Dose per administration (cells/kg)"]
    assert dose["Arms"] == len(dosed)
    assert dose["Median"] == format_cells(float(dosed["dose_cells_per_kg"].median()))
    highest = dosed.loc[dosed["dose_cells_per_kg"].idxmax(), "series"]
    assert highest in dose["Highest in"]
    lowest = set(dosed.loc[dosed["dose_cells_per_kg"] == dosed["dose_cells_per_kg"].min(), "series"])
    assert all(name in dose["Lowest in"] for name in lowest)
    cumulative = figures.loc["Cumulative dose (cells/kg)"]
    counted = every[every["cellular"] & every["cumulative_cells_per_kg"].notna()]
    assert cumulative["Arms"] == len(counted)


def test_colours_match_the_compare_page() -> None:
    at = run_across()
    colors = at.session_state["page_state"].loaded.colors
    every = loaded(at)
    drawn = points(chart(at, 0)["data"])
    assert len(drawn) == every["dose_cells_per_kg"].notna().sum()
    for point in drawn:
        trial, arm = point["data"][0], point["data"][1]
        key = every.loc[(every["trial_id"] == trial) & (every["arm"] == arm), "arm_key"].iloc[0]
        assert point["color"] == colors[key]


def test_downloads_hold_exactly_the_chosen_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            files[filename] = bytes(path_or_data)
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = run_across(x_source="bone marrow")
    shown = table(at)
    csv = pd.read_csv(io.BytesIO(files["across-trials.csv"]))
    assert list(csv.columns) == ACROSS_COLUMNS
    assert list(csv["trial_id"]) == list(shown["Trial"]) and list(csv["arm"]) == list(shown["Arm"])
    rows = json.loads(files["across-trials.json"])
    assert [r["arm"] for r in rows] == list(shown["Arm"])
    assert all(isinstance(r["conditions"], list) and isinstance(r["dose_converted"], bool) for r in rows)
    workbook = pd.read_excel(io.BytesIO(files["across-trials.xlsx"]), sheet_name="Arms")
    assert len(workbook) == len(shown)


def test_focus_trial_is_shaded_and_leads_the_axis() -> None:
    at = run_across()
    other = next(t for t in table(at)["Trial"] if t != SEED)
    at.selectbox(key="x_focus").set_value(other).run()
    dose = chart(at, 0)
    assert other in dose["layout"]["yaxis"]["ticktext"][0]
    assert any(shape.get("type") == "rect" for shape in dose["layout"]["shapes"])
    assert any(m.value.startswith(f":material/my_location: {other}") for m in at.markdown)


def test_compare_filters_survive_a_visit_to_this_page() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.multiselect(key="trial").set_value([SEED]).run()
    at.switch_page(PAGE).run()
    assert not at.exception and len(table(at)) == len(loaded(at))  # this page ignores the arm filters
    at.multiselect(key="x_source").set_value(["umbilical cord"]).run()
    at.query_params.clear()  # what survives must be the session's state, not the URL's
    at.switch_page("pages/compare.py").run()
    assert at.multiselect(key="trial").value == [SEED]
    assert metrics(at)["Arms shown"].startswith("6 of ")
    at.switch_page(PAGE).run()
    assert at.multiselect(key="x_source").value == ["umbilical cord"]


def test_arms_are_counted_as_on_compare_when_an_arm_has_a_dose_per_phase(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # One arm, a dose for each phase: two rows, one arm. Counted by row, this page said more arms than Compare.
    study = {"protocolSection": {
        "identificationModule": {"nctId": "NCT09800001", "briefTitle": "UC-MSC phase I/II"},
        "armsInterventionsModule": {"armGroups": [
            {"label": "hUC-MSC", "type": "EXPERIMENTAL",
             "description": "For phase I: 5×10^5 cells/kg by a single intravenous infusion. "
                            "For phase II: 1×10^6 cells/kg once a week for 4 weeks."},
            {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "description": "Saline infused intravenously."}]},
    }}
    (tmp_path / "NCT09800001.json").write_text(json.dumps(study), encoding="utf-8")
    monkeypatch.setenv("TRIALDATA_RECORDS", str(tmp_path))
    at = run_across()
    every = loaded(at)
    assert len(every) == 3 and every["arm_key"].nunique() == 2
    assert metrics(at)["Arms"] == "2"
    assert metrics(at)["Arms with a dose"] == "1"
    at.switch_page("pages/compare.py").run()
    assert metrics(at)["Arms shown"] == "2 of 2"
