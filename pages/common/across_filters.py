"""The Across trials page's own filters: which trials, by their facts, and which one is in focus.

Every list starts empty, meaning "all": a trial added later (an upload) is then shown without
being picked again. Each filter is bound to the URL, so a shared link opens the same selection.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.common.sidebar import UPLOADS, session_cached
from trialdata.across import AcrossFilter, across_frame, across_options, apply_across
from trialdata.export import ACROSS_COLUMNS, ExportSettings, to_csv, to_json, to_xlsx
from trialdata.presentation.texts import default_focus
from trialdata.state import Loaded, Reference


class Downloads(NamedTuple):
    csv: bytes
    xlsx: bytes
    json: bytes


YEAR_RANGE = "across_year_range"  # the full year range last offered, to tell a narrowed range from the full one


@st.cache_resource(max_entries=16, ttl=24 * 3600, show_spinner=False)
def across_cached(digest: str, reference: Reference, _loaded: Loaded) -> pd.DataFrame:
    """Every loaded arm with its trial's facts; keyed by the loaded files and the reference patient."""
    return across_frame(_loaded.trials, _loaded.arms)


FILTER_KEYS = ("x_condition", "x_phase", "x_status", "x_type", "x_source", "x_route")
YEAR_KEY = "x_year"
FOCUS_KEY = "x_focus"


@st.cache_resource(max_entries=16, ttl=24 * 3600, show_spinner="Preparing the downloads…")
def downloads_cached(digest: str, reference: Reference, trials: tuple[str, ...], _arms: pd.DataFrame,
                     _settings: ExportSettings) -> Downloads:
    """The three files for one choice of trials, built once: a workbook of thousands of rows takes seconds,
    and changing only the trial in focus should not rebuild it."""
    return _downloads(_arms, _settings)


def _downloads(arms: pd.DataFrame, settings: ExportSettings) -> Downloads:
    return Downloads(to_csv(arms, ACROSS_COLUMNS, settings), to_xlsx(arms, ACROSS_COLUMNS, settings),
                     to_json(arms, ACROSS_COLUMNS, settings))


def downloads(loaded: Loaded, chosen: pd.DataFrame) -> Downloads:
    trials = tuple(dict.fromkeys(chosen["trial_id"]))
    reference = loaded.reference
    settings = ExportSettings(weight_kg=reference.weight_kg, bsa_m2=reference.bsa_m2, codes=loaded.codes,
                              filters=(("trials", f"{len(trials)} of {loaded.trial_count}: " + "; ".join(trials)),),
                              records=f"{loaded.trial_count} trial(s)")
    if st.session_state.get(UPLOADS):  # a session's uploads stay in its own state (see sidebar.session_cached)
        return session_cached("downloads", (loaded.digest, reference, trials),  # type: ignore[return-value]
                              lambda: _downloads(chosen, settings))
    return downloads_cached(loaded.digest, reference, trials, chosen, settings)


def choose_trials(loaded: Loaded) -> pd.DataFrame:
    """Draw the filters, open only while one narrows the choice; return the arms of the chosen trials."""
    if st.session_state.get(UPLOADS):
        everything = session_cached("across", (loaded.digest, loaded.reference),
                                    lambda: across_frame(loaded.trials, loaded.arms))
    else:
        everything = across_cached(loaded.digest, loaded.reference, loaded)
    options = across_options(everything)
    narrowed = any(st.session_state.get(key) for key in FILTER_KEYS) or st.session_state.get(YEAR_KEY) not in (
        None, st.session_state.get(YEAR_RANGE))
    box = st.expander("Choose trials by condition, phase, status, cell type and source, route and start year",
                      expanded=bool(narrowed), icon=":material/filter_list:")
    top = box.columns(3)
    conditions = top[0].multiselect("Condition", options.conditions, key="x_condition", bind="query-params",
                                    placeholder="All conditions")
    phases = top[1].multiselect("Trial phase", options.phases, key="x_phase", bind="query-params",
                                placeholder="All phases")
    statuses = top[2].multiselect("Status", options.statuses, key="x_status", bind="query-params",
                                  placeholder="All statuses")
    middle = box.columns(3)
    types = middle[0].multiselect("Cell type", options.cell_types, key="x_type", bind="query-params",
                                  placeholder="All cell types", help="The kind of cell product an arm gives "
                                  "(CAR-T, NK cells, MSC, islets, ...), as its texts, interventions or the trial's "
                                  "title name it.")
    sources = middle[1].multiselect("Cell source", options.cell_sources, key="x_source", bind="query-params",
                                    placeholder="All sources", help="The tissue the cells come from, where the "
                                    "arm, its interventions or the trial's title or summary names it.")
    routes = middle[2].multiselect("Route", options.routes, key="x_route", bind="query-params",
                                   placeholder="All routes")
    years = _year_range(box.columns(3)[0], options.years)
    box.caption("Empty lists choose all. A trial is chosen when its condition, phase, status and start year "
                "match, and one of its arms has a chosen cell type, cell source and route; all its arms are then "
                "shown.")
    selection = AcrossFilter(conditions=tuple(conditions) or None, phases=tuple(phases) or None,
                             statuses=tuple(statuses) or None, cell_types=tuple(types) or None,
                             cell_sources=tuple(sources) or None, routes=tuple(routes) or None, years=years)
    return apply_across(everything, selection)


def pick_focus(box: DeltaGenerator, chosen: pd.DataFrame) -> str | None:
    """The trial whose regimens are read against the others'; None when no trial is chosen."""
    trials = list(dict.fromkeys(chosen["trial_id"]))
    if not trials:
        return None
    suggested = default_focus(chosen) or trials[0]
    return box.selectbox("Trial in focus", trials, index=trials.index(suggested), key=FOCUS_KEY,
                         bind="query-params", help="Shaded and drawn boldly, so its regimens read against the "
                         "other trials'. It starts on the trial with the most dosed arms.")


def _year_range(column: DeltaGenerator, years: tuple[int, ...]) -> tuple[int, int] | None:
    """The start years picked, or None for the full range (which keeps trials without a start date)."""
    if len(years) < 2:
        return None
    full = (years[0], years[-1])
    if st.session_state.get(YEAR_RANGE) not in (None, full) and st.session_state.get(YEAR_KEY) == tuple(
            st.session_state[YEAR_RANGE]):
        st.session_state[YEAR_KEY] = full  # the range was full before new years arrived: keep it full
    st.session_state[YEAR_RANGE] = full
    picked = column.select_slider("Start year", years, value=full, key=YEAR_KEY, bind="query-params",
                                  help="Trials without a start date are hidden once the range is narrowed.")
    return None if tuple(picked) == full else (int(picked[0]), int(picked[1]))
