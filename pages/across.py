"""Across trials: how each trial's dosing sits among the others, on one cells/kg axis."""

import streamlit as st

from pages.common import page_setup
from pages.common.across_filters import choose_trials, pick_focus
from trialdata.across_charts import across_cumulative_chart, across_dose_chart
from trialdata.across_views import across_table, focus_summary, summary_table
from trialdata.export import ACROSS_COLUMNS, to_csv, to_json, to_xlsx
from trialdata.frames import cumulative_frame

comparison = page_setup("pages/across.py", arm_filters=False)
log = bool(st.session_state.get("log"))

st.title("Across trials")
arms = choose_trials(comparison)
if arms.empty:
    st.info("No loaded trial matches these filters. Clear a filter to choose more trials.",
            icon=":material/filter_alt_off:")
    st.stop()

dosed = arms[arms["dose_cells_per_kg"].notna()]
figures = st.columns([2.2, 1, 1, 1, 1.3], vertical_alignment="bottom")
focus = pick_focus(figures[0], arms)
figures[1].metric("Trials chosen", f"{arms['trial_id'].nunique()} of {comparison.all_arms['trial_id'].nunique()}")
figures[2].metric("Arms", arms["series"].nunique())
figures[3].metric("Arms with a dose", dosed["series"].nunique())
figures[4].metric("Converted doses", int(dosed["dose_converted"].sum()),
                  help=f"Flat doses (total cells) are divided by the reference weight, {comparison.weight_kg:g} kg.")
if focus:
    st.markdown(f":material/my_location: {focus_summary(arms, focus)}")

if dosed.empty:
    st.info("None of the chosen trials states a cell dose; the table below lists their arms.", icon=":material/info:")
else:
    charts = st.columns(2, gap="small")
    chart_config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
    charts[0].plotly_chart(across_dose_chart(arms, comparison.colors, comparison.codes, comparison.weight_kg,
                                             focus, log=log), width="stretch", config=chart_config,
                           key="across_dose_chart")
    charts[1].plotly_chart(across_cumulative_chart(cumulative_frame(arms), arms, comparison.colors,
                                                   comparison.codes, focus, log=log),
                           width="stretch", config=chart_config, key="across_cumulative_chart")
    st.caption(f"Each marker is an arm (its code as on every page); open markers and dashed lines are flat doses "
               f"converted at {comparison.weight_kg:g} kg. Error bars span a stated dose range. Day 0 is each arm's "
               "first administration. Arms that state no dose are in the table only.")

st.subheader("Summary of the chosen arms")
st.dataframe(summary_table(arms, comparison.codes), hide_index=True, width="stretch")
st.caption("Over the cellular arms that state each figure. With an even count the median is the mean of the two "
           "middle values, and both middle arms are named.")

st.subheader("Arms of the chosen trials")
st.dataframe(across_table(arms, comparison.codes, comparison.weight_kg), hide_index=True, width="stretch",
             column_config={"Code": st.column_config.TextColumn(pinned=True, width="small"),
                            "Trial": st.column_config.TextColumn(pinned=True)})
# Built on each run, as on the comparison table page: a file built on click can be swept away under load.
buttons = st.columns(3)
buttons[0].download_button("Download CSV", to_csv(arms, ACROSS_COLUMNS), file_name="across-trials.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:", key="across_csv")
buttons[1].download_button("Download Excel", to_xlsx(arms, ACROSS_COLUMNS), file_name="across-trials.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", icon=":material/download:", key="across_xlsx")
buttons[2].download_button("Download JSON", to_json(arms, ACROSS_COLUMNS), file_name="across-trials.json",
                           mime="application/json", on_click="ignore", icon=":material/download:", key="across_json")
