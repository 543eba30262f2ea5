"""Every row of the grammar's tables, read in every place a registry may write it.

The tables in `trialdata/grammar/vocabulary.py` (and the route table) build every pattern and every gate, so a
new notation is one row there and one row in `REGISTRY_EXAMPLES` below, quoting the registry sentence it came
from. `test_every_row_has_a_registry_example` fails for a row added without its quote; the position tests fail
for a row some pattern or gate does not see.
"""

import pytest

from trialdata.grammar import vocabulary as v
from trialdata.grammar.doses import find_doses
from trialdata.grammar.products import cell_free_product, mentions_placebo
from trialdata.grammar.routes import ROUTES, find_route
from trialdata.grammar.schedules import find_optional, find_schedule, find_schedules

# (table, row) -> (NCT number, the registry's sentence, what an analyst reads in it). What is read is checked by
# `_reads`: a list of (value, unit) doses, a (count, interval days) schedule, a route, or None for "no schedule".
REGISTRY_EXAMPLES: dict[tuple[str, str], tuple[str, str, object]] = {
    ("SCALE_WORDS", "million"): ("NCT05152368", "Single intravenous infusion of 100 million cells", [(1e8, "cells")]),
    ("SCALE_WORDS", "mil"): ("NCT02940418", "Two doses with a 6 month interval of allogenic Adipose mesenchymal cells "
                             "+1 mil/kg of autologous bone marrow mononuclear cells will be injected intravenously.",
                             [(1e6, "cells/kg")]),
    ("SCALE_WORDS", "billion"): ("NCT02843802", "Natural killer cell (each treatment: about 10 billion cells "
                                 "transfusion in 3 times, i.v.)", [(1e10, "cells")]),
    ("SCALE_WORDS", "thousand"): ("NCT03692767", "Total dose of 50-600 thousand /kg Anti-CD22 CAR NK cells will be "
                                  "administered at day0", [(3.25e5, "cells/kg")]),
    ("SCALE_LETTERS", "M"): ("NCT05491681", "Experimental: Cohort 2 Med dose, 100M cells, 3 "
                                            "patients", [(1e8, "cells")]),
    ("INTERVAL_ADVERBS", "daily"): ("NCT03633565", "prednisolone 20 mg tablet by mouth taken once daily for 10 days "
                                    "each month for 2 years", (10, 1.0)),
    ("INTERVAL_ADVERBS", "weekly"): ("NCT02544802", "Three intra-articular injections of autologous ADMSCs will be "
                                     "performed to subjects at a weekly interval.", (3, 7.0)),
    ("INTERVAL_ADVERBS", "bi-weekly"): ("NCT02449005", "During this 4-week period, stringent post-operative "
                                        "supportive program care will be instituted at bi-weekly intervals, and after "
                                        "that patients will discontinue rinsing with chlorhexidine solution and resume "
                                        "oral hygiene.", (None, 14.0)),
    ("INTERVAL_ADVERBS", "biweekly"): ("NCT02692976", "Patients will be vaccinated intranodally three times biweekly "
                                       "with mDC (5x 106 cells; n=7, arm A).", (3, 14.0)),
    ("INTERVAL_ADVERBS", "monthly"): ("NCT05047276", "Furthermore, a monthly report with all new SAE reported by sites "
                                      "will be distributed both, to sites and Sponsor.", (None, 30.0)),
    # A time of assessment, not of doses: the word is read, and the follow-up gate sets it aside.
    ("INTERVAL_ADVERBS", "quarterly"): ("NCT04759105", "The regenerative potential of BM-MSC treatment will be "
                                                       "assessed "
                                        "by Magnetic Resonance Imaging (MRI) technologies on quarterly basis up to 12 "
                                        "months.", None),
    ("TIME_UNITS", "day"): ("NCT02857010", "Allogenic Mesenchymal stem cells of 2 x 106/kg administered on days 1, 4, "
                            "11 and 18", (4, None)),
    ("TIME_UNITS", "d"): ("NCT02247973", "Intravenous administration of up to 1~2x10^6 MSCs per kg,for 2 times,d0 and "
                          "d14", (2, 14.0)),
    ("TIME_UNITS", "week"): ("NCT03288571", "Number of doses: 3 doses 2 weeks apart for each kidney.", (3, 14.0)),
    ("TIME_UNITS", "wk"): ("NCT01306513", "Safety and feasibility of intravenous infusion of two doses of "
                                          "BM-MSC with 1 "
                           "wk interval after the first LVRS and prior to a second LVRS.", (2, 7.0)),
    ("TIME_UNITS", "month"): ("NCT02805855", "Subjects in the M100 cohort will receive three injections of 100 million "
                              "AMSCs at one-month intervals.", (3, 30.0)),
    ("TIME_UNITS", "year"): ("NCT03633565", "prednisolone 20 mg tablet by mouth taken once daily for 10 days "
                                            "each month "
                             "for 2 years", (10, 1.0)),
    ("MULTIPLES", "once"): ("NCT05000593", "Intra-articular injection of normal saline was performed once every 1 week "
                            "for a total of 3 times.", (3, 7.0)),
    ("MULTIPLES", "twice"): ("NCT04501341", "Dosage: 2 x 10^6 cells/kgBW, twice, with three months "
                                            "interval", (2, 90.0)),
    ("BODY_UNITS", "kgbw"): ("NCT04501341", "Dosage: 2 x 10^6 cells/kgBW, twice, with three months interval",
                             [(2e6, "cells/kg")]),
    ("BODY_UNITS", "kg"): ("NCT00603330", "In this arm, 4 x 10E6 MSC/Kg BW of the recipient will be injected during "
                           "the first hour after thawing.", [(4e6, "cells/kg")]),
    ("BODY_UNITS", "kilogram"): ("NCT04629833", "Participants will receive MC0518 1-2 million cells/ kilogram "
                                                "infusions "
                                 "(based on body weight at the Screening Visit) once a week for 4 weeks (Visit Day 1, "
                                 "8, 15, and 22).", [(1.5e6, "cells/kg")]),
    ("BODY_UNITS", "kilo"): ("NCT05433298", "Forty patients with COVID-19 will receive an intravenous infusion of one "
                             "dose of 1.000.000 umbilical cord mesenchymal cells per kilo of the patient.",
                             [(1e6, "cells/kg")]),
    ("BODY_UNITS", "weight range"): ("NCT02728115", "Participants assigned to this arm will receive 3 administrations, "
                                     "one every 30 days, of 1x10^6 cells/weight range per administration of Cellavita "
                                     "HD (n= 3) .", [(1e6, "cells/kg")]),
    ("BODY_UNITS", "m2"): ("NCT00078533", "The lowest dose level will be 1x10^7cells/m2 and the highest will be "
                           "1x10^8/m2.", [(1e7, "cells/m2"), (1e8, "cells/m2")]),
    ("BODY_UNITS", "m^2"): ("NCT00990717", "Level I: 1x10^9 cells/m^2", [(1e9, "cells/m2")]),
    ("BODY_UNITS", "me2"): ("NCT02159716", "Dose: 1-3xE7 /mE2 (Cohort 1 and 2) and 1-3xE8 /mE2 (Cohort 3 and 4 ) CAR+ "
                            "T cells by intravenous route.", [(2e7, "cells/m2"), (2e8, "cells/m2")]),
    ("BODY_UNITS", "meter squared"): ("NCT01897415", "administration of 1 to 3e8 per meter squared RNA CAR T cells "
                                      "three times weekly (M-W-F) for three weeks", [(2e8, "cells/m2")]),
    ("BODY_UNITS", "cm^2"): ("NCT02776943", "Then administer 5x10^6 of UCMSC per cm^2 of the cartilage defect.",
                             [(5e6, "cells/cm2")]),
    ("BODY_UNITS", "cm2"): ("NCT02037204", "Single-stage cartilage repair surgery using autologous chondrons (10-20%) "
                            "and allogeneic MSCs (80-90%) in a fibrin glue carrier with a dosage of two million cells/ "
                            "cm2 applied once during a surgical procedure", [(2e6, "cells/cm2")]),
    ("BODY_UNITS", "cm²"): ("NCT01399749", "Implantation of autologous ASC or chondrocytes, 1 million per cm² lesion, "
                            "covered by autologous periosteal membrane", [(1e6, "cells/cm2")]),
    ("BODY_UNITS", "square cm"): ("NCT02104713", "Initial dose level will be 2.5 x 10³ Allogeneic MSCs cells/square "
                                  "cm.", [(2.5e3, "cells/cm2")]),
    ("SCALE_WORDS", "mio"): ("NCT01983748", "Patients in arm A receive 8 vaccinations over a period of 2 years "
                             "consisting of autologous, mature, monocyte-derived Dendritic Cells loaded with "
                             "autologous tumor RNA (20 mio DC per vaccination)", [(2e7, "cells")]),
    ("SCALE_WORDS", "milj"): ("NCT02432846", "Two Intuvax (ilixadencel) vaccinations (10 milj cells/vaccination) 14 "
                              "days apart before nephrectomy", [(1e7, "cells")]),
    ("VOLUME_UNITS", "ml"): ("NCT01573923", "combination of conventional therapy with umbilical mesenchymal stem cells "
                             "intravenous injection, (4x107/40ml, once per three months, four times in one year)",
                             [(4e7, "cells")]),
    ("VOLUME_UNITS", "milliliter"): ("NCT01724398", "Received conventional treatment plus 2000 milliliter plasma "
                                     "exchange (every 3 days, 3 times).", []),
    ("VOLUME_UNITS", "millilitre"): ("NCT05521672", "a total dose of 120 million cells prepared in a saline solution "
                                     "with a cell concentration of 10 million cells per millilitre.",
                                     [(1.2e8, "cells"), (1e7, "cells")]),
    ("VOLUME_UNITS", "cc"): ("NCT02065167", "20x106 cells per cc in a single administration of 7cc", [(2e7, "cells")]),
    ("VOLUME_UNITS", "cm3"): ("NCT03410355", "The investigators will harvest 60 cm3 of bone marrow from "
                                             "posterior iliac "
                              "crest and centrifuged obtaining approximately 3 cm3 of autologous bone marrow-"
                              "mesenchymal stem cells concentrate.", []),
    ("VOLUME_UNITS", "cubic centimeter"): ("NCT00587990", "Participants will receive between 10 and 20 intramyocardial "
                                           "injections of 2 million MSCs per 0.25-0.5 cubic centimeter (cc) for "
                                           "a total "
                                           "of 2 x 10^7 cells.", [(2e6, "cells"), (2e7, "cells")]),
    ("VOLUME_UNITS", "μl"): ("NCT02449005", "In Group A, the grafting material (BM-MSCs enriched with fibrin "
                                            "glue) will "
                             "be delivered in two insulin syringes each containing 5x10E6 cells/100μl fibrin "
                             "and will be "
                             "gently loaded onto the collagen fleece and polymerized with the addition of CaCl2.",
                             [(5e6, "cells")]),
    ("VOLUME_UNITS", "µl"): ("NCT04626583", "Escalating doses of allogeneic MSC subconjunctival injection will be "
                             "assigned 1,000,000 cells/50 µL at the low dose level.", [(1e6, "cells")]),
    ("VOLUME_UNITS", "ul"): ("NCT01297218", "DOSE A - 250,000 cells per 5 uL per 1 entry site, 3 million cells per "
                             "brain DOSE B - 500,000 cells per 5 uL per 1 entry site, 6 million cells per brain",
                             [(2.5e5, "cells"), (3e6, "cells"), (5e5, "cells"), (6e6, "cells")]),
}
# Each route and a registry sentence naming it.
ROUTE_EXAMPLES: dict[str, tuple[str, str]] = {
    "intra-arterial (hepatic artery)": ("NCT03838250", "Single dose administration of approximately 5 x 10^7 cells/10 "
                                        "mL via the hepatic artery."),
    "intraportal": ("NCT02957552", "first administration intraoperatively via intraportal infusion"),
    "intracoronary": ("NCT03397095", "infused by intracoronary route"),
    "intra-arterial": ("NCT03840343", "Two MSC infusions of 2.5x10^5 cells/kg at time zero and three months; single "
                                      "kidney, intra-arterial delivery"),
    "intramyocardial": ("NCT02462330", "intramyocardial injection of 6.10e7 stem cells"),
    "intrahepatic": ("NCT01062750", "single administration of autologous adipose tissue derived stroma cells via "
                                    "intrahepatic catheterization"),
    "intravenous": ("NCT01724398", "Received conventional treatment and umbilical cord mesenchymal stem cells "
                                   "transplantation by peripheral vein"),
    "intramuscular": ("NCT04466007", "Allogeneic mesenchymal stromal cells derived from adipose tissue administered "
                                     "intramuscularly"),
    "subcutaneous": ("NCT02331134", "10 μg/kg/day of Filgrastim will be given subcutaneously for 4 days"),
    "intrathecal": ("NCT01494480", "After stem cell prepared, the patients accepted 4 times stem cell transplantations "
                                   "through lumbar puncture"),
    "intra-articular": ("NCT01499056", "intra articular inection of mesenchymal stem cell"),
    "intradermal": ("NCT00045968", "Two intradermal (i.d.) injections of DCVax-L"),
    "intradiscal": ("NCT01860417", "Intradiscal injection of 25 millions MSC in 2 ml of saline"),
    "intravitreal": ("NCT03173638", "A unique intravitreal injection of MSV in acute fase of NAION"),
    "subretinal": ("NCT01345006", "Patients will undergo subretinal injection of MA09-hRPE"),
    "subconjunctival": ("NCT02325843", "5×106/0.5ml MSC was injected subconjunctival at the inferior fornix."),
    "intranasal": ("NCT02192736", "Trophic factors from umbilical cord mesenchymal stem cells administered "
                                  "intra-nasally"),
    "inhaled": ("NCT04313647", "participants will receive once aerosol inhalation of MSCs-derived exosomes"),
    "intraperitoneal": ("NCT05491135", "the solution containing beads will be infused manually into the peritoneal "
                                       "cavity with usually a 50ml syringe, as a single infusion"),
    "intracerebral": ("NCT00976430", "Stem cell derived from the bone marrow of the patient will be stereotactically "
                                     "transplanted in the striatum."),
    "intraparenchymal": ("NCT03288571", "Route of administration: ultrasound guided- intra-parenchymal total of "
                                        "3 sites "
                                        "in each kidney."),
    "intraventricular": ("NCT02890953", "direct intracerebroventricular injection of mesenchymal stem cells via "
                                        "ventricular tap"),
    "intraspinal": ("NCT02116634", "intra spinal injection of 1 ×10(8) mesenchymal stem cells +10cc normal saline"),
    "intraosseous": ("NCT01643655", "Into the Femoral Head infusion of Autologous Adipose Derived Mesenchymal Stem "
                                    "Cells."),
    "intrauterine": ("NCT03592849", "A collagen scaffold loaded with UC-MSCs will be transplanted into the uterine "
                                    "cavity during hysteroscopy"),
    "intracavernous": ("NCT02745808", "Intracavernous injection of 15 million HUC-MSCs."),
    "periurethral": ("NCT02334878", "Periurethral injection of autologous bone-marrow derived stem cells."),
    "intralesional": ("NCT03726255", "SVF injection in IO (50%) and fistula tract (50%)"),
    "submucosal": ("NCT05262829", "MSCs treatment by intestinal submucosal injection"),
    "intratracheal": ("NCT02023788", "A single intratracheal administration"),
    "intraovarian": ("NCT03033277", "Intraovarian injection of placebo through vagina under the guidance of "
                                    "ultrasonic."),
    "topical": ("NCT05549609", "Single topical dose of XSTEM-VLU"),
}
TABLES = {name: getattr(v, name) for name in ("SCALE_WORDS", "SCALE_LETTERS", "INTERVAL_ADVERBS", "TIME_UNITS",
                                              "MULTIPLES", "BODY_UNITS", "VOLUME_UNITS")}


def test_every_row_has_a_registry_example() -> None:
    rows = {(name, row) for name, table in TABLES.items() for row in table}
    assert rows == set(REGISTRY_EXAMPLES), "a table row needs a registry sentence here, and an example its row"
    assert {route for route, _ in ROUTES} == set(ROUTE_EXAMPLES)


def _reads(sentence: str, expected: object) -> None:
    if isinstance(expected, list):
        assert [(pytest.approx(m.value), m.unit) for m in find_doses(sentence)] == expected
    elif expected is None:
        assert [s for s in find_schedules(sentence) if s.administrations or s.interval_days] == []
    else:
        schedule = find_schedule(sentence)
        assert schedule is not None
        assert (schedule.administrations, schedule.interval_days) == expected


@pytest.mark.parametrize("key", sorted(REGISTRY_EXAMPLES), ids="-".join)
def test_the_registry_example_of_each_row_reads_as_an_analyst_reads_it(key: tuple[str, str]) -> None:
    nct, sentence, expected = REGISTRY_EXAMPLES[key]
    assert key[1].lower() in sentence.lower(), f"{nct}'s sentence must show the row's word"
    _reads(sentence, expected)


@pytest.mark.parametrize("route", sorted(ROUTE_EXAMPLES))
def test_the_registry_example_of_each_route_names_it(route: str) -> None:
    nct, sentence = ROUTE_EXAMPLES[route]
    found = find_route(sentence)
    assert found is not None and found[0] == route, nct


# --- each row in every place it can stand ------------------------------------------------------------------------

@pytest.mark.parametrize("word, scale", sorted(v.SCALE_WORDS.items()))
def test_a_scale_word_reads_in_every_form(word: str, scale: float) -> None:
    def doses(text: str) -> list[tuple]:
        return [(m.value, m.unit, m.low, m.high) for m in find_doses(text)]
    assert doses(f"5 {word} cells/kg") == [(5 * scale, "cells/kg", None, None)]
    assert doses(f"5.5 {word} cells/kg") == [(pytest.approx(5.5 * scale), "cells/kg", None, None)]
    assert doses(f"40 {word}s of autologous MSC") == [(40 * scale, "cells", None, None)]
    assert doses(f"1-2 {word} cells/kg") == [(1.5 * scale, "cells/kg", 1 * scale, 2 * scale)]
    assert doses(f"between 1 and 2 {word} cells") == [(1.5 * scale, "cells", 1 * scale, 2 * scale)]
    assert [d[0] for d in doses(f"25, 100 or 200 {word} cells")] == [25 * scale, 100 * scale, 200 * scale]
    assert doses(f"3-5 {word.capitalize()} Autologous MSCs") == [(4 * scale, "cells", 3 * scale, 5 * scale)]
    assert doses(f"1 {word.upper()} / kg") == [(scale, "cells/kg", None, None)]  # titles and headings capitalise


@pytest.mark.parametrize("letter, scale", sorted(v.SCALE_LETTERS.items()))
def test_a_scale_letter_reads_only_before_cells(letter: str, scale: float) -> None:
    assert [(m.value, m.unit) for m in find_doses(f"OSSM-001 at 12{letter} cells/kg")] == [(12 * scale, "cells/kg")]
    assert find_doses(f"Analysis of 20{letter.lower()} walking cycle") == []


@pytest.mark.parametrize("adverb, days", sorted(v.INTERVAL_ADVERBS.items()))
def test_an_interval_adverb_reads_in_every_form(adverb: str, days: float) -> None:
    for text in (f"{adverb} for 4 doses", f"{adverb.capitalize()} infusions, a total of 4 infusions",
                 f"1 x 10^6 cells/kg {adverb}, 4 times", f"once {adverb} for a total of 4 administrations"):
        schedule = find_schedule(text)
        assert schedule is not None, text
        assert (schedule.administrations, schedule.interval_days) == (4, days), text
        assert schedule.days == tuple(days * i for i in range(4)), text


@pytest.mark.parametrize("unit, days", sorted(v.TIME_UNITS.items()))
def test_a_time_unit_reads_in_every_form(unit: str, days: float) -> None:
    cases = {
        f"every 3 {unit}s, 4 doses": (4, 3 * days),
        f"once a {unit}, 2 times": (2, days),
        f"three injections at 2-{unit} intervals": (3, 2 * days),
        f"3 infusions, 2 {unit}s apart": (3, 2 * days),
        f"with intervals of 2 {unit}s, a total of 3 doses": (3, 2 * days),
    }
    for text, expected in cases.items():
        schedule = find_schedule(text)
        assert schedule is not None, text
        assert (schedule.administrations, schedule.interval_days) == expected, text
    listed = find_schedule(f"administered on {unit} 0, 2 and 4")
    assert listed is not None and listed.days == (0.0, 2 * days, 4 * days)


@pytest.mark.parametrize("word, count", sorted(v.MULTIPLES.items()))
def test_a_multiple_counts(word: str, count: int) -> None:
    schedule = find_schedule(f"2 x 10^6 cells/kg injected {word}, with three months interval")
    assert schedule is not None and schedule.administrations == count


@pytest.mark.parametrize("word, count", sorted(v.NUMBER_WORDS.items()))
def test_a_number_word_counts(word: str, count: int) -> None:
    for text in (f"{word} intravenous infusions of MSCs, one week apart", f"a total of {word} doses"):
        schedule = find_schedule(text)
        assert schedule is not None and schedule.administrations == count, text


@pytest.mark.parametrize("noun", v.ADMINISTRATION_NOUNS)
def test_an_administration_noun_counts(noun: str) -> None:
    plural = noun if noun.endswith("s") else f"{noun}s"
    for text in (f"3 {plural} one week apart", f"infused a total of 3 {plural}",
                 f"UC-MSC 1x10^6/kg, weekly, 3 {plural}"):
        schedule = find_schedule(text)
        assert schedule is not None and schedule.administrations == 3, text


@pytest.mark.parametrize("word, unit", sorted(v.BODY_UNITS.items()))
def test_a_body_unit_reads_after_a_number_and_after_cells(word: str, unit: str) -> None:
    for text in (f"2 x 10^6 cells/{word}", f"2 x 10^6 MSCs per {word}", f"2 x 10^6/{word} body weight",
                 f"2 million (aMBMC) per {word}"):
        assert [(m.value, m.unit) for m in find_doses(text)] == [(2e6, unit)], text


@pytest.mark.parametrize("word, millilitres", sorted(v.VOLUME_UNITS.items()))
def test_a_volume_unit_makes_cells_in_a_volume_or_a_concentration(word: str, millilitres: float) -> None:
    [in_volume] = find_doses(f"2 x 10^7 cells/5 {word}")
    assert (in_volume.unit, in_volume.role, in_volume.volume_ml) == ("cells", "dose", pytest.approx(5 * millilitres))
    [concentration] = find_doses(f"2 x 10^6 cells/{word}")
    assert concentration.role == "concentration"


@pytest.mark.parametrize("mark", v.FLAT_MARKS)
def test_a_flat_mark_makes_a_flat_dose(mark: str) -> None:
    [dose] = find_doses(f"2 x 10^7 cells per {mark}")
    assert (dose.unit, dose.unit_written) == ("cells", True)


@pytest.mark.parametrize("unit", v.OTHER_UNITS)
def test_another_unit_is_no_cell_dose(unit: str) -> None:
    assert find_doses(f"5 x 10^6 {unit} were given") == []


@pytest.mark.parametrize("word, bound", sorted(v.BOUND_WORDS.items()))
def test_a_bound_word_bounds_the_dose(word: str, bound: str) -> None:
    [dose] = find_doses(f"intravenous administration of {word} 2 x 10^6 cells/kg")
    assert dose.bound == bound


@pytest.mark.parametrize("word", v.CELL_FREE_WORDS)
def test_a_cell_free_word_names_a_cell_free_product(word: str) -> None:
    assert cell_free_product(f"Umbilical cord MSC {word} for inhalation") is not None


@pytest.mark.parametrize("word", v.PLACEBO_WORDS)
def test_a_placebo_word_names_a_placebo(word: str) -> None:
    assert mentions_placebo(f"Intravenous infusion of {word} of the product")


OPTIONAL_EXAMPLES = [  # (NCT, a registry sentence with a conditional dose)
    ("NCT04549285", "Doses will be given on days 1, 2, 3, and a fourth, optional dose may be given on day 7"),
    ("NCT01803347", "If needed a second dose of 100 million ASCs plus fibrin glue will be applied then."),
    ("NCT02150551", "weekly for 4 consecutive weeks, with the option of an additional 4 weeks of treatment, at the "
                    "discretion of the principal investigator."),
    ("NCT04519684", "Possible repeat injection at 3 months if not completely healed."),
    ("NCT04444271", "2x10^6 cells/kg MSCs on days 1 and day 7 (if needed) in addition to standard care"),
]


@pytest.mark.parametrize("nct, sentence", OPTIONAL_EXAMPLES)
def test_a_conditional_dose_is_found(nct: str, sentence: str) -> None:
    assert find_optional(sentence), nct
