"""The one sidebar every page shares: records loaded (bundled and uploaded), filters, settings.

Every filter is bound to the URL, so a shared link reproduces the view; the
records are parsed once per file content, so a filter change re-reads nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from trialdata import Trial, arms_frame
from trialdata.filters import (
    CELLULAR_CHOICES,
    MAX_DEFAULT_ARMS,
    ArmFilter,
    FilterOptions,
    arms_of,
    default_trials,
    filter_options,
)
from trialdata.frames import DEFAULT_BSA_M2, DEFAULT_WEIGHT_KG
from trialdata.isolated import read_file_isolated
from trialdata.load import RECORD_SUFFIXES, LoadResult, Problem, read_files, stamped_record_files
from trialdata.merge import merge_trials
from trialdata.notation import format_cells, markdown_literal
from trialdata.readers import LAYOUTS
from trialdata.state import Loaded, PageState, Reference, load_state, select

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
UPLOADS = "uploaded_records"
PARSED_UPLOADS = "parsed_uploads"  # this session's uploads, read: freed with the session, never shared
UPLOAD_PROBLEMS = "upload_problems"
NOT_PICKED = "upload_not_picked"  # the trials the last upload added without picking them
SHOWN_PROBLEMS = 5  # error boxes in the sidebar; the rest are counted there and listed on Compare arms
PAGE_STATE = "page_state"  # the last page state drawn, for callbacks that run before the next one is built
TRIALS_BEFORE = "trials_before"  # the Trials list as last drawn, to tell which trials a change adds
RECORDS_ENV = "TRIALDATA_RECORDS"
# A records folder is listed (each file's size and modification time) at most this often: listing 5,000 files took
# 48 ms of every rerun, a quarter of a filter change in process; a file changed on disk shows within this long.
LISTING_SECONDS = 10


def record_folders() -> list[Path]:
    """The bundled seeds/, or the folders an analyst names in TRIALDATA_RECORDS (os.pathsep-separated)."""
    named = [Path(part) for part in os.environ.get(RECORDS_ENV, "").split(os.pathsep) if part.strip()]
    return named or [SEEDS]


def read_upload(name: str, data: bytes) -> LoadResult:
    """An upload, read once per content in a worker process with a time limit (see `read_file_isolated`) and
    kept in this session's state, so it is gone with the session."""
    parsed = st.session_state.setdefault(PARSED_UPLOADS, {})
    digest = hashlib.sha256(data).hexdigest()
    if name not in parsed or parsed[name][0] != digest:
        parsed[name] = (digest, read_file_isolated(name, data))
    return parsed[name][1]


# cache_resource, not cache_data: a cached value is handed out as it is, not unpickled afresh on every run
# (which, at hundreds of trials, took longer than the page). Nothing downstream changes these in place. Only
# the records folders' files are cached for every session; uploads are kept by the session that made them.
@st.cache_resource(max_entries=16, ttl=24 * 3600, show_spinner=False)
def loaded_cached(digest: str, weight_kg: float, bsa_m2: float, _trials: list[Trial]) -> Loaded:
    """The loaded facts (arms frame, codes, colours, filter choices, flags) for one set of records and reference
    patient, built once and shared by every rerun; keyed by the records' combined hash."""
    return load_state(_trials, Reference(weight_kg, bsa_m2), digest=digest)


@st.cache_resource(max_entries=16, ttl=24 * 3600, show_spinner=False)
def merged_cached(digest: str, _trials: list[Trial]) -> list[Trial]:
    """Records of one trial merged into one; keyed by the records' combined hash."""
    return merge_trials(_trials)


def session_cached(kind: str, key: tuple, compute: Callable[[], object]) -> object:
    """What a session with uploads derives from its records, kept in its own state (the last one of each kind),
    not in a cache every session shares: an upload's trials leave the server's memory with the session."""
    held = st.session_state.setdefault("derived", {})
    if kind not in held or held[kind][0] != key:
        held[kind] = (key, compute())
    return held[kind][1]


@st.cache_resource(max_entries=8, ttl=24 * 3600, show_spinner=False)
def read_folders_cached(key: str, _signature: tuple[tuple[str, int, int], ...]) -> tuple[LoadResult, list[bytes]]:
    """The record files of the folders, read once per (path, modification time, size) of every file: a
    rerun then costs a stat per file, not a read and a hash, which at hundreds of trials was most of it. A
    file read before, by any start of the dashboard or by an export, comes from the parsed-record cache on disk
    (`trialdata.parsed_cache`) instead of being read again.

    Keyed by a hash of the signature, not the signature itself: Streamlit's own hashing of a tuple of
    hundreds of tuples took longer than the stats."""
    loaded = LoadResult()
    digests = []
    for read in read_files([Path(path) for path, _, _ in _signature], name=lambda path: path.name):
        digests.append(read.key.encode())
        loaded.extend(read.result)
    return loaded, digests


@st.cache_resource(max_entries=8, ttl=LISTING_SECONDS, show_spinner=False)
def listed_cached(folders: tuple[str, ...]) -> tuple[tuple[tuple[str, int, int], ...], tuple[Problem, ...], str]:
    """The record files of the folders with their sizes and modification times, what listing them met, and a hash
    of the listing, shared by every session for `LISTING_SECONDS`."""
    problems: list[Problem] = []
    signature = tuple(stamped_record_files([Path(folder) for folder in folders], problems))
    return signature, tuple(problems), hashlib.sha256(repr(signature).encode()).hexdigest()


def load_all() -> tuple[list[Trial], list[Problem], str]:
    """Bundled and uploaded records, merged per trial, the problems met, and a hash of all the files."""
    loaded = LoadResult()
    signature, listing_problems, listed = listed_cached(tuple(str(folder) for folder in record_folders()))
    loaded.problems.extend(listing_problems)
    bundled, digests = read_folders_cached(listed, signature)
    loaded.extend(bundled)
    digest = hashlib.sha256(b"".join(digests))
    uploads = st.session_state.get(UPLOADS, {})
    for name, data in uploads.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        loaded.extend(read_upload(name, data))
    loaded.problems.extend(st.session_state.get(UPLOAD_PROBLEMS, []))
    key = digest.hexdigest()
    if uploads:
        merged = session_cached("merged", (key,), lambda: merge_trials(loaded.trials))
        return merged, loaded.problems, key  # type: ignore[return-value]
    return merged_cached(key, loaded.trials), loaded.problems, key


def take_uploads() -> None:
    """Keep every upload that holds a trial; report by name what could not be read. Nothing loaded is lost."""
    kept = dict(st.session_state.get(UPLOADS, {}))
    problems: list[Problem] = []
    unkept: list[Problem] = []  # a kept upload's problems are reported with its trials, in load_all
    added: list[Trial] = []
    for upload in st.session_state.get("uploader") or []:
        data = upload.getvalue()
        result = read_upload(upload.name, data)
        problems.extend(result.problems)
        if result.trials and upload.name not in kept:
            added.extend(result.trials)
        if result.trials:
            kept[upload.name] = data
        else:
            unkept.extend(result.problems)
    st.session_state[UPLOADS] = kept
    st.session_state[UPLOAD_PROBLEMS] = unkept
    st.session_state["upload_errors"] = [str(problem) for problem in problems]
    st.session_state[NOT_PICKED] = ()
    if added:
        show_added(arms_frame(added))


def show_added(added: pd.DataFrame) -> None:
    """Select what an upload adds: its first trials up to `MAX_DEFAULT_ARMS` arms (every trial of a small upload)
    and their arms, and any new type or phase where all were selected.

    Filters hold explicit choices, so without this an uploaded trial would load but stay filtered out. An upload
    of a hundred trials is not all picked, as a records folder of a hundred is not: every arm side by side is a
    wall of rows, and drawing it took the uploader's page 7 s instead of 4. The rest are loaded, listed in
    Trials and compared on Across trials, and the sidebar says how many.
    """
    shown = st.session_state.get(PAGE_STATE)
    before = shown.loaded.options if shown is not None else None
    new = filter_options(added)
    first = default_trials(added)
    picked = set(first)
    st.session_state[NOT_PICKED] = tuple(trial for trial in new.trials if trial not in picked)
    _widen_dose_range(before, new)
    for key, new_values, old_values in (
        ("trial", first, None),
        ("arm", arms_of(added, first), None),
        ("type", new.arm_types, before.arm_types if before else None),
        ("phase", new.phases, before.phases if before else None),
    ):
        current = st.session_state.get(key)
        if current is not None and (old_values is None or set(old_values) <= set(current)):
            _add_choices(key, new_values)


def _widen_dose_range(before: FilterOptions | None, new: FilterOptions) -> None:
    """A dose range left at its full width widens to take in the doses an upload adds, so the uploaded arms are
    not hidden by a range the user never set; a range the user narrowed stays as they set it. The slider's steps
    span whole powers of ten, so the loaded and uploaded steps' ends are the new steps' ends."""
    current = st.session_state.get("dose")
    if current is None or before is None or len(before.dose_steps) < 2 or not new.dose_steps:
        return
    if tuple(current) == (before.dose_steps[0], before.dose_steps[-1]):
        st.session_state["dose"] = (min(before.dose_steps[0], new.dose_steps[0]),
                                    max(before.dose_steps[-1], new.dose_steps[-1]))


def _add_choices(key: str, values: Iterable[str]) -> None:
    """Add `values` to a list widget's choices; a widget not drawn yet is left to its default."""
    current = st.session_state.get(key)
    if current is not None:
        st.session_state[key] = list(dict.fromkeys([*current, *values]))


def weight_input(box: DeltaGenerator) -> float:
    weight = box.number_input("Reference body weight (kg)", min_value=30.0, max_value=200.0,
                              value=DEFAULT_WEIGHT_KG, step=5.0, key="weight", bind="query-params",
                              help="Flat doses (total cells) are divided by this weight to compare in cells/kg; "
                                   "doses per m² are multiplied by the body-surface area, then divided by it.")
    return float(weight)


def bsa_input(box: DeltaGenerator) -> float:
    area = box.number_input("Reference body-surface area (m²)", min_value=0.5, max_value=3.0, value=DEFAULT_BSA_M2,
                            step=0.05, format="%.2f", key="bsa", bind="query-params",
                            help="Doses per m² of body-surface area are multiplied by this area, then divided by "
                                 "the weight, to compare in cells/kg.")
    return float(area)


def add_arms_of_added_trials() -> None:
    """A trial picked in the Trials list brings its arms into the Arms list; the two lists are intersected."""
    shown = st.session_state.get(PAGE_STATE)
    before = set(st.session_state.get(TRIALS_BEFORE, ()))
    added = [t for t in st.session_state.get("trial") or [] if t not in before]
    if shown is not None and added:
        _add_choices("arm", arms_of(shown.loaded.arms, added))


def filters(box: DeltaGenerator, loaded: Loaded) -> ArmFilter:
    box.header("Filters")
    options, shown_first = loaded.options, loaded.first_trials
    trials = box.multiselect("Trials", options.trials, default=shown_first, key="trial", bind="query-params",
                             on_change=add_arms_of_added_trials,
                             help=f"With more than {MAX_DEFAULT_ARMS} arms loaded, the first trials up to that "
                                  "many arms are shown at first; Across trials compares every trial.")
    st.session_state[TRIALS_BEFORE] = list(trials)
    types = box.pills("Arm type", options.arm_types, selection_mode="multi", default=options.arm_types,
                      key="type", bind="query-params")
    phases = box.pills("Phase", options.phases, selection_mode="multi", default=options.phases, key="phase",
                       bind="query-params")
    cellular = box.pills("Cells", CELLULAR_CHOICES, selection_mode="multi", default=CELLULAR_CHOICES,
                         key="cells", bind="query-params")
    dose_range = None
    if len(options.dose_steps) > 1:
        full = (options.dose_steps[0], options.dose_steps[-1])
        picked = box.select_slider("Dose per administration (cells/kg)", options.dose_steps, value=full,
                                   format_func=format_cells, key="dose", bind="query-params",
                                   help="Arms without a stated dose are hidden once the range is narrowed.")
        dose_range = None if tuple(picked) == full else (float(picked[0]), float(picked[1]))
    # Options are the arms' own names, not their chart codes, so a shared URL names the same arms anywhere. They are
    # the arms of the picked trials (only those can be shown; every arm of 5,000 trials would be sent on each
    # rerun) and of the trials shown at first, which the default holds.
    picked = box.multiselect("Arms", arms_of(loaded.arms, [*trials, *shown_first]),
                             default=arms_of(loaded.arms, shown_first), key="arm", bind="query-params",
                             placeholder="Pick arms to compare", help="The arms of the trials picked above.")
    return ArmFilter(arms=tuple(picked), trials=tuple(trials), arm_types=tuple(types), phases=tuple(phases),
                     cellular=tuple(cellular), dose_range=dose_range)


def uploader() -> None:
    box = st.sidebar.expander("Add records", expanded=False)
    box.file_uploader(f"Trial records: {', '.join(layout.name for layout in LAYOUTS)}, or a zip of them",
                      type=[suffix.lstrip(".") for suffix in RECORD_SUFFIXES], accept_multiple_files=True,
                      key="uploader", on_change=take_uploads)
    messages = st.session_state.get("upload_errors", [])
    for message in messages[:SHOWN_PROBLEMS]:
        box.error(markdown_literal(message), icon=":material/error:")
    if len(messages) > SHOWN_PROBLEMS:
        box.error(f"and {len(messages) - SHOWN_PROBLEMS:,} more problems: Compare arms lists them all",
                  icon=":material/error:")
    added = st.session_state.get(UPLOADS, {})
    if added:
        box.caption(f"Added this session: {markdown_literal(', '.join(sorted(added)))}")
    picked = set(st.session_state.get("trial") or ())  # counted against what is picked now, not at the upload
    not_picked = sum(trial not in picked for trial in st.session_state.get(NOT_PICKED, ()))
    if not_picked:
        box.caption(f"{not_picked:,} more uploaded trial(s) are loaded but not picked, so that at most "
                    f"{MAX_DEFAULT_ARMS} arms are drawn at first: pick them in Trials, or compare every trial on "
                    "Across trials.")


def build_sidebar(arm_filters: bool = True) -> PageState:
    """Draw the sidebar and return the page state it selects; without `arm_filters`, every loaded arm
    (for a page that selects by its own filters)."""
    filter_box, settings_box = st.sidebar.container(), st.sidebar.container()
    weight = weight_input(settings_box)
    area = bsa_input(settings_box)
    settings_box.toggle("Log dose axes", value=False, key="log", bind="query-params")
    uploader()
    trials, problems, digest = load_all()
    if st.session_state.get(UPLOADS):
        loaded: Loaded = session_cached("loaded", (digest, weight, area),  # type: ignore[assignment]
                                        lambda: load_state(trials, Reference(weight, area), digest=digest))
    else:
        loaded = loaded_cached(digest, weight, area, trials)
    # Problems are not cached with the rest: a file that cannot be listed is not in the records' hash.
    loaded = replace(loaded, problems=tuple(problems))
    selection = filters(filter_box, loaded) if arm_filters else ArmFilter()
    return select(loaded, selection)
