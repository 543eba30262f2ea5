"""The dose grammar on real registry sentences: each row quotes a ClinicalTrials.gov record (its NCT number is
the row's id) with the doses an analyst reads in it, in reading order.

A row's expected values were written by reading the sentence (docs/reading-conventions.md), not by running the
library. `DOSE_CASES` also feeds the loader benchmark's generated records.
"""

from typing import NamedTuple

import pytest

from trialdata.grammar.doses import find_doses

KG = "cells/kg"
FLAT = "cells"


class D(NamedTuple):
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    restored: bool = False
    role: str = "dose"
    bound: str | None = None


def _summary(mention) -> D:
    return D(mention.value, mention.unit, mention.low, mention.high, mention.exponent_restored, mention.role,
             mention.bound)


def _same(actual: D, expected: D) -> bool:
    def close(a, b):
        return (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b, rel=1e-9))
    return (close(actual.value, expected.value) and actual.unit == expected.unit and close(actual.low, expected.low)
            and close(actual.high, expected.high) and actual.restored is expected.restored
            and actual.role == expected.role and actual.bound == expected.bound)


DOSE_CASES = [
    # --- scientific notation, as registries type it ------------------------------------------------------------
    pytest.param("In this arm, 4 x 10E6 MSC/Kg BW of the recipient will be injected during the first hour after "
                 "thawing.", [D(4e6, KG)], id="NCT00603330-10E-per-kg-bw"),
    pytest.param("Mesenchymal stem cells 1×10^6 cells/kg, intravenously", [D(1e6, KG)], id="NCT01763086-caret"),
    pytest.param("Participants received conventional treatment and taken i.v., once per 4 week, at a dose of "
                 "0.5*10E6 MSC/kg body for 12 weeks.", [D(5e5, KG)], id="NCT01218464-star-E"),
    pytest.param("3 does of UC-MSCs(6.0×10E7cells per time) intravenously at week 0, week 4, week 8.",
                 [D(6e7, FLAT)], id="NCT05121870-E-glued-cells-per-time"),
    pytest.param("Allogeneic bone marrow-derived MSCs will be delivered intravenously. (1 x 10 6 MSC/kg)",
                 [D(1e6, KG, restored=True)], id="NCT02611167-spaced-exponent"),
    pytest.param("Treatment consistsof Mesenchymal Stem Cells administered as a one-time, single-dose therapy via IV "
                 "infusion at a dose of 1 X 10 8 cells.", [D(1e8, FLAT, restored=True)], id="NCT04456361-spaced-X"),
    pytest.param("intra spinal injection of 1 ×10(8) mesenchymal stem cells +10cc normal saline", [D(1e8, FLAT)],
                 id="NCT02116634-bracketed-exponent"),
    pytest.param("One group of glaucomatous patients will receive 10(6) autologous bone marrow-derived mesenchymal "
                 "stem cells transplantation into their worst eyes", [D(1e6, FLAT)], id="NCT02330978-bare-power"),
    pytest.param("Intraarticular injection of 2×10~7 Umbilical-cord mesenchimal stem cells with plateler Rich "
                 "Plasma(5ml)", [D(2e7, FLAT, restored=True)], id="NCT03166865-tilde"),
    pytest.param("MSC a day-case 2·0×106 cells/kg i.v. 15min Infused normal saline 500 Ml over 4 h i.v.",
                 [D(2e6, KG, restored=True)], id="NCT02249676-middle-dot-decimal-lost-superscript"),
    pytest.param("ADSC, single IV, 1.106 cells/kg", [D(1e6, KG, restored=True)], id="NCT02849613-dot-lost"),
    pytest.param("Four dose levels (calculated by the number of tcr-t positive cells) were set up: the dose level was "
                 "1: 5 × 108 ± 30%; the dose level was 2: 2 × 109 ± 30%; the dose level was 3: 5 × 109 ± 30%; the "
                 "dose level was 4: 1.2 × 1010 ± 30%.",
                 [D(5e8, FLAT, restored=True), D(2e9, FLAT, restored=True), D(5e9, FLAT, restored=True),
                  D(1.2e10, FLAT, restored=True)], id="NCT04318964-lost-two-digit-exponent"),
    pytest.param("4.10^6 CSM / kg 1 injection during 30min to 1h by Intravenous infusion",
                 [D(4e6, KG, restored=True)], id="NCT03562065-dot-as-times-french-noun"),
    pytest.param("Every patient is given 1x106 MSCs per kg infused via peripheral vein.", [D(1e6, KG, restored=True)],
                 id="NCT01499459-lost-per-kg"),
    pytest.param("DOSE A - 250,000 cells per 5 uL per 1 entry site, 3 million cells per brain DOSE B - 500,000 cells "
                 "per 5 uL per 1 entry site, 6 million cells per brain",
                 [D(2.5e5, FLAT, role="per-site"), D(3e6, FLAT), D(5e5, FLAT, role="per-site"), D(6e6, FLAT)],
                 id="NCT01297218-per-entry-site-after-a-volume"),
    pytest.param("T-cells: 5.0x109 TIL administered on Day 1 and 10x109 TIL on Day 15.",
                 [D(5e9, FLAT, restored=True), D(1e10, FLAT, restored=True)], id="NCT00338377-day-number-is-no-dose"),
    pytest.param("Then administer 5x10^6 of UCMSC per cm^2 of the cartilage defect.", [D(5e6, "cells/cm2")],
                 id="NCT02776943-per-cm-caret-2"),
    pytest.param("CD19 CAR T cells will be administered by i.v. injection as a using a \"split dose\" (total dose of "
                 "5x10^6/kg-5x10^7/kg) approach to dosing:10% on day 0, 30% on day 1 and 60% on day 2.",
                 [D(2.75e7, KG, low=5e6, high=5e7, role="total")], id="NCT02975687-range-with-a-unit-at-each-end"),
    pytest.param("Escalating doses of NK cells used, between 1x10^5/kg and 1x10^8/kg CD3- CD56+ cells/kg.",
                 [D(5.005e7, KG, low=1e5, high=1e8)], id="NCT01904136-between-with-a-unit-at-each-end"),
    pytest.param("KTE-C19 IV infusion at a target dose of 2 x 10^6 anti-CD19 chimeric antigen receptor (CAR) T "
                 "cells/kg followed by 4 doses of atezolizumab (ATZ) (1200 mg/dose)", [D(2e6, KG)],
                 id="NCT02926833-unit-after-seven-words"),
    pytest.param("administration of 1 to 3e8 per meter squared RNA CAR T cells three times weekly (M-W-F) for three "
                 "weeks", [D(2e8, "cells/m2", 1e8, 3e8)],
                 id="NCT01897415-shared-e-exponent-per-meter-squared"),
    pytest.param("level 3: > 5.10e6 and ≤ 5.10e7 cellules NK/kg", [D(2.75e7, KG, low=5e6, high=5e7, restored=True)],
                 id="NCT01853358-lower-and-upper-bound-are-a-range"),
    pytest.param("patients will be infused with 1,5-3,0 10E6 MSC/kg on postoperative day 3+/-2",
                 [D(2.25e6, KG, low=1.5e6, high=3e6)], id="NCT01429038-decimal-comma-range-space-power"),
    pytest.param("Patients will be given tablet (placebo) once for 30 days, IV 0.3 million kg/bb UC-MSCs once, and "
                 "nasal drop 0.5 ml/day (growth medium) for 30 days.", [D(3e5, KG)], id="NCT05279768-kg-slash-bb"),
    pytest.param("as well as allogeneic bone marrow mesenchymal stem cells transplantation by peripheral "
                 "vein(5×106/Kg, once a week, 4 times).", [D(5e6, KG, restored=True)], id="NCT01322906-lost-slash-Kg"),
    pytest.param("Participants will receive higher dose of mesenchymal stem cell injections for a total of 2 x 10^8 "
                 "cells", [D(2e8, FLAT, role="total")], id="NCT00587990-total"),
    pytest.param("ANKL (2x10*9) from peripheral blood 32ml is administered rapidly iv 12-36hr after each "
                 "chemotherapeutic agents while peak effect of NK cell ligand modulation by chemotherapeutic agent is "
                 "maintained.", [D(2e9, FLAT, restored=True)], id="NCT02370017-asterisk-for-caret"),
    pytest.param("Multiple intra muscular injection of mesenchymal stem cells derived from human umbilical cord. "
                 "5*10/7 per ischemic limb", [D(5e7, FLAT, restored=True)], id="NCT01216865-slash-for-caret"),
    pytest.param("8×10^9 autologous tumor lysate pulsed DC-CIK cells for each infusion, IV (in the vein) for four "
                 "cycles, each cycle received four infusions with a 1 day interval.", [D(8e9, FLAT)],
                 id="NCT02202928-lysate-pulsed-cells-are-cells"),
    pytest.param("Dose Level 0: 2.5 x10e5 CAR-20/19-T cells/kg", [D(2.5e5, KG)], id="NCT03019055-slash-in-a-name"),
    # --- words and letters for the scale --------------------------------------------------------------------------
    pytest.param("300 million cells will be infused one time through a peripheral vein", [D(3e8, FLAT)],
                 id="NCT00476060-million"),
    pytest.param("Intraarticular injection of 40 millions MSC", [D(4e7, FLAT)], id="NCT01586312-millions"),
    pytest.param("Stem Cell Dose: 3-5 Million Autologous MSCs Injected into Ovarian tissue.",
                 [D(4e6, FLAT, 3e6, 5e6)], id="NCT02062931-capital-Million"),
    pytest.param("Umbilical cord Wharton's jelly-derived human MSC (at the dose of 1 Million / kg) will be "
                 "administered via a peripheral or central venous line over 60 minutes", [D(1e6, KG)],
                 id="NCT04333368-capital-Million-per-kg"),
    pytest.param("Dose A: 10 million cells per kg / Dose B: 20 million cells per kg", [D(1e7, KG), D(2e7, KG)],
                 id="NCT02381366-million-per-kg"),
    pytest.param("OSSM-001 at 6M cells/kg and followed for 28 days post dose", [D(6e6, KG)], id="NCT05443464-M"),
    pytest.param("Two doses with a 6 month interval of allogenic Adipose mesenchymal cells +1 mil/kg of autologous "
                 "bone marrow mononuclear cells will be injected intravenously.", [D(1e6, KG)], id="NCT02940418-mil"),
    pytest.param("once intracavernous injection of 15,000,000 Human Umbilical Cord Mesenchymal Stem Cells",
                 [D(1.5e7, FLAT)], id="NCT02579148-grouped"),
    pytest.param("Mesenchymal allogenic cells + ICOVIR-5: 500.000 cells/kg", [D(5e5, KG)],
                 id="NCT04758533-european-grouping"),
    pytest.param("prednisone 1mg/kg + cyclosporine or tacrolimus and MSC 2×1,000,000 MSC/kg, IV twice a week",
                 [D(2e6, KG)], id="NCT00972660-times-grouped"),
    # --- ranges, lists, bounds ------------------------------------------------------------------------------------
    pytest.param("600 million to 1 billion cells will be infused through the portal vein over 30 minutes.",
                 [D(8e8, FLAT, 6e8, 1e9)], id="NCT00515307-range-words"),
    pytest.param("Mesenchymal stem cells, 1-2×107, bone marrow injection, once a week for the first four weeks",
                 [D(1.5e7, FLAT, 1e7, 2e7, restored=True)], id="NCT01526850-shared-lost-power"),
    pytest.param("Intravenous administration of up to 1~2x10^6 MSCs per kg,for 2 times,d0 and d14",
                 [D(1.5e6, KG, 1e6, 2e6, bound="at most")], id="NCT02247973-tilde-range-up-to"),
    pytest.param("A single dose of 0.5 to 1 x 10^6/kg autologous BM MSCs", [D(7.5e5, KG, 5e5, 1e6)],
                 id="NCT03626090-to-range"),
    pytest.param("After signed informed consent, patients will receive 3 infusions of (1.5)-3.0 x106/kg BM-MSC",
                 [D(2.25e6, KG, 1.5e6, 3e6, restored=True)], id="NCT04445454-bracketed-low"),
    pytest.param("A single dose, one time infusion (in the vein) of one of the following doses of hMSCs: 1 x 10^6, "
                 "3 x 10^6 or 5 x 10^6 hMSCs/kg body weight during Visit 2.",
                 [D(1e6, KG), D(3e6, KG), D(5e6, KG)], id="NCT02866721-list-shares-unit"),
    pytest.param("Cells will be administered intravenously at 3 different doses (80, 160, or 240 x 10^6, fixed dose) "
                 "over 10-20 minutes.", [D(8e7, FLAT), D(1.6e8, FLAT), D(2.4e8, FLAT)],
                 id="NCT02585622-list-shares-power"),
    pytest.param("Intravenous administration of up to 2x10^6 autologous MSCs per kg", [D(2e6, KG, bound="at most")],
                 id="NCT00395200-up-to"),
    pytest.param("ultrasound guided intra-articular injection of at least 10 million of ADMCS per procedure",
                 [D(1e7, FLAT, bound="at least")], id="NCT03869229-at-least"),
    pytest.param("Subjects will receive three doses of intradermal vaccination with ~5-10 x 106 dendritic cells "
                 "(DCVax-L) on days 0, 14 and 28", [D(7.5e6, FLAT, 5e6, 1e7, restored=True)],
                 id="NCT00683241-approximately-tilde-range"),
    pytest.param("A classical 3+3 design will be employed, with dose escalation from 10^7 through to 10^9 transduced "
                 "T4+ T-cells, dependent upon toxicity monitoring", [D(5.05e8, FLAT, 1e7, 1e9)],
                 id="NCT01818323-through-to-range"),
    pytest.param("Day 1, 10% fraction: 0.2-1x106 CART22 cells/kg", [D(6e5, KG, 2e5, 1e6, restored=True,
                                                                     role="fraction")],
                 id="NCT02650414-share-of-a-split-dose"),
    # --- volumes and concentrations ------------------------------------------------------------------------------
    pytest.param("combination of conventional therapy with umbilical mesenchymal stem cells intravenous injection, "
                 "(4x107/40ml, once per three months, four times in one year)", [D(4e7, FLAT, restored=True)],
                 id="NCT01573923-cells-in-volume"),
    pytest.param("Umbilical cord derived-mesenchymal stromal cells at a dose of 80x10e6 cells / 3mL injected by an "
                 "intra-articular infiltration of affected knee", [D(8e7, FLAT)], id="NCT03810521-dose-in-3mL"),
    pytest.param("1 million cells/ml of ALLO-ASC(allogeneic adipose derived mesenchymal stem cell) will be injected by "
                 "ultrasound guided intervention.", [D(1e6, FLAT, role="concentration")],
                 id="NCT01856140-concentration"),
    pytest.param("at a concentration of 50000 cells/uL diluted in the thrombin component of Fibrin Sealant",
                 [D(5e7, FLAT, role="concentration")], id="NCT03295292-concentration-per-microlitre-kept-per-mL"),
    pytest.param("Treatment consists in a cell suspension (5 million cells/mL) in aseptic buffered solution",
                 [D(5e6, FLAT, role="concentration")], id="NCT01914887-concentration-bracketed"),
    pytest.param("20 million cells/ml delivered in a dose of 0.5 ml per injection x 10 injections for a total of 1 x "
                 "108 (100 million) Auto-hMSCs.", [D(2e7, FLAT, role="concentration"), D(1e8, FLAT, role="total")],
                 id="NCT01392625-concentration-and-confirmed-total"),
    # --- not cell doses -------------------------------------------------------------------------------------------
    pytest.param("patients will receive 0.5 mL containing a target dose of 10e7 cell culture infectious dose 50 "
                 "(CCID50) (with a range of approximately 10e6.4 to 10e7.9 / mL) of the ESO-1 ALVAC virus S.C. in each "
                 "extremity (total of 4 x 10e7 CCID50/2 mL.", [],
                 id="NCT00670748-a-virus-in-culture-infectious-doses"),
    pytest.param("subcutaneously administered 9 million international units (IU) every other day * 6 doses over 2 "
                 "weeks begin 1 to 24 hours after NK cell infusion.", [], id="NCT01181258-international-units"),
    pytest.param("Mature DC 7.5-15 million/peptide given day 1, every six weeks for 2 doses followed by standard of "
                 "care anti PD-1 therapy", [], id="NCT03092453-cells-for-each-peptide"),
    pytest.param("Once aerosol inhalation of MSCs-derived exosomes (2.0*10^8 nano vesicles/3 ml)", [],
                 id="NCT04313647-vesicles"),
    pytest.param("Intra-articular knee injection of exosomes (3-5 x 10e11 particles) derived from allogeneic "
                 "mesenchymal stromal cells.", [], id="NCT05060107-particles"),
    pytest.param("Placebo || Intravenous infusion of excipients of PROCHYMAL® at a maximum infusion rate of 5.0 x 10^6 "
                 "hMSC/minute", [], id="NCT00877903-rate"),
    pytest.param("50, 150, 400, 750 or 1200 μg/kg or placebo given as a one time intravenous administration over 120 "
                 "minutes.", [], id="NCT03197623-micrograms"),
    pytest.param("Cohort 1: 1x 10^6 CM-CS1 T-cells Cohort 2: 3x 10^6 CM-CS1 T-cells", [D(1e6, FLAT), D(3e6, FLAT)],
                 id="NCT02203825-a-product-code-beginning-like-a-unit"),
    pytest.param("Eight to ten million dendritic cells (DCs) - administered via intradermal injections in 0.5 ml "
                 "Phosphate Buffered Saline (PBS)", [D(9e6, FLAT, 8e6, 1e7)], id="NCT01567202-worded-range"),
    pytest.param("I.V. injected Cell Based Medicinal Product, containing between 10 million and one billion autologous "
                 "Cytotoxic T cells and Natural Killer cells.", [D(5.05e8, FLAT, 1e7, 1e9)],
                 id="NCT01588769-between-digits-and-a-number-word"),
    pytest.param("at least 10*9 CIK cells, IV on day 0, 14, 28", [D(1e9, FLAT, restored=True, bound="at least")],
                 id="NCT01868490-an-asterisk-for-the-caret-of-a-bare-power"),
    # a bare 10E8 is a power of ten; in a text writing E notation ("25E6"), 10E6 is ten times 10^6
    pytest.param("patients receiving 4 bi-weekly vaccinations with 25E6 cells/vaccination of DCP-001, and 2 booster "
                 "vaccinations with 10E6 cells/vaccination", [D(2.5e7, FLAT), D(1e7, FLAT)],
                 id="NCT03697707-10E6-beside-25E6"),
    pytest.param("ACE2 CAR-NK cells are going to be give by intravenous infusion (10E8 cells per kilogram of body "
                 "weight, once a week)", [D(1e8, KG)], id="NCT04324996-a-bare-10E8"),
    pytest.param("Dose escalation level(per infusion): Level 0-5 billion; Level 1-10 billion; Level 2-20 billion; "
                 "Level 3-40 billion", [D(5e9, FLAT), D(1e10, FLAT), D(2e10, FLAT), D(4e10, FLAT)],
                 id="NCT01420874-a-level-number-is-no-range-end"),
    pytest.param("Method of administration and quantity: Test Drug: Per 60kg of average adult body weight, administer "
                 "100mg that contains 109~2x1010 lymphocytes for one hour intravenously.",
                 [D(1.05e10, FLAT, 1e9, 2e10, restored=True)], id="NCT00807027-a-lost-power-at-each-end"),
    pytest.param("In each cycle, patients will be infused 4.0-5.0×10`9 allogeneic NK cells.",
                 [D(4.5e9, FLAT, 4e9, 5e9)], id="NCT04162158-grave-accent-for-the-caret"),
    pytest.param("autologous DC-CIK cells infusion: first course: d1-d3 The second course: d14-d16; the total number "
                 "of cells is about 5-10 × 109;", [D(7.5e9, FLAT, 5e9, 1e10, restored=True, role="total")],
                 id="NCT04292769-the-total-number-of-cells"),
    pytest.param("Dosing will consist of a one-time stereotactic, intracranial injection of a hNSC line, NSI-566, "
                 "ranging from 1.2×107 cells to 8×107 cells, as tolerated.",
                 [D(4.6e7, FLAT, 1.2e7, 8e7, restored=True)], id="NCT03296618-from-cells-to-cells"),
    pytest.param("TBI-1301 cells will be infused on Day 0 at a dose of 5x10^9 cells.", [D(5e9, FLAT)],
                 id="NCT02869217-a-product-code-is-no-count"),
    pytest.param("Subcutaneous IL-2 (1x10^6 UI/m2) three times a week for two weeks will be administrated after first "
                 "NK infusion.", [], id="NCT02763475-international-units-in-french"),
    pytest.param("The extraordinarily high cell yield from lipoaspirate (as many as 1*107 cells from 300 ml of "
                 "lipoaspirate with at least 95% purity)", [D(1e7, FLAT, restored=True)],
                 id="NCT03686449-a-yield-is-still-a-number-of-cells"),
]


@pytest.mark.parametrize("text, expected", DOSE_CASES)
def test_dose_phrasing(text: str, expected: list[D]) -> None:
    found = [_summary(m) for m in find_doses(text)]
    assert len(found) == len(expected), found
    for actual, wanted in zip(found, expected):
        assert _same(actual, wanted), (actual, wanted)


def test_every_span_is_the_text_it_was_read_from() -> None:
    for case in DOSE_CASES:
        text = case.values[0]
        for mention in find_doses(text):
            assert text[mention.start:mention.end] == mention.text
