"""Compare arms: what is loaded, then dose, schedule and cumulative cells/kg, one chart under the other, each
naming its arms so that a picture saved from its toolbar stands alone; below, the doses that have no cells/kg
equivalent (per cm² of a lesion, islet equivalents) on axes of their own.

Everything the page shows is computed before the first element is drawn, so the browser receives the page in
one burst and lays it out once, not once per element while the figures are still being built.
"""

import streamlit as st

from pages.common import page_setup
from trialdata.load import printable
from trialdata.notation import markdown_literal
from trialdata.presentation.arm_charts import (
    DAY_AXES,
    cumulative_chart,
    day_scale,
    dose_chart,
    own_axis_units,
    schedule_chart,
    split_charted,
)
from trialdata.presentation.sources import needs_checking
from trialdata.presentation.style import CHART_CONFIG, CHART_THEME
from trialdata.presentation.tables import arm_key_table
from trialdata.presentation.texts import conversion_caption, narrowing_caption

state = page_setup("pages/compare.py")
loaded = state.loaded
log = bool(st.session_state.get("log"))
# The Day axis control is drawn above the charts but read here, before them; on a link's first run its value is
# still only in the URL.
day_axis = st.session_state.get("day_axis") or st.query_params.get("day_axis") or "fit"

colors, codes, reference = loaded.colors, loaded.codes, loaded.reference
at_reference = {"weight_kg": reference.weight_kg, "bsa_m2": reference.bsa_m2}
charted, uncharted = split_charted(state.arms)
scale = day_scale(charted, day_axis if day_axis in DAY_AXES else "fit")
figures = [] if charted.empty else [
    ("dose_chart", dose_chart(charted, colors, codes, log=log, **at_reference)),
    ("schedule_chart", schedule_chart(charted, colors, codes, scale=scale)),
    ("cumulative_chart", cumulative_chart(state.cumulative, charted, colors, codes,
                                          log=log, scale=scale)),
]
own_units = [] if charted.empty else own_axis_units(charted)
own_figures = [
    (unit, dose_chart(charted[charted["dose_axis"] == unit], colors, codes, log=log, unit=unit, **at_reference),
     cumulative_chart(state.cumulative, charted[charted["dose_axis"] == unit], colors, codes, log=log, unit=unit,
                      scale=scale))
    for unit in own_units
]
key_table = None if state.arms.empty else arm_key_table(state.arms, loaded)

st.title("Compare arms")
counts = st.columns(4)
counts[0].metric("Trials loaded", loaded.trial_count)
counts[1].metric("Arms shown", f"{state.arms['arm_key'].nunique()} of {len(loaded.options.arms)}")
counts[2].metric("Problems in records", f"{loaded.problem_count:,}")
counts[3].metric("Arms to check", needs_checking(state.arms),
                 help="Arms whose record contradicts itself or where the reading had to guess; Sources & flags "
                      "lists every flag, the most important first.")
if loaded.focus and len(loaded.options.trials) > 1:
    peers = st.columns([4, 1], vertical_alignment="center")
    peers[0].markdown(f":material/my_location: {markdown_literal(loaded.focus_text)}")
    peers[1].page_link("pages/across.py", label="Across trials", icon=":material/stacked_line_chart:")
narrowed = narrowing_caption(state)
if narrowed:
    st.caption(narrowed)
if loaded.problems:
    with st.expander(f"{loaded.problem_count:,} problem(s) in the records: what could not be read, and why"):
        st.dataframe({"File": [printable(p.path) for p in loaded.problems],
                      "What is wrong": [p.message for p in loaded.problems]}, hide_index=True)

if key_table is None:
    st.info("No arm matches the filters. Widen the dose range, add arm types or phases, "
            "or pick arms again in the sidebar.",
            icon=":material/filter_alt_off:")
    st.stop()

if not figures:
    st.info("None of the arms shown states a cell dose or a schedule; the table below lists them.",
            icon=":material/info:")
else:
    st.segmented_control("Day axis", DAY_AXES, default="fit", key="day_axis", label_visibility="collapsed",
                         bind="query-params",
                         format_func={"fit": "Day axis: fit", "linear": "linear", "compressed": "compressed"}.get,
                         help="Fit compresses the day axis when one schedule is many times longer than another, "
                              "so a weekly ×4 arm and a quarterly one both read; linear and compressed force it.")
    for key, figure in figures:
        st.plotly_chart(figure, width="stretch", config=CHART_CONFIG, theme=CHART_THEME, key=key)
    st.caption(conversion_caption(charted, codes, loaded.reference, log=log, compressed=scale.compressed))
    for unit, dose_figure, cumulative_figure in own_figures:
        arms_in_unit = charted[charted["dose_axis"] == unit]
        listed = ", ".join(dict.fromkeys(codes[key] for key in arms_in_unit["arm_key"]))
        st.markdown(f"**Doses in {unit}**")
        st.plotly_chart(dose_figure, width="stretch", config=CHART_CONFIG, theme=CHART_THEME,
                        key=f"dose_chart_{unit}")
        st.plotly_chart(cumulative_figure, width="stretch", config=CHART_CONFIG, theme=CHART_THEME,
                        key=f"cumulative_chart_{unit}")
        st.caption(f"Doses of {listed} are in {unit}, which has no cells/kg equivalent: they are drawn here, on an "
                   "axis of their own, and never converted. Their schedules are in the schedule chart above.")
if not uncharted.empty:
    listed = ", ".join(dict.fromkeys(codes[key] for key in uncharted["arm_key"]))
    st.caption(f"Not charted, as their records state neither a cell dose nor a schedule: {listed}.")
st.subheader("Arms")
st.dataframe(key_table, hide_index=True, width="stretch")
