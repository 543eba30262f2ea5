"""Arm detail: one arm's regimens, schedule, cumulative curve, total cells, flags and record text."""

import streamlit as st

from pages.common import page_setup
from trialdata.notation import markdown_literal
from trialdata.presentation.arm_charts import cumulative_chart, schedule_chart
from trialdata.presentation.style import CHART_THEME
from trialdata.presentation.tables import arm_detail

state = page_setup("pages/arm_detail.py")
loaded = state.loaded

st.title("Arm detail")
keys = list(dict.fromkeys(state.arms["arm_key"]))
if not keys:
    st.info("No arm matches the filters. Widen them in the sidebar to pick an arm.",
            icon=":material/filter_alt_off:")
    st.stop()
# Open on an arm with something to show: the first with a stated dose, else the first with a schedule.
dosed = state.arms.loc[state.arms["dose_per_administration"].notna(), "arm_key"]
timed = state.arms.loc[state.arms["administration_days"].map(len).gt(0), "arm_key"]
first = next(iter(dosed), next(iter(timed), keys[0]))
key = st.selectbox("Arm", keys, index=keys.index(first), key="detail", bind="query-params")
detail = arm_detail(state.arms, loaded, key)

# Two by two: four to a row cut "2.29×10⁶ cells/kg" and "every 3 months ×4" short at a laptop's width.
figures = [*st.columns(2), *st.columns(2)]
figures[0].metric("Dose per administration", detail.dose)
figures[1].metric("Schedule", detail.schedule)
figures[2].metric("Cumulative", detail.cumulative)
figures[3].metric(f"Total cells, {loaded.reference.weight_kg:g} kg patient", detail.total_cells,
                  help="Cumulative cells/kg × the reference body weight set in the sidebar.")
st.caption(markdown_literal(f"{loaded.codes[key]} in the charts · {detail.trial_id} · {detail.arm_type} · "
                            f"{detail.route}"))

rows = state.arms[state.arms["arm_key"] == key]
charts = [st.container(), st.container()]  # one under the other: each chart names its rows in full
charts[0].plotly_chart(schedule_chart(rows, loaded.colors, loaded.codes), width="stretch",
                       theme=CHART_THEME, key="detail_schedule")
cumulative = state.cumulative[state.cumulative["arm_key"] == key]
if not rows["cellular"].iloc[0]:
    charts[1].info("This arm receives no cells, so it has no cumulative cell dose.")
elif cumulative.empty and rows["cumulative_dose"].notna().any():
    charts[1].info("No cumulative curve: the record states no administration days for this arm, so its cumulative "
                   "dose (above) cannot be drawn over time.")
elif cumulative.empty:
    charts[1].info("No cumulative curve: the record does not give both a dose and a schedule for this arm.")
else:
    charts[1].plotly_chart(cumulative_chart(cumulative, rows, loaded.colors, loaded.codes),
                           width="stretch", theme=CHART_THEME, key="detail_cumulative")

st.subheader("Regimens")
st.dataframe(detail.regimens, hide_index=True, width="stretch")
st.subheader("Flags")
if detail.flags.empty:
    st.success("Nothing to flag: the record states this arm's numbers without contradiction.")
else:
    st.dataframe(detail.flags, hide_index=True, width="stretch")
st.subheader("Record text")
st.caption("The arm's paragraph as the record gives it.")
st.code(detail.description or "(the record gives no text for this arm)", language=None, wrap_lines=True)
