"""Dashboard entry point: the page navigation. Each page draws the shared sidebar (pages/common)."""

from __future__ import annotations

import streamlit as st

from pages.common import INTENDED_PAGE, NAVIGATION_READY

st.set_page_config(page_title="Cell-therapy arm comparison", page_icon=":material/biotech:", layout="wide")
navigation = st.navigation([
    st.Page("pages/compare.py", title="Compare arms", icon=":material/bar_chart:", default=True),
    st.Page("pages/across.py", title="Across trials", icon=":material/stacked_line_chart:", url_path="across"),
    st.Page("pages/arm_detail.py", title="Arm detail", icon=":material/search:", url_path="arm_detail"),
    st.Page("pages/table.py", title="Comparison table", icon=":material/table_chart:", url_path="table"),
    st.Page("pages/sources.py", title="Sources & flags", icon=":material/fact_check:", url_path="sources"),
])
st.session_state[NAVIGATION_READY] = True
intended = st.session_state.pop(INTENDED_PAGE, None)
if intended:  # a shared link opened on a just-started server: go back to the page it names
    st.switch_page(intended, query_params={key: st.query_params.get_all(key) for key in st.query_params})
navigation.run()
