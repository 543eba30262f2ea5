"""The dashboard in a real browser (Debian's Chromium): what a user sees, clicks and downloads."""

from __future__ import annotations

import json
from urllib.parse import quote

import pandas as pd
from playwright.sync_api import Page, expect

from trialdata.export import ACROSS_COLUMNS, TABLE_COLUMNS

from .conftest import ROOT, screenshot, scroll_main, wait_for_app

SEED = "NCT06740149"
REMOVED = f"{SEED} · Phase I dose group 3 (4.0×10^6 cells/kg)"
CHART_PAGES = {"", "across", "arm_detail"}  # the pages that draw plotly charts on the bundled records
PAGES = {"": "Compare arms", "across": "Across trials", "arm_detail": "Arm detail", "table": "Comparison table",
         "sources": "Sources & flags"}


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)


def chip_labels(page: Page) -> list[str]:
    chips = page.locator("[data-testid='stMultiSelect']").filter(has_text="Arms").locator(
        "[data-testid='stMultiSelectTagsContainer'] span[title]")
    expect(chips.first).to_be_attached(timeout=30_000)
    return [chips.nth(i).get_attribute("title") or "" for i in range(chips.count())]


def axis_codes(page: Page, chart: int) -> set[str]:
    ticks = page.locator("[data-testid='stPlotlyChart']").nth(chart).locator(".ytick text")
    expect(ticks.first).to_be_attached(timeout=30_000)  # plotly draws after the script has run
    return {ticks.nth(i).text_content() or "" for i in range(ticks.count())}


def grid_text(page: Page) -> str:
    """The table's cells as the grid's accessibility table gives them (the grid itself is a canvas)."""
    cells = page.locator("[data-testid='stDataFrame'], [data-testid='stTable']").first.locator("td")
    expect(cells.first).to_be_attached(timeout=30_000)
    return " | ".join(cells.nth(i).text_content() or "" for i in range(cells.count()))


def test_landing_page_draws_three_charts(server: str, page: Page) -> None:
    open_page(page, server)
    charts = page.locator("[data-testid='stPlotlyChart']")
    expect(charts).to_have_count(3, timeout=30_000)
    for i, title in enumerate(["Dose per administration", "Schedule", "Cumulative dose"]):
        expect(charts.nth(i).locator(".gtitle")).to_have_text(title)
    expect(charts.nth(0).locator(".xtitle")).to_have_text("cells/kg per administration")
    expect(charts.nth(2).locator(".ytitle")).to_have_text("cumulative cells/kg")
    arms_shown = page.locator("[data-testid='stMetric']").filter(has_text="Arms shown")
    expect(arms_shown.locator("[data-testid='stMetricValue']")).to_contain_text(" of ", timeout=30_000)
    shown = arms_shown.locator("[data-testid='stMetricValue']").inner_text()
    total = int(shown.split(" of ")[-1].strip())
    assert f"{total} of {total}" in shown
    note = page.get_by_text("Not charted, as their records state neither a cell dose nor a schedule")
    uncharted = set(note.inner_text().split(": ", 1)[1].rstrip(".").split(", "))
    charted = axis_codes(page, 0)
    assert not charted & uncharted and len(charted | uncharted) == total


def test_deselecting_an_arm_removes_it_from_charts_and_table(server: str, page: Page) -> None:
    open_page(page, f"{server}/?trial={SEED}")
    expect(page.locator("[data-testid='stMetric']").nth(1)).to_contain_text("6 of ")
    ticks = page.locator("[data-testid='stPlotlyChart']").nth(0).locator(".ytick text")
    expect(ticks).to_have_count(6, timeout=30_000)  # plotly draws after the script has run
    codes_before = axis_codes(page, 0)
    page.get_by_role("button", name=f"Remove {REMOVED}").click()
    wait_for_app(page)
    expect(page.locator("[data-testid='stMetric']").nth(1)).to_contain_text("5 of ")
    expect(ticks).to_have_count(5, timeout=30_000)
    gone = codes_before - axis_codes(page, 0)
    assert len(gone) == 1 and not gone & axis_codes(page, 1)
    assert REMOVED not in chip_labels(page)
    page.get_by_role("link", name="Comparison table").click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Comparison table")
    assert REMOVED not in chip_labels(page), "the filter must survive a page change"
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("5 arm regimen(s)")
    assert "Phase I dose group 3" not in grid_text(page) and "Phase I dose group 2" in grid_text(page)


def test_shared_url_reproduces_the_view(server: str, page: Page) -> None:
    keep = [f"{SEED} · Control group", f"{SEED} · Phase II medium dose group"]
    query = "&".join(f"arm={quote(k)}" for k in keep)
    open_page(page, f"{server}/table?{query}&type=Experimental")
    assert chip_labels(page) == keep
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("1 arm regimen(s)")
    assert "Phase II medium dose group" in grid_text(page) and "Control group" not in grid_text(page)


def test_downloads_hold_the_filtered_rows(server: str, page: Page, tmp_path) -> None:
    open_page(page, f"{server}/table?trial={SEED}&phase=Phase+1")
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    csv = pd.read_csv(csv_download.value.path())
    assert list(csv.columns) == TABLE_COLUMNS
    assert list(csv["dose_per_administration"]) == [1e6, 2e6, 4e6]
    assert set(csv["phase"]) == {"Phase 1"}
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download Excel").click()
    assert xlsx_download.value.suggested_filename == "arm-comparison.xlsx"
    workbook = pd.read_excel(xlsx_download.value.path(), sheet_name=None)
    assert set(workbook) == {"Arms", "Administrations", "Settings"}
    settings = dict(zip(workbook["Settings"]["Setting"], workbook["Settings"]["Value"], strict=True))
    assert settings["Filter: Phase"].startswith("1 of ") and settings["Filter: Phase"].endswith("Phase 1")
    assert list(workbook["Arms"]["chart_code"]) == list(csv["chart_code"])
    assert len(workbook["Arms"]) == 3
    assert list(workbook["Administrations"]["day (day 0 = first dose)"]) == [0, 0, 0]


def test_every_page_at_1280_by_800(server: str, page: Page) -> None:
    for path, title in PAGES.items():
        open_page(page, f"{server}/{path}")
        expect(page.locator("h1").first).to_have_text(title)
        expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=30_000)
        if path in CHART_PAGES:
            expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)  # let plotly finish drawing before the picture
        assert page.locator("[data-testid='stException']").count() == 0
        assert screenshot(page, path or "compare").stat().st_size > 20_000


HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TEXT = "<script>window.__pwned=2</script> Patients receive 1×10^6 cells/kg once."


def test_record_html_shows_as_plain_text(server: str, page: Page, tmp_path) -> None:
    study = json.loads((ROOT / "seeds" / "NCT01724398.json").read_text(encoding="utf-8"))
    study["protocolSection"]["identificationModule"]["nctId"] = "NCT09999990"
    study["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["label"] = HOSTILE_LABEL
    study["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["description"] = HOSTILE_TEXT
    upload = tmp_path / "hostile.json"
    upload.write_text(json.dumps(study), encoding="utf-8")
    open_page(page, server)
    page.get_by_text("Add records").click()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
    wait_for_app(page)
    expect(page.locator("[data-testid='stMetric']").nth(0)).to_contain_text("8", timeout=30_000)
    page.get_by_role("link", name="Sources & flags").click()
    wait_for_app(page)
    expect(page.get_by_text(HOSTILE_LABEL, exact=False).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("<script>window.__pwned=2</script>", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Arm detail").click()
    wait_for_app(page)
    page.locator("[data-testid='stSelectbox'] input").fill("onerror")
    page.get_by_role("option").filter(has_text="onerror").first.click()
    wait_for_app(page)
    expect(page.locator("[data-testid='stCode']")).to_contain_text("<script>window.__pwned=2</script>", timeout=30_000)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script:has-text('__pwned')").count() == 0


def trial_rows(page: Page) -> list[str]:
    """The trials the across-trials dose chart has rows for, top to bottom."""
    ticks = page.locator("[data-testid='stPlotlyChart']").nth(0).locator(".ytick text")
    expect(ticks.first).to_be_attached(timeout=30_000)
    boxes = [(ticks.nth(i).bounding_box() or {"y": 0.0}, ticks.nth(i).text_content() or "")
             for i in range(ticks.count())]
    return [label[:11] for _, label in sorted(boxes, key=lambda b: b[0]["y"])]  # each label starts with its NCT id


def test_across_trials_page_puts_every_trial_on_one_dose_axis(server: str, page: Page) -> None:
    open_page(page, f"{server}/across")
    charts = page.locator("[data-testid='stPlotlyChart']")
    expect(charts).to_have_count(2, timeout=30_000)
    expect(charts.nth(0).locator(".xtitle")).to_have_text("cells/kg per administration")
    expect(charts.nth(1).locator(".ytitle")).to_have_text("cumulative cells/kg")
    expect(charts.nth(0).locator(".legendtext").nth(1)).to_have_text(
        "flat or per-m² dose, converted at 70 kg (1.73 m²)")
    shown = page.locator("[data-testid='stMetric']").first.inner_text()
    total = int(shown.split(" of ")[-1].strip())
    rows = trial_rows(page)
    assert len(rows) == total and rows[0] == SEED  # every trial gets a row; the trial in focus on top
    page.get_by_text("Choose trials by condition").click()
    sources = page.locator("[data-testid='stMultiSelect']").filter(has_text="Cell source")
    expect(sources).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # the expander opens with an animation; a click during it misses the input
    sources.locator("input").click()
    page.locator("[role='option']").filter(has_text="umbilical cord").click()
    wait_for_app(page)
    page.keyboard.press("Escape")
    expect(page.locator("[data-testid='stMetric']").first).not_to_contain_text(f"{total} of", timeout=30_000)
    chosen = int(page.locator("[data-testid='stMetric']").first.inner_text().split("\n")[-1].split(" of ")[0])
    expect(charts.nth(0).locator(".ytick text")).to_have_count(chosen, timeout=30_000)
    assert SEED not in trial_rows(page)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    csv = pd.read_csv(csv_download.value.path())
    assert list(csv.columns) == ACROSS_COLUMNS
    assert csv["trial_id"].nunique() == chosen and SEED not in set(csv["trial_id"])


def test_compare_filters_survive_a_visit_to_across_trials(server: str, page: Page) -> None:
    open_page(page, f"{server}/?trial={SEED}")
    expect(page.locator("[data-testid='stMetric']").nth(1)).to_contain_text("6 of ", timeout=30_000)
    page.get_by_role("button", name=f"Remove {REMOVED}").click()
    wait_for_app(page)
    expect(page.locator("[data-testid='stMetric']").nth(1)).to_contain_text("5 of ", timeout=30_000)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Across trials").click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Across trials")
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(2, timeout=30_000)
    page.get_by_role("link", name="Compare arms").click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Compare arms")
    expect(page.locator("[data-testid='stMetric']").nth(1)).to_contain_text("5 of ", timeout=30_000)
    assert REMOVED not in chip_labels(page)


def test_arm_detail_figures_are_read_whole_at_1280(server: str, page: Page) -> None:
    """The headline figures of an arm with a long schedule and cumulative dose are not cut short."""
    arm = "NCT01573923 · mesenchymal stem cells"  # every 3 months ×4; 2.29×10⁶ cells/kg cumulative
    open_page(page, f"{server}/arm_detail?detail={quote(arm)}")
    values = page.locator("[data-testid='stMetricValue']")
    expect(values).to_have_count(4, timeout=30_000)
    expect(values.nth(1)).to_have_text("every 3 months ×4")
    for i in range(4):
        cut = values.nth(i).evaluate(
            "e => [e, ...e.querySelectorAll('*')].some(n => n.scrollWidth > n.clientWidth + 1)")
        assert not cut, f"'{values.nth(i).inner_text()}' is cut short"


MIXED_TRIALS = sorted(path.stem for path in (ROOT / "tests" / "data" / "mixed-products").glob("NCT*.json"))


def test_cell_products_of_every_unit_side_by_side_at_both_screen_sizes(mixed_server: str, page: Page) -> None:
    """CAR-T (per kg and flat by weight band), CAR-NK (flat), NK (per kg), virus-specific T cells (per m²), MSC (per
    kg), islets (IEQ/kg) and a burn-wound MSC product (per cm²): Compare and Across trials at 1280×800 and
    1920×1080, with the doses that have no cells/kg equivalent on charts of their own."""
    trials = "&".join(f"trial={quote(trial)}" for trial in MIXED_TRIALS)
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, f"{mixed_server}/?{trials}")
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(7, timeout=30_000)
        notes = page.locator("[data-testid='stPlotlyChart']").first.locator(".annotation-text")
        expect(notes.filter(has_text="in cells/cm2: own chart").first).to_be_attached()
        page.wait_for_timeout(1500)
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, f"cell-products-compare-{width}")
        heading = page.get_by_text("Doses in cells/cm2", exact=True)
        heading.scroll_into_view_if_needed()
        expect(page.locator("[data-testid='stPlotlyChart']").nth(5).locator(".xtitle")).to_have_text(
            "cells/cm2 per administration")
        page.wait_for_timeout(1000)
        screenshot(page, f"cell-products-compare-own-axes-{width}")
        open_page(page, f"{mixed_server}/across")
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(6, timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, f"cell-products-across-{width}")
        scroll_main(page, height - 100)
        screenshot(page, f"cell-products-across-{width}-below")


MARKUP = '**bold** [link](https://example.org) $x^2$ <a href="https://example.org">a</a> <b>b</b>'


def test_record_markup_and_file_names_show_as_written_in_a_real_browser(markup_server: str, page: Page,
                                                                          tmp_path) -> None:
    """Markdown, KaTeX and HTML in a trial id, title, condition and arm label, and in an uploaded file's name: on
    Compare arms and Across trials they are text, never bold, a link or a formula; and plotly shows the tags."""
    upload = tmp_path / "**bold** $x^2$ <b>b.json"  # no slash: a file name cannot hold one
    upload.write_bytes((ROOT / "seeds" / "NCT01724398.json").read_bytes())
    open_page(page, markup_server)
    page.get_by_text("Add records").click()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
    wait_for_app(page)
    expect(page.get_by_text(f"Added this session: {upload.name}")).to_be_visible(timeout=30_000)
    for path in ("", "across", "sources", "arm_detail", "table"):
        if path:
            open_page(page, f"{markup_server}/{path}")
        quoting = page.locator("[data-testid='stMain']").get_by_text("example.org", exact=False).first
        expect(quoting).to_be_visible(timeout=30_000)
        shown = (quoting.text_content() or "").replace("\u2060", "")  # word joiners keep addresses unlinked
        assert f"NCT09990004 {MARKUP}" in shown
        if path == "across":  # its dose chart has a row per trial, named by its id
            labels = axis_codes(page, 0)
            assert any(f"NCT09990004 {MARKUP}" in label for label in labels)  # the tags, as text
        main = page.locator("[data-testid='stMain']")
        assert main.locator("a[href='https://example.org']").count() == 0
        assert main.locator(".katex").count() == 0
        assert main.locator("strong", has_text="bold").count() == 0
        assert page.locator("[data-testid='stSidebar'] strong", has_text="bold").count() == 0
        screenshot(page, f"markup-{path or 'compare'}")
