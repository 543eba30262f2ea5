"""Each reading convention (docs/reading-conventions.md) on the real record it quotes.

The records are ClinicalTrials.gov studies from the MSC corpus, copied byte for byte into tests/data/conventions/
(or, for studies of the gold sample, read from tests/data/gold/msc-2022/). Expected values were written by
reading the records.
"""

from pathlib import Path

import pytest

from trialdata.load import read_record
from trialdata.models import Arm, Trial

DATA = Path(__file__).parent / "data"


def trial(nct: str) -> Trial:
    for folder in ("conventions", "gold/msc-2022"):
        path = DATA / folder / f"{nct}.json"
        if path.exists():
            [found] = read_record(path.name, path.read_bytes())
            return found
    raise FileNotFoundError(nct)


def arm(nct: str, label: str) -> Arm:
    return next(a for a in trial(nct).arms if a.label == label)


def regimens(nct: str, label: str) -> list[tuple]:
    """(dose, unit, administrations, days) of each regimen with a dose."""
    return [(r.dose.value, r.dose.unit, r.administrations, r.administration_days)
            for r in arm(nct, label).regimens if r.dose]


def codes(nct: str, label: str) -> set[str]:
    return {f.code for f in arm(nct, label).flags}


# --- 1. What a dose is ---------------------------------------------------------------------------------------------

def test_1_1_per_kg_and_flat_doses() -> None:
    assert regimens("NCT00603330", "1") == [(4e6, "cells/kg", 1, (0.0,))]
    assert regimens("NCT00476060", "A") == [(3e8, "cells", 1, (0.0,))]


def test_1_2_a_concentration_alone_is_no_dose() -> None:
    assert regimens("NCT01314092", "Group 1") == []
    assert "concentration-only" in codes("NCT01314092", "Group 1")


def test_1_2_a_stated_total_beats_the_concentration() -> None:
    assert regimens("NCT01914887", "allogeneic ASCs") == [(6e7, "cells", 1, (0.0,))]


def test_1_2_a_per_injection_volume_without_the_number_of_injections_is_no_dose() -> None:
    assert regimens("NCT05507697", "Experimental") == []
    assert "per-site-only" in codes("NCT05507697", "Experimental")


def test_1_2_cells_in_a_volume_are_a_dose() -> None:
    """"Intraarticular injection of 2×10~7 Umbilical-cord mesenchimal stem cells with plateler Rich Plasma(5ml)"."""
    assert regimens("NCT03166865", "Intervention group") == [(2e7, "cells", 1, (0.0,))]


# --- 2. How many administrations -----------------------------------------------------------------------------------

def test_2_1_no_stated_repeat_is_one_administration_flagged() -> None:
    assert regimens("NCT01157403", "mesenchymal stem cells") == [(2.5e6, "cells/kg", 1, (0.0,))]
    assert "count-assumed" in codes("NCT01157403", "mesenchymal stem cells")


def test_2_1_a_stated_single_needs_no_flag() -> None:
    assert regimens("NCT02849613", "Adipose derived Stem Cells ADSC") == [(1e6, "cells/kg", 1, (0.0,))]
    assert "count-assumed" not in codes("NCT02849613", "Adipose derived Stem Cells ADSC")


def test_2_3_a_total_given_in_doses_is_divided() -> None:
    assert regimens("NCT02570932", "Autologous Mesenchymal Bone Marrow Cell") == [
        (1e8, "cells", 3, (0.0, 90.0, 180.0))]


def test_2_4_injections_in_one_procedure_are_one_administration_of_the_total() -> None:
    assert regimens("NCT00587990", "Lower dose mesenchymal stem cell (MSC) injection") == [
        (2e7, "cells", 1, (0.0,))]
    assert regimens("NCT01392625", "Autologous hMSCs") == [(1e8, "cells", 1, (0.0,))]


def test_2_5_optional_doses_are_not_counted_and_are_flagged_with_the_other_count() -> None:
    assert regimens("NCT04549285", "hCT-MSC infusion") == [(2e6, "cells/kg", 3, (0.0, 1.0, 2.0))]
    [optional] = [f for f in arm("NCT04549285", "hCT-MSC infusion").flags if f.code == "optional-doses"]
    assert "4 administrations if they are given" in optional.message
    assert regimens("NCT01803347", "ASC + fibrin glue") == [(1e8, "cells", 1, (0.0,))]
    assert "optional-doses" in codes("NCT01803347", "ASC + fibrin glue")
    assert regimens("NCT04444271", "Mesenchymal stem cells") == [(2e6, "cells/kg", 1, (0.0,))]
    weekly = arm("NCT02150551", "Mesenchymal Stromal Cells (MSCs)")
    assert [(r.administrations, r.interval_days) for r in weekly.regimens] == [(4, 7.0)]
    assert any("8 administrations" in f.message for f in weekly.flags if f.code == "optional-doses")


def test_2_5_a_cap_on_a_per_kg_dose_is_no_second_dose() -> None:
    """"Doses contain 2x10^6 cells/kg (up to a maximum dose of 100x10^6 cells)"."""
    assert "dose-cap" in codes("NCT04549285", "hCT-MSC infusion")


# --- 3. Several regimens in one arm --------------------------------------------------------------------------------

def test_3_1_dose_options_are_one_regimen_each() -> None:
    label = "Human Allogeneic Mesenchymal Stem Cells"
    assert [r[:3] for r in regimens("NCT02866721", label)] == [(1e6, "cells/kg", 1), (3e6, "cells/kg", 1),
                                                              (5e6, "cells/kg", 1)]
    assert "dose-options" in codes("NCT02866721", label)
    assert [r[:2] for r in regimens("NCT04312113", "Autologous mesenchymal stem cells")] == [
        (1.5e7, "cells"), (3e7, "cells")]


def test_3_2_a_shared_text_gives_each_arm_its_own_part() -> None:
    assert regimens("NCT00476060", "A") == [(3e8, "cells", 1, (0.0,))]
    placebo = arm("NCT00476060", "B")
    assert not placebo.cellular and regimens("NCT00476060", "B") == []


def test_3_3_within_patient_escalation_is_one_row_per_step() -> None:
    assert [r[:3] for r in regimens("NCT00186914", "1")] == [(1e6, "cells/kg", 1), (5e6, "cells/kg", 1)]
    assert "dose-steps" in codes("NCT00186914", "1")


# --- 4. Numbers as registries write them ---------------------------------------------------------------------------

def test_4_1_ranges_keep_both_ends_and_bounds_say_which() -> None:
    [regimen] = [r for r in arm("NCT00515307", "A").regimens if r.dose]
    assert (regimen.dose.low, regimen.dose.high, regimen.dose.value) == (6e8, 1e9, 8e8)
    [bounded] = [r for r in arm("NCT00395200", "MSC Treatment").regimens if r.dose]
    assert (bounded.dose.value, bounded.dose.unit, bounded.dose.bound) == (2e6, "cells/kg", "at most")
    assert "dose-bound" in codes("NCT00395200", "MSC Treatment")


@pytest.mark.parametrize("nct, label, value, unit", [
    ("NCT01219465", "umbilical cord mesenchymal stem cells", 2e7, "cells"),  # "(2 x 107 cells)"
    ("NCT02249676", "Autologous mesenchymal stem cells group", 2e6, "cells/kg"),  # "2·0×106 cells/kg"
    ("NCT02849613", "Adipose derived Stem Cells ADSC", 1e6, "cells/kg"),  # "1.106 cells/kg"
    ("NCT02116634", "mesenchymal stem cell", 1e8, "cells"),  # "1 ×10(8)": written, not lost
    ("NCT03166865", "Intervention group", 2e7, "cells"),  # "2×10~7"
])
def test_4_2_lost_superscripts_are_powers_of_ten_and_flagged(nct: str, label: str, value: float, unit: str) -> None:
    [regimen] = [r for r in arm(nct, label).regimens if r.dose]
    assert (regimen.dose.value, regimen.dose.unit) == (pytest.approx(value), unit)
    assert ("exponent-restored" in codes(nct, label)) is (nct != "NCT02116634")


def test_4_2_a_spelled_out_figure_confirms_the_power() -> None:
    """"for a total of 1 x 108 (100 million) Auto-hMSCs": no guess is left to flag."""
    assert "exponent-restored" not in codes("NCT01392625", "Autologous hMSCs")


# --- 5. What is not cells ------------------------------------------------------------------------------------------

def test_5_1_cell_free_products_are_not_cells() -> None:
    exosomes = arm("NCT02138331", "Exosomes")
    assert not exosomes.cellular and not any(r.dose for r in exosomes.regimens)
    assert "cell-free" in {f.code for f in exosomes.flags}


def test_5_2_excipients_and_placebo_are_not_cells() -> None:
    assert not arm("NCT00690066", "Placebo").cellular
    placebo = arm("NCT00877903", "Placebo")
    assert not placebo.cellular and not any(r.dose for r in placebo.regimens)
    assert "placebo-states-cells" in {f.code for f in placebo.flags}


# --- 6. What an expert checks --------------------------------------------------------------------------------------

def test_6_the_arm_text_wins_over_its_intervention_and_says_so() -> None:
    """Arm: "1-2 ml of 2 x 106/ml"; intervention: "4 x 106/ml"."""
    [regimen] = [r for r in arm("NCT03692221", "MSC treatment group 1").regimens if r.dose]
    assert (regimen.dose.low, regimen.dose.high) == (pytest.approx(2e6), pytest.approx(4e6))
    assert {"dose-disagreement", "dose-computed"} <= codes("NCT03692221", "MSC treatment group 1")


def test_6_a_schedule_stated_in_another_sentence_beats_single_dose_as_an_adjective() -> None:
    """"infused intravenously(single dose, 4x10^7 cells).The interval time is 3 months ... with 4 times infusion"."""
    assert regimens("NCT01547091", "UC-MSCs Treatment") == [(4e7, "cells", 4, (0.0, 90.0, 180.0, 270.0))]
