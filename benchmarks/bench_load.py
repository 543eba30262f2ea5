"""Loader benchmark: a script, not part of the pytest run.

Generates N ClinicalTrials.gov API v2 study files (NCT########.json, one study each) and N
ClinicalIndex text records (.txt) in a temporary folder (deleted afterwards), from templates
based on seeds/, with 2-6 arms whose texts draw their dose and schedule phrasing from the test
tables DOSE_CASES (tests/test_dose_phrasings.py) and SCHEDULE_CASES
(tests/test_schedule_phrasings.py), combined by a seeded random generator.

For each size and format it measures, each in a fresh spawned process (so peaks do not mix):

- floor:      read every file's bytes + json.loads (JSON) / split into ClinicalIndex sections (text)
- product 1:  trialdata.bulk.load_arms_frame(files), what `python -m trialdata export` runs: each file read,
              its trials turned into frame rows and their models dropped, trials read twice merged, on one core
- product N:  the same with workers=N, the library's own process pool (rows built in the workers, compact
              frames returned; the parent concatenates them and merges trials read twice)
- models:     with --models, the dashboard's path on one core: trialdata.load.read_paths (every trial's
              models kept, for the Sources and Arm detail pages), then merge_trials, then arms_frame
- ctgforge:   JSON only: ctgforge 0.2.5 flatten_core(json.loads(bytes)) per file,
              to_dataframe(list), .to_csv()

    /tmp/venv/bin/pip install -r benchmarks/requirements.txt
    /tmp/venv/bin/python benchmarks/bench_load.py [--sizes 1000 10000] [--workers 2] [--models] [--json-out FILE]

Times are wall clock (time.perf_counter) from the first file read to the last frame built;
imports happen before the clock starts, while the worker pool's start-up is inside it. Files
are read from the page cache (they were just written). Peak memory is ru_maxrss of the
measuring process; for product N it is also given for the whole process tree (the parent, the
pool's workers and their fork server), as the largest total RSS sampled every 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import string
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Every figure here reads records afresh unless it says otherwise: a parsed-record cache on disk (see
# trialdata.parsed_cache) left by an earlier run would answer for the reading being measured.
os.environ["TRIALDATA_CACHE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repo root: trialdata and the tests' phrasing tables

from tests.test_dose_phrasings import DOSE_CASES  # noqa: E402
from tests.test_schedule_phrasings import SCHEDULE_CASES  # noqa: E402
from trialdata.readers.clinicalindex import SECTIONS  # noqa: E402

SEEDS = ROOT / "seeds"
DOSES = [case.values[0] for case in DOSE_CASES]
SCHEDULES = [case.values[0] for case in SCHEDULE_CASES]

CELLS = ["umbilical cord mesenchymal stem cells", "bone marrow mesenchymal stromal cells", "adipose-derived stem cells",
         "autologous CAR-T cells", "cord blood mononuclear cells", "allogeneic islet cells", "NK cells"]
CODES = ["hUC-MSCs", "BM-MSCs", "ADSCs", "CAR-T", "CB-MNCs", "islets", "NK"]
CONDITIONS = ["Acute-On-Chronic Liver Failure", "Decompensated Liver Cirrhosis", "Knee Osteoarthritis",
              "Crohn's Disease Perianal Fistula", "Type 1 Diabetes", "ARDS", "Ischemic Stroke", "Heart Failure",
              "Systemic Lupus Erythematosus", "B-cell Lymphoma"]
WORDS = ["Efficacy", "Safety", "Tolerability", "Feasibility", "Long-term Outcome", "Dose Escalation"]
STATUSES = [("COMPLETED", "Completed, enrolled"), ("RECRUITING", "Recruiting, plans to enroll"),
            ("ACTIVE_NOT_RECRUITING", "Active, not recruiting, enrolled")]
PHASES = [(["PHASE1"], "Phase 1"), (["PHASE2"], "Phase 2"), (["PHASE1", "PHASE2"], "Phase 1/Phase 2"),
          (["PHASE3"], "Phase 3")]
LEVELS = ["low dose", "medium dose", "high dose", "cohort 1", "cohort 2", "cohort 3", "expansion"]
MANTISSA = re.compile(r"\b\d+(?:\.\d+)?(?=\s*[×xX*]\s*10)")
MB = 1024 * 1024


# --- corpus ---------------------------------------------------------------------------------------------------


def _vary_numbers(rng: random.Random, text: str) -> str:
    """Change the first dose mantissa (1.0×10^6 -> 2.5×10^6 ...) so equal phrasings still differ in number."""
    return MANTISSA.sub(lambda _: rng.choice(["0.5", "1", "1.0", "2", "2.5", "3.0", "5", "10"]), text, count=1)


def _study(rng: random.Random, nct: str) -> dict:
    """A study's content, rendered below both as registry JSON and as a ClinicalIndex text record."""
    k = rng.randrange(len(CELLS))
    cell, code = CELLS[k], CODES[k]
    condition = rng.choice(CONDITIONS)
    phases, phase_words = rng.choice(PHASES)
    status, status_words = rng.choice(STATUSES)
    serial = "".join(rng.choices(string.ascii_uppercase, k=2)) + "-" + str(rng.randint(1, 99))
    title = (f"{rng.choice(WORDS)} and {rng.choice(WORDS)} of {cell.title()} ({serial}) in Patients With "
             f"{condition}: a {phase_words} Study (Protocol {rng.randint(100, 9999)})")
    arms = []
    n_arms = rng.randint(2, 6)
    control = rng.random() < 0.5
    for i in range(n_arms):
        if control and i == 0:
            arms.append({"label": rng.choice(["Control group", "Placebo", "Standard of care"]),
                         "type": "PLACEBO_COMPARATOR",
                         "description": f"Participants receive placebo (saline) plus standard care for {condition}.",
                         "intervention": "Saline placebo", "intervention_description": rng.choice(SCHEDULES)})
            continue
        level = rng.choice(LEVELS)
        dose = _vary_numbers(rng, rng.choice(DOSES))
        schedule = _vary_numbers(rng, rng.choice(SCHEDULES))
        arms.append({
            "label": f"Arm {chr(65 + i)}: {code} {level} {rng.randint(1, 9)}",
            "type": "EXPERIMENTAL",
            "description": f"Patients in the {level} group receive {serial} {code}. {dose} {schedule}",
            "intervention": f"{cell} ({level}, {serial}-{i})",
            "intervention_description": _vary_numbers(rng, rng.choice(DOSES)) + " " + rng.choice(SCHEDULES),
        })
    sponsor = f"{rng.choice(['University', 'Institute', 'BioTherapeutics', 'Hospital'])} {serial}"
    return {"nct": nct, "title": title, "sponsor": sponsor, "sponsor_class": rng.choice(["OTHER", "INDUSTRY"]),
            "brief": title.split(":")[0], "condition": condition, "phases": phases,
            "phase_words": phase_words, "status": status, "status_words": status_words,
            "enrollment": rng.randint(6, 600), "sites": rng.randint(1, 40), "start": f"20{rng.randint(10, 24)}-0"
            f"{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "summary": f"This study evaluates {cell} in {condition}. "
            f"{rng.choice(DOSES)} {rng.choice(SCHEDULES)}", "arms": arms}


def _as_json(template: dict, s: dict) -> str:
    doc = copy.deepcopy(template)
    ps = doc["protocolSection"]
    ps["identificationModule"] = {"nctId": s["nct"], "briefTitle": s["brief"], "officialTitle": s["title"]}
    ps["statusModule"] = {"overallStatus": s["status"], "startDateStruct": {"date": s["start"]}}
    ps["descriptionModule"] = {"briefSummary": s["summary"]}
    ps["sponsorCollaboratorsModule"] = {"leadSponsor": {"name": s["sponsor"], "class": s["sponsor_class"]},
                                        "collaborators": [{"name": f"{s['sponsor']} Cell Therapy Unit",
                                                           "class": "OTHER"}]}
    ps["conditionsModule"] = {"conditions": [s["condition"]]}
    ps["designModule"] = {"studyType": "INTERVENTIONAL", "phases": s["phases"],
                          "enrollmentInfo": {"count": s["enrollment"]}}
    ps["armsInterventionsModule"] = {
        "armGroups": [{"label": a["label"], "type": a["type"], "description": a["description"],
                       "interventionNames": [f"Biological: {a['intervention']}"]} for a in s["arms"]],
        "interventions": [{"type": "BIOLOGICAL", "name": a["intervention"],
                           "description": a["intervention_description"], "armGroupLabels": [a["label"]]}
                          for a in s["arms"]],
    }
    return json.dumps(doc, ensure_ascii=False)


def _as_text(s: dict) -> str:
    names = [a["intervention"] for a in s["arms"]]
    others = len(names) - 2
    listed = f"{names[0]}, {names[1]}, and {others} other intervention{'s' if others != 1 else ''}" if others > 0 \
        else f"{names[0]} and {names[1]}"
    lines = ["At a glance",
             "ClinicalIndex Comparison RecordStandardized by ClinicalIndex from the ClinicalTrials.gov record · "
             "verify against the source.",
             s["title"], "In Brief",
             f"A {s['phase_words']} clinical trial evaluating {listed} for {s['condition']}. {s['status_words']} "
             f"{s['enrollment']} participants across {s['sites']} site{'s' if s['sites'] != 1 else ''}.",
             "Detailed Summary", s["summary"], "Study Details", "Timeline", "Arms & Interventions",
             *(a["description"] for a in s["arms"]), "Interventions",
             *(a["intervention_description"] for a in s["arms"])]
    return "\n".join(lines) + "\n"


def make_corpus(folder: Path, n: int, seed: int) -> None:
    """n study JSON files in folder/json and n ClinicalIndex records in folder/txt (same trials, both formats)."""
    rng = random.Random(seed)
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.json"))]
    (folder / "json").mkdir(parents=True)
    (folder / "txt").mkdir(parents=True)
    for number in rng.sample(range(10_000_000, 100_000_000), n):
        nct = f"NCT{number:08d}"
        study = _study(rng, nct)
        (folder / "json" / f"{nct}.json").write_text(_as_json(rng.choice(templates), study), encoding="utf-8")
        (folder / "txt" / f"{nct}.txt").write_text(_as_text(study), encoding="utf-8")


# --- measured work (runs in a fresh process each) -------------------------------------------------------------


def _split_sections(text: str) -> dict[str, list[str]]:
    body: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if line in SECTIONS:
            current = line
            body.setdefault(line, [])
        elif line and current is not None:
            body[current].append(line)
    return body


def _floor(files: list[Path], fmt: str) -> dict:
    out = []
    for path in files:
        data = path.read_bytes()
        out.append(json.loads(data) if fmt == "json" else _split_sections(data.decode("utf-8")))
    return {"records": len(out)}


def _product(files: list[Path], workers: int) -> dict:
    from trialdata.bulk import load_arms_frame

    with TreePeak() as tree:
        loaded = load_arms_frame(files, workers=workers)  # the library's own process pool when workers > 1
    return {"records": len(files), "trials": loaded.trials, "rows": len(loaded.arms),
            "problems": len(loaded.problems), "tree_peak_kb": tree.peak_kb}


def _models(files: list[Path]) -> dict:
    from trialdata.frames import arms_frame
    from trialdata.load import read_paths
    from trialdata.merge import merge_trials

    loaded = read_paths(files)
    merged = merge_trials(loaded.trials)
    frame = arms_frame(merged)
    return {"records": len(files), "trials": len(merged), "rows": len(frame), "problems": len(loaded.problems)}


class TreePeak:
    """The largest total RSS of this process and all its descendants (workers, their server), sampled
    from /proc every 100 ms (about 2% of one core): what the machine had to hold at once, not a sum of
    separate peaks."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, tree_rss_kb(os.getpid()))
            if self._stop.wait(0.1):
                return


def tree_rss_kb(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            rss[int(entry.name)] = int((entry / "statm").read_text().split()[1]) * page_kb
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _ctgforge(files: list[Path]) -> dict:
    from ctgforge.export.dataframe import to_dataframe
    from ctgforge.flatten.core import flatten_core

    cores = [flatten_core(json.loads(path.read_bytes())) for path in files]
    frame = to_dataframe(cores)
    csv = frame.to_csv()
    return {"records": len(cores), "rows": len(frame), "csv_bytes": len(csv)}


def _child(kind: str, folder: str, fmt: str, workers: int, conn) -> None:
    # imports happen before the clock starts, the same ones for every measurement (plus ctgforge's for its own)
    for module in ("pandas", "trialdata.bulk", "trialdata.frames", "trialdata.load", "trialdata.merge"):
        importlib.import_module(module)
    if kind == "ctgforge":
        importlib.import_module("ctgforge.export.dataframe")
        importlib.import_module("ctgforge.flatten.core")
    import_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    files = sorted(Path(folder).glob(f"*.{fmt}"))
    start = time.perf_counter()
    if kind == "floor":
        info = _floor(files, fmt)
    elif kind == "ctgforge":
        info = _ctgforge(files)
    elif kind == "models":
        info = _models(files)
    else:
        info = _product(files, workers)
    info["seconds"] = time.perf_counter() - start
    info["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    info["after_imports_mb"] = import_kb / 1024
    conn.send(info)
    conn.close()


def measure(kind: str, folder: Path, fmt: str, workers: int = 1) -> dict:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(kind, str(folder), fmt, workers, send))
    process.start()
    send.close()
    try:
        info = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the {kind} measurement of {fmt} failed (exit code {process.exitcode})") from None
    process.join()
    info["peak_mb"] = info.pop("peak_kb") / 1024
    if "tree_peak_kb" in info:
        info["tree_peak_mb"] = info.pop("tree_peak_kb") / 1024
    info["records_per_s"] = info["records"] / info["seconds"]
    return info


# --- report ---------------------------------------------------------------------------------------------------


def machine() -> dict:
    ram = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    import ctgforge  # noqa: F401
    import pandas
    import pydantic

    return {"nproc": os.cpu_count(), "ram_gb": round(ram / 1024**3, 1), "python": platform.python_version(),
            "platform": platform.platform(), "cpu": platform.processor() or platform.machine(),
            "pandas": pandas.__version__, "pydantic": pydantic.VERSION}


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_scaling(workers: int) -> float:
    """Speed-up of `workers` processes over one on pure-Python arithmetic: the parallelism the machine really gives."""
    work = [3_000_000] * (2 * workers)
    start = time.perf_counter()
    for n in work:
        _burn(n)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_burn, work))
    return serial / (time.perf_counter() - start)


def _cell(m: dict | None, peak_key: str = "peak_mb") -> tuple[str, str]:
    if not m:
        return "—", "—"
    return f"{m['records_per_s']:,.0f} ({m['seconds']:.2f} s)", f"{m.get(peak_key, m['peak_mb']):,.0f}"


def report(results: list[dict], workers: int, info: dict, sizes: list[int]) -> tuple[str, list[dict]]:
    lines = [f"Machine: nproc={info['nproc']}, RAM={info['ram_gb']} GB, Python {info['python']}, {info['platform']}, "
             f"pandas {info['pandas']}, pydantic {info['pydantic']}; workers={workers}; pure-CPU speed-up of {workers} "
             f"processes over 1 on this machine: {info.get('cpu_scaling', float('nan')):.2f}×", "",
             f"| size | format | floor rec/s | floor peak MB | product 1-core rec/s | 1-core peak MB | "
             f"product {workers}-core rec/s | {workers}-core peak MB (parent / all processes) | ctgforge rec/s | "
             f"ctgforge peak MB | product/floor (1-core) | product/ctgforge (1-core) | product/ctgforge "
             f"({workers}-core) | linearity 1-core t(10N)/t(N) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    by_key = {(r["size"], r["format"]): r for r in results}
    for r in results:
        small = by_key.get((r["size"] // 10, r["format"])) if r["size"] % 10 == 0 else None
        r["linearity"] = {k: r[k]["seconds"] / small[k]["seconds"] for k in ("floor", "product_1", "product_n",
                                                                             "ctgforge") if small and r.get(k)}
        r["product_over_floor"] = r["product_1"]["seconds"] / r["floor"]["seconds"]
        if r.get("ctgforge"):
            r["product_over_ctgforge"] = r["product_1"]["seconds"] / r["ctgforge"]["seconds"]
            r["product_n_over_ctgforge"] = r["product_n"]["seconds"] / r["ctgforge"]["seconds"]
        pn = r["product_n"]
        floor_s, floor_m = _cell(r["floor"])
        p1_s, p1_m = _cell(r["product_1"])
        pn_s = _cell(pn)[0]
        # the tree is sampled every 100 ms and can miss the parent's own peak; it is never below it
        pn_m = f"{pn['peak_mb']:,.0f} / {max(pn['peak_mb'], pn.get('tree_peak_mb', 0)):,.0f}"
        cg_s, cg_m = _cell(r.get("ctgforge"))
        pc = f"{r['product_over_ctgforge']:.2f}×" if "product_over_ctgforge" in r else "—"
        pnc = f"{r['product_n_over_ctgforge']:.2f}×" if "product_n_over_ctgforge" in r else "—"
        lin = f"{r['linearity']['product_1']:.2f}×" if "product_1" in r["linearity"] else "—"
        lines.append(f"| {r['size']:,} | {r['format']} | {floor_s} | {floor_m} | {p1_s} | {p1_m} | {pn_s} | {pn_m} | "
                     f"{cg_s} | {cg_m} | {r['product_over_floor']:.1f}× | {pc} | {pnc} | {lin} |")
    base = min(m["after_imports_mb"] for r in results for k, m in r.items() if isinstance(m, dict) and k != "linearity")
    lines += ["", f"Peak RSS includes ~{base:,.0f} MB already resident after the imports (Python, pandas, pydantic, "
              "trialdata), before the first file is read.", "", "Sanity (product 1-core): " + "; ".join(
        f"{r['size']:,} {r['format']}: {r['product_1']['trials']:,} trials, {r['product_1']['rows']:,} arm rows, "
        f"{r['product_1']['problems']} problems" for r in results)]
    modelled = [r for r in results if r.get("models")]
    if modelled:
        lines += ["", "The dashboard's path (models kept), one core, beside the export's:", "",
                  "| size | format | models kept rec/s | peak MB | export rec/s | peak MB |",
                  "|---:|---|---:|---:|---:|---:|"]
        lines += [f"| {r['size']:,} | {r['format']} | {' | '.join(_cell(r['models']))} | "
                  f"{' | '.join(_cell(r['product_1']))} |" for r in modelled]
    targets = _targets(results, workers, sizes)
    lines += ["", "Targets:"] + [f"- {t['verdict']}: {t['target']} — {t['detail']}" for t in targets]
    return "\n".join(lines), targets


def _targets(results: list[dict], workers: int, sizes: list[int]) -> list[dict]:
    out = []
    json_rows = [r for r in results if r["format"] == "json"]
    for r in json_rows:
        ratio = r["product_over_floor"]
        out.append({"target": f"JSON load ≤ 3× floor on one core ({r['size']:,})", "verdict": _pf(ratio <= 3),
                    "detail": f"{ratio:.1f}× ({r['product_1']['seconds']:.2f} s vs {r['floor']['seconds']:.2f} s)"})
    for r in json_rows:
        ratio = r["product_over_ctgforge"]
        out.append({"target": f"JSON no slower than ctgforge ({r['size']:,})", "verdict": _pf(ratio <= 1),
                    "detail": f"1-core {ratio:.2f}× ctgforge's time, {workers}-core "
                              f"{r['product_n_over_ctgforge']:.2f}× ({r['product_1']['seconds']:.2f} s / "
                              f"{r['product_n']['seconds']:.2f} s vs {r['ctgforge']['seconds']:.2f} s)"})
    big = next((r for r in json_rows if r["size"] == 100_000), None)
    goal = f"100,000 studies < 60 s on {workers} cores within 2 GB peak"
    if big:
        pn = big["product_n"]
        total = max(pn["peak_mb"], pn.get("tree_peak_mb", 0))
        out.append({"target": goal, "verdict": _pf(pn["seconds"] < 60 and total < 2048),
                    "detail": f"{pn['seconds']:.1f} s, peak {pn['peak_mb']:,.0f} MB parent, {total:,.0f} MB "
                              "all processes at once"})
    elif json_rows:
        last = max(json_rows, key=lambda r: r["size"])
        pn = last["product_n"]
        scale = 100_000 / last["size"]
        out.append({"target": goal, "verdict": "NOT RUN",
                    "detail": f"linear estimate from {last['size']:,}: ~{pn['seconds'] * scale:.0f} s "
                              f"(≈{_pf(pn['seconds'] * scale < 60)} on time); memory not extrapolated "
                              f"(parent peak {pn['peak_mb']:,.0f} MB at {last['size']:,})"})
    for r in results:
        if "product_1" in r["linearity"]:
            lin = r["linearity"]
            for key, cores in (("product_1", "1 core"), ("product_n", f"{workers} cores")):
                out.append({"target": f"10× records ≤ 11× time ({r['format']}, {r['size'] // 10:,}→{r['size']:,}, "
                                      f"{cores})", "verdict": _pf(lin[key] <= 11),
                            "detail": f"{lin[key]:.2f}× (floor {lin['floor']:.2f}×)"})
    return out


def _pf(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--formats", nargs="+", choices=["json", "txt"], default=["json", "txt"])
    parser.add_argument("--models", action="store_true", help="also time the dashboard's path, models kept")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    info = machine()
    info["cpu_scaling"] = cpu_scaling(args.workers)
    results = []
    for size in sorted(args.sizes):
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            start = time.perf_counter()
            make_corpus(Path(tmp), size, args.seed + size)
            print(f"[{size:,}] corpus written in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
            for fmt in args.formats:
                folder = Path(tmp) / fmt
                row = {"size": size, "format": fmt}
                for key, kind, workers in (("floor", "floor", 1), ("product_n", "product", args.workers),
                                           ("product_1", "product", 1), ("ctgforge", "ctgforge", 1),
                                           ("models", "models", 1)):
                    if (kind == "ctgforge" and fmt != "json") or (kind == "models" and not args.models):
                        continue
                    row[key] = measure(kind, folder, fmt, workers)
                    print(f"[{size:,} {fmt}] {key}: {row[key]['seconds']:.2f} s, peak {row[key]['peak_mb']:.0f} MB",
                          file=sys.stderr, flush=True)
                results.append(row)
    table, targets = report(results, args.workers, info, args.sizes)
    print(table)
    if args.json_out:
        args.json_out.write_text(json.dumps({"machine": info, "workers": args.workers, "results": results,
                                             "targets": targets}, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
