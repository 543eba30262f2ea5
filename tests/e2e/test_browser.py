"""The dashboard in a real browser: what a user sees after running the README's command."""

from __future__ import annotations

from playwright.sync_api import Page

from .conftest import screenshot, wait_for_app


def test_landing_page_shows_the_seed_arms(server: str, page: Page) -> None:
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
    assert "Cell-therapy trial arms" in page.inner_text("h1")
    assert "1 trial(s), 6 arm regimen(s)" in page.inner_text("[data-testid='stCaptionContainer']")
    assert screenshot(page, "landing").stat().st_size > 10_000
