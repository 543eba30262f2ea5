"""Dashboard entry point: loads the bundled seeds/ and lists every arm's regimen."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from trialdata import arms_frame, load_paths
from trialdata.export import comparison_table

SEEDS = Path(__file__).parent / "seeds"

st.set_page_config(page_title="Cell-therapy arm comparison", layout="wide")
st.title("Cell-therapy trial arms")
result = load_paths([SEEDS])
for problem in result.problems:
    st.error(f"{Path(problem.path).name}: {problem.message}")
arms = arms_frame(result.trials)
st.caption(f"{len(result.trials)} trial(s), {len(arms)} arm regimen(s) from {SEEDS.name}/")
st.dataframe(comparison_table(arms), hide_index=True)
