"""Comparison table: the selected arms in human notation, and downloads of exactly those rows."""

import streamlit as st

from pages.common import page_setup
from trialdata.export import to_csv, to_json, to_xlsx
from trialdata.presentation.tables import table_page
from trialdata.state import export_settings

state = page_setup("pages/table.py")
reference = state.loaded.reference

st.title("Comparison table")
if state.arms.empty:
    st.info("No arm matches the filters, so there is nothing to tabulate or download.",
            icon=":material/filter_alt_off:")
    st.stop()
st.caption(f"{len(state.arms)} arm regimen(s). Flat doses are converted at "
           f"{reference.weight_kg:g} kg; day 0 is each arm's first administration.")
ROW_HEIGHT = 35  # the grid's own row height
MAX_ROWS_TALL = 40  # up to this many rows, a page table; past it, a grid that scrolls inside itself
rows = len(state.arms)
if rows <= MAX_ROWS_TALL:
    # As tall as its rows and as wide as the page, each name and dose wrapped in full: the table of a slide.
    st.table(table_page(state.arms, state.loaded, literal=True))
else:
    # At 1280 px the code, arm, trial, dose, schedule and cumulative columns fit side by side.
    st.dataframe(table_page(state.arms, state.loaded), hide_index=True, width="stretch",
                 height=MAX_ROWS_TALL * ROW_HEIGHT + 38,
                 column_config={"Code": st.column_config.TextColumn(pinned=True, width=50),
                                "Arm": st.column_config.TextColumn(pinned=True, width=190),
                                "Trial": st.column_config.TextColumn(width=105),
                                "Dose per administration": st.column_config.TextColumn(width=200),
                                "Schedule": st.column_config.TextColumn(width=125),
                                "Cumulative": st.column_config.TextColumn(width=140)})

# The files are built on each run, not on click: a file built on click belongs to no session, and under
# load another session's rerun can sweep it away before the browser fetches it.
arms = state.arms
settings = export_settings(state)
buttons = st.columns(3)
buttons[0].download_button("Download CSV", to_csv(arms, settings=settings), file_name="arm-comparison.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv")
buttons[1].download_button("Download Excel", to_xlsx(arms, settings=settings), file_name="arm-comparison.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", icon=":material/download:", key="download_xlsx")
buttons[2].download_button("Download JSON", to_json(arms, settings=settings), file_name="arm-comparison.json",
                           mime="application/json", on_click="ignore", icon=":material/download:", key="download_json")
