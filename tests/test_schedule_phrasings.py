"""The schedule grammar on real registry sentences: each row quotes a ClinicalTrials.gov record (its NCT number
is the row's id) with the administrations, interval (days) and administration days (first = day 0) an analyst
reads in it. A month counts 30 days, and four weeks where a count is worked out from a span and a weekly
interval. Expected values were written by reading, not by running the library.
`SCHEDULE_CASES` also feeds the loader benchmark's generated records.
"""

import pytest

from trialdata.grammar.schedules import find_optional, find_schedule, find_schedules

SCHEDULE_CASES = [
    # --- single administrations -----------------------------------------------------------------------------------
    pytest.param("300 million cells will be infused one time through a peripheral vein", 1, None, (0,),
                 id="NCT00476060-one-time"),
    pytest.param("A single, intravenous infusion of hCT-MSCs.", 1, None, (0,), id="NCT04484077-single-infusion"),
    pytest.param("once intracavernous injection of 15,000,000 Human Umbilical Cord Mesenchymal Stem Cells", 1, None,
                 (0,), id="NCT02579148-once-injection"),
    pytest.param("The low dose level involves a single intravenous infusion of γMSCs at 2x106 cells/kg.", 1, None,
                 (0,), id="NCT05035862-single-intravenous-infusion"),
    # --- counts with an interval ----------------------------------------------------------------------------------
    pytest.param("by peripheral vein(5×106/Kg, once a week, 4 times).", 4, 7, (0, 7, 14, 21),
                 id="NCT01322906-once-a-week-4-times"),
    pytest.param("(4x107/40ml, once per three months, four times in one year)", 4, 90, (0, 90, 180, 270),
                 id="NCT01573923-once-per-three-months"),
    pytest.param("Human umbilical cord MSCs are transplanted by intravenous injection(5×10^5/kg) ，once a day,a total "
                 "of three times.", 3, 1, (0, 1, 2), id="NCT02444858-once-a-day-total-of-three"),
    pytest.param("Intra-articular injection of normal saline was performed once every 1 week for a total of 3 times.",
                 3, 7, (0, 7, 14), id="NCT05000593-once-every-1-week"),
    pytest.param("Subjects in the M100 cohort will receive three injections of 100 million AMSCs at one-month "
                 "intervals.", 3, 30, (0, 30, 60), id="NCT02805855-one-month-intervals"),
    pytest.param("Dose level 1: 5.0 x 10^7 cells /body 3 repeated intravenous injection at 4 week intervals", 3, 28,
                 (0, 28, 56), id="NCT03618784-repeated-at-4-week-intervals"),
    pytest.param("2 intravenous infusions of suspension of 200 000 000 MSCs each at interval of 7 days.", 2, 7,
                 (0, 7), id="NCT02594839-interval-of-7-days"),
    pytest.param("Number of doses: 3 doses 2 weeks apart for each kidney.", 3, 14, (0, 14, 28),
                 id="NCT03288571-weeks-apart"),
    pytest.param("1.0*10E6 UC-MSC/kg body weight intravenously three times at 3-week intervals", 3, 21, (0, 21, 42),
                 id="NCT03945487-three-times-at-3-week-intervals"),
    pytest.param("3.0 x 106 cells/kg, IV, Total of 3 doses every 2weeks", 3, 14, (0, 14, 28),
                 id="NCT04520022-every-2weeks-no-space"),
    pytest.param("Dosage: 2 x 10^6 cells/kgBW, twice, with three months interval", 2, 90, (0, 90),
                 id="NCT04501341-twice-months-interval"),
    # a count worked out from an interval and a span: a month of weekly doses is four
    pytest.param("Received conventional treatment and NK cells once per two-week for the first two-month, at a dose "
                 "of 5×10E9 NK cells.", 4, 14, (0, 14, 28, 42), id="NCT02399735-once-per-two-week-two-month"),
    pytest.param("Received conventional treatment and NK cells once per two-week for the first four-month, at a dose "
                 "of 1×10E10 NK cells.", 8, 14, (0, 14, 28, 42, 56, 70, 84, 98),
                 id="NCT02399735-once-per-two-week-four-month"),
    pytest.param("In this phase II trial, patients will be treated at doses of 1 x 10^6 CMVpp65-CTL/kg/dose/week for 3 "
                 "weeks.", 3, 7, (0, 7, 14), id="NCT02136797-per-dose-per-week"),
    # phases of one course summed up by a total: the total, the days uneven and not listed
    pytest.param("MSC 2×1,000,000 MSC/kg, IV twice a week for the first two weeks and weekly for the following two "
                 "weeks(6 doses totally)", 6, None, (), id="NCT00972660-phases-doses-totally"),
    pytest.param("Vigil™ 1 x 10e7 cells via intradermal injection on Day 1, 15, 29, 43 and then every 3 weeks "
                 "thereafter for a minimum of 4 administrations and a maximum of 9 administrations", 9, None,
                 (0, 14, 28, 42, 63, 84, 105, 126, 147), id="NCT02574533-listed-days-then-every-3-weeks-to-a-maximum"),
    pytest.param("Received conventional treatment and huc-MSCs once per week for the first month and once per month "
                 "for 6 months(9 times in total), at a dose of 1×106 huc-MSCs/kg body weight.", 9, None, (),
                 id="NCT02223897-phases-times-in-total"),
    # a later phase counted as more of the same course: the sum, the days not listed
    pytest.param("Each patient will receive an injection of DCs at his/her assigned dose once every 2 weeks during the "
                 "first 8 weeks, followed by injections every 4 weeks for an additional 10 vaccinations.", 14, None,
                 (), id="NCT01171469-every-2-weeks-then-an-additional-10"),
    pytest.param("Patients in the study group will receive two infusions of MSC per week during two weeks and 1 more "
                 "MSC infusion (2 + 2 + 1 scheme).", 5, None, (), id="NCT02770430-two-per-week-and-1-more"),
    pytest.param("Each time 10 billion cells, 4 times in all,i.v.", 4, None, (), id="NCT02843061-times-in-all"),
    pytest.param("The first agent MSC injection, began two weeks after ATG application; Each patient was injected "
                 "three times, one time per week;", 3, 7, (0, 7, 14), id="NCT02218437-one-time-per-week"),
    pytest.param("Patients will receive 3 or more cycles of the CAR-T cells treatment via intra-tumor injection or "
                 "vein, from 1x10e6/kg-10x10e6/kg weight.", 3, None, (), id="NCT03198052-3-or-more-cycles"),
    pytest.param("Participants receive intervention treatment of 5 million cells / cm2 repeat dose administration @ 4 "
                 "weeks", 2, 28, (0, 28), id="NCT01564407-repeat-dose-at-4-weeks"),
    pytest.param("5 million cells/cm² , single administration at Day 0 , repeat administration of this dose @ week 4",
                 2, 28, (0, 28), id="NCT01564407-a-single-administration-then-its-repeat"),
    pytest.param("Armed ATC infusions will begin 3 weeks after chemotherapy and subsequent doses will be administered "
                 "once weekly, for 3 weeks, then 12 weeks post aATC#1.", 4, None, (0, 7, 14, 84),
                 id="NCT01420874-weekly-then-12-weeks-post"),
    pytest.param("combination of ANKL and doublet chemotherapy as 3rd and 4th course in patients who get stable "
                 "response after initial x2 courses", 2, None, (), id="NCT02370017-a-times-sign-count-after-patients"),
    pytest.param("MSC (1.5-2 cells/kg BW) IV injection, twice at 4 weeks apart", 2, 28, (0, 28),
                 id="NCT01540292-twice-weeks-apart"),
    pytest.param("Participants will receive MC0518 1-2 million cells/ kilogram infusions once a week for 4 "
                 "weeks.", 4, 7,
                 (0, 7, 14, 21), id="NCT04629833-weekly-for-4-weeks"),
    pytest.param("A fixed dose will be studied: 1 x 106 cells/kg administered intravenously (IV) weekly for 4 "
                 "consecutive weeks", 4, 7, (0, 7, 14, 21), id="NCT02150551-weekly-consecutive-weeks"),
    pytest.param("The interval time is 3 months, and the study lasts for 12 months with 4 times infusion.", 4, 90,
                 (0, 90, 180, 270), id="NCT01547091-interval-time"),
    # --- lists of days --------------------------------------------------------------------------------------------
    pytest.param("aNK will be given via IV infusion at a dose of 2 x 10^9 cells/m^2 on two consecutive days (= 1 "
                 "cycle) every 2 weeks.", None, 14, (), id="NCT02465957-one-cycle-every-2-weeks-is-a-frequency"),
    pytest.param("Cells are returned to the study doctor for installation into the subject every 2 weeks for 3 months.",
                 6, 14, (0, 14, 28, 42, 56, 70), id="NCT02107118-every-2-weeks-for-3-months"),
    pytest.param("HB-adMSC infusions will occur at day 0, 3, 7, and 10.", 4, None, (0, 3, 7, 10),
                 id="NCT04362189-day-list"),
    pytest.param("Allogenic Mesenchymal stem cells of 2 x 106/kg administered on days 1, 4, 11 and 18", 4, None,
                 (0, 3, 10, 17), id="NCT02857010-days-list"),
    pytest.param("IV infusion on two occasions (Day 0 and Day 7)", 2, 7, (0, 7), id="NCT02923375-day-0-and-day-7"),
    pytest.param("CB-AC-02, 2.0 x 10^8 cells on day 0 and on week 4 (repeated injection)", 2, 28, (0, 28),
                 id="NCT02899091-day-and-week"),
    pytest.param("3 does of UC-MSCs(6.0×10E7cells per time) intravenously at week 0, week 4, week 8.", 3, 28,
                 (0, 28, 56), id="NCT05121870-week-list"),
    pytest.param("The hUC-MSCs were injected intravenously on the 1, 4, 7 and 10 days after patients recruitment.",
                 4, 3, (0, 3, 6, 9), id="NCT04822922-numbers-then-days"),
    pytest.param("Then investigators proceed the therapy in the 1st, 8th and 15th day.", 3, 7, (0, 7, 14),
                 id="NCT05442437-ordinal-days"),
    # --- counts without days ---------------------------------------------------------------------------------------
    pytest.param("3 doses of 5 million MSC will be administered", 3, None, (), id="NCT02443961-n-doses"),
    pytest.param("Participants in the hMSC treatment group will receive a total of 4 doses of the hMSC intervention.",
                 4, None, (), id="NCT04040348-total-of-n-doses"),
    pytest.param("Patients who will receive Autologous Mesenchymal Stem Cells from Bone marrow by Intrathecal "
                 "injection of stem cells that will be performed 3 times.", 3, None, (), id="NCT02981576-n-times"),
    pytest.param("Psoriasis Vulgaris patients will receive 6 times UC-MSCs infusions (each time 1×10^6/kg).", 6, None,
                 (), id="NCT02491658-n-times-infusions"),
    pytest.param("6 weekly HER-2 pulsed dendritic cell vaccines will be administered to subjects in each of the 3 "
                 "arms.", 6, 7, (0, 7, 14, 21, 28, 35), id="NCT02061332-five-words-before-the-noun"),
    pytest.param("Patients enrolled in dose level 9 will receive two cell doses, 2 hours apart.", 2, None, (),
                 id="NCT01454596-a-level-number-before-a-count"),
    pytest.param("The second transplantation: the same amount of cells are again transplanted approximately 1 weeks "
                 "after initial boosting.", 2, None, (), id="NCT01468064-a-heading-naming-the-second"),
    pytest.param("Dosage: 50,000,000 cells/10ml, 2-time injection", 2, None, (), id="NCT02477540-hyphenated-count"),
    pytest.param("This is the active investigational intervention, administered intravenously at surgery and day 4 "
                 "post-transplant", 2, 4, (0, 4), id="NCT03478215-at-surgery-and-day-4"),
    pytest.param("In the MSCs injection group, 1×10^6/kg human umbilical cord-derived mesenchymal stem cells were "
                 "intravenously injected to the patient immediately after the surgery and at day 3 after the surgery.",
                 2, 3, (0, 3), id="NCT04996966-after-surgery-and-at-day-3"),
    pytest.param("intrauterine injection with umbilical cord mesenchymal stem cell (SCLnow 19#); one time/one "
                 "menstrual cycle, total 2 times", 2, None, (), id="NCT03386708-the-total-wins-over-once-a-cycle"),
    pytest.param("Treatment group receive AstroStem(Autologous adipose tissue derived mesenchymal stem cells, AdMSCs) "
                 "every 4 weeks from Week 0 to Week 36.", 10, 28, tuple(range(0, 253, 28)),
                 id="NCT04482413-from-week-to-week-both-ends"),
]


@pytest.mark.parametrize("text, administrations, interval, days", SCHEDULE_CASES)
def test_schedule_phrasing(text: str, administrations: int | None, interval: float | None,
                           days: tuple[float, ...]) -> None:
    schedule = find_schedule(text)
    assert schedule is not None, text
    assert schedule.administrations == administrations
    assert schedule.interval_days == (pytest.approx(interval) if interval is not None else None)
    assert schedule.days == tuple(float(d) for d in days)
    assert text[schedule.start:schedule.end] == schedule.text


NOT_SCHEDULES = [
    # Numbers beside administration nouns that count something else.
    pytest.param("Generated clinical-grade MSC 10 mg chlorpheniramine Po.;100 mg hydrocortisone iv.;10 mg "
                 "metoclopramide im.;30 min before administration of the cells .", id="NCT02249676-minutes-before"),
    pytest.param("Dose level 1. 3 subjects will receive OSSM-001 at 2M cells/kg and followed for 28 days post dose to "
                 "observe for DLT.", id="NCT05443464-days-post-dose"),
    pytest.param("This is a Phase 1 dose escalation clinical trial that constitutes 3 dose cohorts with 3 participants "
                 "per cohort", id="NCT02421484-dose-cohorts"),
    pytest.param("Patients are enrolled into one of three escalating dose panels based on the time of enrolment.",
                 id="NCT04255147-dose-panels"),
    pytest.param("The safety and efficacy assessments are conducted through visits at week 4, week 12, and week 24 "
                 "after administration.", id="NCT04661644-follow-up-visits"),
    pytest.param("There are 8 times of follow-up visit for these patients, 4 times of those are proceeded during the "
                 "hospitalization, while other 4 times happens after the discharge.", id="NCT05442437-visit-times"),
    pytest.param("Three cycles of HRT following MSC transplantation;", id="NCT03166189-cycles-of-another-therapy"),
    pytest.param("Umbilical cord derived mesenchymal stem cells at a dose of 100-300 million by intravenous infusion.",
                 id="NCT03055078-a-range-is-not-a-count"),
    pytest.param("In this Phase I study, cells administered will be delivered in 6-10 intramyocardial injections that "
                 "will be tested in 20 patients and 10 patients will be controls with a total of 30 HLHS patients.",
                 id="NCT02398604-a-total-of-patients"),
    pytest.param("After the last dose of chemotherapy, participants will receive the anti-MAGE-A3/12 cells as an "
                 "infusion for 20 to 30 minutes, followed by a dose of interleukin-2",
                 id="NCT01273181-a-number-in-a-name"),
    pytest.param("Regulatory T cells selected by a sequential 2 step procedure:", id="NCT02385019-selection-steps"),
    pytest.param("We have planned to start with the safety and biological/mechanistic study in 6 living-related kidney "
                 "transplant recipients.", id="NCT00752479-transplant-recipients"),
    pytest.param("Patients will be followed for a total of 12 months post initial injection.",
                 id="NCT04791878-a-total-of-months"),
    pytest.param("In stage 1, patients will receive one of three doses of CNDO-109-AANK cells, and the lowest of these "
                 "three doses (dose 1) is 3×10^5 cells/kg recipient body weight.", id="NCT01520558-one-of-three-doses"),
    pytest.param("After protocol approval by the Research Ethics Committee, a total of 20 consecutive participants in "
                 "need of maxillary reconstruction", id="NCT04998058-a-total-of-participants"),
    pytest.param("Patients in the control group 3 received autologous osteochondral transplantation",
                 id="NCT04953572-a-group-number-before-a-verb"),
    pytest.param("This is a Phase I, open-label, single centre, non-randomized dose-escalation evaluation of the "
                 "safety and feasibility of MSC treatment for subjects diagnosed with IPF.",
                 id="NCT01385644-a-single-centre-is-no-single-dose"),
    pytest.param("On Day -2 or Day -1, you will receive NK cells by vein over 30 minutes",
                 id="NCT01904136-days-or-days-is-a-window"),
    pytest.param("Treatment involves two non-invasive surgical procedures with low morbidity: obtaining bone marrow "
                 "under local anesthesia and sedation, and 4 weeks later, articular injection of the cell product (20 "
                 "millions MSVs).", id="NCT01183728-the-harvest-is-one-of-the-procedures"),
    pytest.param("Cy/Flu on Days -4 to -2 and then 4 x 10^7 cells/m^2 on Day 0, Day 1 or Day 2",
                 id="NCT02065362-a-window-of-three-days"),
    pytest.param("If a level with 2 or more DLTs in 3-6 patients has been identified, three additional patients will "
                 "be accrued at the next-lowest dose, for a total of 6, in order to further characterize the safety of "
                 "the maximum tolerated dose prior to starting the phase II portion.",
                 id="NCT01218867-a-total-of-patients"),
]


@pytest.mark.parametrize("text", NOT_SCHEDULES)
def test_numbers_that_count_something_else_are_no_schedule(text: str) -> None:
    assert [s for s in find_schedules(text) if s.administrations] == []


OPTIONAL_CASES = [
    # (sentence, administrations stated, optional administrations)
    pytest.param("Doses will be given on days 1, 2, 3, and a fourth, optional dose may be given on day 7 at the "
                 "discretion of the investigator and the treating physician.", 3, 1, id="NCT04549285-optional-fourth"),
    pytest.param("Each patient in Experimental arm will be given mesenchymal stem cells at dose 2x10^6 cells/kg MSCs "
                 "on days 1 and day 7 (if needed) in addition to standard care", 1, 1, id="NCT04444271-if-needed"),
    pytest.param("1 x 106 cells/kg administered intravenously (IV) weekly for 4 consecutive weeks, with the option of "
                 "an additional 4 weeks of treatment, at the discretion of the principal investigator.", 4, 4,
                 id="NCT02150551-option-of-additional-weeks"),
    pytest.param("Single dose of 1-3x10^7 lentiviral transduced huCART-meso cells via IV infusion on Day 0 ... This "
                 "initial infusion of huCART-meso cells may be followed by up to two (2) additional IV infusions of "
                 "huCART-meso cells at the same dose level", 1, 2, id="NCT03054298-may-be-followed-by"),
]


@pytest.mark.parametrize("text, stated, extra", OPTIONAL_CASES)
def test_optional_doses_are_counted_apart(text: str, stated: int, extra: int) -> None:
    """Convention 2.5: optional and conditional doses are not counted; how many they add is kept for the flag."""
    schedule = find_schedule(text)
    assert schedule is not None and schedule.administrations == stated
    assert [o.extra for o in find_optional(text)] == [extra]


def test_a_condition_on_something_else_is_no_optional_dose() -> None:
    text = "If no DLT occurs, the dose trial group will need to enroll three more subjects."  # NCT06740149
    assert find_optional(text) == []


def test_at_least_so_many_doses_is_a_minimum_count() -> None:
    # NCT01764100's intervention
    [schedule] = find_schedules("Mesenchymal stromal cells (MSC) intravenous infusion at least two fixed doses of "
                                "mesenchymal stem cells (1 ± 0.5 x 106/kg recipient body weight for each injection)")
    assert (schedule.administrations, schedule.count_bound) == (2, "at least")


def test_cycles_are_counted_apart_from_the_administrations_of_each() -> None:
    """NCT02215837: "for 3 cycles, each cycle received four infusions on day 14, 16, 30 and 32": the days and the
    four infusions are of each cycle, the three cycles a count of their own (which the reading multiplies)."""
    text = ("8×10^9 autologous tumor lysate pulsed D-CIK cells for each infusion, IV (in the vein) for 3 cycles, "
            "each cycle received four infusions on day 14, 16, 30 and 32.")
    assert [(s.administrations, s.noun, s.days) for s in find_schedules(text)] == [
        (3, "cycles", ()), (4, "", (0.0, 2.0, 16.0, 18.0))]


def test_a_count_written_before_a_times_sign_counts_the_vaccinations() -> None:
    """NCT03395587: "vaccination with autologous, tumor lysate-loaded, mature dendritic cells (DC) (7x, 2 - 10 x 106
    DC each, intradermal injection, weekly wk11-14, wk17, 21, 25)": seven vaccinations; "x 106" stays a power."""
    text = ("vaccination with autologous, tumor lysate-loaded, mature dendritic cells (DC) (7x, 2 - 10 x 106 DC each, "
            "intradermal injection, weekly wk11-14, wk17, 21, 25)")
    assert find_schedules(text)[0].administrations == 7
