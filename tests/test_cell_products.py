"""CAR-T, NK, T-cell, dendritic-cell, cord-blood, CD34+, islet and tissue products, read as an analyst reads them.

Every row of the tables these products added to the grammar (counted populations, cell types, weight-band signs,
islet equivalents, fractionated infusions, uncounted repeats, unused dose levels, target doses) has a real
registry sentence here, quoted from the record named beside it (`tests/data/gold/cell-therapies/`, or the MSC
corpus); `test_every_row_has_a_registry_example` fails for a row added without one. The record-level tests read
whole real records and check what a user of the comparison table would see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trialdata.frames import arms_frame
from trialdata.grammar import vocabulary as v
from trialdata.grammar.cohorts import find_fraction, find_weight_bands, names_target, not_used_after
from trialdata.grammar.doses import find_doses
from trialdata.grammar.products import CELL_TYPES, GENERIC_CELL_TYPES, cell_free_product, cell_type
from trialdata.grammar.schedules import find_schedules, find_several
from trialdata.load import read_file
from trialdata.models import Intervention, Trial
from trialdata.reading.arms import ArmText, build_arms, gives_cells
from trialdata.reading.paragraph import read_paragraph

GOLD = Path(__file__).parent / "data" / "gold" / "cell-therapies"

# population -> (NCT, sentence); the sentence's first dose counts it (its last, for a purity limit)
POPULATION_EXAMPLES = {
    "CAR+ T cells": ("NCT02215967", "Amendment C, all patients with 50% or greater bone marrow plasma cells will "
                     "receive 3x10(6)  anti-BCMA CAR T cells/kg."),
    "transduced cells": ("NCT01343043", "On Day 0, patients ≥40 kg will receive the minimum cell dose of at least "
                         "1x10⁹ transduced NY-ESO-1ᶜ²⁵⁹T cells with a maximum of 6x10⁹ transduced cells."),
    "CD34+ cells": ("NCT01495364", "Dosage = 10 or more million CD34+ cells via intracoronary infusion"),
    "TNC": ("NCT00684021", "One time infusion of approximately 150 million total nucleated cells (TNC) in 30 ml of 5% "
            "HSA/saline solution"),
    "CD56+ cells": ("NCT00586703", "The target cell dose for each NK cell infusion will be up to 1 X 10(7) CD56+ "
                    "cells/kg patient weight with less than 0.5 X 10(6) CD3+ cells/kg patient weight."),
    "CD3+ cells": ("NCT00586703", "The target cell dose for each NK cell infusion will be up to 1 X 10(7) CD56+ "
                   "cells/kg patient weight with less than 0.5 X 10(6) CD3+ cells/kg patient weight."),
    "CD54+ cells": ("NCT00065442", "Each dose of sipuleucel-T contains a minimum of 50 million autologous CD54+ cells "
                    "activated with a PAP-GM-CSF."),
    "NK cells": ("NCT01875601", "A1: 1x10(6) NK cells/kg"),
    "mononuclear cells": ("NCT02648386", "transplanted NeuroRegen scaffold loaded with 5 million bone marrow "
                          "mononuclear cells to the nerve."),
    "viable cells": ("NCT02500550", "Two intravenous infusions with 2x10E6 viable T-cells/kg approximately 42 days "
                     "apart"),
    "T cells": ("NCT01498484", "Each weekly dose will provide 2 x 10^6 T cells/kg recipient weight (+/- 3 days)."),
}
# The purity limit of the same sentence counts another population.
CD3_LIMIT = POPULATION_EXAMPLES["CD56+ cells"]

# cell type -> (NCT, words of the record that name the product)
CELL_TYPE_EXAMPLES = {
    "CAR-NK": ("NCT03056339", "Fludarabine + Cyclophosphamide + CAR-NK Cells"),
    "CAR-T": ("NCT02215967", "0.3x106- 15.0x106 CAR+ T cells per kg of recipient bodyweight one time dose on day 0"),
    "TCR-T": ("NCT01343043", "Cytoreductive chemotherapy followed by infusion with NY-ESO-1(c259) transduced "
              "autologous T cells."),
    "TIL": ("NCT01174121", "Young unselected TIL (CLOSED)"),
    "CIK": ("NCT00699816", "Adjuvant adoptive immune therapy using a CIK cell agent(Immuncell-LC) 16 times"),
    "virus-specific T cells": ("NCT02108522", "Partially HLA-matched multivirus specific T cells (VSTs) will be thawed "
                               "and given by intravenous injection."),
    "Treg": ("NCT01210664", "Polyclonal Regulatory T Cells"),
    "NK cells": ("NCT00660166", "The infusion of natural killer (NK) cells will be performed in the Infusion Center "
                 "at New England Medical Center."),
    "dendritic cells": ("NCT01635283", "Patients receive autologous glioma tumor lysate-pulsed autologous dendritic "
                        "cell vaccine ID on days 0, 14, and 28."),
    "ESC-derived": ("NCT01345006", "Sub-retinal Transplantation of hESC Derived RPE(MA09-hRPE)Cells in Patients With "
                    "Stargardt's Macular Dystrophy"),
    "iPSC-derived": ("NCT02923375", "Cymerus™ refers to the process of generating cell-based products from "
                     "intermediate cells, MCAs, which in turn are derived from induced pluripotent stem cells or "
                     "iPSCs."),
    "cord blood": ("NCT02176317", "Autologous Umbilical Cord Blood (UCB)"),
    "HSC / CD34+": ("NCT01508910", "10 intramyocardial injections of 0.2 mL per injection site of Auto-CD34+ cells"),
    "islets": ("NCT00014911", "Participants will receive portal vein islet infusions (up to 3)"),
    "keratinocytes / fibroblasts": ("NCT00655356", "Autologous Human Fibroblasts (azficel-T)"),
    "chondrocytes": ("NCT00414700", "10.000 cells/µl cell suspension for implantation (Autologous Chondrocyte "
                     "Implantation)."),
    "hepatocytes": ("NCT00718627", "Multiple applications of liver cell suspension for infusion"),
    "MSC": ("NCT06740149", "Administration procedure of CG-BM1 is 1.0×10^6 cells/kg CG-BM1 once a week for a total of "
            "4 administrations. Bone marrow mesenchymal stem cells (low dose)"),
    "mononuclear cells": ("NCT02648386", "NeuroRegen scaffold loaded with 5 million bone marrow mononuclear cells"),
    "SVF / adipose tissue": ("NCT01548092", "The purpose of this study is to determine safety of Stromal Vascular "
                             "Fraction (SVF) for the treatment of recto-vaginal fistula."),
    "T cells": ("NCT00534118", "Patients receive up to four donor lymphocyte infusions at least 1 month apart"),
    "stem cells": ("NCT01446640", "adult stem cells"),
}

# (table, row) -> (NCT, sentence); each checked by the finder the row feeds.
ROW_EXAMPLES = {
    ("WEIGHT_BAND_SIGNS", "≤"): ("NCT02228096", "2.0 to 5.0 x 10^6 CTL019 transduced cells per kg body weight (for "
                                "patients ≤ 50 kg)"),
    ("WEIGHT_BAND_SIGNS", ">"): ("NCT02228096", "1.0 to 2.5 x 10^8 CTL019 transduced viable T cells (for patients > "
                                "50 kg)"),
    ("WEIGHT_BAND_SIGNS", "≥"): ("NCT01343043", "On Day 0, patients ≥40 kg will receive the minimum cell dose"),
    ("WEIGHT_BAND_SIGNS", "<"): ("NCT05061030", "100 million cells to subjects < 50 kg and 200 million cells to "
                                "subjects 50-100 kg"),
    ("COUNTED_UNITS", "islet equivalent"): ("NCT00014911", "with a targeted total of exceeding 10,000 islet "
                                            "equivalents per kilogram of body weight (IE/kg) per infusion."),
    ("COUNTED_UNITS", "ieq"): ("NCT01148680", "Iterative injection of pancreatic islets (minimum: 250,000 IEQ / "
                               "injection or 3500 IEQ / kg / injection)"),
    ("COUNTED_UNITS", "ie"): ("NCT00014911", "(IE/kg) per infusion"),
    ("FRACTION_PHRASES", 0): ("NCT02546167", "Subjects will receive 1-5x10^7 CART-BCMA cells given as a split dose "
                              "infusion over 3 days."),
    ("FRACTION_PHRASES", 1): ("NCT01626495", "Day 0: 10% of total dose Day 1: 30% of total dose if patient is stable "
                              "(no significant toxicity) from prior dose."),
    ("FRACTION_PHRASES", 2): ("NCT03007836", "Each treatment: 8~10 billion cells in all, transfuion in 3 times, i.v."),
    ("FRACTION_PHRASES", 3): ("NCT02274506", "The infusion will be divided into 2 parts at least 24 hours apart."),
    ("FRACTION_PHRASES", 4): ("NCT02842138", "A prescribed CAR T cell dose will be intravenously infused to patient in "
                              "a three-day split-dose regimen (day0,30%; day1, 30%; day2, 40%)."),
    ("FRACTION_PHRASES", 5): ("NCT03029338", "CD19 CAR T cells will be intravenously infused to patient in a three-day "
                              "split-dose regimen: 10% on day 0, 30% on day 1 and 60% on day 2."),
    ("FRACTION_PHRASES", 6): ("NCT03090659", "Total dose of 0.5-5 millions /kg cells will be administered at day 0, "
                              "day 2 and day 6 by split dose (20%, 30% and 50% respectively)."),
    ("FRACTION_PHRASES", 7): ("NCT03196414", "They will get the split doses CART cells on day0, day1, day2 "
                              "through the IV in 1 infusion."),
    ("SEVERAL_PHRASES", 0): ("NCT00586703", "Patients will be evaluated for toxicity and response until 20 weeks after "
                             "the last NK Infusion."),
    ("SEVERAL_PHRASES", 1): ("NCT03007836", "In this group, the patients will receive multiple high-activity natural "
                             "killer (HANK) immunotherapies."),
    ("SEVERAL_PHRASES", 2): ("NCT01624077", "the administration of the CD4+CD25+ Tregs (1 x 106 cells/kg) at several "
                             "intervals (for graft specific tolerance induction)."),
    ("SEVERAL_PHRASES", 3): ("NCT01212341", "Repeated dose infusion"),
    ("NOT_USED_PHRASES", 0): ("NCT00902044", "Dose Level 3: 1x10^5 cells/m2 (NOT BEING USED)"),
    ("ESCALATION_JOINS", 0): ("NCT01945814", "Three different dose levels are selected, starting with 5 x 106 (a T "
                              "cell number more than an order of magnitude lower than that administered at the time of "
                              "an unmanipulated marrow infusion), followed by 1 x 107 and a final dose 2 x 107 "
                              "mCTLs/m2."),
    ("ESCALATION_JOINS", 1): ("NCT01945814", "followed by 1 x 107 and a final dose 2 x 107 mCTLs/m2."),
    ("TARGET_WORDS", "target"): ("NCT02228096", "A target dose of CTL019 transduced cells will consist of a single "
                                 "infusion"),
    ("TARGET_WORDS", "targeted"): ("NCT00014911", "with a targeted total of exceeding 10,000 islet equivalents"),
    ("ANTIGEN_LOADING", 0): ("NCT02202928", "8×10^9 autologous tumor lysate pulsed DC-CIK cells for each infusion, "
                             "IV (in the vein) for four cycles, each cycle received four infusions with a 1 day "
                             "interval."),
}
_TABLES = ("WEIGHT_BAND_SIGNS", "COUNTED_UNITS", "FRACTION_PHRASES", "SEVERAL_PHRASES", "NOT_USED_PHRASES",
           "TARGET_WORDS", "ESCALATION_JOINS", "ANTIGEN_LOADING")


def test_every_row_has_a_registry_example() -> None:
    rows = {(name, row if isinstance(getattr(v, name), dict) or name == "TARGET_WORDS" else i)
            for name in _TABLES for i, row in enumerate(getattr(v, name))}
    assert rows == set(ROW_EXAMPLES), "a table row needs a registry sentence here"
    assert set(v.POPULATIONS.values()) == set(POPULATION_EXAMPLES)
    assert [name for name, _ in CELL_TYPES + GENERIC_CELL_TYPES] == list(CELL_TYPE_EXAMPLES)


@pytest.mark.parametrize("population", sorted(POPULATION_EXAMPLES))
def test_a_dose_keeps_the_population_it_counts(population: str) -> None:
    nct, sentence = POPULATION_EXAMPLES[population]
    doses = find_doses(sentence)
    assert (doses[-1] if population == "CD3+ cells" else doses[0]).population == population, nct


def test_a_purity_limit_counts_its_own_population() -> None:
    _, sentence = CD3_LIMIT
    assert [(m.population, m.bound) for m in find_doses(sentence)] == [("CD56+ cells", "at most"),
                                                                       ("CD3+ cells", "at most")]


@pytest.mark.parametrize("name", list(CELL_TYPE_EXAMPLES))
def test_each_cell_type_is_named_by_the_words_registries_use(name: str) -> None:
    nct, words = CELL_TYPE_EXAMPLES[name]
    assert cell_type(words) == name, nct


def test_a_specific_type_wins_over_a_generic_one_and_patients_cells_are_not_a_product() -> None:
    assert cell_type("HER2-specific T cells", "Her2 Chimeric Antigen Receptor Expressing T Cells") == "CAR-T"
    # NCT02843802's comparison arm: its tests count the patient's circulating tumour cells
    assert cell_type("blood tests (including tumor markers, lymphocyte subsets, circulating tumor cell)") is None


def test_a_modifier_circumflex_is_read_as_a_caret_and_the_record_keeps_its_own() -> None:
    """NCT02385019 writes its powers with U+02C6: "First group of 5 patients will receive a total of 0.5 x 10ˆ6 donor
    Treg/kg." Read as 10^6; the quoted source is the record's text."""
    text = "First group of 5 patients will receive a total of 0.5 x 10ˆ6 donor Treg/kg. Part of Phase 1 study."
    [reading] = read_paragraph(text, "arm 'Administration of 0.5 x 10ˆ6 donor Treg/kg'").readings
    dose = reading.regimen.dose
    assert (dose.value, dose.unit) == (5e5, "cells/kg")
    assert dose.source.text == "First group of 5 patients will receive a total of 0.5 x 10ˆ6 donor Treg/kg."


def test_numbers_under_a_heading_that_names_their_unit_are_read_in_it_and_flagged() -> None:
    """NCT01822652's frozen product (GD2 CAR-T cells): the heading names the unit its levels leave out."""
    text = ("Subjects will receive the iC9-GD2 T cells through an IV over 5 to 10 minutes.\n\nSubjects will receive "
            "one of the following dose levels (cells/m2):\n\nDose Level 1 = 1 x 10^7\n\nDose Level 2 = 1 x 10^8\n\n"
            "Dose Level 3 = 2 x 10^8")
    reading = read_paragraph(text, "intervention 'iC9-GD2 T Cells - frozen'")
    assert [(r.regimen.dose.value, r.regimen.dose.unit) for r in reading.readings] == [
        (1e7, "cells/m2"), (1e8, "cells/m2"), (2e8, "cells/m2")]
    assert [f.code for f in reading.flags].count("unit-from-heading") == 1
    # a line writing its own unit ends the list
    later = read_paragraph(text + "\n\nA second infusion of 5 x 10^6 cells/kg may follow.\n\nDose Level 4 = 1 x 10^7",
                           "intervention")
    assert later.readings[-2].regimen.dose.unit == "cells/kg" and later.readings[-1].regimen.dose.unit != "cells/m2"


def test_arms_sharing_a_text_of_several_ranges_each_get_the_range_their_label_names() -> None:
    """NCT01273181 (TCR-T): both phase I arms carry the same text; each label names where its range starts."""
    text = ("Cyclophosphamide : 60 mg/kg/day x 2 days intravenous (IV)\n\nAldesleukin : 720,000 IU/kg every 8 hours "
            "for a maximum of 15 doses\n\nNote for phase I: The study will begin by evaluating the safety of two "
            "ranges of cells, 5x10^9-3x10^10, and greater than 3x10^10-1x10^11 in a standard phase I dose escalation "
            "fashion using a 3+3 design.")
    arms, _ = build_arms([ArmText(description=text, location="arm", label=label) for label in (
        "Ph I:Anti-MAGE A3/12 TCR PBL 5x10e9", "Ph I:Anti-MAGE A3/12 TCR PBL 3x10e10")], ("Phase 1",))
    assert [[(r.dose.low, r.dose.high) for r in arm.regimens] for arm in arms] == [[(5e9, 3e10)], [(3e10, 1e11)]]
    assert all("dose-from-label" in {f.code for f in arm.flags} for arm in arms)
    assert all(r.administrations == 1 for arm in arms for r in arm.regimens)  # IL-2's 15 doses are not theirs


def test_a_within_patient_escalation_keeps_its_two_doses_and_not_the_il2_days() -> None:
    """NCT00338377's intrathecal TIL: two doses on days 1 and 15; the IL-2 days after them are the drug's."""
    reading = read_paragraph("5.0x10^9 T-cells administered on Day 1, and 10x10^9 T-cells on Day 15. 1.2 MIU of IL- 2 "
                             "on Day 2, 4, 9, 11, 16 and 18 as tolerated.", "intervention 'Intrathecal T-Cells'")
    assert [(r.regimen.dose.value, r.regimen.administrations) for r in reading.readings] == [(5e9, None), (1e10, None)]


def test_days_of_each_cycle_times_at_least_so_many_cycles_is_a_minimum_count() -> None:
    """NCT01631357 (CIK cells): two infusions a month, "at least 6 cycles": at least 12, on days 0, 1, 30, 31 ...;
    the chemotherapy's cycles beside them are not the cells'."""
    text = ("TP regimen: intravenous infusions; paclitaxel, 135 mg/m2, day 1; intravenous injection cisplatin, 80 "
            "mg/m2, day 1; one cycle every month; up to 6 cycles. CIK cells: intravenous infusions; 5-6 × 109 CIK "
            "cells, days 14 and 15; one cycle every month; at least 6 cycles.")
    reading = read_paragraph(text, "intervention")
    [cik] = reading.readings
    assert cik.regimen.administrations == 12
    assert cik.regimen.administration_days[:4] == (0.0, 1.0, 30.0, 31.0)
    assert any(f.code == "count-bound" and "at least 12" in f.message for f in cik.flags)


def test_a_concentration_times_a_volume_in_microlitres_is_the_dose() -> None:
    """NCT01656889's keratinocyte and fibroblast spray: 260 µL of 0.5 x 10^6 cells per mL (a lost superscript)."""
    reading = read_paragraph("HP802-247 (fibrinogen solution & thrombin solution containing living, irradiated, growth "
                             "arrested keratinocytes and fibroblasts) 260 µL (130 µL, one spray, of each solution) "
                             "containing 0.5 x 106 cells per mL every 14 days.", "arm 'HP802-247'")
    [spray] = reading.readings
    assert spray.regimen.dose.value == pytest.approx(1.3e5)
    assert (spray.regimen.administrations, spray.regimen.interval_days) == (None, 14.0)
    assert "dose-computed" in {f.code for f in spray.flags}


def test_an_arm_giving_two_cell_products_gets_the_second_ones_dose_from_its_intervention() -> None:
    """NCT00338377, group B: the arm's text doses the T cells and names a dendritic-cell vaccine, whose dose only
    its own intervention gives. "T-Cells", hyphenated, names cells."""
    t_cells = Intervention(name="T-Cells", type="BIOLOGICAL",
                           description="On Days 0, up to 1.5 x 10^11 T-cells by vein infusion over 30-60 minutes.")
    vaccine = Intervention(name="Dendritic Cell Immunization", type="BIOLOGICAL",
                           description="1x10^7 to 2.5x10^8 MART-1 peptide-pulsed Dendritic Cells given by vein over "
                                       "20-30 minutes approximately 4 hrs after receiving T cells.")
    text = ("Chemotherapy and IL-2 plus T-cells and the vaccine of dendritic cells received by vein (IV) about 4 hours "
            "after T-cells and again on Day 21 (+/- 7 days). On Day 0, up to 1.5 x 10^11 T cells IV infusion over "
            "30-60 minutes.")
    [arm], _ = build_arms([ArmText(description=text, location="arm", label="Group B",
                                   interventions=(vaccine, t_cells))], ("Phase 2",))
    assert [(r.dose.value, r.dose.low, r.dose.high) for r in arm.regimens] == [
        (1.5e11, None, None), (pytest.approx(1.3e8), 1e7, 2.5e8)]
    assert "other-product" in {f.code for f in arm.flags}
    assert [r.dose.population for r in arm.regimens] == ["T cells", "dendritic cells"]  # which product a row counts


def test_cord_blood_as_the_source_of_mesenchymal_cells_gives_msc_not_a_cord_blood_graft() -> None:
    # NCT01297218's intervention; NCT04954534's arm label
    assert cell_type("Human Umbilical Cord Blood Derived-Mesenchymal Stem Cells") == "MSC"
    assert cell_type("NEUROSTEM (hUCB-MSCs) - high dose") == "MSC"
    assert cell_type("Autologous Umbilical Cord Blood (UCB)") == "cord blood"  # NCT02176317


@pytest.mark.parametrize("key", sorted(ROW_EXAMPLES, key=str), ids=lambda key: f"{key[0]}-{key[1]}")
def test_each_row_reads_in_its_registry_sentence(key: tuple[str, object]) -> None:
    table, row = key
    nct, sentence = ROW_EXAMPLES[key]
    if table == "WEIGHT_BAND_SIGNS":
        assert any(band.text.startswith(str(row)) for band in find_weight_bands(sentence)), nct
    elif table == "COUNTED_UNITS":
        doses = find_doses(sentence)
        assert sentence.startswith("(IE/kg)") or doses[0].unit.startswith("IEQ"), nct
        assert str(row) in sentence.lower()
    elif table == "FRACTION_PHRASES":
        assert find_fraction(sentence), nct
    elif table == "SEVERAL_PHRASES":
        assert find_several(sentence), nct
    elif table == "NOT_USED_PHRASES":
        assert not_used_after(sentence, sentence.index("m2") + 2) == "NOT BEING USED", nct
    elif table == "ANTIGEN_LOADING":  # the lysate was loaded onto the cells: they are counted, and no cell-free product
        assert cell_free_product(sentence) is None and find_doses(sentence)[0].value == 8e9, nct
    elif table == "ESCALATION_JOINS":  # every level takes the unit only the last one writes
        doses = find_doses(sentence)
        assert len(doses) >= 2 and {d.unit for d in doses} == {"cells/m2"}, nct
    else:
        assert names_target(sentence), nct


# --- whole records, as the comparison table shows them ------------------------------------------------------------

def _trial(nct: str) -> Trial:
    result = read_file(f"{nct}.json", (GOLD / f"{nct}.json").read_bytes())
    assert result.trials, result.problems
    return result.trials[0]


def _rows(nct: str, weight_kg: float = 70.0, bsa_m2: float = 1.73) -> list[tuple]:
    frame = arms_frame([_trial(nct)], weight_kg, bsa_m2)
    return [(r.applies_to, r.dose_per_administration, r.dose_unit, r.population,
             None if r.administrations is None or r.administrations != r.administrations else int(r.administrations))
            for r in frame.itertuples() if r.dose_per_administration == r.dose_per_administration]


def test_shares_of_a_split_dose_are_not_days_and_each_dose_level_is_one_administration() -> None:
    """NCT02842138: "Five CAR T dosage will be tested in this study: 5×10^4 /kg ， 1×10^5 /kg ，1×10^6 /kg，3×10^6/Kg,
    and 6×10^6/Kg." and "... infused to patient in a three-day split-dose regimen (day0,30%; day1, 30%; day2,
    40%)." The percentages are shares of one dose, not days 30 and 40; a level after a fullwidth comma is read."""
    _, sentence = ROW_EXAMPLES[("FRACTION_PHRASES", 4)]
    assert all(30.0 not in s.days and 40.0 not in s.days for s in find_schedules(sentence))
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT02842138")] == [
        (5e4, 1), (1e5, 1), (1e6, 1), (3e6, 1), (6e6, 1)]
    assert "fractionated" in {flag.code for flag in _trial("NCT02842138").arms[0].flags}


def test_the_shares_of_a_split_dose_are_neither_doses_nor_read_per_kg() -> None:
    """NCT02650414: "Subjects <50kg will receive 0.2-1 x 107 CART22 cells/kg as a split dose over three days as
    follows: Day 1, 10% fraction: 0.2-1x106 CART22 cells/kg ..." and, for ≥50 kg, "Day 1, 10% fraction: 1-5x107".
    Each band is one dose given in three parts; the parts are not six more doses."""
    assert _rows("NCT02650414") == [("< 50 kg", 6e6, "cells/kg", "CAR+ T cells", 1),
                                    ("≥ 50 kg", 3e8, "cells", "CAR+ T cells", 1)]
    codes = {flag.code for flag in _trial("NCT02650414").arms[0].flags}
    assert "fractionated" in codes and "per-kg-assumed" not in codes and "dose-options" not in codes


def test_an_arm_counting_as_many_doses_as_its_intervention_lists_levels_gets_one_of_each() -> None:
    """NCT02845999: the arm says "a dose escalation protocol (three doses with at least three patients per
    cohort)", its NK-cell intervention "day 0 : adoptive transfer ... Dose escalation protocol : 3.10^6 ; 8.10^6 and
    12.10^6 cells/kg": three levels of one transfer, not three transfers of each."""
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT02845999")] == [(3e6, 1), (8e6, 1), (1.2e7, 1)]
    assert "count-is-levels" in {flag.code for flag in _trial("NCT02845999").arms[0].flags}


def test_the_cycles_an_arm_counts_times_the_infusions_of_each_cycle_are_its_administrations() -> None:
    """NCT02215837: the arm gives "3 cycles of autologous tumor lysate pulsed D-CIK treatment", its intervention
    "for 3 cycles, each cycle received four infusions": 12 infusions. NCT02202928, its sponsor's other record, says
    "four cycles" in the intervention against the arm's 3: the arm's cycles are used, and the contradiction said."""
    assert _rows("NCT02215837") == [("", 8e9, "cells", "", 12)]
    assert _rows("NCT02202928") == [("", 8e9, "cells", "", 12)]
    assert "schedule-disagreement" in {flag.code for flag in _trial("NCT02202928").arms[-1].flags}


def test_a_count_of_doses_as_large_as_the_doses_its_sentence_lists_counts_the_levels() -> None:
    """NCT02690545: "two doses will be investigated 1x10^8 cells/m2 and 2x10^8 cells/m^2": two levels, each given
    once, not two infusions of each."""
    assert [(dose, unit, count) for _, dose, unit, _, count in _rows("NCT02690545")][:2] == [
        (1e8, "cells/m2", 1), (2e8, "cells/m2", 1)]
    assert "count-is-levels" in {flag.code for flag in _trial("NCT02690545").arms[0].flags}


def test_arms_giving_one_cell_product_with_and_without_a_drug_share_the_summarys_dose() -> None:
    """NCT02414269: "modified T cells alone (without chemotherapy)" and "modified T cells with cyclophosphamide"
    link the same T-cell intervention; the summary's "up to a maximum dose of 3×10^6 mesothelin-targeted T
    cells/kg" is both arms' dose, flagged as read from the summary."""
    assert [(dose, unit) for _, dose, unit, _, _ in _rows("NCT02414269")] == [(3e6, "cells/kg"), (3e6, "cells/kg")]
    assert all("dose-from-summary" in {flag.code for flag in arm.flags} for arm in _trial("NCT02414269").arms)


def test_the_escalation_arm_gets_the_levels_its_summary_lists_and_the_expansion_arm_none() -> None:
    """NCT02315612: arms "Dose escalation of CD22-CAR" and "Dose expansion of CD22-CAR" share one intervention;
    the description's "4 dose levels (3 x 105 transduced T cells/kg; 1 x 106 ...; 3 x 106 ...; and 1 x 107 ...)"
    are the escalation arm's, and the expansion arm, treated at a maximum tolerated dose not yet known, has none."""
    escalation, expansion = _trial("NCT02315612").arms
    assert [r.dose.value for r in escalation.regimens if r.dose][:4] == [3e5, 1e6, 3e6, 1e7]
    assert "dose-from-summary" in {flag.code for flag in escalation.flags}
    assert not any(r.dose for r in expansion.regimens) and "no-dose" in {flag.code for flag in expansion.flags}


def test_a_count_of_courses_does_not_count_the_infusions_its_sentence_counts() -> None:
    """NCT03093688: "twice infusions of iNKT cells(1E8~1E10) and CD8+T cells(1E7~1E9) in one course of treatment":
    both products are infused twice; "one course" counts courses."""
    sentence = ("The eligible patients receive twice infusions of iNKT cells(1E8~1E10) and CD8+T cells(1E7~1E9) in "
                "one course of treatment.")
    assert [(r.regimen.dose.value, r.regimen.administrations)
            for r in read_paragraph(sentence, "intervention").readings] == [(5.05e9, 2), (5.05e8, 2)]


def test_an_arm_labelled_as_repeated_doses_has_no_count_of_one() -> None:
    """NCT01212341: the arm "Repeated dose infusion" lists "Cohort 3: 1x10^6 cells/kg Cohort 4: 3x10^6 cells/kg ..."
    and says nowhere how many infusions: the count is open, not one assumed."""
    nk = Intervention(name="Allogeneic NK cells", type="BIOLOGICAL")
    [arm], _ = build_arms([ArmText(description="Cohort 3: 1x10^6 cells/kg Cohort 4: 3x10^6 cells/kg Cohort 5: "
                                   "1x10^7 cells/kg Cohort 6: 3x10^7 cells/kg", location="arm",
                                   label="Repeated dose infusion", interventions=(nk,))], ("Phase 1",))
    assert [(r.dose.value, r.administrations) for r in arm.regimens] == [(1e6, None), (3e6, None), (1e7, None),
                                                                          (3e7, None)]
    assert "count-open" in {flag.code for flag in arm.flags}


def test_a_cell_free_product_given_with_the_cells_does_not_make_the_arm_cell_free() -> None:
    """NCT02365142: the arm "BMMSC with Platelet Rich Plasma (PRGF)" links "100 million Bone marrow mesenchimal stem
    cells" beside the plasma; the plasma comes with the cells, and the arm gives 100 million of them."""
    cells = Intervention(name="100 million Bone marrow mesenchimal stem cells", type="BIOLOGICAL",
                         description="100 million Bone marrow mesenchimal stem cells with PRGF")
    plasma = Intervention(name="Platelet Rich plasma (PRGF)", type="BIOLOGICAL", description="3 injections of PRGF")
    [arm], _ = build_arms([ArmText(description="Single intraarticular injection of 100 million Bone marrow "
                                   "mesenchimal stem cells and three intraarticular injections of plateler Rich "
                                   "Plasma (PRGF) separatede by 7 days.", location="arm",
                                   label="BMMSC with Platelet Rich Plasma (PRGF)", interventions=(cells, plasma))], ())
    assert arm.cellular and [r.dose.value for r in arm.regimens] == [1e8]
    assert "cell-free" not in {flag.code for flag in arm.flags}


def test_the_exponent_of_a_lost_superscript_is_not_a_number_of_its_own() -> None:
    """NCT01287104: "(1 x 105, 1 x 106 or 1 x 107) NK cells/kg": three levels per kg, not a fourth 106 × 10^7."""
    doses = find_doses("Post-transplant Day 21 (plus-minus 3 days): (1 x 105, 1 x 106 or 1 x 107) NK cells/kg by IV "
                       "infusion.")
    assert [(d.value, d.unit) for d in doses] == [(1e5, "cells/kg"), (1e6, "cells/kg"), (1e7, "cells/kg")]


def test_an_arm_naming_the_ends_of_an_escalation_gets_every_level_its_intervention_lists() -> None:
    """NCT01316146, arm: "starting with the lowest cell dose (2×10^7 cells/m2) and then escalate the cell dose to the
    highest cell dose (2×10^8/m2)"; intervention: "Group One, 2x10^7 cells/m^2 Group Two, 1x10^8 cells/m^2 Group
    Three, 2x10^8 cells/m^2"."""
    assert [(dose, unit, count) for _, dose, unit, _, count in _rows("NCT01316146")] == [
        (2e7, "cells/m2", 1), (1e8, "cells/m2", 1), (2e8, "cells/m2", 1)]


def test_an_arm_naming_the_ends_of_the_levels_its_summary_lists_gets_every_level() -> None:
    """NCT03594981, arm: "Three dose levels will be explored. The lowest dose level will be 1x107cells/m2 and the
    highest will be 5x107/m2."; summary: "among the three doses 1.0x107cells/m2, 2 x107cells/m2 and 5x107cells/m2":
    the arm's levels are the three, each a single infusion, the middle one flagged as read from the summary."""
    assert [(dose, unit, count) for _, dose, unit, _, count in _rows("NCT03594981")] == [
        (1e7, "cells/m2", 1), (2e7, "cells/m2", 1), (5e7, "cells/m2", 1)]
    assert "dose-from-summary" in {flag.code for flag in _trial("NCT03594981").arms[0].flags}


def test_a_count_worked_out_from_a_span_says_so() -> None:
    """NCT02399735: "NK cells once per two-week for the first four-month, at a dose of 1×10E10 NK cells" (arm C,
    whose intervention is "Normal Dose NK cells ×8 times"): eight infusions, worked out, not written, so flagged."""
    arms = _trial("NCT02399735").arms
    assert [r.administrations for arm in arms for r in arm.regimens] == [4, 4, 8]
    assert all("count-from-span" in {flag.code for flag in arm.flags} for arm in arms)


def test_a_cell_product_filed_as_a_drug_is_cells_when_its_description_names_it() -> None:
    """NCT02678741: "Drug: TLPLDC Vaccine", described as "Tumor Lysate, Particle Loaded, Dendritic Cell Vaccine",
    is what its three arms give: they are cellular (and say they state no number), not drug arms. A drug whose
    description names the cells it is given with stays a drug."""
    arms = _trial("NCT02678741").arms
    assert all(arm.cellular and arm.cell_type == "dendritic cells" for arm in arms)
    assert all("no-dose" in {flag.code for flag in arm.flags} for arm in arms)
    cyclophosphamide = Intervention(name="Cyclophosphamide", type="DRUG",
                                    description="300 mg/m2 by vein before the first cell infusion.")  # NCT03185429
    assert not gives_cells(cyclophosphamide)


def test_a_bare_number_takes_the_unit_the_summary_writes_for_it() -> None:
    """NCT03089203: the arms say only "CART T cells 1-3x10^7 Day 0" and "Cart T cells 1-3x10^8 Day 0"; the
    detailed description, "Cohort 1 subjects ... will receive a single dose of 1-3 x 107/m2 ... cells" and "Cohort 2
    subjects ... 1-3 x 108/m2": per m², each a single dose, flagged as a unit read from the summary."""
    assert [(dose, unit, count) for _, dose, unit, _, count in _rows("NCT03089203")] == [
        (2e7, "cells/m2", 1), (2e8, "cells/m2", 1), (2e7, "cells/m2", 1)]
    assert all("unit-from-summary" in {flag.code for flag in arm.flags} for arm in _trial("NCT03089203").arms)


def test_further_courses_on_a_partial_response_are_not_counted() -> None:
    """NCT03599375: one course of about 1×106/kg CAR T cells in three fractions; "If partial response (PR) is
    achieved after the first course, 1 or 2 courses of treatment will be continued": one administration, the
    conditional courses flagged, not counted."""
    assert [(dose, unit, count) for _, dose, unit, _, count in _rows("NCT03599375")] == [(1e6, "cells/kg", 1)]
    assert "optional-doses" in {flag.code for flag in _trial("NCT03599375").arms[0].flags}


def test_il2_in_million_units_started_the_evening_of_the_infusion_does_not_count_the_cells() -> None:
    """NCT01105650: the arms' "Interleukin-2 (IL-2) 6 million units 3 times a week x 6 doses given post NK cell
    infusion" and the description's "interleukin-2 (IL-2) is started the evening of the NK infusion and continued
    three times a week for 6 doses total" are the IL-2's; the NK cells ("no more than 8.0 x 10^7 cells/kg") are given
    once."""
    assert {(dose, unit, count) for _, dose, unit, _, count in _rows("NCT01105650")} == {(8e7, "cells/kg", 1)}


def test_the_injections_of_one_procedure_and_their_cells_each_are_one_administration() -> None:
    """NCT01730716: "injections of 2x106 cells (10 injections x 2x105 cells/ injection)" ... "8x106 cells (20
    injections of 4x105 cells/ injection) and then approximately 4-12 weeks later ...", and "Each injection will
    administer approximately 2, 3, or 4 x 105 cells": each group's total, once; no dose per injection, no count of
    injections."""
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT01730716")] == [
        (2e6, 1), (4e6, 1), (6e6, 1), (8e6, 1)]


def test_one_infusion_in_each_of_the_cycles_is_one_per_cycle_on_the_days_listed() -> None:
    """NCT02862028: the arm gives "3 cycles of HerinCAR-PD1 cells treatment"; its intervention "2 cycles, each cycle
    received one infusions on day 21, 43": one infusion a cycle, so three for the arm (the two texts disagree on
    the cycles, and say so), not three cycles of two."""
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT02862028")] == [(3e7, 3)]
    assert "schedule-disagreement" in {flag.code for flag in _trial("NCT02862028").arms[0].flags}


def test_a_volume_of_a_suspension_per_microlitre_gives_the_dose() -> None:
    """NCT03295292: "patients will receive 50uL of a mixture of ... cells ... at a concentration of 50000 cells/uL":
    2.5×10^6 cells, computed (not 2,500: the concentration is per microlitre)."""
    assert [(dose, unit) for _, dose, unit, _, _ in _rows("NCT03295292")] == [(2.5e6, "cells")]


def test_muscle_derived_cells_are_cells_and_their_dose_is_read_from_the_summary() -> None:
    """NCT01963455: the arm gives "paraurethral injection of MDCs" (muscle-derived cells); the detailed description,
    "intra-sphincter injection of low doses 30×106 of autologous muscle derived cells"."""
    [arm] = _trial("NCT01963455").arms
    assert arm.cellular and [(r.dose.value, r.dose.unit) for r in arm.regimens if r.dose] == [(3e7, "cells")]


def test_dose_levels_listed_under_a_heading_that_says_as_follows_are_the_arms() -> None:
    """NCT03366064: the arm states no number; the detailed description, "The NK cell dose is as follows;" above
    "Level 1: 1.25 X 109 cells Level 2: 2.50 X 109 cells Level 3: 5.00 X 109 cells": three levels, each once."""
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT03366064")] == [(1.25e9, 1), (2.5e9, 1), (5e9, 1)]


def test_infusions_per_cycle_take_their_cycles_from_the_summary() -> None:
    """NCT02481934: "Each patient will receive two infusions of 7.5 x 106 expanded and activated autologous NK
    cells/kg/cycle" counts one cycle's infusions; the description, "4 cycles ... with two infusions of NKAEs every
    day 1 and 8 of each cycle": eight, flagged as read from the summary."""
    assert [(dose, count) for _, dose, _, _, count in _rows("NCT02481934")] == [(7.5e6, 8)]
    assert "dose-from-summary" in {flag.code for flag in _trial("NCT02481934").arms[0].flags}


def test_il2_given_after_the_cells_does_not_count_their_administrations() -> None:
    """NCT03467516: "... infusion of up to 2x10^11 TIL ... and Aldesleukin, administered at a dose of 600,000 IU/kg
    ... approximately every 8 hours beginning within 24 hours of TIL infusion and continuing for up to a maximum of
    6 doses." The six doses are the aldesleukin's; the TIL infusion there only says when it starts."""
    assert _rows("NCT03467516") == [("", 2e11, "cells", "", 1)]


def test_weight_bands_are_regimens_of_one_arm() -> None:
    """NCT02228096: "A target dose ... 2.0 to 5.0 x 10^6 CTL019 transduced cells per kg body weight (for patients ≤
    50 kg) and 1.0 to 2.5 x 10^8 CTL019 transduced viable T cells (for patients > 50 kg). The following cell dose
    ranges may be infused if all other safety release criteria are met: 0.2 to 5.0 x 10^6 ..."."""
    assert _rows("NCT02228096") == [("≤ 50 kg", 3.5e6, "cells/kg", "transduced cells", 1),
                                    ("> 50 kg", 1.75e8, "cells", "transduced cells", 1)]
    assert "weight-bands" in {flag.code for flag in _trial("NCT02228096").arms[0].flags}


def test_the_target_dose_wins_over_the_accepted_range_in_each_band() -> None:
    """NCT01343043's detailed description: "patients ≥40 kg will receive the minimum cell dose of at least 1x10⁹
    transduced NY-ESO-1ᶜ²⁵⁹T cells with a maximum of 6x10⁹ transduced cells. The target dose for this protocol is
    5x10⁹ ... Patients <40 kg will be dosed per body weight with a minimum 0.025x10⁹ transduced cells/kg, with a
    target dose of 0.125 x10⁹ transduced cells/kg", for each of its four cohorts."""
    for arm in _trial("NCT01343043").arms:
        assert [(r.applies_to, r.dose.value, r.dose.unit) for r in arm.regimens] == [  # type: ignore[union-attr]
            ("≥ 40 kg", 5e9, "cells"), ("< 40 kg", 1.25e8, "cells/kg")]
        assert {"weight-bands", "dose-target", "dose-from-summary"} <= {flag.code for flag in arm.flags}


def test_a_per_m2_dose_is_converted_at_the_reference_patient_and_says_so() -> None:
    """NCT02108522: "Patients will receive 2 x 10^7 VSTs/m2 as a single infusion"."""
    frame = arms_frame([_trial("NCT02108522")], 70.0, 1.73)
    row = frame.iloc[0]
    assert (row.dose_unit, row.dose_axis, bool(row.dose_converted)) == ("cells/m2", "cells/kg", True)
    assert row.dose_cells_per_kg == pytest.approx(2e7 * 1.73 / 70)
    assert "dose-converted" in row["flag_codes"] and "1.73 m²" in row["flags"]
    taller = arms_frame([_trial("NCT02108522")], 70.0, 2.0).iloc[0]
    assert taller.dose_cells_per_kg == pytest.approx(2e7 * 2.0 / 70)


def test_doses_per_cm2_and_in_islet_equivalents_keep_their_unit_and_axis() -> None:
    """NCT02104713's four dose levels per square cm of burn; NCT00014911's islet equivalents per kg."""
    burns = arms_frame([_trial("NCT02104713")])
    assert list(burns["dose_unit"]) == ["cells/cm2"] * 4
    assert list(burns["applies_to"]) == ["dose level 1", "dose level 2", "dose level 3", "dose level 4"]
    assert burns["dose_cells_per_kg"].isna().all() and set(burns["dose_axis"]) == {"cells/cm2"}
    assert all("dose-own-unit" in codes for codes in burns["flag_codes"])
    islets = arms_frame([_trial("NCT00014911")]).iloc[0]
    assert (islets.dose_per_administration, islets.dose_unit, islets.dose_axis) == (1e4, "IEQ/kg", "IEQ/kg")


def test_a_level_the_record_no_longer_uses_is_left_out() -> None:
    """NCT00902044: "Dose Level 3: 1x10^5 cells/m2 (NOT BEING USED)"."""
    first = _trial("NCT00902044").arms[0]
    assert [r.dose.value for r in first.regimens if r.dose] == [1e4, 3e4, 1e6, 3e6, 1e7, 3e7, 1e8]
    assert "level-not-used" in {flag.code for flag in first.flags}


def test_a_fractionated_treatment_is_one_administration_and_an_open_course_has_no_count() -> None:
    """NCT02843802: "each treatment: about 10 billion cells transfusion in 3 times" and "6 times in first 3 months;
    then interval treatment: once every 3 months"."""
    arm = _trial("NCT02843802").arms[0]
    assert [(r.dose.value, r.administrations) for r in arm.regimens] == [(1e10, None)]
    assert {"fractionated", "count-open"} <= {flag.code for flag in arm.flags}


def test_doses_per_cycle_times_cycles_make_the_count() -> None:
    """NCT00990717: "on days 1, 3 and 5 of each cycle of treatment. Patients can receive up to 6 cycles, which are
    administered monthly"."""
    regimen = _trial("NCT00990717").arms[0].regimens[0]
    assert regimen.administrations == 18
    assert regimen.administration_days[:6] == (0.0, 2.0, 4.0, 30.0, 32.0, 34.0)


def test_the_schedule_of_a_drug_given_beside_the_cells_is_not_theirs() -> None:
    """NCT03056339: fludarabine "30 mg/m2 by vein on Days -5 to -3" and "Starting dose: 10E5" CAR-NK cells."""
    regimen = _trial("NCT03056339").arms[0].regimens[0]
    assert (regimen.dose.value, regimen.administrations) == (1e5, 1)  # type: ignore[union-attr]
    """NCT00753220: dendritic cells, then cyclophosphamide "b.i.d. for 7 days on and 7 days off; a total of 6
    cycles"."""
    assert {r.administrations for r in _trial("NCT00753220").arms[0].regimens} == {1}


def test_a_drug_given_after_the_cells_does_not_lend_them_its_count() -> None:
    """NCT02433509: "the cord blood mononuclear cells 200 million ~ 500 million will used. 20% mannitol 200 ml iv for
    30±10 min/q8h±2h will be administered twice after cord blood infusion": the cells are given once."""
    assert _rows("NCT02433509") == [("", 3.5e8, "cells", "", 1)]


def test_il2_in_international_units_keeps_its_own_schedule() -> None:
    """NCT01181258: NK cells "administered intravenously 1.5 to 8 * 10^7 cells/kg on Day 0" beside IL-2
    "subcutaneously administered 9 million international units (IU) every other day * 6 doses over 2 weeks begin 1
    to 24 hours after NK cell infusion": one NK infusion, and no dose of nine million cells."""
    assert _rows("NCT01181258") == [("", 4.75e7, "cells/kg", "", 1)]


def test_checkpoint_antibodies_beside_the_cells_keep_their_own_counts() -> None:
    """NCT01174121: "Young unselected TIL + pembrolizumab at time of progression for a total of 4 doses" (the four
    doses are pembrolizumab's); NCT03287674: "All patients are treated with one dose of Ipilimumab 14 days prior to
    surgical removal of tumor tissue" (the one dose is ipilimumab's). The TIL arms state no count of their own."""
    arms = {arm.label: arm for arm in _trial("NCT01174121").arms}
    assert [r.administrations for r in arms["Arm 4"].regimens] == [None]
    assert [r.administrations for r in _trial("NCT03287674").arms[0].regimens] == [None]


def test_two_products_given_together_are_one_dose_of_both() -> None:
    """NCT01853631: "Group 1: CD19.CAR/28137ζ at 1×10^6 cells/m^2 and CD19.CAR/28ζ at 1×10^6 cells/m^2", one
    infusion of both products on Day 0, for each of three groups."""
    arm = _trial("NCT01853631").arms[0]
    assert [(r.applies_to, r.dose.value, r.dose.unit) for r in arm.regimens] == [  # type: ignore[union-attr]
        ("group 1", 2e6, "cells/m2"), ("group 2", 1e7, "cells/m2"), ("group 3", 4e7, "cells/m2")]
    assert "dose-computed" in {flag.code for flag in arm.flags}


def test_booster_vaccinations_are_counted_apart_from_the_course() -> None:
    """NCT03697707: "patients receiving 4 bi-weekly vaccinations with 25E6 cells/vaccination of DCP-001, and 2
    booster vaccinations with 10E6 cells/vaccination"."""
    assert _rows("NCT03697707")[:2] == [("", 2.5e7, "cells", "", 4), ("", 1e7, "cells", "", 2)]


def test_cohorts_of_one_dose_on_different_schedules_are_rows_apart() -> None:
    """NCT00674648: "Group II will receive a single dose of 1 x 106 T cells/kg/dose; ... group IV will receive 3
    weekly doses of 1 x 106 T cells/kg/dose; group V will receive 3 weekly doses of 2 x 106 T cells/kg/dose"."""
    assert [(label, dose, count) for label, dose, _, _, count in _rows("NCT00674648")] == [
        ("group I", 5e5, 1), ("group II", 1e6, 1), ("group III", 2e6, 1), ("group IV", 1e6, 3), ("group V", 2e6, 3)]


def test_days_a_dose_is_split_over_are_one_administration() -> None:
    """NCT03196414: "They will get the split doses CART cells on day0, day1, day2 through the IV in 1 infusion."
    beside the intervention's "5x106- 100x106 CAR+ T cells per kg"."""
    assert [count for *_, count in _rows("NCT03196414")] == [1]


def test_an_escalation_written_as_its_start_and_its_maximum_is_one_range() -> None:
    """NCT03049449: "starting dose: 0.3x106 CAR+ T cells/kg (weight based dosing)(up to a maximum dose of 18x106 CAR+
    T cells /kg)infuse on day 0"."""
    [regimen] = _trial("NCT03049449").arms[0].regimens
    assert (regimen.dose.low, regimen.dose.high, regimen.dose.unit) == (3e5, 1.8e7, "cells/kg")  # type: ignore[union-attr]


def test_days_of_two_weeks_repeated_in_courses_are_counted_in_each() -> None:
    """NCT00730613: "on days 1, 3, and 5 of weeks 1 and 2. Treatment repeats every 3 weeks for a total of 2
    courses": six infusions a course, twelve in all."""
    [regimen] = _trial("NCT00730613").arms[0].regimens
    assert regimen.administrations == 12
    assert regimen.administration_days[:7] == (0.0, 2.0, 4.0, 7.0, 9.0, 11.0, 21.0)


def test_two_coded_products_of_one_dose_level_are_one_dose() -> None:
    """NCT03602157: "dose level 2 = 1 × 10^8 ATLCAR.CD30 cells/m2 and 2 × 10^7 ATLCAR.CD30.CCR4 cells/m2"."""
    arm = _trial("NCT03602157").arms[0]
    doses = [(r.applies_to, r.dose.value) for r in arm.regimens]  # type: ignore[union-attr]
    assert doses == [("dose level 1", 2e7), ("dose level 2", 1.2e8), ("dose level 3", 5e7), ("dose level 4", 1.5e8),
                     ("dose level 5", 1e8), ("dose level 6", 2e8)]
    # "involves one to two infusion(s)" where "... may receive a second infusion": one, the second optional
    assert {r.administrations for r in arm.regimens} == {1}
    assert "optional-doses" in {flag.code for flag in arm.flags}


def test_one_dose_on_two_schedules_in_one_text_is_flagged() -> None:
    """NCT02749448 (MSC corpus): "Patients received 100×106 cells every 20 day for four injections within 2 months"
    and "Patients will receive 100 million MSC cells every two months for three injections within 6 months"."""
    text = ("Patients received 100×106 cells every 20 day for four injections within 2 months and screened for 7 "
            "times.\n\nMethods: Patients will receive 100 million MSC cells every two months for three injections "
            "within 6 months.")
    reading = read_paragraph(text, "arm 'mesenchymal stem cell'")
    assert "schedule-disagreement" in {flag.code for flag in reading.flags}


def test_each_arm_gets_the_doses_the_summary_gives_under_its_name() -> None:
    """NCT01875601: "A1: 1x10(6) NK cells/kg ... B1: 1 x 10(7) NK cells/kg + rhIL15 0.25 mcg/kg/d IV x 10"."""
    arms = {arm.label: arm for arm in _trial("NCT01875601").arms}
    assert [r.dose.value for r in arms["A"].regimens] == [1e6, 1e7, 1e8]  # type: ignore[union-attr]
    assert [r.dose.value for r in arms["B"].regimens] == [1e7]  # type: ignore[union-attr]


@pytest.mark.parametrize("nct, expected", [
    ("NCT02228096", "CAR-T"), ("NCT03056339", "CAR-NK"), ("NCT01343043", "TCR-T"), ("NCT00586703", "NK cells"),
    ("NCT01635283", "dendritic cells"), ("NCT02176317", "cord blood"), ("NCT00014911", "islets"),
    ("NCT00902044", "CAR-T"),
])
def test_each_arm_carries_the_type_of_cells_it_gives(nct: str, expected: str) -> None:
    cellular = [arm for arm in _trial(nct).arms if arm.cellular]
    assert cellular and {arm.cell_type for arm in cellular} == {expected}


# --- charts, the across-trials filter and the pages, on real records of several products -------------------------

MIXED = Path(__file__).parent / "data" / "mixed-products"


@pytest.fixture(scope="module")
def mixed():
    from trialdata.load import load_paths
    trials = load_paths([MIXED]).trials
    return trials, arms_frame(trials)


def test_a_dose_with_no_cells_per_kg_equivalent_is_drawn_on_its_own_axis_only(mixed) -> None:
    from trialdata.frames import arm_codes, cumulative_frame
    from trialdata.presentation.arm_charts import cumulative_chart, dose_chart, own_axis_units
    from trialdata.presentation.style import arm_colors
    _, arms = mixed
    codes, colors = arm_codes(arms["arm_key"]), arm_colors(arms["arm_key"])
    assert own_axis_units(arms) == ["IEQ/kg", "cells/cm2"]
    per_kg = dose_chart(arms, colors, codes)
    per_cm2_rows = arms["dose_axis"] == "cells/cm2"
    drawn = dict(zip(per_kg.data[0].y, per_kg.data[0].x, strict=True))
    own_notes = {note.text for note in per_kg.layout.annotations}
    assert "in cells/cm2: own chart" in own_notes and "in IEQ/kg: own chart" in own_notes
    assert all(drawn[label] is None for label, own in zip(per_kg.data[0].y, per_cm2_rows, strict=True) if own)
    burns = dose_chart(arms[per_cm2_rows], colors, codes, unit="cells/cm2")
    assert list(burns.data[0].x) == [2.5e3, 5e3, 1e4, 2e4]
    assert burns.layout.xaxis.title.text == "cells/cm2 per administration"
    # no administration days stated for the burns: the cumulative chart says so, with each level's total
    note = cumulative_chart(cumulative_frame(arms), arms[per_cm2_rows], colors, codes, unit="cells/cm2")
    assert "No administration days stated" in note.layout.annotations[0].text


def test_the_across_trials_filter_chooses_trials_by_cell_type(mixed) -> None:
    from trialdata.across import AcrossFilter, across_frame, across_options, apply_across
    trials, arms = mixed
    frame = across_frame(trials, arms)
    options = across_options(frame)
    assert {"CAR-T", "CAR-NK", "NK cells", "MSC", "islets", "virus-specific T cells"} <= set(options.cell_types)
    chosen = apply_across(frame, AcrossFilter(cell_types=("CAR-T", "NK cells")))
    assert set(chosen["trial_id"]) == {"NCT02228096", "NCT00586703"}


def test_the_comparison_table_names_the_counted_population_and_the_patients_of_each_regimen(mixed) -> None:
    from trialdata.export import TABLE_COLUMNS, comparison_table
    _, arms = mixed
    table = comparison_table(arms)
    assert {"cell_type", "population", "applies_to", "dose_unit"} <= set(TABLE_COLUMNS)
    bands = table[table["trial_id"] == "NCT02228096"]
    assert list(bands["applies_to"]) == ["≤ 50 kg", "> 50 kg"]
    assert set(bands["population"]) == {"transduced cells"} and set(bands["cell_type"]) == {"CAR-T"}
    assert set(table["dose_unit"]) - {""} == {"cells/kg", "cells", "cells/m2", "cells/cm2", "IEQ/kg"}
