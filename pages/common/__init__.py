"""What every page shares: the sidebar and the page state it selects."""

from __future__ import annotations

import streamlit as st

from trialdata.state import PageState

ENTRY = "app.py"
INTENDED_PAGE = "intended_page"
NAVIGATION_READY = "navigation_ready"


def page_setup(page: str, arm_filters: bool = True) -> PageState:
    """Draw the shared sidebar and return the page state it selects: the loaded facts, built once per load, and
    the arms the filters show. A page with filters of its own passes `arm_filters=False` and gets every loaded
    arm.

    A just-started server runs the first requested page on its own, before
    app.py has set up the navigation; the page then hands over to app.py,
    which comes back to it with the same URL query, so a shared link still
    opens the view it names.
    """
    if not st.session_state.get(NAVIGATION_READY):
        st.session_state[INTENDED_PAGE] = page
        st.switch_page(ENTRY, query_params={key: st.query_params.get_all(key) for key in st.query_params})
    from .housekeeping import start_housekeeping
    from .sidebar import PAGE_STATE, build_sidebar

    start_housekeeping()
    state = build_sidebar(arm_filters)
    st.session_state[PAGE_STATE] = state
    return state
