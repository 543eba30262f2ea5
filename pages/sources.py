"""Sources & flags: trial by trial, the trial's flags once, then each arm's numbers with every sentence they were
read from quoted once, and its flags, contradictions first and routine notes last in one line."""

import streamlit as st

from pages.common import page_setup
from trialdata.flags import Severity
from trialdata.notation import markdown_literal
from trialdata.presentation.sources import sources_by_trial

state = page_setup("pages/sources.py")
MAX_ARMS = 60  # beyond this the page gets slow to read; narrow the filters instead

st.title("Sources & flags")
if state.arms.empty:
    st.info("No arm matches the filters. Widen them in the sidebar to see sources.",
            icon=":material/filter_alt_off:")
    st.stop()
st.caption("Each value is quoted from the record, with the paragraph it sits in: check it there. Flags read "
           "contradiction (the record says two things), guess (the reading chose), gap (the record leaves it out), "
           "note (a routine conversion), in that order.")
trials = sources_by_trial(state.arms, state.loaded)
total = sum(len(trial.arms) for trial in trials)
if total > MAX_ARMS:
    st.warning(f"Showing the first {MAX_ARMS} of {total} arm regimens; narrow the filters to see the others.")
shown = 0
for trial in trials:
    if shown >= MAX_ARMS:
        break
    st.subheader(markdown_literal(f"{trial.trial_id} · {trial.title}"), anchor=False)
    for flag in trial.flags:
        st.text(f"Whole trial: {flag.line()}")
    for arm in trial.arms[: MAX_ARMS - shown]:
        shown += 1
        with st.container(border=True):
            st.markdown(f"##### {markdown_literal(arm.title)}")
            st.text(" · ".join(f"{number.what}: {number.value}" for number in arm.numbers))
            for sentence in arm.sentences:
                left, right = st.columns([1, 5])
                left.caption(sentence.supports.capitalize())
                right.text(sentence.quote)
                right.caption(markdown_literal(sentence.location))
            if not arm.sentences:
                st.caption("The record states none of these numbers for this arm.")
            for flag in arm.flags:
                if flag.severity > Severity.NOTE:
                    st.text(flag.line())
            notes = [flag.code for flag in arm.flags if flag.severity == Severity.NOTE]
            if notes:
                st.caption(markdown_literal("Also noted: " + ", ".join(notes)))
