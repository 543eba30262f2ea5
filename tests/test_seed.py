"""The bundled seed record read as an expert would: arms, regimens, sources and flags."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from trialdata import arms_frame, cumulative_frame, load_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "NCT06740149.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "NCT06740149.txt"


@pytest.fixture(scope="module")
def seed_arms() -> pd.DataFrame:
    result = load_paths([SEED])
    assert result.problems == []
    return arms_frame(result.trials)


def _row(arms: pd.DataFrame, phase: str, dose: float | None) -> pd.Series:
    if dose is None:
        rows = arms[arms.dose_per_administration.isna()]
    else:
        rows = arms[(arms.phase == phase) & (arms.dose_per_administration == dose)]
    assert len(rows) == 1, f"expected one {phase} arm at {dose}, found {len(rows)}"
    return rows.iloc[0]


SEED_SHA256 = "fa1debf725a84eaaa3f6e4f23e84d3b7cb3ae221059c6f4cb34e195fc3dce048"


def test_seed_is_byte_identical_to_the_shared_record() -> None:
    """The shipped seed is the shared record byte for byte (checked by hash where shared/ is absent)."""
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_gives_exactly_six_arms(seed_arms: pd.DataFrame) -> None:
    assert len(seed_arms) == 6
    assert set(seed_arms.trial_id) == {"NCT06740149"}
    assert seed_arms.arm.is_unique


def test_control_is_placebo_solvent_weekly_times_four(seed_arms: pd.DataFrame) -> None:
    control = _row(seed_arms, "", None)
    assert control.arm == "Control (placebo)"
    assert control.arm_type == "Placebo comparator"
    assert not control.cellular
    assert control.administrations == 4
    assert control.interval_days == 7
    assert control.administration_days == (0, 7, 14, 21)
    assert pd.isna(control.cumulative_dose)
    assert "once a week for a total of 4 doses" in control.source


@pytest.mark.parametrize("dose, cumulative", [(1.0e6, 4.0e6), (2.0e6, 8.0e6)])
def test_phase_2_arms_are_weekly_times_four(seed_arms: pd.DataFrame, dose: float, cumulative: float) -> None:
    arm = _row(seed_arms, "Phase 2", dose)
    assert arm.cellular and arm.arm_type == "Experimental"
    assert arm.dose_unit == "cells/kg"
    assert arm.administrations == 4
    assert arm.administration_days == (0, 7, 14, 21)
    assert arm.cumulative_dose == pytest.approx(cumulative)
    assert arm.cumulative_cells_per_kg == pytest.approx(cumulative)
    assert arm.route == "intravenous"
    assert arm.arm.startswith("Phase 2 · ") and arm.arm.endswith("cells/kg weekly ×4")
    assert "×10\\^6 cells/kg CG-BM1 once a week for a total of 4 administrations" in arm.source


@pytest.mark.parametrize("dose, mislabelled", [(1.0e6, False), (2.0e6, True), (4.0e6, True)])
def test_phase_1_arms_are_single_infusions(seed_arms: pd.DataFrame, dose: float, mislabelled: bool) -> None:
    arm = _row(seed_arms, "Phase 1", dose)
    assert arm.administrations == 1
    assert arm.administration_days == (0,)
    assert arm.cumulative_cells_per_kg == pytest.approx(dose)
    assert arm.arm.startswith("Phase 1 · ") and arm.arm.endswith("cells/kg single")
    assert "low dose" not in arm.arm
    assert "infused with single dose" in arm.source
    assert ("calls this arm 'low dose'" in arm["flags"]) is mislabelled


def test_labels_read_in_times_ten_notation(seed_arms: pd.DataFrame) -> None:
    assert "Phase 1 · 4.0×10⁶ cells/kg single" in set(seed_arms.arm)
    assert "Phase 2 · 1.0×10⁶ cells/kg weekly ×4" in set(seed_arms.arm)


def test_every_number_quotes_the_record(seed_arms: pd.DataFrame) -> None:
    record = SEED.read_text(encoding="utf-8")
    trial = load_paths([SEED]).trials[0]
    for arm in trial.arms:
        for regimen in arm.regimens:
            for source in (regimen.dose and regimen.dose.source, regimen.schedule_source, regimen.route_source):
                if source is not None:
                    assert source.text in record


def test_summary_phase_contradiction_is_flagged() -> None:
    trial = load_paths([SEED]).trials[0]
    assert trial.phases == ("Phase 1",)
    assert any(f.code == "phase-contradiction" and "Phase 2" in f.message for f in trial.flags)


def test_headline_facts_come_from_in_brief() -> None:
    trial = load_paths([SEED]).trials[0]
    assert (trial.status, trial.enrollment, trial.sites) == ("Completed", 90, 1)
    assert trial.conditions == ("Acute-On-Chronic Liver Failure",)
    assert trial.interventions[0].name == "Bone marrow mesenchymal stem cells (low dose)"
    assert trial.interventions[1].name == "Solvent of CG-BM1"
    assert len(trial.interventions) == 4


def test_cumulative_frame_steps_per_administration(seed_arms: pd.DataFrame) -> None:
    steps = cumulative_frame(seed_arms)
    arm = _row(seed_arms, "Phase 2", 2.0e6).arm
    curve = steps[steps.arm == arm]
    assert list(curve.day) == [0, 7, 14, 21]
    assert list(curve.cumulative_cells_per_kg) == pytest.approx([2e6, 4e6, 6e6, 8e6])
    assert "Control (placebo)" not in set(steps.arm)
