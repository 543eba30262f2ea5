"""Validation of the models: values no record can mean are refused with a message saying why."""

import math

import pytest
from pydantic import ValidationError

from trialdata.models import Arm, Dose, Regimen, Source, Trial

SOURCE = Source(text="1.0×10^6 cells/kg once a week for a total of 4 times.", location="arm paragraph 1")


def dose(value=1e6, unit="cells/kg", **extra):
    return Dose(value=value, unit=unit, source=SOURCE, **extra)


# --- Dose --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1e6, -1.0, 0.0, -0.0, math.nan, math.inf, -math.inf])
def test_dose_must_be_a_positive_finite_number(value):
    with pytest.raises(ValidationError) as error:
        dose(value)
    assert "a cell dose must be a positive number" in str(error.value)
    assert "value=" in str(error.value)


@pytest.mark.parametrize(("low", "high"), [(-1.0, 2e6), (0.0, 2e6), (1e6, math.inf), (math.nan, 2e6)])
def test_dose_range_ends_must_be_positive_finite_numbers(low, high):
    with pytest.raises(ValidationError) as error:
        dose(1.5e6, low=low, high=high)
    assert "a cell dose must be a positive number" in str(error.value)


@pytest.mark.parametrize(("value", "low", "high"), [(3e6, 1e6, 2e6), (5e5, 1e6, 2e6), (1e6, 2e6, 1e6)])
def test_dose_value_outside_its_range_is_refused(value, low, high):
    with pytest.raises(ValidationError) as error:
        dose(value, low=low, high=high)
    assert "lies outside its range" in str(error.value)


@pytest.mark.parametrize("ends", [{"low": 1e6}, {"high": 2e6}])
def test_dose_range_needs_both_ends(ends):
    with pytest.raises(ValidationError) as error:
        dose(1.5e6, **ends)
    assert "needs both a low and a high end" in str(error.value)


def test_dose_unit_must_be_cells_or_cells_per_kg():
    with pytest.raises(ValidationError) as error:
        dose(1e6, unit="mg")
    assert "cells/kg" in str(error.value)


def test_valid_doses_construct():
    single = dose(2e6)
    assert single.value == 2e6 and single.unit == "cells/kg" and not single.is_range
    ranged = dose(1.5e8, unit="cells", low=1e8, high=2e8)
    assert ranged.is_range and ranged.low == 1e8 and ranged.high == 2e8
    edge = dose(1e6, low=1e6, high=2e6)  # a value on the end of its range is inside it
    assert edge.value == 1e6


def test_models_are_frozen():
    single = dose(2e6)
    with pytest.raises(ValidationError):
        single.value = 3e6  # type: ignore[misc]
    assert single.value == 2e6


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as error:
        Dose(value=1e6, unit="cells/kg", source=SOURCE, volume="40 mL")
    assert "volume" in str(error.value)


# --- Regimen -----------------------------------------------------------------------------------


def test_zero_administrations_with_a_dose_is_refused():
    with pytest.raises(ValidationError) as error:
        Regimen(dose=dose(), administrations=0)
    assert "needs at least one administration, got 0" in str(error.value)


def test_negative_administrations_are_refused():
    with pytest.raises(ValidationError) as error:
        Regimen(administrations=-1)
    assert "administrations" in str(error.value)
    assert "greater than or equal to 0" in str(error.value)


@pytest.mark.parametrize("interval", [0.0, -7.0])
def test_interval_must_be_positive(interval):
    with pytest.raises(ValidationError) as error:
        Regimen(administrations=2, interval_days=interval, administration_days=(0.0, 7.0))
    assert "interval_days" in str(error.value)
    assert "greater than 0" in str(error.value)


def test_unsorted_days_are_refused():
    with pytest.raises(ValidationError) as error:
        Regimen(dose=dose(), administrations=3, administration_days=(0.0, 14.0, 7.0))
    assert "must be sorted and start at day 0" in str(error.value)
    assert "[0.0, 14.0, 7.0]" in str(error.value)


def test_days_not_starting_at_zero_are_refused():
    with pytest.raises(ValidationError) as error:
        Regimen(dose=dose(), administrations=3, administration_days=(1.0, 8.0, 15.0))
    assert "must be sorted and start at day 0" in str(error.value)


@pytest.mark.parametrize("day", [-7.0, math.nan, math.inf])
def test_negative_or_non_finite_days_are_refused(day):
    with pytest.raises(ValidationError) as error:
        Regimen(administrations=2, administration_days=(0.0, day))
    assert "must be finite and not negative" in str(error.value)


@pytest.mark.parametrize(("count", "days"), [(4, (0.0, 7.0, 14.0)), (2, (0.0, 7.0, 14.0)), (1, (0.0, 7.0))])
def test_days_count_must_match_administrations(count, days):
    with pytest.raises(ValidationError) as error:
        Regimen(dose=dose(), administrations=count, administration_days=days)
    assert f"{len(days)} administration days listed for {count} administrations" in str(error.value)


def test_valid_regimens_and_cumulative_dose():
    weekly = Regimen(dose=dose(1e6), administrations=4, interval_days=7.0,
                     administration_days=(0.0, 7.0, 14.0, 21.0), route="intravenous", phase="Phase 2")
    assert weekly.cumulative_dose == 4e6
    single = Regimen(dose=dose(1.5e8, unit="cells"), administrations=1, administration_days=(0.0,))
    assert single.cumulative_dose == 1.5e8
    ranged = Regimen(dose=dose(1.5e6, low=1e6, high=2e6), administrations=3)
    assert ranged.cumulative_dose == pytest.approx(4.5e6)  # the midpoint times the count


def test_cumulative_dose_is_unknown_without_dose_or_count():
    assert Regimen(dose=dose(1e6)).cumulative_dose is None
    assert Regimen(administrations=4, interval_days=7.0).cumulative_dose is None
    assert Regimen().cumulative_dose is None
    # A placebo regimen may say it has no administrations without a dose.
    assert Regimen(administrations=0).cumulative_dose is None


def test_days_may_be_listed_without_a_count():
    regimen = Regimen(administration_days=(0.0, 3.0, 10.0))
    assert regimen.administration_days == (0.0, 3.0, 10.0)
    assert regimen.administrations is None


# --- Trial and arm -----------------------------------------------------------------------------


def test_trial_enrollment_and_sites_cannot_be_negative():
    with pytest.raises(ValidationError) as error:
        Trial(trial_id="NCT00000000", enrollment=-5)
    assert "enrollment" in str(error.value)
    with pytest.raises(ValidationError) as error:
        Trial(trial_id="NCT00000000", sites=-1)
    assert "sites" in str(error.value)


def test_arm_holds_its_regimens():
    regimen = Regimen(dose=dose(2e6), administrations=1, administration_days=(0.0,))
    arm = Arm(label="High dose", label_from_record=True, type="EXPERIMENTAL", type_from_record=True,
              cellular=True, regimens=(regimen,))
    trial = Trial(trial_id="NCT00000000", arms=(arm,))
    assert trial.arms[0].regimens[0].cumulative_dose == 2e6
