"""Table-driven tests for trialdata.schedule.find_schedule.

Each row is a schedule phrasing as written in registry free text
(ClinicalTrials.gov arm / intervention descriptions for MSC, CAR-T, cord-blood,
islet... trials) with the expected administrations, interval (days) and
administration days (first dose = day 0). A month counts as 30 days.
"""

import pytest

from trialdata.schedule import find_schedule


def _num_eq(actual, expected):
    if expected is None:
        return actual is None
    return actual is not None and actual == pytest.approx(expected, rel=1e-9)


def _days_eq(actual, expected):
    return (
        isinstance(actual, tuple)
        and len(actual) == len(expected)
        and all(_num_eq(a, e) for a, e in zip(actual, expected))
    )


SCHEDULE_CASES = [
    # --- single administration ------------------------------------------------
    # US MSC phase 1 arm
    pytest.param(
        "Patients will receive a single intravenous infusion of 2×10^6 MSCs/kg.",
        1, None, (0,),
        id="single-infusion",
    ),
    # CAR-T arm: single dose on Day 0
    pytest.param(
        "A single dose of autologous CAR-T cells will be administered on Day 0.",
        1, None, (0,),
        id="single-dose-day0",
    ),
    # knee OA intra-articular
    pytest.param(
        "One single intra-articular injection of 50 million ADSCs into the index knee.",
        1, None, (0,),
        id="single-injection",
    ),
    # "one-time" (US sponsor wording)
    pytest.param(
        "Participants receive a one-time intravenous infusion of 1.5×10^8 hUC-MSCs.",
        1, None, (0,),
        id="one-time",
    ),
    # NCT06740149 phase I wording plus observation window
    pytest.param(
        "The first subject will be infused with single dose CG-BM1 and then observed for "
        "at least 28 days.",
        1, None, (0,),
        id="single-dose-then-observed",
    ),
    # --- weekly ×4 family --------------------------------------------------------
    # ChiCTR/CT.gov Chinese sponsor wording
    pytest.param(
        "hUC-MSCs 1×10^6 cells/kg, intravenous infusion, once a week for a total of 4 times.",
        4, 7, (0, 7, 14, 21),
        id="once-a-week-total-4-times",
    ),
    # NCT06740149: "for a total of 4 administrations"
    pytest.param(
        "Administration procedure of CG-BM1 is 1.0×10\\^6 cells/kg CG-BM1 once a week for a "
        "total of 4 administrations.",
        4, 7, (0, 7, 14, 21),
        id="total-4-administrations",
    ),
    # NCT06740149: "for a total of 4 doses"
    pytest.param(
        "Administered intravenously, once a week for a total of 4 doses.",
        4, 7, (0, 7, 14, 21),
        id="total-4-doses",
    ),
    # US academic wording
    pytest.param(
        "MSCs will be given IV weekly for 4 doses.",
        4, 7, (0, 7, 14, 21),
        id="weekly-for-4-doses",
    ),
    # terse comma style
    pytest.param(
        "Infusion of MSC once a week, 4 times.",
        4, 7, (0, 7, 14, 21),
        id="once-a-week-comma-4-times",
    ),
    # oncology-style shorthand with × sign
    pytest.param(
        "Allogeneic MSC 2×10^6 cells/kg IV weekly ×4",
        4, 7, (0, 7, 14, 21),
        id="weekly-times-sign-4",
    ),
    # shorthand with capital X and spaces
    pytest.param(
        "MSC IV infusion Weekly X 4",
        4, 7, (0, 7, 14, 21),
        id="weekly-X-space-4",
    ),
    # "once weekly for 4 weeks"
    pytest.param(
        "Cells are administered once weekly for 4 weeks.",
        4, 7, (0, 7, 14, 21),
        id="once-weekly-for-4-weeks",
    ),
    # "consecutive weeks"
    pytest.param(
        "MSCs were infused once a week for 4 consecutive weeks.",
        4, 7, (0, 7, 14, 21),
        id="4-consecutive-weeks",
    ),
    # odd spacing around the comma (copy-pasted Chinese text)
    pytest.param(
        "hUC-MSC infusion once a week ,for a total of 4 times",
        4, 7, (0, 7, 14, 21),
        id="odd-comma-spacing",
    ),
    # --- other every-N / N-times forms ------------------------------------------
    pytest.param(
        # Chinese sponsor, every 3 days
        "Intravenous infusion every 3 days, 3 times in total.",
        3, 3, (0, 3, 6),
        id="every-3-days-3-times",
    ),
    pytest.param(
        # Chinese sponsor, "Administration once every ..."
        "Administration once every 3 days for a total of 3 times.",
        3, 3, (0, 3, 6),
        id="once-every-3-days-total-3",
    ),
    pytest.param(
        # daily ×3, number spelled out
        "hUC-MSCs were infused once a day, a total of three times.",
        3, 1, (0, 1, 2),
        id="once-a-day-total-three",
    ),
    pytest.param(
        # quarterly for a year (month = 30 days)
        "Stem cells are transplanted once per three months, four times in one year.",
        4, 90, (0, 90, 180, 270),
        id="once-per-three-months",
    ),
    pytest.param(
        # monthly
        "Intrathecal MSC injection once a month for 3 consecutive months.",
        3, 30, (0, 30, 60),
        id="once-a-month-3-months",
    ),
    pytest.param(
        # "twice at a N-week interval"
        "Participants receive MSCs twice at a 4-week interval.",
        2, 28, (0, 28),
        id="twice-4-week-interval",
    ),
    pytest.param(
        # "N times at M-week intervals"
        "Cells will be administered three times at 2-week intervals.",
        3, 14, (0, 14, 28),
        id="three-times-2-week-intervals",
    ),
    pytest.param(
        # "every 2 weeks for 3 doses"
        "MSC infusion every 2 weeks for 3 doses.",
        3, 14, (0, 14, 28),
        id="every-2-weeks-3-doses",
    ),
    pytest.param(
        # every 4 weeks = 28 days
        "Remestemcel-L every 4 weeks for a total of 3 infusions.",
        3, 28, (0, 28, 56),
        id="every-4-weeks-3-infusions",
    ),
    pytest.param(
        # "apart"
        "Patients receive two infusions 4 weeks apart.",
        2, 28, (0, 28),
        id="two-infusions-4-weeks-apart",
    ),
    pytest.param(
        # "apart" with days and "doses"
        "Two doses of 1×10^6 cells/kg given 28 days apart.",
        2, 28, (0, 28),
        id="two-doses-28-days-apart",
    ),
    pytest.param(
        # "N doses given 1 week apart"
        "3 doses given 1 week apart.",
        3, 7, (0, 7, 14),
        id="3-doses-1-week-apart",
    ),
    pytest.param(
        # Chinese sponsor "90-day interval, 2 times"
        "Autologous BM-MNC injection, 90-day interval, 2 times.",
        2, 90, (0, 90),
        id="90-day-interval-2-times",
    ),
    # --- explicit day / week lists ----------------------------------------------
    pytest.param(
        # even list
        "MSCs given intravenously on days 1, 4 and 7.",
        3, 3, (0, 3, 6),
        id="days-1-4-7",
    ),
    pytest.param(
        # uneven list -> no single interval
        "Cells administered on days 1, 8 and 22.",
        3, None, (0, 7, 21),
        id="days-1-8-22-uneven",
    ),
    pytest.param(
        # day 0 based list
        "Intravenous infusion of 1×10^6 cells/kg on days 0, 7, 14 and 21.",
        4, 7, (0, 7, 14, 21),
        id="days-0-7-14-21",
    ),
    pytest.param(
        # "Day 0 and Day 14", capitalised
        "MSC infusions on Day 0 and Day 14.",
        2, 14, (0, 14),
        id="Day-0-and-Day-14",
    ),
    pytest.param(
        # "day 1, day 8 and day 15" (oncology style)
        "Infusion on day 1, day 8 and day 15.",
        3, 7, (0, 7, 14),
        id="day-1-day-8-day-15",
    ),
    pytest.param(
        # week list
        "MSCs infused at week 0, week 1 and week 2.",
        3, 7, (0, 7, 14),
        id="week-0-1-2",
    ),
    pytest.param(
        # week list glued
        "hUC-MSCs were infused at week0, week1 and week2.",
        3, 7, (0, 7, 14),
        id="week0-week1-week2-glued",
    ),
]


@pytest.mark.parametrize("text, administrations, interval_days, days", SCHEDULE_CASES)
def test_find_schedule(text, administrations, interval_days, days):
    got = find_schedule(text)
    assert got is not None, "actual: None"
    actual = (got.administrations, got.interval_days, got.days)
    expected = (administrations, interval_days, days)
    ok = (
        got.administrations == administrations
        and _num_eq(got.interval_days, interval_days)
        and _days_eq(got.days, days)
    )
    assert ok, f"\nactual:   {actual}\nexpected: {expected}\nspan:     {got.text!r}"


NO_SCHEDULE_CASES = [
    # observation window (NCT06740149)
    pytest.param("Patients will be observed for at least 28 days after enrollment.", id="observed-28-days"),
    # infusion duration
    pytest.param("The cell suspension is infused slowly over 30 minutes.", id="infused-over-30-min"),
    # follow-up visit
    pytest.param("Participants will be followed until the week 48 study visit.", id="followed-week-48"),
    # follow-up duration in months
    pytest.param("Patients will be followed for 12 months.", id="followed-12-months"),
    # primary endpoint timepoint
    pytest.param("Primary endpoint: change in FEV1 from baseline to week 24.", id="endpoint-week-24"),
    # infusion rate and volume
    pytest.param("Saline 100 mL IV, infusion rate 2 mL/min.", id="infusion-rate"),
]


@pytest.mark.parametrize("text", NO_SCHEDULE_CASES)
def test_no_schedule(text):
    got = find_schedule(text)
    assert got is None, (
        f"actual: administrations={got.administrations}, interval_days={got.interval_days}, "
        f"days={got.days}, span={got.text!r}"
    )
