"""Every dashboard page through Streamlit's AppTest: filters drive charts and tables, downloads match.

A user would notice each of these: an arm that stays in a chart after being
filtered out, a download holding other rows than the table, a bad upload
that takes the loaded trials down with it. The app reads the bundled seeds/
(the seed trial and its liver-disease peers); most tests narrow to the seed.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.chart_points import points
from tests.page_text import as_read
from trialdata.export import TABLE_COLUMNS, to_csv, to_json, to_xlsx
from trialdata.notation import markdown_literal
from trialdata.presentation.sources import sources_by_trial

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["pages/compare.py", "pages/arm_detail.py", "pages/table.py", "pages/sources.py"]
SEED = "NCT06740149"
BUNDLED_TRIALS = len({p.stem for p in (ROOT / "seeds").glob("NCT*.*")})
CONTROL = f"{SEED} · Control group"
PHASE1_HIGH = f"{SEED} · Phase I dose group 3 (4.0×10^6 cells/kg)"
PHASE2_MEDIUM = f"{SEED} · Phase II medium dose group"
UPLOAD_RECORD = "\n".join([
    "At a glance", "ClinicalIndex Comparison Record", "Umbilical cord MSC for decompensated cirrhosis",
    "In Brief", "A Phase 2 clinical trial evaluating UC-MSC for Liver Cirrhosis. Recruiting, enrolled 40 "
    "participants across 2 sites.", "Detailed Summary", "Tests flat doses.", "Study Details", "NCT09999999",
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


def run_seed(page: str | None = None, **query: str | list[str]) -> AppTest:
    return run(page, trial=SEED, **query)


def chart_arms(at: AppTest, index: int) -> set[str]:
    """The arm labels a plotly chart draws (named in each point's hover data)."""
    return {point["data"][0] for point in points(chart_spec(at, index)["data"])}


def chart_spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def state(at: AppTest):
    return at.session_state["page_state"]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page: str) -> None:
    at = run(page)
    assert at.title[0].value in {"Compare arms", "Arm detail", "Comparison table", "Sources & flags"}
    assert len(at.error) == 0


def test_landing_page_shows_what_is_loaded_and_three_charts() -> None:
    at = run()
    total = state(at).loaded.arms["arm_key"].nunique()
    assert metrics(at)["Trials loaded"] == str(BUNDLED_TRIALS)
    assert metrics(at)["Arms shown"] == f"{total} of {total}"
    assert metrics(at)["Problems in records"] == "0"
    assert len(at.get("plotly_chart")) == 3


def test_trial_filter_narrows_every_chart_to_the_seed() -> None:
    at = run_seed()
    total = state(at).loaded.arms["arm_key"].nunique()
    assert metrics(at)["Arms shown"] == f"6 of {total}"
    assert chart_arms(at, 0) == {key.split(" · ", 1)[1] for key in state(at).arms["arm_key"]}
    assert len(chart_arms(at, 0)) == 6


def test_arm_type_filter_removes_the_control_from_every_chart_and_table() -> None:
    at = run_seed()
    at.button_group(key="type").set_value(["Experimental"]).run()
    assert not at.exception
    assert "Control group" not in chart_arms(at, 0)
    assert "Control group" not in chart_arms(at, 1)
    assert metrics(at)["Arms shown"].startswith("5 of ")
    assert "Control group" not in set(state(at).arms["arm"])


def test_deselecting_an_arm_removes_it_from_charts_table_and_downloads() -> None:
    at = run_seed()
    keep = [k for k in at.multiselect(key="arm").value if k != PHASE1_HIGH]
    at.multiselect(key="arm").set_value(keep).run()
    assert "Phase I dose group 3 (4.0×10^6 cells/kg)" not in chart_arms(at, 0)
    at = run_seed("pages/table.py", arm=keep)
    shown = at.table[0].value.map(as_read)  # a page table: record text escaped for its Markdown cells
    assert len(shown) == 5 and PHASE1_HIGH.split(" · ", 1)[1] not in set(shown["Arm"])
    csv = pd.read_csv(io.BytesIO(to_csv(state(at).arms)))
    assert list(csv.columns) == TABLE_COLUMNS
    assert list(csv["arm"]) == list(shown["Arm"])


def test_downloads_hold_exactly_the_filtered_rows() -> None:
    at = run_seed("pages/table.py", phase="Phase 1")
    arms = state(at).arms
    assert set(arms["phase"]) == {"Phase 1"} and len(arms) == 3
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download Excel", "Download JSON"]
    csv = pd.read_csv(io.BytesIO(to_csv(arms)))
    assert list(csv["dose_per_administration"]) == [1e6, 2e6, 4e6]
    workbook = pd.read_excel(io.BytesIO(to_xlsx(arms)), sheet_name=None)
    assert set(workbook) == {"Arms", "Administrations", "Settings"}
    assert len(workbook["Arms"]) == 3 and len(workbook["Administrations"]) == 3
    assert any("(cells/kg)" in column for column in workbook["Arms"].columns)
    rows = json.loads(to_json(arms))
    assert [r["administration_days"] for r in rows] == [[0.0], [0.0], [0.0]]


def test_url_query_reproduces_the_filtered_view() -> None:
    at = run(None, arm=[CONTROL, PHASE1_HIGH])
    assert at.multiselect(key="arm").value == [CONTROL, PHASE1_HIGH]
    assert chart_arms(at, 0) == {"Control group", "Phase I dose group 3 (4.0×10^6 cells/kg)"}


def test_dose_range_hides_arms_outside_it() -> None:
    at = run_seed()
    at.select_slider(key="dose").set_value((2e6, 1e7)).run()
    assert set(state(at).arms["dose_per_administration"]) == {2e6, 4e6}


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
    at = run_seed("pages/arm_detail.py", weight="60")
    at.selectbox(key="detail").set_value(PHASE2_MEDIUM).run()
    shown = metrics(at)
    assert shown["Dose per administration"] == "2.0×10⁶ cells/kg"
    assert shown["Schedule"] == "weekly ×4"
    assert shown["Cumulative"] == "8.0×10⁶ cells/kg"
    assert shown["Total cells, 60 kg patient"] == "4.8×10⁸ cells"
    assert "2.0×10^6 cells/kg CG-BM1 once a week" in at.code[0].value
    assert len(at.get("plotly_chart")) == 2


def _record_strings() -> str:
    """Every text of the seed trial's two records, as a user would search them."""
    found = [(ROOT / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")]

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "seeds" / f"{SEED}.json").read_text(encoding="utf-8")))
    return "\n".join(found)


def test_sources_page_quotes_each_number_and_lists_flags() -> None:
    """Trial by trial, its flags once; each arm's sentences quoted once, with what each supports; flags ranked."""
    at = run_seed("pages/sources.py")
    codes = state(at).loaded.codes
    assert [h.value for h in at.subheader] == [markdown_literal(f"{SEED} · {state(at).loaded.trials[-1].title}")]
    titles = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert titles[0] == f"##### {markdown_literal(f'{codes[CONTROL]} · Control group')}"
    assert len(titles) == 6
    texts = [t.value for t in at.text]
    quotes = [t.strip("“”") for t in texts if t.startswith("“")]
    record = _record_strings()
    assert all(quote in record for quote in quotes)
    arms = sources_by_trial(state(at).arms, state(at).loaded)[0].arms
    for arm in arms:  # a sentence behind two numbers is quoted once, saying what it supports
        assert len({s.quote for s in arm.sentences}) == len(arm.sentences)
    assert len(quotes) == sum(len(arm.sentences) for arm in arms) < 6 * 3 - 1  # was each number's quote: 17
    assert any(s.supports == "dose, schedule" for arm in arms for s in arm.sentences)
    assert any(t.startswith("Dose per administration: 4.0×10⁶ cells/kg · Schedule: single") for t in texts)
    contradiction = [t for t in texts if t.startswith("⚑ contradiction · label-contradicts-dose")]
    assert contradiction
    whole = [t for t in texts if t.startswith("Whole trial: ⚑ contradiction · records-disagree: The records "
                                              "disagree on status")]
    assert len(whole) == 1  # a trial's flag once, not on each of its six arms
    for text in texts:  # within each arm, contradictions before guesses before gaps
        assert not text.startswith("⚑ note")


def test_bad_upload_shows_an_error_and_keeps_everything_loaded() -> None:
    at = run()
    before = metrics(at)
    at.file_uploader(key="uploader").set_value([("broken.txt", b"\x00\xff\xfe junk", "text/plain")]).run()
    assert not at.exception
    assert any("broken.txt" in as_read(e.value) for e in at.error)
    assert metrics(at)["Trials loaded"] == before["Trials loaded"]
    assert metrics(at)["Arms shown"] == before["Arms shown"]


def test_good_upload_adds_a_trial_with_a_converted_flat_dose() -> None:
    at = run()
    upload = ("uc-msc.txt", UPLOAD_RECORD.encode(), "text/plain")
    at.file_uploader(key="uploader").set_value([upload]).run()
    assert not at.exception
    assert metrics(at)["Trials loaded"] == str(BUNDLED_TRIALS + 1)
    arms = state(at).loaded.arms
    flat = arms[arms["trial_id"] == "NCT09999999"].iloc[0]
    assert flat["dose_converted"] and flat["cumulative_cells_per_kg"] == pytest.approx(3 * 1.5e8 / 70)


def test_colours_stay_with_their_arm_when_filtering() -> None:
    at = run_seed()
    before = state(at).loaded.colors
    at.button_group(key="phase").set_value(["Phase 1"]).run()
    assert state(at).loaded.colors == before
    for index in range(3):
        drawn = {point["data"][0]: point["color"] for point in points(chart_spec(at, index)["data"])}
        assert drawn["Phase I dose group 3 (4.0×10^6 cells/kg)"] == before[PHASE1_HIGH]


def test_a_filter_change_does_not_re_read_records(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_seed()
    import trialdata.load as load

    reads: list[str] = []
    original = load.read_file
    monkeypatch.setattr(load, "read_file", lambda name, data: reads.append(name) or original(name, data))
    at.button_group(key="phase").set_value(["Phase 2"]).run()
    assert not at.exception
    assert len(state(at).arms) == 3
    assert reads == []


def test_a_filter_change_rebuilds_only_what_the_selection_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Codes, colours, filter choices and flags depend only on what is loaded: a filter change reuses them (at
    hundreds of trials, rebuilding them was most of a rerun's server time), and only the shown arms change."""
    at = run_seed()
    import pages.common.sidebar as sidebar

    before = state(at).loaded
    builds: list[int] = []
    original = sidebar.load_state
    monkeypatch.setattr(sidebar, "load_state", lambda *a, **k: builds.append(1) or original(*a, **k))
    at.button_group(key="phase").set_value(["Phase 2"]).run()
    after = state(at)
    assert not at.exception and builds == []
    assert after.loaded.arms is before.arms and after.loaded.colors is before.colors
    assert after.loaded.options is before.options and after.loaded.arm_flags is before.arm_flags
    assert len(after.arms) == 3 < len(before.arms)


def test_json_and_zip_uploads_add_their_studies() -> None:
    data = json.loads((ROOT / "seeds" / "NCT01724398.json").read_text(encoding="utf-8"))
    data["protocolSection"]["identificationModule"]["nctId"] = "NCT09999998"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        other = copy_with_id(data, "NCT09999997")
        archive.writestr("97/NCT09999997.json", json.dumps(other))
        archive.writestr("97/broken.json", "{not json")
    at = run()
    at.file_uploader(key="uploader").set_value([
        ("NCT09999998.json", json.dumps(data).encode(), "application/json"),
        ("bulk.zip", buffer.getvalue(), "application/zip"),
    ]).run()
    assert not at.exception
    assert metrics(at)["Trials loaded"] == str(BUNDLED_TRIALS + 2)
    assert any("bulk.zip/97/broken.json" in as_read(e.value) and "not valid JSON" in as_read(e.value) for e in at.error)


def test_a_large_upload_is_loaded_whole_and_picked_up_to_the_default_arms() -> None:
    """An upload of many trials draws its first trials up to MAX_DEFAULT_ARMS arms, as a records folder does: all of
    them side by side is a wall of rows that takes seconds to draw. The rest load, and can be picked."""
    from trialdata.filters import MAX_DEFAULT_ARMS

    data = json.loads((ROOT / "seeds" / "NCT01724398.json").read_text(encoding="utf-8"))  # four arms
    studies = [copy_with_id(data, f"NCT0999{n:04d}") for n in range(20)]
    at = run()
    at.file_uploader(key="uploader").set_value([
        ("page.json", json.dumps({"studies": studies}).encode(), "application/json"),
    ]).run()
    assert not at.exception
    assert metrics(at)["Trials loaded"] == str(BUNDLED_TRIALS + 20)
    uploaded = {f"NCT0999{n:04d}" for n in range(20)}
    picked = set(at.multiselect(key="trial").value) & uploaded
    assert picked == {f"NCT0999{n:04d}" for n in range(MAX_DEFAULT_ARMS // 4)}
    shown = state(at).arms
    assert len(shown[shown["trial_id"].isin(uploaded)]) == MAX_DEFAULT_ARMS
    assert uploaded <= set(at.multiselect(key="trial").options)
    assert any(f"{20 - MAX_DEFAULT_ARMS // 4:,} more uploaded trial(s) are loaded but not picked" in c.value
               for c in at.caption)
    at.multiselect(key="trial").select("NCT09990019").run()  # a trial not picked at first can be
    shown = state(at).arms
    assert not at.exception and (shown["trial_id"] == "NCT09990019").sum() == 4
    # and the sidebar counts what is still waiting, not what the upload left
    assert any(f"{20 - MAX_DEFAULT_ARMS // 4 - 1:,} more uploaded trial(s) are loaded but not picked" in c.value
               for c in at.caption)
    for trial in sorted(uploaded - picked - {"NCT09990019"}):
        at.multiselect(key="trial").select(trial)
    at.run()
    assert not any("more uploaded trial(s) are loaded but not picked" in c.value for c in at.caption)


# A real study whose dose (2.5×10^7 cells/kg) is above every seed's (at most 4.0×10^6): the slider's full range
# over the seeds ends at 10^7, over both at 10^8.
HIGH_DOSE = ROOT / "tests" / "data" / "gold" / "msc-2022" / "NCT05491135.json"


def test_an_upload_widens_a_dose_range_left_at_full_width() -> None:
    at = run()
    assert at.select_slider(key="dose").value == (1e5, 1e7)
    at.file_uploader(key="uploader").set_value([(HIGH_DOSE.name, HIGH_DOSE.read_bytes(), "application/json")]).run()
    assert not at.exception
    assert at.select_slider(key="dose").value == (1e5, 1e8)
    assert 2.5e7 in set(state(at).arms["dose_cells_per_kg"])  # its arm is shown, not hidden by the old range


def test_an_upload_keeps_a_dose_range_the_user_narrowed() -> None:
    at = run()
    at.select_slider(key="dose").set_value((2e5, 5e6)).run()
    at.file_uploader(key="uploader").set_value([(HIGH_DOSE.name, HIGH_DOSE.read_bytes(), "application/json")]).run()
    assert not at.exception
    assert at.select_slider(key="dose").value == (2e5, 5e6)
    assert "NCT05491135" not in set(state(at).arms["trial_id"])


def copy_with_id(study: dict, nct: str) -> dict:
    copied = json.loads(json.dumps(study))
    copied["protocolSection"]["identificationModule"]["nctId"] = nct
    return copied


def test_records_folders_named_in_the_environment_replace_the_bundled_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "uc-msc.txt").write_text(UPLOAD_RECORD, encoding="utf-8")
    missing = tmp_path / "not-there"
    monkeypatch.setenv("TRIALDATA_RECORDS", f"{tmp_path}{os.pathsep}{missing}")
    at = run()
    assert metrics(at)["Trials loaded"] == "1"
    assert set(state(at).loaded.arms["trial_id"]) == {"NCT09999999"}
    assert metrics(at)["Problems in records"] == "1"
    problems = state(at).loaded.problems
    assert problems[0].path == str(missing) and "no such file or folder" in problems[0].message


def test_landing_places_the_richest_dosing_program_among_its_peers() -> None:
    at = run()
    sentence = next(m.value for m in at.markdown if m.value.startswith(":material/my_location:"))
    sentence = as_read(sentence)
    assert sentence.startswith(f":material/my_location: {SEED} gives 1.0×10⁶ to 4.0×10⁶ cells/kg per administration")
    others = state(at).loaded.arms
    peers = others[(others["trial_id"] != SEED) & others["dose_cells_per_kg"].notna()]
    assert f"{peers['arm_key'].nunique()} dosed arm(s) of {peers['trial_id'].nunique()} other trial(s)" in sentence
    assert [link.proto.page for link in at.get("page_link")][-1] == "across"  # the Across trials page


MIXED = ROOT / "tests" / "data" / "mixed-products"


def test_compare_draws_per_cm2_and_islet_doses_on_charts_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """CAR-T, CAR-NK, NK, virus-specific T-cell, MSC, islet and burn-wound trials loaded together."""
    monkeypatch.setenv("TRIALDATA_RECORDS", str(MIXED))
    at = run(trial=[p.stem for p in MIXED.glob("NCT*.json")])
    assert [m.value for m in at.markdown if m.value.startswith("**Doses in")] == ["**Doses in IEQ/kg**",
                                                                                 "**Doses in cells/cm2**"]
    assert len(at.get("plotly_chart")) == 3 + 2 * 2
    caption = next(c.value for c in at.caption if c.value.startswith("Doses in cells/kg"))
    assert "flat doses (hatched /) are converted at 70 kg" in caption
    assert "doses per m² (hatched ×) at 1.73 m² and 70 kg" in caption
    assert "charted below on their own axes" in caption


def test_the_reference_body_surface_area_converts_per_m2_doses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIALDATA_RECORDS", str(MIXED))
    at = run(trial="NCT00078533", bsa="2.0")
    rows = state(at).arms
    assert list(rows["dose_cells_per_kg"]) == pytest.approx([1e7 * 2.0 / 70, 1e8 * 2.0 / 70])
    shown = at.dataframe[0].value
    assert any("at 2 m², 70 kg" in str(text) for text in shown["Dose per administration"])


def test_across_trials_filters_by_cell_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIALDATA_RECORDS", str(MIXED))
    at = run("pages/across.py", x_type=["CAR-T", "CAR-NK"])
    assert metrics(at)["Trials chosen"] == f"2 of {len(list(MIXED.glob('NCT*.json')))}"


def test_filter_changes_within_the_listing_window_do_not_list_the_records_folders_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing a folder of 5,000 records (a stat of each file) took 48 ms of every filter change; the folders are
    listed at most every LISTING_SECONDS, and a filter change within that reads the last listing."""
    import shutil

    import pages.common.sidebar as sidebar

    shutil.copytree(ROOT / "seeds", tmp_path / "records")
    monkeypatch.setenv("TRIALDATA_RECORDS", str(tmp_path / "records"))
    listings: list[int] = []
    original = sidebar.stamped_record_files
    monkeypatch.setattr(sidebar, "stamped_record_files", lambda *a, **k: listings.append(1) or original(*a, **k))
    at = run()
    phases = list(at.pills(key="phase").options)
    for chosen in (phases[:1], phases, phases[:1]):
        at.pills(key="phase").set_value(chosen).run()
        assert not at.exception
    assert len(listings) == 1 and sidebar.LISTING_SECONDS <= 10
    assert metrics(at)["Trials loaded"] == str(BUNDLED_TRIALS)
