"""The dashboard, run headless through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_app_lists_every_seed_arm() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "Control (placebo)" in set(table.arm)
    assert "Phase 1 · 4.0×10⁶ cells/kg single" in set(table.arm)
    assert len(at.error) == 0
