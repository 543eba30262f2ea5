"""Compare arms as it goes on a slide, in a real browser on the bundled records: every chart names the trial of
each arm it draws, the picture saved from a chart's toolbar is the chart, no two arms share a colour, a weekly and
a quarterly schedule both read, and a log dose axis draws markers."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, wait_for_app

TRIAL_FIRST = re.compile(r"^NCT\d{8} · ")
CHARTS = ("dose", "schedule", "cumulative")


def open_compare(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(3, timeout=30_000)
    expect(page.locator("[data-testid='stPlotlyChart']").nth(2).locator(".legendtext").first).to_be_attached(
        timeout=30_000)


def texts(page: Page, chart: int, selector: str) -> list[str]:
    found = page.locator("[data-testid='stPlotlyChart']").nth(chart).locator(selector)
    return [found.nth(i).text_content() or "" for i in range(found.count())]


def test_each_chart_and_its_downloaded_picture_name_the_trial_of_every_arm(server: str, page: Page) -> None:
    open_compare(page, server)
    for chart in (0, 1):
        rows = texts(page, chart, ".ytick text")
        assert len(rows) == 11 and all(TRIAL_FIRST.match(row) for row in rows), rows
    legend = texts(page, 2, ".legendtext")
    assert legend and all(TRIAL_FIRST.match(name) for name in legend), legend
    for index, name in enumerate(CHARTS):
        chart = page.locator("[data-testid='stPlotlyChart']").nth(index)
        chart.scroll_into_view_if_needed()
        chart.hover()
        button = chart.locator(".modebar-btn[data-title='Download plot as a PNG']")
        with page.expect_download() as download:
            button.click()
        path = SCREENSHOTS / f"compare-chart-{name}.png"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        download.value.save_as(path)
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        assert width >= 1000  # saved at twice the drawn size, for slides


def test_no_two_bars_share_a_colour_and_the_phase_comes_from_the_trial(server: str, page: Page) -> None:
    open_compare(page, server)
    bars = page.locator("[data-testid='stPlotlyChart']").nth(0).locator(".bars .point path")
    fills = [bars.nth(i).evaluate("node => getComputedStyle(node).fill") for i in range(bars.count())]
    assert len(fills) >= 9 and len(set(fills)) == len(fills)
    rows = texts(page, 0, ".ytick text")
    assert any(" · Ph 1/2 · " in row for row in rows)  # registered Phase 1/Phase 2, no phase in the arm's texts
    expect(page.locator("[data-testid='stSidebar']").get_by_text("Phase 1/2", exact=True)).to_be_visible()


def test_weekly_and_quarterly_schedules_both_read_and_log_doses_are_markers(server: str, page: Page) -> None:
    open_compare(page, server)
    title = page.locator("[data-testid='stPlotlyChart']").nth(1).locator(".xtitle")
    expect(title).to_have_text("day (0 = first dose), compressed scale")
    ticks = texts(page, 1, ".xtick text")
    assert {"0", "7", "28", "90", "180"} <= set(ticks)
    page.get_by_role("radio", name="linear").click()
    wait_for_app(page)
    expect(title).to_have_text("day (0 = first dose)")
    open_compare(page, f"{server}/?log=true")
    dose = page.locator("[data-testid='stPlotlyChart']").nth(0)
    expect(dose.locator(".scatterlayer .point").first).to_be_attached(timeout=30_000)
    assert dose.locator(".bars .point").count() == 0  # markers on a log axis, not bars from an arbitrary base


def test_coinciding_lines_are_drawn_dashed_in_the_browser(server: str, page: Page) -> None:
    """NCT01724398's two UC-MSC arms at 1.0×10⁵ cells/kg weekly ×4: the second line dashed over the first."""
    open_compare(page, server)
    lines = page.locator("[data-testid='stPlotlyChart']").nth(2).locator(".scatterlayer .trace .js-line")
    dashes = [lines.nth(i).evaluate("node => node.style.strokeDasharray || ''") for i in range(lines.count())]
    assert len(dashes) == len(texts(page, 2, ".legendtext"))
    assert sum(1 for dash in dashes if dash) >= 2  # the repeats of A12 (A14) and of A15 (A21)


def test_comparison_table_fits_its_rows_with_doses_in_view_at_1280(server: str, page: Page) -> None:
    page.goto(f"{server}/table")
    wait_for_app(page)
    table = page.locator("[data-testid='stTable']").first
    expect(table.locator("td").first).to_be_visible(timeout=30_000)
    headers = [h.strip() for h in table.locator("th").all_text_contents() if h.strip()]
    assert headers[:6] == ["Code", "Trial", "Arm", "Dose per administration", "Schedule", "Cumulative"]
    assert table.locator("tbody tr").count() == 23  # every row on the page, no box of ten
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    cumulative = table.locator("th", has_text="Cumulative").first.bounding_box()
    assert main and cumulative and cumulative["x"] + cumulative["width"] <= main["x"] + main["width"]  # in view
    longest = "conventional therapy plus hUC-MSCs treatment (medium dose)"
    cell = table.locator("td", has_text="(medium dose)").first
    assert (cell.text_content() or "").strip() == longest  # wrapped in full, not cut
    assert cell.evaluate("node => node.getBoundingClientRect().height") > 40  # on more than one line at 1280


def test_sources_page_names_a_trials_flag_once_and_stays_short(server: str, page: Page) -> None:
    page.goto(f"{server}/sources")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Sources & flags", timeout=30_000)
    whole = page.get_by_text("Whole trial: ⚑ contradiction · records-disagree: The records disagree on status")
    expect(whole).to_have_count(1)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    assert height < 10_000  # 23 arms; was about 10,000 px with each quote up to three times
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "sources-1920.png"))


def test_a_filter_that_hides_trials_is_named(server: str, page: Page) -> None:
    page.goto(f"{server}/?phase=Phase+3")
    wait_for_app(page)
    caption = page.get_by_text("Arms of 1 of 7 trials are shown, narrowed by Phase (Phase 3) (widen them in the "
                               "sidebar).")
    expect(caption).to_be_visible(timeout=30_000)
    assert page.get_by_text("with many arms loaded").count() == 0


def test_the_day_axis_choice_travels_in_the_link(server: str, page: Page) -> None:
    open_compare(page, f"{server}/?day_axis=linear")
    title = page.locator("[data-testid='stPlotlyChart']").nth(1).locator(".xtitle")
    expect(title).to_have_text("day (0 = first dose)")
    page.get_by_role("radio", name="compressed").click()
    wait_for_app(page)
    expect(title).to_have_text("day (0 = first dose), compressed scale")
    assert "day_axis=compressed" in page.url


def test_a_shared_link_opens_its_page_and_view_on_a_just_started_server(page: Page) -> None:
    """The start-up handover (pages/common.page_setup and app.py): on a server that has served nothing yet, a
    link to a page other than the landing one, with filters in its query, opens that page with those filters."""
    from .conftest import ROOT, free_port, start_streamlit

    port = free_port()
    process = start_streamlit(ROOT / "app.py", port)
    try:
        page.goto(f"http://127.0.0.1:{port}/table?trial=NCT06740149&day_axis=linear")
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text("Comparison table", timeout=30_000)
        expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("6 arm regimen(s)")
        assert "trial=NCT06740149" in page.url
    finally:
        process.terminate()
        process.wait(timeout=20)
