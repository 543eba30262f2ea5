"""Every dashboard page through Streamlit's AppTest: filters drive charts and tables, downloads match.

A user would notice each of these: an arm that stays in a chart after being
filtered out, a download holding other rows than the table, a bad upload
that takes the loaded trials down with it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from trialdata.export import TABLE_COLUMNS, to_csv, to_json, to_xlsx
from trialdata.notation import markdown_literal

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["pages/compare.py", "pages/arm_detail.py", "pages/table.py", "pages/sources.py"]
CONTROL = "NCT06740149 · Control (placebo)"
PHASE1_HIGH = "NCT06740149 · Phase 1 · 4.0×10⁶ cells/kg single"
UPLOAD_RECORD = "\n".join([
    "At a glance", "ClinicalIndex Comparison Record", "Umbilical cord MSC for decompensated cirrhosis",
    "In Brief", "A Phase 2 clinical trial evaluating UC-MSC for Liver Cirrhosis. Recruiting, enrolled 40 "
    "participants across 2 sites.", "Detailed Summary", "NCT09999999 tests flat doses.", "Study Details",
    "Timeline", "Arms & Interventions", "Patients receive 1.5×10^8 cells/time UC-MSC intravenously, "
    "every 2 weeks for 3 doses.", "Standard medical treatment alone.", "Interventions",
])


def run(page: str | None = None, **query: str | list[str]) -> AppTest:
    """Open `page` (default: the landing page) with a URL query, as a shared link would."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def chart_arms(at: AppTest, index: int) -> set[str]:
    """The arm labels a plotly chart draws (trace names)."""
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {trace.get("name") for trace in spec["data"]}


def comparison(at: AppTest):
    return at.session_state["comparison"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page: str) -> None:
    at = run(page)
    assert at.title[0].value in {"Compare arms", "Arm detail", "Comparison table", "Sources & flags"}
    assert len(at.error) == 0


def test_landing_page_shows_three_charts_and_what_is_loaded() -> None:
    at = run()
    assert [m.value for m in at.metric][:3] == ["1", "6 of 6", "0"]
    assert len(at.get("plotly_chart")) == 3
    assert len(chart_arms(at, 0)) == 6
    assert CONTROL.split(" · ")[1] in chart_arms(at, 0)


def test_arm_type_filter_removes_the_control_from_every_chart_and_table() -> None:
    at = run()
    at.button_group(key="type").set_value(["Experimental"]).run()
    assert not at.exception
    assert "Control (placebo)" not in chart_arms(at, 0)
    assert "Control (placebo)" not in chart_arms(at, 1)
    assert [m.value for m in at.metric][1] == "5 of 6"
    table = at.dataframe[0].value
    assert "Control (placebo)" not in set(table.data["Arm"] if hasattr(table, "data") else table["Arm"])


def test_deselecting_an_arm_removes_it_from_charts_table_and_downloads() -> None:
    at = run()
    keep = [k for k in at.multiselect(key="arm").value if k != PHASE1_HIGH]
    at.multiselect(key="arm").set_value(keep).run()
    assert "Phase 1 · 4.0×10⁶ cells/kg single" not in chart_arms(at, 0)
    at = run("pages/table.py", arm=keep)
    shown = at.dataframe[0].value
    assert len(shown) == 5 and "Phase 1 · 4.0×10⁶ cells/kg single" not in set(shown["Arm"])
    csv = pd.read_csv(io.BytesIO(to_csv(comparison(at).arms)))
    assert list(csv.columns) == TABLE_COLUMNS
    assert list(csv["arm"]) == list(shown["Arm"])


def test_downloads_hold_exactly_the_filtered_rows() -> None:
    at = run("pages/table.py", phase="Phase 1")
    arms = comparison(at).arms
    assert set(arms["phase"]) == {"Phase 1"} and len(arms) == 3
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download Excel", "Download JSON"]
    csv = pd.read_csv(io.BytesIO(to_csv(arms)))
    assert list(csv["dose_per_administration"]) == [1e6, 2e6, 4e6]
    workbook = pd.read_excel(io.BytesIO(to_xlsx(arms)), sheet_name=None)
    assert set(workbook) == {"Arms", "Administrations"}
    assert len(workbook["Arms"]) == 3 and len(workbook["Administrations"]) == 3
    assert any("(cells/kg)" in column for column in workbook["Arms"].columns)
    rows = json.loads(to_json(arms))
    assert [r["administration_days"] for r in rows] == [[0.0], [0.0], [0.0]]


def test_url_query_reproduces_the_filtered_view() -> None:
    at = run(None, arm=[CONTROL, PHASE1_HIGH])
    assert at.multiselect(key="arm").value == [CONTROL, PHASE1_HIGH]
    assert chart_arms(at, 0) == {"Control (placebo)", "Phase 1 · 4.0×10⁶ cells/kg single"}


def test_dose_range_hides_arms_outside_it() -> None:
    at = run()
    at.select_slider(key="dose").set_value((2e6, 1e7)).run()
    shown = set(comparison(at).arms["dose_per_administration"])
    assert shown == {2e6, 4e6}


def test_empty_selection_shows_a_message_not_empty_charts() -> None:
    at = run()
    at.multiselect(key="arm").set_value([]).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert "No arm matches the filters" in at.info[0].value
    for page in PAGES[1:]:
        at = run(page, arm="")
        assert "No arm matches the filters" in at.info[0].value


def test_arm_detail_shows_numbers_total_cells_and_record_text() -> None:
    at = run("pages/arm_detail.py", weight="60")
    at.selectbox(key="detail").set_value("NCT06740149 · Phase 2 · 2.0×10⁶ cells/kg weekly ×4").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dose per administration"] == "2.0×10⁶ cells/kg"
    assert metrics["Schedule"] == "weekly ×4"
    assert metrics["Cumulative"] == "8.0×10⁶ cells/kg"
    assert metrics["Total cells, 60 kg patient"] == "4.8×10⁸ cells"
    assert "2.0×10\\^6 cells/kg CG-BM1 once a week" in at.code[0].value
    assert len(at.get("plotly_chart")) == 2


def test_sources_page_quotes_each_number_and_lists_flags() -> None:
    at = run("pages/sources.py")
    texts = [t.value for t in at.text]
    assert at.subheader[0].value == markdown_literal("A1 · Control (placebo) (NCT06740149)")
    assert len(at.subheader) == 6
    record = (ROOT / "seeds" / "NCT06740149.txt").read_text(encoding="utf-8")
    quotes = [t.strip("“”") for t in texts if t.startswith("“")]
    assert len(quotes) == 6 * 3 - 1  # the control's dose is the one number the record does not state
    assert all(quote in record for quote in quotes)
    assert "Dose per administration: 4.0×10⁶ cells/kg" in texts
    assert any(t.startswith("⚑ label-contradicts-dose") for t in texts)
    assert any(t.startswith("⚑ phase-contradiction") for t in texts)


def test_bad_upload_shows_an_error_and_keeps_everything_loaded() -> None:
    at = run()
    at.file_uploader(key="uploader").set_value([("broken.txt", b"\x00\xff\xfe junk", "text/plain")]).run()
    assert not at.exception
    assert any("broken.txt" in e.value for e in at.error)
    assert [m.value for m in at.metric][:2] == ["1", "6 of 6"]


def test_good_upload_adds_a_trial_with_a_converted_flat_dose() -> None:
    at = run()
    upload = ("uc-msc.txt", UPLOAD_RECORD.encode(), "text/plain")
    at.file_uploader(key="uploader").set_value([upload]).run()
    assert not at.exception
    assert at.metric[0].value == "2"
    arms = comparison(at).all_arms
    flat = arms[arms["trial_id"] == "NCT09999999"].iloc[0]
    assert flat["dose_converted"] and flat["cumulative_cells_per_kg"] == pytest.approx(3 * 1.5e8 / 70)


def test_colours_stay_with_their_arm_when_filtering() -> None:
    at = run()
    before = comparison(at).colors
    at.button_group(key="phase").set_value(["Phase 1"]).run()
    assert comparison(at).colors == before
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {trace["name"]: trace["marker"]["color"] for trace in spec["data"]}
    assert drawn["Phase 1 · 4.0×10⁶ cells/kg single"] == before[PHASE1_HIGH]


def test_a_filter_change_does_not_re_read_records(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run()
    import pages.common.sidebar as sidebar

    reads: list[str] = []
    original = sidebar.read_record
    monkeypatch.setattr(sidebar, "read_record", lambda name, data: reads.append(name) or original(name, data))
    at.button_group(key="phase").set_value(["Phase 2"]).run()
    assert not at.exception
    assert len(comparison(at).arms) == 3
    assert reads == []
