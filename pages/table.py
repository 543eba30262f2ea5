"""Comparison table: the selected arms in human notation, and downloads of exactly those rows."""

import streamlit as st

from pages.common import page_setup
from trialdata.export import to_csv, to_json, to_xlsx
from trialdata.views import display_table

comparison = page_setup("pages/table.py")

st.title("Comparison table")
if comparison.arms.empty:
    st.info("No arm matches the filters, so there is nothing to tabulate or download.",
            icon=":material/filter_alt_off:")
    st.stop()
st.caption(f"{len(comparison.arms)} arm regimen(s). Flat doses are converted at "
           f"{comparison.weight_kg:g} kg; day 0 is each arm's first administration.")
st.dataframe(display_table(comparison), hide_index=True, width="stretch",
             column_config={"Code": st.column_config.TextColumn(pinned=True, width="small"),
                            "Arm": st.column_config.TextColumn(pinned=True, width="medium")})

# The files are built on each run, not on click: a file built on click belongs to no session, and under
# load another session's rerun can sweep it away before the browser fetches it.
arms = comparison.arms
buttons = st.columns(3)
buttons[0].download_button("Download CSV", to_csv(arms), file_name="arm-comparison.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv")
buttons[1].download_button("Download Excel", to_xlsx(arms), file_name="arm-comparison.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", icon=":material/download:", key="download_xlsx")
buttons[2].download_button("Download JSON", to_json(arms), file_name="arm-comparison.json",
                           mime="application/json", on_click="ignore", icon=":material/download:", key="download_json")
