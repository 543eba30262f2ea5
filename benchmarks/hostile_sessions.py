"""The hostile part of the load test: uploads made to stall or bloat the server while colleagues browse.

Why: an upload is parsed in a worker process with a time and memory limit, and its trials live in the uploading
session's state only. This measures what that buys the other users, in three phases on one server:

0. warm-up: one upload and one visit to the table, then their sessions expire; the server's memory then is the
   baseline;
1. quiet: B browsing sessions each open the Comparison table with a filter, P times; their page times give the
   quiet median;
   then, once those sessions have expired, the server's memory is read (what browsing alone leaves);
2. hostile: the same B sessions browse P times again while H sessions each upload a different 1.3 MB API page of
   real MSC studies together with the whole hostile corpus (tests/data/hostile/: a zip of millions of empty
   objects, 20,000 broken entries, a 100 KB run of "a-", a thousand arms, markup, lone surrogates...), check
   the page shows no exception, then close;
3. after: every session closed, the server is left alone for longer than its disconnected-session TTL (120 s)
   and its memory is read again.

It passes when the browsing sessions' median page time under attack is at most twice the quiet median, no page
shows an exception, and the server's RSS (its worker processes included) is back within 10% of the baseline
taken after the warm-up.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "msc-2022"
HOSTILE = ROOT / "tests" / "data" / "hostile"
VIEWPORT = {"width": 1280, "height": 800}
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
EXCEPTION = "[data-testid='stException']"
UPLOAD_BYTES = int(1.3 * 1024 * 1024)
SLOWDOWN_LIMIT = 2.0
MEMORY_TOLERANCE = 0.10
SETTLE_SECONDS = 150  # longer than Streamlit's disconnected-session TTL (120 s), which keeps a closed tab's state


@dataclass
class HostileRun:
    quiet: list[float] = field(default_factory=list)
    attacked: list[float] = field(default_factory=list)
    uploads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_baseline: int = 0
    rss_after_quiet: int = 0  # once the quiet phase's sessions have expired: what browsing alone leaves
    rss_peak: int = 0
    rss_after: int = 0


def upload_pages(folder: Path, count: int) -> list[Path]:
    """`count` different API pages of about 1.3 MB, each of real studies from the MSC corpus drawn at random (the
    corpus holds 3.9 MB, so pages share some studies; no two pages are alike)."""
    studies = sorted(CORPUS.glob("NCT*.json"))
    pages = []
    for number in range(count):
        rng = random.Random(number)
        chosen, size = [], 0
        for path in rng.sample(studies, len(studies)):
            if size >= UPLOAD_BYTES:
                break
            text = path.read_text(encoding="utf-8")
            chosen.append(json.loads(text))
            size += len(text)
        page = folder / f"msc-page-{number + 1}.json"
        page.write_text(json.dumps({"studies": chosen}), encoding="utf-8")
        pages.append(page)
    return pages


async def page_time(page: Page, url: str, timeout_ms: float) -> float:
    """Seconds from navigation to the script's end with the table's caption shown."""
    started = time.perf_counter()
    await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    await page.wait_for_selector(CONNECTED, timeout=timeout_ms)
    await page.locator("[data-testid='stCaptionContainer']").filter(has_text="arm regimen(s)").first.wait_for(
        timeout=timeout_ms)
    await page.wait_for_selector(NOT_RUNNING, timeout=timeout_ms)
    return time.perf_counter() - started


async def browse(browser: Browser, base: str, queries: list[str], visits: int, timeout_ms: float,
                 into: list[float], errors: list[str]) -> None:
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        for visit in range(visits):
            try:
                into.append(await page_time(page, f"{base}/table?{queries[visit % len(queries)]}", timeout_ms))
                if await page.locator(EXCEPTION).count():
                    errors.append("browsing page shows an exception")
            except Exception as problem:  # a load test counts failures instead of stopping
                errors.append(f"browse: {type(problem).__name__}: {str(problem)[:120]}")
    finally:
        await context.close()


async def upload(browser: Browser, base: str, files: list[Path], timeout_ms: float, into: list[float],
                 errors: list[str]) -> None:
    """One hostile user: open the app, upload the files, wait for the page, check it, close the tab."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        await page.goto(base, wait_until="domcontentloaded", timeout=timeout_ms)
        await page.wait_for_selector(NOT_RUNNING, timeout=timeout_ms)
        await page.get_by_text("Add records").click(timeout=timeout_ms)
        started = time.perf_counter()
        await page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            [str(f) for f in files], timeout=timeout_ms)
        await page.locator("[data-testid='stSidebar']").get_by_text("Added this session").wait_for(timeout=timeout_ms)
        await page.wait_for_selector(NOT_RUNNING, timeout=timeout_ms)
        into.append(time.perf_counter() - started)
        if await page.locator(EXCEPTION).count():
            errors.append("an upload page shows an exception")
    except Exception as problem:
        errors.append(f"upload: {type(problem).__name__}: {str(problem)[:120]}")
    finally:
        await context.close()


async def run_hostile(browser: Browser, attackers: Browser, base: str, server_rss, queries: list[str], folder: Path,
                      browsers: int, hostile: int, visits: int, timeout_ms: float) -> HostileRun:
    """The three phases; `server_rss()` reads the server's RSS (KiB, children included). The hostile sessions
    (and the warm-up upload) use `attackers`, a browser of their own, so that it can run at a lower priority."""
    run = HostileRun()
    # The warm-up serves once what the phases will: an upload, and the table page the colleagues browse (its first
    # run imports the spreadsheet writer, 8 MiB that stay for the server's life: not what a session leaves).
    await upload(attackers, base, [ROOT / "seeds" / "NCT01724398.json"], timeout_ms, [], run.errors)
    await browse(browser, base, queries, 1, timeout_ms, [], run.errors)
    await asyncio.sleep(SETTLE_SECONDS)  # the warm-up sessions expire too
    run.rss_baseline = server_rss()
    await asyncio.gather(*(browse(browser, base, queries[n:] + queries[:n], visits, timeout_ms, run.quiet,
                                  run.errors) for n in range(browsers)))
    await asyncio.sleep(SETTLE_SECONDS)  # so that what the hostile uploads leave can be told from what browsing does
    run.rss_after_quiet = server_rss()
    corpus = sorted(HOSTILE.iterdir())
    pages = upload_pages(folder, hostile)

    async def attack(number: int) -> None:
        await asyncio.sleep(number * 1.5)  # uploads arrive one after another while the browsing goes on
        await upload(attackers, base, [pages[number], *corpus], timeout_ms, run.uploads, run.errors)

    async def sample_peak() -> None:
        while True:
            run.rss_peak = max(run.rss_peak, server_rss())
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample_peak())
    await asyncio.gather(*(browse(browser, base, queries[n:] + queries[:n], visits, timeout_ms, run.attacked,
                                  run.errors) for n in range(browsers)),
                         *(attack(n) for n in range(hostile)))
    sampler.cancel()
    await asyncio.sleep(SETTLE_SECONDS)
    run.rss_after = server_rss()
    return run


def hostile_report(run: HostileRun, browsers: int, hostile: int) -> tuple[list[tuple[str, str]], dict[str, bool]]:
    quiet = statistics.median(run.quiet) if run.quiet else 0.0
    attacked = statistics.median(run.attacked) if run.attacked else 0.0
    change = (run.rss_after - run.rss_baseline) / max(run.rss_baseline, 1)
    browsing_change = (run.rss_after_quiet - run.rss_baseline) / max(run.rss_baseline, 1)
    figures = [
        ("browsing sessions / hostile sessions", f"{browsers} / {hostile}"),
        ("browsing page time, quiet: median (n)", f"{quiet:.2f} s ({len(run.quiet)})"),
        ("browsing page time, under attack: median (n)", f"{attacked:.2f} s ({len(run.attacked)})"),
        ("ratio, under attack ÷ quiet", f"{attacked / max(quiet, 1e-9):.2f}"),
        ("upload to page shown: median, max", f"{statistics.median(run.uploads) if run.uploads else 0:.1f} s, "
                                             f"{max(run.uploads, default=0):.1f} s"),
        ("server RSS baseline (after warm-up, sessions expired)", f"{run.rss_baseline / 1024:.0f} MiB"),
        ("server RSS after the quiet sessions expired (no upload yet)",
         f"{run.rss_after_quiet / 1024:.0f} MiB ({browsing_change:+.1%})"),
        ("server RSS peak during the attack", f"{run.rss_peak / 1024:.0f} MiB"),
        (f"server RSS {SETTLE_SECONDS} s after every session closed", f"{run.rss_after / 1024:.0f} MiB "
                                                                      f"({change:+.1%})"),
        ("errors", str(len(run.errors))),
    ]
    checks = {
        f"browsing median under attack ≤ {SLOWDOWN_LIMIT:g}× quiet": bool(run.quiet and run.attacked)
        and attacked <= SLOWDOWN_LIMIT * quiet,
        f"memory back within {MEMORY_TOLERANCE:.0%} of baseline": bool(run.rss_baseline)
        and abs(change) <= MEMORY_TOLERANCE,
        "no errors, every upload shown": not run.errors and len(run.uploads) == hostile,
    }
    return figures, checks
