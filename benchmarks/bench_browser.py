"""Browser benchmark: the dashboard's responsiveness in a real browser; a script, not part of the pytest run.

One run starts three Streamlit servers, driven by Playwright with Debian's Chromium (/usr/bin/chromium,
headless, 1280×800). Their warm loads take turns (seed, floor, corpus; floor, corpus, seed; ...), so that
each app load is measured seconds from a floor load: this machine's speed drifts by up to a fifth over a
few minutes, and servers measured one after the other met different machines. Only one of them works at
any moment; an idle server costs nothing.

- app, seeds:   app.py on the bundled seeds/ (TRIALDATA_RECORDS unset)
- floor:        a minimal Streamlit page (written to a temp file) with one st.plotly_chart bar chart (one
                trace) of the size of the seed's first chart as measured in this run: its pixel height and
                its number of arm rows, one horizontal bar each (on the seeds: 476 px, 12 bars; the seed has
                23 arms, the 11 without a dose or schedule are not charted), in the first of three st.columns
                of the wide layout, like the app's charts. A sidebar st.pills of two options ("first half",
                "second half" of the bars) gives it a filter to change. The same floor serves both targets:
                the issue's floor is the cost of showing *a* chart, whatever the app's corpus.
- app, N trials: app.py with TRIALDATA_RECORDS naming a corpus of --trials ClinicalTrials.gov JSON studies in a
                temp folder: the real MSC corpus (../shared/corpus/msc-2022, 809 studies), repeated under new
                NCT ids as far as --trials needs (benchmarks/bench_corpus.copied_corpus); with --generated,
                studies generated from the seeds' templates instead (benchmarks/bench_load.make_corpus, 2-6
                arms each), as this benchmark used before the real corpus

For each server it measures:

- first chart:  each load in a fresh browser context (a new Streamlit session, an empty HTTP cache) on the
                landing page, the URL root (the app's Compare page). An init script stamps performance.now()
                (whose zero is the navigation's start) when the first plotly chart has a data trace in the
                DOM (`.js-plotly-plot .cartesianlayer .trace`, watched by a MutationObserver) and again
                after the next frame is rendered (requestAnimationFrame, then a MessageChannel task): the
                "drawn" time reported. "All charts" is the same once every expected chart (3 for the app,
                1 for the floor) has a trace. The first load after a server's start is reported as "cold"
                (the app then hands over from Streamlit's v1 multipage mode, see app.py, and the records
                are parsed for the first time); --repeats further loads as "warm" (median, p90).
- filter change: in one further session on the landing page, once the page is settled, clicking one
                sidebar pill ("Phase 1" of "Phase" for the app, "second half" for the floor) --toggles
                times (off, on, off ...). Time from the click's pointerdown event to the rendered frame after
                the last change inside any plotly chart, once (a) at least one chart's traces or axis tick
                labels differ from before the click, (b) Streamlit's script state is back to notRunning
                and (c) no chart changed for --quiet-ms. Median, p90, max.

Beside each time it records the Streamlit server's CPU seconds (utime + stime of its process, from
/proc) and the page's main-thread busy time (Chrome DevTools Performance.getMetrics TaskDuration), so
a slow number can be placed on the server or in the browser; "click → script done" is when the page
saw the rerun finish, late when the page's main thread is busy drawing. The CPU other processes used
meanwhile (the machine's total from /proc/stat minus this process tree's) is printed too: the times
are only comparable on an otherwise idle machine. The table goes to stdout; --json-out saves every
sample. --screenshots DIR saves a picture of each server's page after a warm load and after the first
filter change.

    /tmp/venv/bin/python benchmarks/bench_browser.py [--repeats 7] [--toggles 11] [--trials 500] [--json-out FILE]

Targets (the issue): first chart (warm median) within 1.5× the floor's, for the seeds and for the
corpus, read two ways that must both pass: the ratio of the two medians, and the median of each turn's
own ratio (an app load over the floor load of the same turn); filter change under 300 ms median at 500
trials.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, CDPSession, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Every figure here reads records afresh unless it says otherwise: a parsed-record cache on disk (see
# trialdata.parsed_cache) left by an earlier run would answer for the reading being measured.
os.environ["TRIALDATA_CACHE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repo root: the corpus generator and the e2e tests' server helpers

from benchmarks.bench_corpus import DEFAULT_CORPUS, copied_corpus  # noqa: E402
from benchmarks.bench_load import make_corpus  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, free_port, start_streamlit  # noqa: E402

RECORDS_ENV = "TRIALDATA_RECORDS"
VIEWPORT = {"width": 1280, "height": 800}
APP_CHARTS = 3
APP_PILL = ("Phase", "Phase 1")
FLOOR_PILL = ("Rows", "second half")

# Installed in every page before its own scripts: stamps on the page's clock (ms since navigation start).
INIT_JS = """
(() => {
  const PLOT = "[data-testid='stPlotlyChart'] .js-plotly-plot";
  const PLOT_ANY = ".js-plotly-plot, [data-testid='stPlotlyChart']";
  const S = window.__bench = {expected: __EXPECTED__, firstDom: null, firstPaint: null, allDom: null,
    allPaint: null, lastPlotMutation: null, lastPlotPaint: null, click: null, states: []};
  // the task after the next rendered frame; for lastPlotPaint again while charts changed after that frame began
  const afterFrame = (key) => requestAnimationFrame(() => {
    const frame = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      S[key] = performance.now();
      if (key !== 'lastPlotPaint') return;
      if (S.lastPlotMutation > frame) afterFrame(key); else pending = false;
    };
    channel.port2.postMessage(0);
  });
  const drawn = () => [...document.querySelectorAll(PLOT)].filter((p) => p.querySelector('.cartesianlayer .trace'));
  let pending = false;
  const isPlot = (node) => node.nodeType === 1 && (node.matches(PLOT_ANY) || node.querySelector(PLOT_ANY) !== null);
  const touchesPlot = (r) => {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    return (el && el.closest('.js-plotly-plot')) || [...r.addedNodes].some(isPlot) || [...r.removedNodes].some(isPlot);
  };
  new MutationObserver((records) => {
    if (!records.some(touchesPlot)) return;
    const now = performance.now();
    S.lastPlotMutation = now;
    if (!pending) { pending = true; afterFrame('lastPlotPaint'); }
    if (S.firstDom === null && drawn().length > 0) { S.firstDom = now; afterFrame('firstPaint'); }
    if (S.allDom === null && drawn().length >= S.expected) { S.allDom = now; afterFrame('allPaint'); }
  }).observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
  new MutationObserver((records) => {
    for (const r of records) S.states.push([r.target.getAttribute('data-test-script-state'), performance.now()]);
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  document.addEventListener('pointerdown', (e) => { S.click = e.timeStamp || performance.now(); }, true);
})();
"""
# Each chart: its number of traces and its axis tick labels, to see that a click changed what is drawn.
SIGNATURE_JS = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")].map((p) => ({
  traces: p.querySelectorAll('.cartesianlayer .trace').length,
  yticks: p.querySelectorAll('.ytick text').length, height: Math.round(p.getBoundingClientRect().height),
  ticks: [...p.querySelectorAll('.xtick text, .ytick text')].map((t) => t.textContent).join('|')}))"""
SETTLED_JS = """([quiet, before]) => {
  const s = window.__bench;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') {
    return false;
  }
  if (s.lastPlotMutation !== null && performance.now() - s.lastPlotMutation < quiet) return false;
  if (s.lastPlotMutation !== null && (s.lastPlotPaint === null || s.lastPlotPaint < s.lastPlotMutation)) {
    return false;
  }
  if (before === null) return s.allDom !== null;
  return (__DRAWN__)() !== before;
}"""
# What a redraw must change: the charts' trace counts and tick labels, as one string.
DRAWN_JS = f"() => JSON.stringify(({SIGNATURE_JS})().map((c) => [c.traces, c.ticks]))"
SETTLED_JS = SETTLED_JS.replace("__DRAWN__", DRAWN_JS)

FLOOR_SCRIPT = '''\
"""Floor: one plotly bar chart the size of the app's first chart, in the first of three wide columns."""
import plotly.graph_objects as go
import streamlit as st

ROWS, HEIGHT = {rows}, {height}
st.set_page_config(page_title="floor", layout="wide")
halves = st.sidebar.pills("Rows", ["first half", "second half"], selection_mode="multi",
                          default=["first half", "second half"], key="rows")
shown = [i for i in range(ROWS) if ("first half" if i < ROWS // 2 else "second half") in halves]
figure = go.Figure(go.Bar(x=[(i % 7 + 1) * 1e6 for i in shown], y=[f"A{{i + 1}}" for i in shown],
                          orientation="h"))
figure.update_layout(height=HEIGHT, margin={{"l": 10, "r": 10, "t": 40, "b": 10}}, title="Floor")
figure.update_yaxes(type="category")
st.columns(3, gap="small")[0].plotly_chart(figure, width="stretch", key="floor_chart")
'''


# --- servers -----------------------------------------------------------------------------------------------


class Server:
    """A Streamlit server on a free port; its stderr is drained (a full pipe would stall it) and kept."""

    def __init__(self, script: Path, records: Path | None) -> None:
        saved = os.environ.pop(RECORDS_ENV, None)
        if records is not None:
            os.environ[RECORDS_ENV] = str(records)
        try:
            self.port = free_port()
            self.process = start_streamlit(script, self.port)
        finally:
            os.environ.pop(RECORDS_ENV, None)
            if saved is not None:
                os.environ[RECORDS_ENV] = saved
        self.url = f"http://127.0.0.1:{self.port}/"
        self.stderr: collections.deque[str] = collections.deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            self.stderr.append(line.decode(errors="replace").rstrip())

    def cpu_seconds(self) -> float:
        """utime + stime of the server process so far (its script runs in threads of that process)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self) -> float:
        """The most resident memory the server process has held since it started (VmHWM), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def serving(script: Path, records: Path | None = None) -> Iterator[Server]:
    server = Server(script, records)
    try:
        yield server
    finally:
        server.stop()


# --- other work on the machine ---------------------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU time all processes (and the kernel) have used since boot, summed over the cores."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU time of this process and all its descendants (servers, Playwright's driver, Chromium), the exited
    ones included as far as their parents have reaped them (cutime, cstime)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    times: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
        except OSError:
            continue  # exited meanwhile
        fields = rest.rsplit(")", 1)[1].split()
        children[int(fields[1])].append(int(pid))
        times[int(pid)] = sum(int(x) for x in fields[11:15])
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


class OtherWork:
    """CPU the rest of the machine used while we measured: concurrent work skews every time reported."""

    def __init__(self) -> None:
        self.start, self.machine, self.own = time.monotonic(), machine_busy_seconds(), own_seconds()

    def result(self) -> dict:
        elapsed = time.monotonic() - self.start
        other = max(0.0, (machine_busy_seconds() - self.machine) - (own_seconds() - self.own))
        return {"seconds": elapsed, "other_cpu_s": other, "other_cores": other / elapsed if elapsed else 0.0}


# --- measurements ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def session(browser: Browser, expected: int) -> Iterator[tuple[Page, CDPSession]]:
    """A fresh browser context (a new Streamlit session, an empty cache) with the stamps installed."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(INIT_JS.replace("__EXPECTED__", str(expected)))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        yield page, cdp
    finally:
        context.close()


def busy_seconds(cdp: CDPSession) -> float:
    """The page's main-thread task time so far (Chrome's TaskDuration)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def settle(page: Page, quiet_ms: int, timeout_ms: int, before: str | None = None) -> None:
    page.wait_for_function(SETTLED_JS, arg=[quiet_ms, before], timeout=timeout_ms, polling=100)


def load(browser: Browser, server: Server, expected: int, args: argparse.Namespace,
         picture: Path | None = None) -> dict:
    """Navigate a fresh session to the landing page: ms to the first and to all charts drawn."""
    with session(browser, expected) as (page, cdp):
        cpu, busy = server.cpu_seconds(), busy_seconds(cdp)
        start = time.perf_counter()
        page.goto(server.url, wait_until="commit", timeout=args.timeout * 1000)
        page.wait_for_function("window.__bench.allPaint !== null", timeout=args.timeout * 1000, polling=100)
        wall = time.perf_counter() - start
        settle(page, args.quiet_ms, args.timeout * 1000)
        stamps = page.evaluate("window.__bench")
        charts = page.evaluate(SIGNATURE_JS)
        if picture:
            page.screenshot(path=str(picture))
        return {"first_ms": stamps["firstPaint"], "all_ms": stamps["allPaint"],
                "first_dom_ms": stamps["firstDom"], "all_dom_ms": stamps["allDom"], "wall_to_all_s": wall,
                "settled_ms": stamps["lastPlotPaint"], "server_cpu_s": server.cpu_seconds() - cpu,
                "browser_busy_s": busy_seconds(cdp) - busy, "charts": len(charts),
                "traces": [c["traces"] for c in charts], "yticks": [c["yticks"] for c in charts],
                "heights": [c["height"] for c in charts],
                "script_states": _transitions(stamps["states"]), "url": page.url}


def filter_changes(browser: Browser, server: Server, expected: int, pill: tuple[str, str],
                   args: argparse.Namespace, picture: Path | None = None) -> list[dict]:
    """Toggle one sidebar pill --toggles times: ms from the click to the charts redrawn, each time."""
    samples = []
    with session(browser, expected) as (page, cdp):
        page.goto(server.url, wait_until="commit", timeout=args.timeout * 1000)
        page.wait_for_function("window.__bench.allPaint !== null", timeout=args.timeout * 1000, polling=100)
        settle(page, args.quiet_ms, args.timeout * 1000)
        button = page.locator(f"[role='toolbar'][aria-label='{pill[0]}']").get_by_role(
            "button", name=pill[1], exact=True)
        for i in range(args.toggles):
            charts = page.evaluate(SIGNATURE_JS)
            before = page.evaluate(DRAWN_JS)
            pressed = button.get_attribute("aria-pressed")
            page.evaluate("() => { const s = window.__bench; s.click = null; s.lastPlotMutation = null; "
                          "s.lastPlotPaint = null; s.states = []; }")
            cpu, busy = server.cpu_seconds(), busy_seconds(cdp)
            try:
                button.click(timeout=args.timeout * 1000)
                settle(page, args.quiet_ms, args.timeout * 1000, before)
            except PlaywrightTimeout:
                samples.append({"toggle": i, "error": "timeout"})
                settle(page, args.quiet_ms, args.timeout * 1000)
                continue
            stamps = page.evaluate("window.__bench")
            after = page.evaluate(SIGNATURE_JS)
            if stamps["click"] is None or stamps["lastPlotPaint"] is None:  # cannot happen if the stamps work
                samples.append({"toggle": i, "error": f"no stamp: {stamps}"})
                continue
            samples.append({
                "toggle": i, "action": "off" if pressed == "true" else "on",
                "ms": stamps["lastPlotPaint"] - stamps["click"], "pressed_before": pressed,
                "script_done_ms": _script_done(stamps, stamps["click"]), "server_cpu_s": server.cpu_seconds() - cpu,
                "browser_busy_s": busy_seconds(cdp) - busy, "pressed_after": button.get_attribute("aria-pressed"),
                "traces": [[b["traces"], a["traces"]] for b, a in zip(charts, after)],
                "yticks": [[b["yticks"], a["yticks"]] for b, a in zip(charts, after)],
                "charts_changed": sum(b["traces"] != a["traces"] or b["ticks"] != a["ticks"]
                                      for b, a in zip(charts, after)),
                "url": page.url})
            if picture and i == 0:
                page.screenshot(path=str(picture))
    return samples


def _transitions(states: list[list]) -> list[list]:
    """Script-state changes as [state, ms], repeats of the same state dropped."""
    out: list[list] = []
    for state, ms in states:
        if not out or out[-1][0] != state:
            out.append([state, round(ms, 1)])
    return out


def _script_done(stamps: dict, click: float) -> float | None:
    """ms from the click to when the page saw the script finish (its last notRunning)."""
    done = [ms for state, ms in stamps["states"] if state == "notRunning" and ms >= click]
    return done[-1] - click if done else None


@dataclass
class Subject:
    """One server to measure: what it runs, how many charts it draws, the pill its filter change clicks."""

    name: str
    label: str
    script: Path
    records: Path | None
    expected: int
    pill: tuple[str, str]


def measure(browser: Browser, seed: Subject, others: Callable[[dict], list[Subject]],
            args: argparse.Namespace) -> list[dict]:
    """Every server up at once: a cold load each, then the warm loads in turns (see the module docstring),
    then each one's filter changes. `others` gives the other servers from the seed's cold load, which sizes
    the floor's chart."""
    pictures = args.screenshots
    results: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        subjects, servers = [seed], {}

        def start(subject: Subject) -> None:
            servers[subject.name] = stack.enter_context(serving(subject.script, subject.records))
            cold = _with_stderr(subject, servers, lambda: load(browser, servers[subject.name], subject.expected, args))
            _progress(f"[{subject.name}] cold load: first chart {cold['first_ms']:.0f} ms, all {cold['all_ms']:.0f} ms")
            results[subject.name] = {"name": subject.name, "label": subject.label,
                                     "expected_charts": subject.expected, "pill": list(subject.pill), "cold": cold,
                                     "warm": []}

        start(seed)
        for subject in others(results[seed.name]["cold"]):
            subjects.append(subject)
            start(subject)
        loads = OtherWork()
        for i in range(args.repeats):
            for subject in subjects[i % len(subjects):] + subjects[: i % len(subjects)]:
                picture = pictures / f"{subject.name}-load.png" if pictures and i == 0 else None
                warm = _with_stderr(subject, servers,
                                    lambda t=subject, p=picture: load(browser, servers[t.name], t.expected, args, p))
                results[subject.name]["warm"].append(warm)
                _progress(f"[{subject.name}] warm load {i + 1}/{args.repeats}: first chart {warm['first_ms']:.0f} ms, "
                          f"all {warm['all_ms']:.0f} ms, server CPU {warm['server_cpu_s']:.2f} s")
        for result in results.values():
            result["load_other_work"] = loads.result()
        for subject in subjects:
            other = OtherWork()
            changes = _with_stderr(subject, servers, lambda t=subject: filter_changes(
                browser, servers[t.name], t.expected, t.pill, args,
                pictures / f"{t.name}-filtered.png" if pictures else None))
            for c in changes:
                _progress(f"[{subject.name}] filter change {c['toggle'] + 1}/{args.toggles} ({c.get('action', '?')}): "
                          + (f"{c['ms']:.0f} ms, traces {c['traces']}" if "ms" in c else c["error"]))
            results[subject.name].update(filter_changes=changes, other_work=other.result(),
                                         peak_rss_mib=servers[subject.name].peak_rss_mib())
    return [results[t.name] for t in subjects]


def _with_stderr(subject: Subject, servers: dict[str, Server], measure: Callable[[], Any]) -> Any:
    """`measure()`, with the server's last stderr lines printed if it fails: a broken page shows up there."""
    try:
        return measure()
    except Exception:
        _progress(f"[{subject.name}] server stderr (last lines):\n" + "\n".join(servers[subject.name].stderr))
        raise


# --- report ------------------------------------------------------------------------------------------------


def machine() -> dict:
    import plotly
    import streamlit

    ram = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {"nproc": os.cpu_count(), "ram_gb": round(ram / 1024**3, 1), "python": platform.python_version(),
            "platform": platform.platform(), "streamlit": streamlit.__version__, "plotly": plotly.__version__,
            "playwright": importlib.metadata.version("playwright"), "chromium": chromium}


def _stats(values: list[float]) -> dict:
    if not values:
        return {}
    p90 = statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    return {"median": statistics.median(values), "p90": p90, "max": max(values), "min": min(values), "n": len(values)}


def summarize(result: dict) -> dict:
    warm = result["warm"]
    changes = [c for c in result["filter_changes"] if "ms" in c]
    return {
        "first": _stats([w["first_ms"] for w in warm]), "all": _stats([w["all_ms"] for w in warm]),
        "server_cpu": _stats([w["server_cpu_s"] for w in warm]),
        "browser_busy": _stats([w["browser_busy_s"] for w in warm]),
        "change": _stats([c["ms"] for c in changes]),
        "change_script_done": _stats([c["script_done_ms"] for c in changes if c["script_done_ms"] is not None]),
        "change_server_cpu": _stats([c["server_cpu_s"] for c in changes]),
        "change_browser_busy": _stats([c["browser_busy_s"] for c in changes]),
        "change_errors": len(result["filter_changes"]) - len(changes),
        "changed_every_time": bool(changes) and all(
            c["charts_changed"] > 0 and c["pressed_after"] != c["pressed_before"] for c in changes),
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def report(results: list[dict], info: dict, args: argparse.Namespace, floor_size: dict) -> tuple[str, list[dict]]:
    summaries = {r["name"]: summarize(r) for r in results}
    floor = summaries["floor"]["first"]["median"]
    lines = [f"Machine: nproc={info['nproc']}, RAM={info['ram_gb']} GB, Python {info['python']}, "
             f"{info['platform']}; streamlit {info['streamlit']}, plotly {info['plotly']}, playwright "
             f"{info['playwright']}; {info['chromium']} (headless, {VIEWPORT['width']}×{VIEWPORT['height']}). "
             f"{args.repeats} warm loads and {args.toggles} filter changes per server; times in ms.",
             "CPU used by other processes while measuring (skews the times if not ~0): warm loads "
             + _other(results[0]["load_other_work"]) + "; filter changes: "
             + ", ".join(f"{r['label']} {_other(r['other_work'])}" for r in results) + ".",
             f"Floor: one st.plotly_chart bar chart with {floor_size['rows']} bars, {floor_size['height']} px tall, "
             "in the first of st.columns(3) of the wide layout (the seed's dose chart as measured in this run).",
             "", "| server | charts | cold: first chart / all | warm first chart: median (p90) | warm all charts: "
             "median (p90) | first chart ÷ floor | server CPU s per warm load | browser busy s per warm load |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        s = summaries[r["name"]]
        lines.append(f"| {r['label']} | {r['warm'][0]['charts']} | {_ms(r['cold']['first_ms'])} / "
                     f"{_ms(r['cold']['all_ms'])} | {_ms(s['first']['median'])} ({_ms(s['first']['p90'])}) | "
                     f"{_ms(s['all']['median'])} ({_ms(s['all']['p90'])}) | {s['first']['median'] / floor:.2f}× | "
                     f"{s['server_cpu']['median']:.2f} | {s['browser_busy']['median']:.2f} |")
    lines += ["", "| filter change | pill | median | p90 | max | click → script done (median) | server CPU s "
              "(median) | browser busy s (median) | chart traces before → after (first change) |",
              "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        s = summaries[r["name"]]
        first = next((c for c in r["filter_changes"] if "ms" in c), None)
        traces = ", ".join(f"{b}→{a}" for b, a in first["traces"]) if first else "—"
        change = s["change"]
        timeouts = f", {s['change_errors']} timeouts" if s["change_errors"] else ""
        lines.append(f"| {r['label']} | {r['pill'][0]}: {r['pill'][1]} | {_ms(change.get('median'))} | "
                     f"{_ms(change.get('p90'))} | {_ms(change.get('max'))} | "
                     f"{_ms(s['change_script_done'].get('median'))} | "
                     f"{s['change_server_cpu'].get('median', float('nan')):.2f} | "
                     f"{s['change_browser_busy'].get('median', float('nan')):.2f} | {traces} "
                     f"({'changed every time' if s['changed_every_time'] else 'NOT always changed'}"
                     f"{timeouts}) |")
    targets = []
    floor_loads = next(r["warm"] for r in results if r["name"] == "floor")
    for r in results:
        if r["name"] == "floor":
            continue
        ratio = summaries[r["name"]]["first"]["median"] / floor
        # the same turn's loads, seconds apart
        paired = statistics.median(a["first_ms"] / f["first_ms"] for a, f in zip(r["warm"], floor_loads, strict=True))
        # both readings must pass: the ratio of the medians, and the median of the turns' own ratios
        targets.append({"target": f"first chart ≤ 1.5× floor ({r['label']})", "verdict": _pf(max(ratio, paired) <= 1.5),
                        "detail": f"{ratio:.2f}× ({summaries[r['name']]['first']['median']:,.0f} ms vs floor "
                                  f"{floor:,.0f} ms, warm medians; median of each turn's own ratio "
                                  f"{paired:.2f}×)"})
    big = next(r for r in results if r["name"] == "corpus")
    change = summaries["corpus"]["change"]
    ok = bool(change) and change["median"] < 300 and summaries["corpus"]["change_errors"] == 0
    targets.append({"target": f"filter change median < 300 ms at {args.trials} trials", "verdict": _pf(ok),
                    "detail": f"median {_ms(change.get('median'))} ms, p90 {_ms(change.get('p90'))} ms, max "
                              f"{_ms(change.get('max'))} ms over {change.get('n', 0)} changes ({big['label']})"})
    peak = big["peak_rss_mib"]
    targets.append({"target": f"server memory < 1.5 GB at {args.trials} trials", "verdict": _pf(peak < 1536),
                    "detail": f"peak resident memory {peak:,.0f} MiB over the whole run (" + ", ".join(
                        f"{r['label']} {r['peak_rss_mib']:,.0f} MiB" for r in results) + ")"})
    lines += ["", "Targets:"] + [f"- {t['verdict']}: {t['target']} — {t['detail']}" for t in targets]
    for r in results:
        r["summary"] = summaries[r["name"]]
    return "\n".join(lines), targets


def _other(work: dict) -> str:
    return f"{work['other_cpu_s']:.0f} s in {work['seconds']:.0f} s ({work['other_cores']:.2f} cores)"


def _pf(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- main --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="warm loads per server (after one cold load)")
    parser.add_argument("--toggles", type=int, default=11, help="filter changes per server")
    parser.add_argument("--trials", type=int, default=500, help="size of the corpus")
    parser.add_argument("--generated", action="store_true", help="studies generated from the seeds' templates, "
                        "not the real corpus repeated")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--quiet-ms", type=int, default=500, help="no chart change this long = redraw finished")
    parser.add_argument("--timeout", type=int, default=300, help="seconds to wait for any one load or change")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--screenshots", type=Path, help="folder for pictures of each server's page")
    args = parser.parse_args(argv)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = machine()
    tmp = Path(tempfile.mkdtemp(prefix="bench_browser_"))
    try:
        if args.generated:
            make_corpus(tmp / "corpus", args.trials, args.seed + args.trials)
            shutil.rmtree(tmp / "corpus" / "txt")  # the JSON studies only
        else:
            copied_corpus(DEFAULT_CORPUS, tmp / "corpus" / "json", args.trials, first_as_is=True)
        _progress(f"corpus of {args.trials} studies written to {tmp / 'corpus' / 'json'}")
        floor_script = tmp / "floor.py"
        floor_size: dict = {}

        def floor_and_corpus(seed_load: dict) -> list[Subject]:
            # the floor's chart: the seed's first chart, its height in pixels and its number of arm rows
            floor_size.update(rows=seed_load["yticks"][0], height=seed_load["heights"][0])
            floor_script.write_text(FLOOR_SCRIPT.format(**floor_size), encoding="utf-8")
            return [Subject("floor", "floor", floor_script, None, 1, FLOOR_PILL),
                    Subject("corpus", f"app, {args.trials} trials", ROOT / "app.py", tmp / "corpus" / "json",
                            APP_CHARTS, APP_PILL)]

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            try:
                results = measure(browser, Subject("seeds", "app, seeds/", ROOT / "app.py", None, APP_CHARTS,
                                                  APP_PILL), floor_and_corpus, args)
            finally:
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table, targets = report(results, info, args, floor_size)
    elapsed = time.perf_counter() - started
    print(table)
    print(f"\nRun time: {elapsed / 60:.1f} min")
    if args.json_out:
        args.json_out.write_text(json.dumps({"machine": info, "args": {k: str(v) for k, v in vars(args).items()},
                                             "floor_size": floor_size, "results": results, "targets": targets,
                                             "run_seconds": elapsed}, indent=2, ensure_ascii=False),
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
