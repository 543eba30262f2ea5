"""Table-driven tests for trialdata.dose.find_doses.

Each row is a phrasing as it appears in registry free text (ClinicalTrials.gov
arm / intervention descriptions, ChiCTR-style English, spreadsheet exports...)
together with the dose mentions we expect, in order of appearance.
"""

from typing import NamedTuple

import pytest

from trialdata.dose import find_doses

KG = "cells/kg"
FLAT = "cells"


class D(NamedTuple):
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    restored: bool = False


def _summary(m):
    return D(m.value, m.unit, m.low, m.high, m.exponent_restored)


def _num_eq(actual, expected):
    if expected is None:
        return actual is None
    return actual is not None and actual == pytest.approx(expected, rel=1e-9)


def _same(actual, expected):
    return (
        _num_eq(actual.value, expected.value)
        and actual.unit == expected.unit
        and _num_eq(actual.low, expected.low)
        and _num_eq(actual.high, expected.high)
        and actual.restored is expected.restored
    )


DOSE_CASES = [
    # --- scientific notation variants -------------------------------------
    # CT.gov US academic MSC arm, times sign + caret
    pytest.param(
        "Biological: Allogeneic BM-MSCs. Participants will receive a single intravenous "
        "infusion of 1.0×10^6 cells/kg of bone marrow-derived mesenchymal stromal cells.",
        [D(1e6, KG)],
        id="times-caret-cells-kg",
    ),
    # CT.gov API/markdown export with escaped caret (NCT06740149 style)
    pytest.param(
        "Administration procedure of CG-BM1 is 1.0×10\\^6 cells/kg CG-BM1 once a week "
        "for a total of 4 administrations.",
        [D(1e6, KG)],
        id="escaped-caret",
    ),
    # lowercase x, stray space before the slash, "body weight" tail
    pytest.param(
        "Dose: 1x10^6 cells /kg body weight, given IV through a peripheral line over 30-60 minutes.",
        [D(1e6, KG)],
        id="x-caret-space-slash-kg",
    ),
    # Word copy-paste with unicode superscripts, volume after the dose
    pytest.param(
        "hUC-MSCs 1 × 10⁶ cells/kg, suspended in 100 ml normal saline, intravenous drip.",
        [D(1e6, KG)],
        id="unicode-superscript",
    ),
    # unicode superscript two-digit mantissa, flat dose (adipose MSC, Korean sponsor style)
    pytest.param(
        "Autologous adipose-derived stem cells (2.5 × 10⁷ cells) injected into the fistula tract.",
        [D(2.5e7, FLAT)],
        id="unicode-superscript-flat",
    ),
    # dose-escalation cohort written as bare power of ten
    pytest.param(
        "Cohort 1 (low dose) will receive 10^6 MSCs/kg intravenously on Day 1.",
        [D(1e6, KG)],
        id="bare-power-of-ten",
    ),
    # spreadsheet-style uppercase E notation in an arm label
    pytest.param(
        "Arm A - MSC 1.0E6 cells/kg IV x1",
        [D(1e6, KG)],
        id="E-notation",
    ),
    # lowercase e notation, "per kg of body weight"
    pytest.param(
        "Each subject receives 1e6 cells per kg of body weight of Wharton's jelly derived MSCs.",
        [D(1e6, KG)],
        id="e-notation-per-kg-of-body-weight",
    ),
    # Excel-formatted E+06, with a tolerance after it
    pytest.param(
        "Target dose 1.5E+06 cells/kg (acceptable range ±20%) of remestemcel-L.",
        [D(1.5e6, KG)],
        id="E-plus-06",
    ),
    # "10E6" used to mean 10^6 (common in US sponsor protocols)
    pytest.param(
        "Cohort 2: 2 x 10E6 cells/kg of autologous adipose-derived MSCs.",
        [D(2e6, KG)],
        id="x-10E6",
    ),
    # uppercase X as the multiplication sign
    pytest.param(
        "MSCs 2X10^6 cells/kg will be infused after plasma exchange.",
        [D(2e6, KG)],
        id="uppercase-X",
    ),
    # odd spacing: no space after colon, "cells" glued to exponent
    pytest.param(
        "MSC dose:2.0x10^6cells/kg, single infusion.",
        [D(2e6, KG)],
        id="glued-cells",
    ),
    # --- word multipliers --------------------------------------------------
    # "million" with per-kg unit (US stroke/ALS trial)
    pytest.param(
        "Participants receive 1 million cells/kg of ischemia-tolerant MSCs by IV infusion.",
        [D(1e6, KG)],
        id="million-cells-kg",
    ),
    # knee OA intra-articular, flat count in millions
    pytest.param(
        "A single intra-articular injection of 100 million cells into the affected knee.",
        [D(1e8, FLAT)],
        id="million-flat",
    ),
    # cardiology BM-MNC trial, "billion"
    pytest.param(
        "Patients will receive up to 1.5 billion cells of autologous bone marrow mononuclear "
        "cells via intracoronary infusion.",
        [D(1.5e9, FLAT)],
        id="billion-flat",
    ),
    # "million cells per kilogram" spelled out
    pytest.param(
        "MSCs are given at a dose of 2 million cells per kilogram of body weight.",
        [D(2e6, KG)],
        id="million-per-kilogram",
    ),
    # "cells per infusion" (flat, US phase 1)
    pytest.param(
        "Subjects receive 100 million cells per infusion, administered over 20 minutes.",
        [D(1e8, FLAT)],
        id="million-cells-per-infusion",
    ),
    # --- units ----------------------------------------------------------------
    # ChiCTR-style "cells/time" (flat dose per administration)
    pytest.param(
        "hUC-MSCs 1.5×10^8 cells/time, intravenous drip, once a week.",
        [D(1.5e8, FLAT)],
        id="cells-per-time",
    ),
    # capitalised Kg
    pytest.param(
        "MSCs (3×10^6 cells/Kg) were administered on day 0.",
        [D(3e6, KG)],
        id="cells-Kg",
    ),
    # MSCs/kg as the unit noun
    pytest.param(
        "Treatment group: 5×10^5 MSCs/kg via the peripheral vein.",
        [D(5e5, KG)],
        id="MSCs-kg",
    ),
    # CAR-T flat dose "cells/infusion"; "CD19" must not be read as a number
    pytest.param(
        "Subjects receive autologous CD19 CAR-T cells at a flat dose of 1×10^8 cells/infusion.",
        [D(1e8, FLAT)],
        id="cells-per-infusion",
    ),
    # NK-cell trial "cells per dose"
    pytest.param(
        "Haploidentical NK cells 2.0 x 10^7 cells per dose, administered intravenously.",
        [D(2e7, FLAT)],
        id="cells-per-dose",
    ),
    # Chinese registry: no cell noun, just "/kg"
    pytest.param(
        "The dose of stem cells is 1×10^6/kg.",
        [D(1e6, KG)],
        id="bare-slash-kg",
    ),
    # "/kg body weight" without a cell noun
    pytest.param(
        "UC-MSC 2x10^6/kg body weight, intravenous infusion.",
        [D(2e6, KG)],
        id="slash-kg-body-weight",
    ),
    # "MSCs per kg of body weight"
    pytest.param(
        "Patients receive 1 × 10^6 MSCs per kg of body weight in 50 mL of saline.",
        [D(1e6, KG)],
        id="MSCs-per-kg-of-body-weight",
    ),
    # cord blood transplant, TNC count per kg
    pytest.param(
        "Cord blood unit containing at least 2.5 × 10^7 total nucleated cells/kg.",
        [D(2.5e7, KG)],
        id="cord-blood-TNC-kg",
    ),
    # typo: singular "cell/kg"
    pytest.param(
        "MSC 1x10^6 cell/kg i.v. on day 1.",
        [D(1e6, KG)],
        id="typo-singular-cell-kg",
    ),
    # --- lost superscripts (exponent flattened by copy-paste) ---------------
    # ChiCTR-style: 4x10^7 in 40 ml became "4x107/40ml"
    pytest.param(
        "Experimental group: hUC-MSC 4x107/40ml, intravenous infusion.",
        [D(4e7, FLAT, restored=True)],
        id="lost-sup-per-40ml",
    ),
    # lost superscript with "/Kg"
    pytest.param(
        "Stem cell group: umbilical cord MSCs 1×105/Kg, injected via the hepatic artery.",
        [D(1e5, KG, restored=True)],
        id="lost-sup-Kg",
    ),
    # lost superscript, "MSCs per kg"
    pytest.param(
        "Patients will be given 1x106 MSCs per kg by intravenous infusion.",
        [D(1e6, KG, restored=True)],
        id="lost-sup-MSCs-per-kg",
    ),
    # lost superscript flat, with a volume that is not a dose
    pytest.param(
        "Each patient receives 2 x 108 cells in 2 ml via intradiscal injection.",
        [D(2e8, FLAT, restored=True)],
        id="lost-sup-flat",
    ),
    # --- ranges --------------------------------------------------------------
    # range before a shared multiplier
    pytest.param(
        "The target dose is 1-2 ×10^6 cells/kg of body weight.",
        [D(1.5e6, KG, low=1e6, high=2e6)],
        id="range-shared-multiplier",
    ),
    # decimal range with 10E6 and bare /kg
    pytest.param(
        "Umbilical cord blood-derived MSCs 0.1-1x10E6/kg, IV.",
        [D(5.5e5, KG, low=1e5, high=1e6)],
        id="range-10E6-kg",
    ),
    # range with 1.0-10 mantissa
    pytest.param(
        "Dose: 1.0-10x10^5/kg body weight.",
        [D(5.5e5, KG, low=1e5, high=1e6)],
        id="range-1-10-x10-5",
    ),
    # explicit "X to Y" range
    pytest.param(
        "MSCs will be infused at 1×10^6 to 2×10^6 cells/kg.",
        [D(1.5e6, KG, low=1e6, high=2e6)],
        id="range-to",
    ),
    # --- several mentions in one text -----------------------------------------
    # dose-escalation list sharing "million cells"
    pytest.param(
        "Dose-escalation cohorts will receive 25, 100 or 200 million cells.",
        [D(2.5e7, FLAT), D(1e8, FLAT), D(2e8, FLAT)],
        id="list-million",
    ),
    # two arms in one description
    pytest.param(
        "Low-dose arm: 1×10^6 cells/kg; high-dose arm: 3×10^6 cells/kg.",
        [D(1e6, KG), D(3e6, KG)],
        id="two-arms",
    ),
    # phase I / phase II text from NCT06740149 with escaped carets and "cells /kg"
    pytest.param(
        "Administered intravenously. For phase I: single infusion, 2.0×10\\^6 cells /kg. "
        "For phase II: 2.0×10\\^6 cells /kg once a week for a total of 4 times.",
        [D(2e6, KG), D(2e6, KG)],
        id="phase1-phase2-escaped",
    ),
    # --- dose next to non-dose numbers ----------------------------------------
    # dose followed by its concentration: only the dose counts
    pytest.param(
        "1×10^8 cells suspended in 20 mL (5×10^6 cells/mL) were injected intramyocardially.",
        [D(1e8, FLAT)],
        id="dose-then-concentration",
    ),
    # plasma-exchange volume before the dose
    pytest.param(
        "Plasma exchange (2000 mL) followed by MSCs 1×10^6 cells/kg.",
        [D(1e6, KG)],
        id="volume-then-dose",
    ),
]


@pytest.mark.parametrize("text, expected", DOSE_CASES)
def test_find_doses(text, expected):
    got = [_summary(m) for m in find_doses(text)]
    ok = len(got) == len(expected) and all(_same(a, e) for a, e in zip(got, expected))
    assert ok, f"\nactual:   {got}\nexpected: {expected}"


@pytest.mark.parametrize("text, expected", DOSE_CASES)
def test_dose_span_is_in_text(text, expected):
    for m in find_doses(text):
        assert m.text and m.text in text, f"span {m.text!r} not a substring of input"


NOT_DOSE_CASES = [
    # plasma-exchange arm (volume)
    pytest.param("Plasma exchange: 2000 milliliter plasma exchange every other day.", id="milliliter"),
    # placebo arm (volume)
    pytest.param("Placebo: the same volume of vehicle in 40 mL saline.", id="mL-saline"),
    # product concentration, not a dose
    pytest.param("The cells are formulated at 5 million cells per mL.", id="concentration-million-per-mL"),
    # concentration in scientific notation
    pytest.param("Final product concentration 2×10^6 cells/mL in CryoStor CS10.", id="concentration-caret-per-mL"),
    # concomitant drug
    pytest.param("Aspirin 100 mg daily.", id="mg-daily"),
    # mg/kg drug dose must not be read as cells/kg
    pytest.param("Tacrolimus 0.05 mg/kg twice daily.", id="mg-per-kg"),
    # IU/kg
    pytest.param("Heparin 100 IU/kg bolus before infusion.", id="IU-per-kg"),
    # observation window
    pytest.param("Patients will be observed for 28 days after infusion.", id="observed-28-days"),
    # eligibility lab criteria use x10^9/L
    pytest.param("Platelet count ≥ 50 × 10^9/L and absolute neutrophil count > 1.5×10^9/L.", id="lab-per-L"),
    # lymphodepletion chemo in mg/m^2
    pytest.param(
        "Fludarabine 30 mg/m^2/day and cyclophosphamide 500 mg/m^2/day on days -5 to -3.",
        id="chemo-mg-m2",
    ),
    # viral load
    pytest.param("HIV-1 RNA < 10^5 copies/mL at screening.", id="copies-per-mL"),
    # infusion rate
    pytest.param("The suspension is infused at 2 mL/min.", id="mL-per-min"),
]


@pytest.mark.parametrize("text", NOT_DOSE_CASES)
def test_not_a_dose(text):
    got = find_doses(text)
    assert got == [], f"actual: {[(m.text, m.value, m.unit) for m in got]}"
