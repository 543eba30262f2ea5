"""Across trials: how each trial's dosing sits among the others, on one cells/kg axis; doses per cm² or in islet
equivalents, which have no cells/kg equivalent, on axes of their own below it."""

import streamlit as st

from pages.common import page_setup
from pages.common.across_filters import choose_trials, downloads, pick_focus
from trialdata.frames import cumulative_frame
from trialdata.notation import markdown_literal
from trialdata.presentation.across_charts import across_cumulative_chart, across_dose_chart, charted_trials
from trialdata.presentation.arm_charts import own_axis_units
from trialdata.presentation.style import CHART_CONFIG, CHART_THEME
from trialdata.presentation.tables import across_table, summary_table
from trialdata.presentation.texts import focus_summary

state = page_setup("pages/across.py", arm_filters=False)
loaded = state.loaded
reference = loaded.reference
log = bool(st.session_state.get("log"))

st.title("Across trials")
arms = choose_trials(loaded)
if arms.empty:
    st.info("No loaded trial matches these filters. Clear a filter to choose more trials.",
            icon=":material/filter_alt_off:")
    st.stop()

dosed = arms[arms["dose_per_administration"].notna()]
top = st.columns([1, 2], vertical_alignment="bottom")
focus = pick_focus(top[0], arms)
if focus:
    top[1].markdown(f":material/my_location: {markdown_literal(focus_summary(arms, focus))}")
figures = st.columns(4)
figures[0].metric("Trials chosen", f"{arms['trial_id'].nunique()} of {len(loaded.options.trials)}")
figures[1].metric("Arms", arms["arm_key"].nunique())  # arms, as Compare counts them: not their regimens
figures[2].metric("Arms with a dose", dosed["arm_key"].nunique())
figures[3].metric("Converted doses", int(dosed["dose_converted"].sum()),
                  help=f"Flat doses (total cells) are divided by the reference weight, {reference.weight_kg:g} kg; "
                       f"doses per m² are multiplied by the reference body-surface area, {reference.bsa_m2:g} m², "
                       "first.")

if dosed.empty:
    st.info("None of the chosen trials states a cell dose; the table below lists their arms.", icon=":material/info:")
else:
    drawn = charted_trials(arms, focus)
    charts = st.columns(2, gap="small")
    cumulative = cumulative_frame(drawn)
    charts[0].plotly_chart(across_dose_chart(drawn, loaded.colors, loaded.codes, reference.weight_kg,
                                             focus, log=log, bsa_m2=reference.bsa_m2), width="stretch",
                           config=CHART_CONFIG, theme=CHART_THEME, key="across_dose_chart")
    charts[1].plotly_chart(across_cumulative_chart(cumulative, drawn, loaded.colors, loaded.codes, focus,
                                                   log=log),
                           width="stretch", config=CHART_CONFIG, theme=CHART_THEME, key="across_cumulative_chart")
    hidden = arms["trial_id"].nunique() - drawn["trial_id"].nunique()
    if hidden:
        st.caption(f"The charts draw {drawn['trial_id'].nunique()} of the {arms['trial_id'].nunique()} trials "
                   f"chosen (the one in focus, then the first loaded); narrow the choice to draw others. The "
                   "summary, the table and the downloads hold every chosen trial.")
    st.caption(f"Each marker is an arm (its code as on every page); open markers and dashed lines are flat doses "
               f"converted at {reference.weight_kg:g} kg and doses per m² converted at {reference.bsa_m2:g} m² and "
               f"{reference.weight_kg:g} kg. Error bars span a stated dose range. Day 0 is each arm's first "
               "administration. Arms that state no dose are in the table only.")
    for unit in own_axis_units(drawn):
        in_unit = drawn[drawn["dose_axis"] == unit]
        trials_in_unit = in_unit["trial_id"].unique()
        st.markdown(f"**Doses in {unit}**")
        own = st.columns(2, gap="small")
        own[0].plotly_chart(across_dose_chart(drawn[drawn["trial_id"].isin(trials_in_unit)], loaded.colors,
                                              loaded.codes, reference.weight_kg, focus, log=log, unit=unit),
                            width="stretch", config=CHART_CONFIG, theme=CHART_THEME, key=f"across_dose_chart_{unit}")
        own[1].plotly_chart(across_cumulative_chart(cumulative, in_unit, loaded.colors, loaded.codes, focus,
                                                    log=log, unit=unit),
                            width="stretch", config=CHART_CONFIG, theme=CHART_THEME,
                            key=f"across_cumulative_chart_{unit}")
        codes = ", ".join(dict.fromkeys(loaded.codes[key] for key in in_unit["arm_key"]))
        trial_list = markdown_literal(", ".join(trials_in_unit))
        st.caption(f"Doses of {codes} ({trial_list}) are in {unit}, which has no cells/kg equivalent: they are drawn "
                   "on this axis of their own and never converted.")

st.subheader("Summary of the chosen arms")
st.dataframe(summary_table(arms, loaded.codes), hide_index=True, width="stretch")
st.caption("Over the cellular arms that state each figure. With an even count the median is the mean of the two "
           "middle values, and both middle arms are named.")

st.subheader("Arms of the chosen trials")
st.dataframe(across_table(arms, loaded.codes, reference.weight_kg), hide_index=True, width="stretch",
             column_config={"Code": st.column_config.TextColumn(pinned=True, width="small"),
                            "Trial": st.column_config.TextColumn(pinned=True)})
# Built before the buttons, as on the comparison table page (a file built on click can be swept away under
# load), and cached per choice of trials.
files = downloads(loaded, arms)
buttons = st.columns(3)
buttons[0].download_button("Download CSV", files.csv, file_name="across-trials.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:", key="across_csv")
buttons[1].download_button("Download Excel", files.xlsx, file_name="across-trials.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", icon=":material/download:", key="across_xlsx")
buttons[2].download_button("Download JSON", files.json, file_name="across-trials.json",
                           mime="application/json", on_click="ignore", icon=":material/download:", key="across_json")
