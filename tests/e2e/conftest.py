"""Real-browser fixtures: a Streamlit server on a free localhost port and Debian's Chromium.

Playwright drives /usr/bin/chromium directly (no browser download); the
server is started once per session with the project's own app.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment() -> dict[str, str]:
    """The variables scripts/server.env sets for the dashboard server, so that tests run it as it is run."""
    pairs = (line.split("=", 1) for line in (ROOT / "scripts" / "server.env").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def start_streamlit(app: Path, port: int, records: Path | None = None) -> subprocess.Popen[bytes]:
    """Start `streamlit run app` on localhost:port (on the records folder `records`, else the bundled seeds/) and
    wait until it answers its health check."""
    env = {**os.environ, **server_environment(), **({"TRIALDATA_RECORDS": str(records)} if records else {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--global.developmentMode", "false",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not answer its health check within 60 s")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    port = free_port()
    process = start_streamlit(ROOT / "app.py", port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def mixed_server() -> Iterator[str]:
    """The app on real CAR-T, CAR-NK, NK, virus-specific T-cell, MSC, islet and burn-wound records together."""
    port = free_port()
    process = start_streamlit(ROOT / "app.py", port, ROOT / "tests" / "data" / "mixed-products")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def markup_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a record whose id, title, condition and arm label hold Markdown, KaTeX and HTML (the richest
    dosing program, so the trial in focus) beside a record of arms without doses."""
    folder = tmp_path_factory.mktemp("markup")
    for path in (ROOT / "tests" / "data" / "hostile" / "NCT09990004-markup.json",
                 ROOT / "tests" / "data" / "bad" / "no-doses.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    port = free_port()
    process = start_streamlit(ROOT / "app.py", port, folder)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page: Page) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=30_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def scroll_main(page: Page, y: int) -> None:
    """Scroll the page's main column (Streamlit scrolls it, not the window) to `y` pixels."""
    page.evaluate(f"document.querySelector('[data-testid=stMain]').scrollTo(0, {y})")
    page.wait_for_timeout(800)
