"""Validated models of a trial and what each arm receives.

Every extracted number carries a `Source`, the exact sentence it was read
from, so the dashboard can show a user where each figure comes from.
Validation rejects values no record can mean (negative doses, zero
administrations with a dose); readers turn those into `RecordError`s.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Per kg of body weight, flat, per m² of body-surface area, per cm² of wound or lesion, islet equivalents.
DoseUnit = Literal["cells/kg", "cells", "cells/m2", "cells/cm2", "IEQ/kg", "IEQ"]
DOSE_UNITS: tuple[str, ...] = DoseUnit.__args__  # type: ignore[attr-defined]
DoseBound = Literal["at most", "at least"]
# More than these is more than a body holds (about 3×10^13 cells; some 10^6 islets in a pancreas), or more cells
# than fit on a square centimetre: a typo, not a dose.
CEILINGS: dict[str, float] = {
    "cells/kg": 1e11, "cells": 1e13, "cells/m2": 1e13, "cells/cm2": 1e9, "IEQ/kg": 1e5, "IEQ": 1e7,
}
MAX_CELLS_PER_KG = CEILINGS["cells/kg"]
MAX_CELLS = CEILINGS["cells"]
ARM_TYPES = (
    "EXPERIMENTAL",
    "ACTIVE_COMPARATOR",
    "PLACEBO_COMPARATOR",
    "SHAM_COMPARATOR",
    "NO_INTERVENTION",
    "OTHER",
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Model):
    """Where a number came from: the quoted sentence and the paragraph that holds it."""

    text: str
    location: str


class Flag(_Model):
    """Something a user must know before trusting a figure: a contradiction, a guess, a gap."""

    code: str
    message: str


class Dose(_Model):
    """Cells given in one administration, per kg of body weight, flat, per m² or cm², or islet equivalents."""

    value: float = Field(description="Cells per administration; the midpoint for a range.")
    unit: DoseUnit
    population: str | None = Field(default=None, description="What is counted when it is a subset of the cells "
                                   "given: 'CAR+ T cells', 'CD34+ cells', 'TNC'.")
    low: float | None = None
    high: float | None = None
    source: Source
    exponent_restored: bool = False
    bound: DoseBound | None = Field(default=None, description="'up to 2x10^6' is at most, 'a minimum of' at least.")

    @model_validator(mode="after")
    def _possible(self) -> Dose:
        for name, number in (("value", self.value), ("low", self.low), ("high", self.high)):
            if number is not None and (not math.isfinite(number) or number <= 0):
                raise ValueError(f"a cell dose must be a positive number, got {name}={number!r}")
        if self.value < 1:
            raise ValueError(f"{self.value:.3g} {self.unit} is less than one cell; it cannot be a dose")
        if max(self.value, self.high or 0) > CEILINGS[self.unit]:
            raise ValueError(f"{max(self.value, self.high or 0):.3g} {self.unit} is more than a human body "
                             "holds; it cannot be a dose")
        if (self.low is None) != (self.high is None):
            raise ValueError("a dose range needs both a low and a high end")
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"dose {self.value:g} lies outside its range {self.low:g}–{self.high:g}")
        return self

    @property
    def is_range(self) -> bool:
        return self.low is not None


class Regimen(_Model):
    """What one arm receives in one phase: dose, how often, by which route."""

    dose: Dose | None = None
    administrations: int | None = Field(default=None, ge=0)
    interval_days: float | None = Field(default=None, gt=0)
    administration_days: tuple[float, ...] = ()
    route: str | None = None
    phase: str | None = None
    applies_to: str | None = Field(default=None, description="Which of the arm's patients this regimen is for, "
                                   "when it has several: a weight band ('> 50 kg'), a cohort or dose level.")
    schedule_source: Source | None = None
    route_source: Source | None = None

    @model_validator(mode="after")
    def _possible(self) -> Regimen:
        if self.dose is not None and self.administrations == 0:
            raise ValueError("a regimen with a dose needs at least one administration, got 0")
        days = self.administration_days
        if days:
            if not all(map(math.isfinite, days)) or min(days) < 0:  # a schedule may list hundreds of days
                raise ValueError(f"administration days must be finite and not negative, got {list(days)}")
            if list(days) != sorted(days) or days[0] != 0:
                raise ValueError(f"administration days must be sorted and start at day 0, got {list(days)}")
            if self.administrations is not None and len(days) != self.administrations:
                raise ValueError(f"{len(days)} administration days listed for {self.administrations} administrations")
        return self

    @property
    def cumulative_dose(self) -> float | None:
        """Total cells (or cells/kg) over the regimen; unknown without both dose and count."""
        if self.dose is None or self.administrations is None:
            return None
        return self.dose.value * self.administrations


class Intervention(_Model):
    """An intervention as the record names and describes it."""

    name: str
    type: str = "OTHER"
    description: str = ""
    route: str | None = None
    arm_labels: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()


class Arm(_Model):
    """One arm of a trial and the regimen(s) its patients receive."""

    label: str
    label_from_record: bool
    type: str
    type_from_record: bool
    description: str = ""
    interventions: tuple[str, ...] = ()
    cellular: bool
    cell_type: str | None = Field(default=None, description="The kind of cell product given: 'CAR-T', 'NK cells', "
                                  "'MSC', 'islets'; None for an arm without cells or when no text names one.")
    regimens: tuple[Regimen, ...] = ()
    flags: tuple[Flag, ...] = ()


class Trial(_Model):
    """A trial with its headline facts and its arms, as read from one or more records."""

    trial_id: str
    title: str = ""
    brief_title: str | None = None
    phases: tuple[str, ...] = ()
    status: str | None = None
    enrollment: int | None = Field(default=None, ge=0)
    sites: int | None = Field(default=None, ge=0)
    conditions: tuple[str, ...] = ()
    summary: str = ""
    sponsor: str | None = None
    start_date: str | None = None
    interventions: tuple[Intervention, ...] = ()
    arms: tuple[Arm, ...] = ()
    flags: tuple[Flag, ...] = ()
    record_files: tuple[str, ...] = ()
