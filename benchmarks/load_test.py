"""Bounded concurrent-users load test of the dashboard: a script, not part of the pytest run.

Why: the Comparison table and its CSV download must stay correct, and the server's
memory steady, when many colleagues filter and download at once. One Streamlit
server runs app.py on a free localhost port; one headless Chromium (Debian's, never
a Playwright download) holds N browser contexts that each, for R rounds, open the
table with a filter in the URL, download the CSV and compare it with what the
library itself exports for that filter. The server's RSS is sampled every 0.5 s.

    cd /work/main && /tmp/venv/bin/python benchmarks/load_test.py [--sessions 20] [--rounds 5] [--timeout 120]

With `--hostile H` it runs the hostile scenario of benchmarks/hostile_sessions.py instead: `--browsing B`
sessions browse the table, quietly and then while H sessions upload hostile files, and the server's memory is
read again after every session has closed.

    cd /work/main && /tmp/venv/bin/python benchmarks/load_test.py --hostile 6 [--browsing 3] [--visits 6] \
        [--no-attackers-idle]

Exit status 0 when every criterion passes (no errors, every download correct,
memory steady; for --hostile: browsing within 2× its quiet median, memory back
within 10% of its baseline), 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

# Every figure here reads records afresh unless it says otherwise: a parsed-record cache on disk (see
# trialdata.parsed_cache) left by an earlier run would answer for the reading being measured.
os.environ["TRIALDATA_CACHE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repo root: trialdata and tests.e2e.conftest

from benchmarks.hostile_sessions import hostile_report, run_hostile  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, free_port, start_streamlit  # noqa: E402
from trialdata import arms_frame, load_paths  # noqa: E402
from trialdata.export import TABLE_COLUMNS, to_csv  # noqa: E402
from trialdata.filters import ArmFilter, apply_filter, filter_options  # noqa: E402
from trialdata.notation import format_cells  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
CAPTION = "[data-testid='stCaptionContainer']"
EXCEPTION = "[data-testid='stException']"
SAMPLE_SECONDS = 0.5
STEADY_FACTOR = 1.5
SEED = "NCT06740149"

# URL filters the sessions cycle through; each keeps at least one row, so the page offers a download.
QUERIES: list[dict[str, list[str]]] = [
    {"trial": [SEED], "phase": ["Phase 1"]},
    {"trial": [SEED], "phase": ["Phase 2"]},
    {"type": ["Experimental"]},
    {},
    {"trial": [SEED], "dose": ["2.0×10⁶", "5.0×10⁶"]},
    {"trial": ["NCT01724398", "NCT01573923"]},
    {"phase": ["Phase 1/2"]},  # arms that take their trial's phase
    {"type": ["Active comparator", "Placebo comparator"]},
    {"cells": ["Non-cellular"]},
    {"trial": ["NCT01854125"], "phase": ["Phase 3"], "dose": ["5.0×10⁵", "1.0×10⁶"]},
]


@dataclass(frozen=True)
class Scenario:
    """One URL filter and the CSV rows the library exports for it (the reference the download must equal)."""

    query: str
    rows: list[list[str]]


@dataclass
class RoundResult:
    session: int
    round: int
    query: str
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class Run:
    """Everything measured, filled in while the sessions run."""

    results: list[RoundResult] = field(default_factory=list)
    rss_after_round: dict[int, int] = field(default_factory=dict)
    rss_start: int = 0
    rss_end: int = 0
    wall_seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    machine_busy: float = 0.0


def first_line(problem: BaseException) -> str:
    """An exception's first line, short enough for the report (asyncio timeouts have none)."""
    return next(iter(str(problem).splitlines()), "")[:160]


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def build_scenarios() -> list[Scenario]:
    """Expected rows per filter, computed with trialdata as the page does (bundled seeds, default weight).

    The dashboard names each record by its bare file name in flags ("... (NCT06740149.json)"), while
    load_paths names it by the path it was given; loading from inside seeds/ makes the two agree.
    """
    with contextlib.chdir(ROOT / "seeds"):
        arms = arms_frame(load_paths(["."]).trials)
    steps = {format_cells(step): step for step in filter_options(arms).dose_steps}
    scenarios = []
    for query in QUERIES:
        dose = query.get("dose")
        selection = ArmFilter(
            trials=tuple(query["trial"]) if "trial" in query else None,
            arm_types=tuple(query["type"]) if "type" in query else None,
            phases=tuple(query["phase"]) if "phase" in query else None,
            cellular=tuple(query["cells"]) if "cells" in query else None,
            dose_range=(steps[dose[0]], steps[dose[1]]) if dose else None,
        )
        rows = parse_csv(to_csv(apply_filter(arms, selection)))
        if rows[0] != TABLE_COLUMNS or len(rows) < 2:
            raise SystemExit(f"bad scenario {query}: the library gives {len(rows) - 1} rows")
        scenarios.append(Scenario(urlencode(query, doseq=True), rows[1:]))
    return scenarios


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def tree_rss_kib(pid: int) -> int:
    """VmRSS of a process and all its descendants (from /proc), in KiB; 0 once it is gone."""
    total, stack, seen = 0, [pid], set()
    while stack and len(seen) < 10_000:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        for task in tasks:
            try:
                stack.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return total


class RssSampler(threading.Thread):
    """Samples the server's RSS every 0.5 s in a thread, so a busy event loop cannot skip samples."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[int] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_SECONDS):
            self.samples.append(tree_rss_kib(self.pid))


class StderrDrain(threading.Thread):
    """Reads the server's stderr so a full pipe can never block it, keeping the last lines for the report."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.lines: deque[str] = deque(maxlen=40)
        self.count = 0

    def run(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.count += 1
            self.lines.append(raw.decode("utf-8", "replace").rstrip())


async def open_table(page: Page, url: str, timeout_ms: float) -> str:
    """Open a table URL and wait until the script has finished; returns the caption text."""
    await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    await page.wait_for_selector(CONNECTED, timeout=timeout_ms)
    caption = page.locator(CAPTION).filter(has_text="arm regimen(s)").first
    await caption.wait_for(timeout=timeout_ms)
    await page.wait_for_selector(NOT_RUNNING, timeout=timeout_ms)
    return await caption.inner_text(timeout=timeout_ms)


async def one_round(page: Page, base: str, scenario: Scenario, timeout_ms: float, media: dict[str, str]) -> str:
    """Navigate, download the CSV and check it; returns "" when correct, otherwise what was wrong.

    `media` maps each /media/ URL the page fetched to its HTTP status, to say why a download failed.
    """
    caption = await open_table(page, f"{base}/table?{scenario.query}", timeout_ms)
    if await page.locator(EXCEPTION).count():
        return "exception: " + (await page.locator(EXCEPTION).first.inner_text(timeout=timeout_ms))[:200]
    if not caption.startswith(f"{len(scenario.rows)} arm regimen(s)"):
        return f"mismatch: caption {caption[:60]!r}, expected {len(scenario.rows)} rows"
    async with page.expect_download(timeout=timeout_ms) as info:
        await page.get_by_role("button", name="Download CSV").click(timeout=timeout_ms)
    download = await info.value
    failure = await download.failure()
    if failure:
        return f"download failed: {failure}; media request: {media.get(download.url, 'none seen')}"
    data = Path(await download.path()).read_bytes()
    await download.delete()
    rows = parse_csv(data)
    if not rows or rows[0] != TABLE_COLUMNS:
        return f"mismatch: header {rows[0] if rows else None}"
    if rows[1:] != scenario.rows:
        return f"mismatch: {len(rows) - 1} rows differ from the library's {len(scenario.rows)}"
    if await page.locator(EXCEPTION).count():
        return "exception after download"
    return ""


async def session(browser: Browser, base: str, number: int, scenarios: list[Scenario], args: argparse.Namespace,
                  barrier: asyncio.Barrier, run: Run, server_pid: int) -> None:
    """One user: a fresh context, `rounds` table visits, all sessions starting each round together."""
    timeout_ms = args.timeout * 1000
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        page = await context.new_page()
        media: dict[str, str] = {}
        page.on("response", lambda response: media.__setitem__(response.url, f"HTTP {response.status}")
                if "/media/" in response.url else None)
        page.on("requestfailed", lambda request: media.__setitem__(request.url, f"failed {request.failure}")
                if "/media/" in request.url else None)
        for round_number in range(args.rounds):
            scenario = scenarios[(number + 3 * round_number) % len(scenarios)]
            started = time.perf_counter()
            try:  # every wait inside has its own timeout; this bounds the round as a whole
                error = await asyncio.wait_for(one_round(page, base, scenario, timeout_ms, media), args.timeout * 4)
            except (PlaywrightTimeout, TimeoutError) as problem:
                error = f"timeout: {first_line(problem) or 'the round took too long'}"
            except Exception as problem:  # a load test counts every failure instead of stopping
                error = f"{type(problem).__name__}: {first_line(problem)}"
            run.results.append(RoundResult(number, round_number + 1, scenario.query,
                                           time.perf_counter() - started, not error, error))
            try:
                if await asyncio.wait_for(barrier.wait(), args.timeout * 5) == 0:
                    run.rss_after_round[round_number + 1] = tree_rss_kib(server_pid)
            except (TimeoutError, asyncio.BrokenBarrierError):
                run.results.append(RoundResult(number, round_number + 1, "(barrier)", 0.0, False, "barrier broken"))
                break
    finally:
        await context.close()


async def drive(base: str, server_pid: int, args: argparse.Namespace, scenarios: list[Scenario], run: Run) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            warm = await browser.new_context(viewport=VIEWPORT)
            await open_table(await warm.new_page(), f"{base}/table", args.timeout * 1000)
            await warm.close()
            await asyncio.sleep(1)
            run.rss_start = tree_rss_kib(server_pid)
            barrier = asyncio.Barrier(args.sessions)
            cpu_before, (busy_before, total_before) = cpu_seconds(server_pid), machine_ticks()
            started = time.perf_counter()
            await asyncio.gather(*(session(browser, base, n, scenarios, args, barrier, run, server_pid)
                                   for n in range(args.sessions)))
            run.wall_seconds = time.perf_counter() - started
            run.server_cpu_seconds = cpu_seconds(server_pid) - cpu_before
            busy_after, total_after = machine_ticks()
            run.machine_busy = (busy_after - busy_before) / max(1, total_after - total_before)
        finally:
            await browser.close()
    await asyncio.sleep(2)  # let the server drop the closed sessions' websockets
    run.rss_end = tree_rss_kib(server_pid)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 when there is nothing to rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def report(run: Run, samples: list[int], args: argparse.Namespace, stderr: StderrDrain) -> bool:
    """Print the figures and the PASS/FAIL criteria; True when all pass."""
    correct = [r for r in run.results if r.ok]
    errors = [r for r in run.results if not r.ok]
    times = [r.seconds for r in correct]
    first = run.rss_after_round.get(1, 0)
    last = run.rss_after_round.get(max(run.rss_after_round, default=0), 0)
    peak = max([*samples, run.rss_start, run.rss_end])
    expected = args.sessions * args.rounds
    figures = [
        ("sessions", str(args.sessions)), ("rounds", str(args.rounds)),
        ("downloads checked correct", f"{len(correct)} of {expected}"), ("errors", str(len(errors))),
        ("wall time", f"{run.wall_seconds:.1f} s"),
        ("time per round, median", f"{statistics.median(times) if times else 0:.2f} s"),
        ("time per round, p95", f"{percentile(times, 0.95):.2f} s"),
        ("time per round, max", f"{max(times, default=0):.2f} s"),
        ("server CPU during the sessions", f"{run.server_cpu_seconds:.0f} s "
                                           f"({run.server_cpu_seconds / max(run.wall_seconds, 1e-9):.2f} cores)"),
        ("machine CPU busy during the sessions", f"{run.machine_busy:.0%} of {os.cpu_count()} cores"),
        ("server RSS at start (after warm-up)", mib(run.rss_start)),
        ("server RSS after round 1", mib(first)),
        ("server RSS after last round", mib(last)),
        ("server RSS peak (0.5 s samples)", mib(peak)),
        ("server RSS at end", mib(run.rss_end)),
        ("RSS growth, first → last round", f"{(last - first) / 1024:+.0f} MiB"),
        ("RSS samples", str(len(samples))),
        ("server stderr lines", str(stderr.count)),
    ]
    print("\n| figure | value |\n| --- | --- |")
    for name, value in figures:
        print(f"| {name} | {value} |")
    medians = {n: statistics.median([r.seconds for r in correct if r.round == n])
               for n in sorted({r.round for r in correct})}
    print("\nMedian time per round number: " + ", ".join(f"{n}: {t:.1f} s" for n, t in medians.items()))
    print("RSS after each round: " + ", ".join(f"{k}: {mib(v)}" for k, v in sorted(run.rss_after_round.items())))
    if errors:
        print(f"\nErrors by kind: {dict(Counter(e.error.split(':')[0] for e in errors))}")
        for error in errors[:10]:
            print(f"  session {error.session} round {error.round} ?{error.query}: {error.error}")
    if stderr.lines:
        print("\nLast server stderr lines:\n  " + "\n  ".join(stderr.lines))
    checks = {
        "errors == 0": not errors,
        "every download correct": len(correct) == expected,
        f"memory steady (end ≤ {STEADY_FACTOR}× after round 1)": bool(first) and run.rss_end <= STEADY_FACTOR * first,
    }
    print()
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return all(checks.values())


def idle_chromium(folder: Path, idle: bool) -> str:
    """A Chromium for the hostile users' browsers, run under the idle scheduling policy (it gets a core only when
    nothing else wants one). On a real server the attackers' browsers run on their own machines; here they share
    the two cores with the server and the colleagues' browser, and without this the browsing figure measures
    Chromium drawing six upload pages (1.8 of the 2 cores during the attack in a run of 2026-12-02, the server
    0.12), not what the uploads cost the server. Niceness is not enough: Chromium, run as root, sets its own
    processes' niceness back (to -8, 0 and 5); it keeps the policy."""
    if not idle:
        return CHROMIUM
    wrapper = folder / "chromium-idle"
    wrapper.write_text(f'#!/bin/sh\nexec chrt --idle 0 {CHROMIUM} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


async def drive_hostile(base: str, server_pid: int, args: argparse.Namespace, scenarios: list[Scenario],
                        folder: Path) -> bool:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        attackers = await playwright.chromium.launch(executable_path=idle_chromium(folder, args.attackers_idle),
                                                     args=CHROMIUM_FLAGS, headless=True)
        try:
            run = await run_hostile(browser, attackers, base, lambda: tree_rss_kib(server_pid),
                                    [s.query for s in scenarios], folder, args.browsing, args.hostile, args.visits,
                                    args.timeout * 1000)
        finally:
            await attackers.close()
            await browser.close()
    figures, checks = hostile_report(run, args.browsing, args.hostile)
    print("\n| figure | value |\n| --- | --- |")
    for name, value in figures:
        print(f"| {name} | {value} |")
    for error in run.errors[:10]:
        print(f"  error: {error}")
    print()
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="simultaneous browser sessions (default 20)")
    parser.add_argument("--rounds", type=int, default=5, help="table visits + downloads per session (default 5)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for each wait (default 120)")
    parser.add_argument("--hostile", type=int, default=0, help="run the hostile-upload scenario with this many "
                                                                "uploading sessions (default: the download test)")
    parser.add_argument("--browsing", type=int, default=3, help="browsing sessions beside them (default 3)")
    parser.add_argument("--visits", type=int, default=6, help="table visits per browsing session and phase")
    parser.add_argument("--attackers-idle", action=argparse.BooleanOptionalAction, default=True,
                        help="run the hostile sessions' own Chromium under the idle scheduling policy, standing in "
                             "for the attackers' own machines (default; --no-attackers-idle: the same priority as "
                             "the server and the browsing sessions)")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.rounds < 1 or args.timeout <= 0:
        parser.error("--sessions and --rounds must be at least 1, --timeout positive")
    scenarios = build_scenarios()
    if args.hostile > 0:
        return hostile_main(args, scenarios)
    port = free_port()
    process = start_streamlit(ROOT / "app.py", port)
    stderr = StderrDrain(process)
    stderr.start()
    sampler = RssSampler(process.pid)
    run = Run()
    try:
        print(f"streamlit pid {process.pid} on 127.0.0.1:{port}; {args.sessions} sessions × {args.rounds} rounds",
              flush=True)
        sampler.start()
        asyncio.run(drive(f"http://127.0.0.1:{port}", process.pid, args, scenarios, run))
    finally:
        sampler.stopped.set()
        sampler.join(timeout=5)
        stop_server(process)
    return 0 if report(run, sampler.samples, args, stderr) else 1


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def hostile_main(args: argparse.Namespace, scenarios: list[Scenario]) -> int:
    import tempfile

    port = free_port()
    process = start_streamlit(ROOT / "app.py", port)
    stderr = StderrDrain(process)
    stderr.start()
    try:
        print(f"streamlit pid {process.pid} on 127.0.0.1:{port}; {args.browsing} browsing and {args.hostile} "
              "hostile sessions", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            passed = asyncio.run(drive_hostile(f"http://127.0.0.1:{port}", process.pid, args, scenarios,
                                               Path(folder)))
    finally:
        stop_server(process)
    if stderr.lines:
        print("\nLast server stderr lines:\n  " + "\n  ".join(stderr.lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
