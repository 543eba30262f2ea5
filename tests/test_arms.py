"""Reconciling arm and intervention text: who wins, what fills gaps, what gets flagged.

The texts are written from real registry wording of MSC trials, not from the seed.
"""

from __future__ import annotations

import pytest

from trialdata import arms_frame
from trialdata.models import Arm, Intervention
from trialdata.readers.clinicalindex import read_clinicalindex
from trialdata.reading.arms import ArmText, build_arms
from trialdata.reading.paragraph import read_paragraph


def _arm(description: str, *interventions: Intervention, label: str | None = None) -> ArmText:
    return ArmText(description=description, location="arm", label=label, interventions=interventions)


def _codes(arm: Arm) -> set[str]:
    return {flag.code for flag in arm.flags}


def test_dose_only_in_the_intervention_is_used() -> None:
    msc = Intervention(name="UC-MSC", description="Umbilical cord MSCs by peripheral vein slowly for 30minutes. "
                       "(1×105/Kg, once a week, 4 times).")
    [arm], _ = build_arms([_arm("Participants receive conventional treatment plus UC-MSC.", msc)], ())
    [regimen] = arm.regimens
    assert regimen.dose.value == pytest.approx(1e5) and regimen.dose.unit == "cells/kg"
    assert regimen.administrations == 4 and regimen.administration_days == (0, 7, 14, 21)
    assert regimen.route == "intravenous"
    assert regimen.dose.source.location == "intervention 'UC-MSC'"
    assert "exponent-restored" in _codes(arm)


def test_arm_dose_wins_over_a_disagreeing_intervention() -> None:
    msc = Intervention(name="MSC", description="2 x 10^6 cells/kg intravenously, single infusion.")
    [arm], _ = build_arms([_arm("Patients receive 1 x 10^6 cells/kg MSC as a single infusion.", msc)], ())
    assert arm.regimens[0].dose.value == pytest.approx(1e6)
    flag = next(f for f in arm.flags if f.code == "dose-disagreement")
    assert "1.0×10⁶ cells/kg" in flag.message and "2.0×10⁶ cells/kg" in flag.message


def test_arm_schedule_wins_over_a_disagreeing_intervention() -> None:
    msc = Intervention(name="MSC", description="1.0×10^6 cells/kg, single infusion.")
    [arm], _ = build_arms([_arm("1.0×10^6 cells/kg every 2 weeks for 3 doses.", msc)], ())
    assert arm.regimens[0].administrations == 3
    assert "schedule-disagreement" in _codes(arm)


def test_schedule_from_the_arm_and_dose_from_the_intervention_combine() -> None:
    msc = Intervention(name="hAMSC", description="Each infusion contains 1.5×10^8 cells/time.")
    [arm], _ = build_arms([_arm("Cells are given at week 0, week 1 and week 2.", msc)], ())
    [regimen] = arm.regimens
    assert regimen.dose.value == pytest.approx(1.5e8) and regimen.dose.unit == "cells"
    assert regimen.administration_days == (0, 7, 14)


def test_phase_specific_intervention_text_goes_to_the_arm_of_that_phase() -> None:
    msc = Intervention(name="MSC", description="For phase I: single infusion, 1.0×10^6 cells/kg. "
                       "For phase II: 1.0×10^6 cells/kg once a week for a total of 4 times.")
    arms, _ = build_arms([_arm("Phase I cohort: enrolled subjects receive the cells.", msc),
                          _arm("Phase II randomized arm receiving the cells.", msc)], ("Phase 1", "Phase 2"))
    assert [(r.phase, r.administrations) for r in arms[0].regimens] == [("Phase 1", 1)]
    assert [(r.phase, r.administrations) for r in arms[1].regimens] == [("Phase 2", 4)]


def test_without_a_phase_an_arm_gets_one_regimen_per_phase_part() -> None:
    msc = Intervention(name="MSC", description="For phase 1: single infusion, 2×10^6 cells/kg. "
                       "For phase 2: 2×10^6 cells/kg weekly for 4 doses.")
    [arm], _ = build_arms([_arm("Patients receive MSC.", msc)], ("Phase 1", "Phase 2"))
    assert [(r.phase, r.administrations) for r in arm.regimens] == [("Phase 1", 1), ("Phase 2", 4)]


def test_listed_doses_go_to_arms_by_dose_level() -> None:
    mpc = Intervention(name="MPC", description="A single intravenous infusion of 25, 100 or 200 million cells.")
    arms, _ = build_arms([_arm("MPC low dose", mpc, label="MPC low dose"),
                          _arm("MPC high dose", mpc, label="MPC high dose")], ())
    assert arms[0].regimens[0].dose.value == pytest.approx(2.5e7)
    assert arms[1].regimens[0].dose.value == pytest.approx(2e8)
    assert "dose-from-list" in _codes(arms[1])


def test_a_low_label_on_a_high_number_is_flagged_and_the_number_wins() -> None:
    arms, _ = build_arms([
        _arm("Low-dose group: 5×10^5 cells/kg, single infusion."),
        _arm("High-dose group: 1×10^6 cells/kg, single infusion."),
        _arm("Low-dose group: 2×10^6 cells/kg, single infusion."),
    ], ())
    assert [("label-contradicts-dose" in _codes(a)) for a in arms] == [False, False, True]
    assert "2.0×10⁶ cells/kg" in arms[2].label and "low" not in arms[2].label.lower()


def test_levels_in_order_are_not_flagged() -> None:
    arms, _ = build_arms([_arm("low dose: 1 million cells/kg once"), _arm("medium dose: 2 million cells/kg once"),
                          _arm("high dose: 4 million cells/kg once")], ())
    assert not any("label-contradicts-dose" in _codes(a) for a in arms)


def test_dose_without_schedule_is_one_administration_and_range_are_flagged() -> None:
    """Convention 2.1 (docs/reading-conventions.md): a dose with no stated repeat is one administration, flagged."""
    arms, _ = build_arms([_arm("Every patient is given 0.1-1x10E6/kg MSCs via the hepatic artery.")], ())
    [arm] = arms
    assert {"count-assumed", "dose-range"} <= _codes(arm)
    regimen = arm.regimens[0]
    assert (regimen.dose.low, regimen.dose.high) == (pytest.approx(1e5), pytest.approx(1e6))
    assert (regimen.administrations, regimen.administration_days) == (1, (0.0,))
    assert regimen.cumulative_dose == pytest.approx(regimen.dose.value)
    assert regimen.route == "intra-arterial (hepatic artery)"


def test_cellular_arm_without_numbers_says_so() -> None:
    [arm], _ = build_arms([_arm("This arm will receive high dose of Allogeneic Mesenchymal Stem Cells")], ())
    assert arm.cellular and arm.regimens[0].dose is None
    assert "no-dose" in _codes(arm)
    assert arm.label == "Cells, high dose (number not stated)"


@pytest.mark.parametrize("text, cellular, arm_type", [
    ("only apply for conventional medical therapy without any cell therapy", False, "NO_INTERVENTION"),
    ("Placebo: normal saline infusion once a week for 4 weeks", False, "PLACEBO_COMPARATOR"),
    ("Sham procedure without cell injection", False, "SHAM_COMPARATOR"),
    ("Umbilical cord MSC 1×10^6 cells/kg once", True, "EXPERIMENTAL"),
])
def test_type_and_cellular_are_inferred_from_text(text: str, cellular: bool, arm_type: str) -> None:
    [arm], _ = build_arms([_arm(text)], ())
    assert (arm.cellular, arm.type) == (cellular, arm_type)


def test_flat_dose_converts_at_the_reference_weight() -> None:
    record = "\n".join(["At a glance", "Title", "In Brief", "Detailed Summary", "Study Details", "Timeline",
                        "Arms & Interventions", "hUC-MSC 1.5×10^8 cells/time, single infusion.", "Interventions"])
    trial = read_clinicalindex(record, "flat.txt")
    assert trial.trial_id == "flat"
    at_70 = arms_frame([trial]).iloc[0]
    at_60 = arms_frame([trial], weight_kg=60).iloc[0]
    assert at_70.cumulative_cells_per_kg == pytest.approx(1.5e8 / 70)
    assert at_60.cumulative_cells_per_kg == pytest.approx(2.5e6)
    assert at_70.dose_converted and "converted to 2.14×10⁶ cells/kg at a reference weight of 70 kg" in at_70["flags"]


def test_a_single_dose_repeated_so_many_times_is_that_many_administrations() -> None:
    # NCT02283879's intervention: "a single dose" is what each administration gives
    reading = read_paragraph("A single dose of 2×107 hUC-MSC will treated to patients, IV, Repeat every weeks for four "
                             "times.", "intervention")
    [regimen] = [r.regimen for r in reading.readings]
    assert (regimen.dose.value, regimen.administrations, regimen.administration_days) == (2e7, 4, (0, 7, 14, 21))


def test_a_single_dose_offered_beside_two_doses_stays_single() -> None:
    # NCT03608579's summary: two alternatives, the dose stated with the single one
    reading = read_paragraph("Subjects will receive either a single dose of 30 million autologous culture-expanded "
                             "adipose-derived mesenchymal stromal cells (AMSCs), or two doses of AMSCs (with one month "
                             "interval between doses) via ultrasound guided intra-articular hip injection.", "summary")
    assert [(r.regimen.dose.value, r.regimen.administrations) for r in reading.readings] == [(3e7, 1)]


def test_an_intervention_stating_no_schedule_does_not_contradict_the_arms() -> None:
    # NCT04484077: the arm says "single"; its intervention gives the same dose and no schedule at all
    hct = Intervention(name="hCT-MSC", type="BIOLOGICAL",
                       description="2x10^6 hCT-MSC/kg suspended in plasmalyte-A, 5% HSA, and residual DMSO/dextran "
                                   "administered intravenously over 30-60 minutes via syringe pump")
    [arm], _ = build_arms([_arm("A single, intravenous infusion of hCT-MSCs. Targeted dose is 2x10^6 cells/kg with a "
                                "maximum dose of 10 x 10^7 cells/kg.", hct, label="hCT-MSC infusion")], ())
    assert [(r.dose.value, r.administrations) for r in arm.regimens] == [(2e6, 1)]
    assert "schedule-disagreement" not in _codes(arm)


def test_an_arm_stating_the_courses_total_takes_its_interventions_doses_and_count() -> None:
    """NCT02772289: the arms give a "Target dose of 3 million" and "of 6 million"; their interventions give one dose
    of 1*10^6 cells once a day for three and for six days. The arm's number is the course's total, and the two
    levels differ in count, not in dose: no contradiction of their 'low/high' wording."""
    low = Intervention(name="Mesenchyme Stem Cells low-dose group", type="BIOLOGICAL",
                       description="Participants will receive transdermal one dose of 1*10^6 cells of Perinatal Tissue "
                                   "Mesenchyme Stem Cells in the gel once a day for continuous three days and then "
                                   "receive transdermal placebo without of Perinatal Tissue Mesenchyme Stem Cells in "
                                   "the gel once a day for continuous next three days.")
    high = Intervention(name="Mesenchyme Stem Cells high-dose group", type="BIOLOGICAL",
                        description="Participants will receive transdermal one dose of 1*10^6 cells of Perinatal "
                                    "Tissue Mesenchyme Stem Cells in the gel once a day for continuous six days.")
    arms, _ = build_arms([_arm("Target dose of 3 million Mesenchymal Stem Cells", low,
                               label="Mesenchymal Stem Cells low-dose group"),
                          _arm("Target dose of 6 million Mesenchymal Stem Cells", high,
                               label="Mesenchymal Stem Cells high-dose group")], ())
    assert [[(r.dose.value, r.administrations) for r in a.regimens] for a in arms] == [[(1e6, 3)], [(1e6, 6)]]
    assert all("dose-computed" in _codes(a) and "label-contradicts-dose" not in _codes(a) for a in arms)


def test_the_schedule_a_linked_procedure_gives_the_cells_is_the_doses_count() -> None:
    """NCT03386708: the product's text gives the dose, "2 * 10^7 cells (2ml)", and the linked procedure's the
    schedule, "intrauterine injection with umbilical cord mesenchymal stem cell (SCLnow 19#); one time/one
    menstrual cycle, total 2 times"; a drug's or toxoid's schedule would not count."""
    cells = Intervention(name="human umbilical cord mesenchymal stem cell", type="BIOLOGICAL",
                         description="2 * 10^7 cells (2ml)")
    procedure = Intervention(name="intrauterine injection", type="PROCEDURE",
                             description="intrauterine injection with umbilical cord mesenchymal stem cell (SCLnow "
                                         "19#); one time/one menstrual cycle, total 2 times")
    [arm], _ = build_arms([_arm("Human umbilical cord mesenchymal stem cells (hUC-MSC) (SCLnow 19#)", procedure,
                                cells, label="hUC-MSC intrauterine injection group")], ())
    assert [(r.dose.value, r.administrations) for r in arm.regimens] == [(2e7, 2)]
    assert arm.regimens[0].schedule_source.text.endswith("total 2 times")


def test_a_count_takes_the_interval_its_sentence_gives_further_on() -> None:
    """NCT03529136: "Four times of MSC infusion (1.5x10E6 cells/kg body weight) via peripheral vein will be given to
    the group 1(once every 4 days)": four infusions four days apart, on days 0, 4, 8 and 12."""
    [reading] = read_paragraph("Procedure:UC-MSC infusion via peripheral vein. Four times of MSC infusion (1.5x10E6 "
                               "cells/kg body weight) via peripheral vein will be given to the group 1(once every 4 "
                               "days).", "arm 'MSC group 1'").readings
    regimen = reading.regimen
    assert (regimen.administrations, regimen.interval_days, regimen.administration_days) == (4, 4.0, (0, 4, 8, 12))


def test_one_dose_on_lines_that_each_name_their_day_is_given_on_each() -> None:
    """NCT04713878's description: "Dosage of Mesenchymal stem cells:" above "1 million cell/kg iv----...day 0", the
    same on "day 2" and on "day 4": three infusions on days 0, 2 and 4, quoted from the first line to the last."""
    lines = ["1 million cell/kg iv--------------------------------------------------day 0",
             "1 million cell/kg iv -------------------------------------------------day 2",
             "1 million cell/kg iv -------------------------------------------------day 4"]
    [reading] = read_paragraph("\n".join(["Dosage of Mesenchymal stem cells:", "", *lines]), "the summary").readings
    regimen = reading.regimen
    assert (regimen.dose.value, regimen.dose.unit) == (1e6, "cells/kg")
    assert (regimen.administrations, regimen.administration_days) == (3, (0, 2, 4))
    assert regimen.schedule_source.text == "\n".join(lines)


def test_a_list_under_a_heading_that_says_what_is_given_is_read_from_the_summary() -> None:
    """NCT04713878: three arms of one intervention ("Intravenous infusion of Mesenchymal stem cells") state no
    number; the description's list under "Dosage of Mesenchymal stem cells:" does, and is every arm's dose. A list
    under "Study Tests After the NK Infusion:" (NCT03056339) would be follow-up, not doses."""
    msc = Intervention(name="Mesenchymal stem cells", type="OTHER",
                       description="Intravenous infusion of Mesenchymal stem cells")
    description = ("Patients were divided into 3 groups:\n\ngroup: Intubated without comorbidity (n:7)\ngroup: "
                   "Intubated with comorbidity (n:7)\ngroup: No intubated (n:7)\n\nDosage of Mesenchymal stem cells:"
                   "\n\n1 million cell/kg iv--------------------------------------------------day 0\n1 million "
                   "cell/kg iv -------------------------------------------------day 2\n1 million cell/kg iv "
                   "-------------------------------------------------day 4")
    arms, _ = build_arms([_arm(text, msc, label=label) for label, text in (
        ("Group 1", "Intubated without comorbidity"), ("Group 2", "Intubated with comorbidity"),
        ("Group 3", "No intubated"))], (), summaries=(description,))
    assert [[(r.dose.value, r.administrations) for r in arm.regimens] for arm in arms] == [[(1e6, 3)]] * 3
    assert all("dose-from-summary" in _codes(arm) for arm in arms)


@pytest.mark.parametrize("text, days", [
    # NCT05017298: the count and its days, as two schedules of one sentence
    ("Each subject receives three separate doses of 200 million allogeneic adipose-derived mesenchymal stem cells via "
     "intravenously infusion on days 0, 3, and 6 with a total of 600 million AdMSCs during 7 days in addition to "
     "their standard of care.", (0, 3, 6)),
    # NCT04362189: the count in one sentence, its days in the next
    ("Subjects assigned to this arm will receive 4 intravenous infusions of HB-adMSCs at 100 million cells/dose. "
     "HB-adMSC infusions will occur at day 0, 3, 7, and 10.", (0, 3, 7, 10)),
    # NCT03925324: the count in one sentence, the interval of its infusions in the next
    ("Three intravenous infusions of 1.5 million (aMBMC) per kg administered at approximately 2mL/min. Maximum dose as "
     "for 100kg subject or 150 million cells for any subject 100kg or more with each infusion 1 month apart.",
     (0, 30, 60)),
], ids=["NCT05017298", "NCT04362189", "NCT03925324"])
def test_a_count_takes_the_days_or_interval_its_paragraph_gives_elsewhere(text: str, days: tuple) -> None:
    [reading] = read_paragraph(text, "arm").readings
    assert reading.regimen.administration_days == days


def test_injections_of_microlitres_into_one_tissue_are_one_procedure() -> None:
    """NCT01354483: "starting from 4 spinal cord injection of 4µL of cell suspensions in Group A": four injections of
    a few microlitres each into the spinal cord in one operation, one administration of the arm's 1.6 million."""
    cells = Intervention(name="Umbilical Cord Blood Mononuclear Cell", type="BIOLOGICAL")
    summary = ("The first three groups of four patients will receive transplants of increasing dose of HLA-matched "
               "umbilical cord blood mononuclear cells, starting from 4 spinal cord injection of 4µL of cell "
               "suspensions in Group A to 8µL in Group B and 16µL in Group C.")
    [arm], _ = build_arms([_arm("Umbilical cord blood mononuclear cell, 1.6 million", cells,
                                label="Treatment Group A")], (), summaries=(summary,))
    assert [(r.dose.value, r.administrations) for r in arm.regimens] == [(1.6e6, 1)]


def test_a_count_beside_a_stated_single_administration_is_not_the_cells() -> None:
    """NCT02365142: "Single intraarticular injection of 100 million Bone marrow mesenchimal stem cells and three
    intraarticular injections of plateler Rich Plasma (PRGF) separatede by 7 days": the cells once, the plasma
    three times."""
    [reading] = read_paragraph("Single intraarticular injection of 100 million Bone marrow mesenchimal stem cells and "
                               "three intraarticular injections of plateler Rich Plasma (PRGF) separatede by 7 days.",
                               "arm 'BMMSC with Platelet Rich Plasma (PRGF)'").readings
    assert (reading.regimen.dose.value, reading.regimen.administrations) == (1e8, 1)
