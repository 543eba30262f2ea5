"""Sources & flags: every number beside the sentence it was read from, and every flag, arm by arm."""

import streamlit as st

from pages.common import page_setup
from trialdata.notation import markdown_literal
from trialdata.views import arm_sources

comparison = page_setup("pages/sources.py")
MAX_ARMS = 60  # beyond this the page gets slow to read; narrow the filters instead

st.title("Sources & flags")
if comparison.arms.empty:
    st.info("No arm matches the filters. Widen them in the sidebar to see sources.",
            icon=":material/filter_alt_off:")
    st.stop()
st.caption("Each value is quoted from the record, with the paragraph it sits in: check it there.")
cards = arm_sources(comparison)
if len(cards) > MAX_ARMS:
    st.warning(f"Showing the first {MAX_ARMS} of {len(cards)} arms; narrow the filters to see the others.")
for card in cards[:MAX_ARMS]:
    with st.container(border=True):
        st.subheader(markdown_literal(card.title), anchor=False)
        for number in card.numbers:
            left, right = st.columns([1, 3])
            left.text(f"{number.what}: {number.value}")
            right.text(number.quote or "not stated in the record")
            if number.location:
                right.caption(markdown_literal(number.location))
        for flag in card.flags:
            st.text(f"⚑ {flag}")
