"""Every flag the library raises: its code, how much it matters, and what it is about.

One table, so the CSV's `flags` column, the Sources page, the scorer and the
tests speak of the same things. Severity orders what a user reads first:
a contradiction in the record above a guess the library made, a guess above a
gap, a gap above a routine conversion.
"""

from __future__ import annotations

from enum import IntEnum


class Severity(IntEnum):
    NOTE = 0  # a routine conversion or a reading that changes no number ("a flat dose converted")
    GAP = 1  # the record leaves something out ("no cell number is stated")
    GUESS = 2  # the library chose where the record is unclear ("one administration assumed")
    CONTRADICTION = 3  # the record says two things ("the label says 25 million, the text 50 million")


FLAGS: dict[str, tuple[Severity, str]] = {
    # What the record contradicts.
    "label-contradicts-dose": (Severity.CONTRADICTION, "a 'low/high dose' label against the arm's number"),
    "label-dose-disagreement": (Severity.CONTRADICTION, "a dose in the arm's label against its text"),
    "dose-disagreement": (Severity.CONTRADICTION, "the arm's text against its intervention's, on the dose"),
    "schedule-disagreement": (Severity.CONTRADICTION, "the arm's text against its intervention's, on the schedule"),
    "total-contradiction": (Severity.CONTRADICTION, "a stated total against dose × count"),
    "volume-contradiction": (Severity.CONTRADICTION, "concentration × volume against a stated dose"),
    "phase-contradiction": (Severity.CONTRADICTION, "the record's phases against its arms' regimens"),
    "records-disagree": (Severity.CONTRADICTION, "two records of one trial disagree"),
    "placebo-states-cells": (Severity.CONTRADICTION, "a placebo arm whose text states cells"),
    # What the library had to guess.
    "count-assumed": (Severity.GUESS, "no repeat stated: one administration assumed"),
    "exponent-restored": (Severity.GUESS, "a lost superscript read as a power of ten"),
    "dose-computed": (Severity.GUESS, "a dose computed from a total, a concentration or injections"),
    "per-kg-assumed": (Severity.GUESS, "a unit read as per kg that does not say kg"),
    "unit-from-summary": (Severity.GUESS, "a number written without a unit read in the unit the summary gives it"),
    "unit-from-heading": (Severity.GUESS, "numbers without a unit read in the unit their list's heading names"),
    "dose-from-list": (Severity.GUESS, "one of an intervention's listed doses given to an arm by its label"),
    "other-product": (Severity.GUESS, "a second cell product's dose, read from its intervention"),
    "dose-from-label": (Severity.GUESS, "one of the doses a text shared by arms gives, the one the arm's label names"),
    "linked-by-content": (Severity.GUESS, "an arm linked to interventions by what their texts say"),
    "phase-inferred": (Severity.GUESS, "a regimen's phase inferred from its schedule"),
    "count-from-span": (Severity.GUESS, "a count worked out from an interval and a length of time"),
    "count-is-levels": (Severity.GUESS, "'three doses' read as the arm's three dose levels, not administrations"),
    "dose-from-summary": (Severity.GUESS, "a dose or schedule read from the trial's summary, not the arm"),
    "invisible-character": (Severity.GUESS, "a number broken by an invisible character"),
    # What the record leaves out or makes conditional.
    "no-dose": (Severity.GAP, "no cell number is stated"),
    "concentration-only": (Severity.GAP, "only a concentration is stated, not a dose"),
    "per-site-only": (Severity.GAP, "only a per-injection figure is stated, not the number of injections"),
    "count-open": (Severity.GAP, "the number of administrations is left open"),
    "optional-doses": (Severity.GAP, "optional or conditional doses, not counted"),
    "count-bound": (Severity.GAP, "the count is a maximum"),
    "dose-bound": (Severity.GAP, "the dose is a bound (at most, at least)"),
    "dose-cap": (Severity.GAP, "a cap on a per-kg dose"),
    "dose-range": (Severity.GAP, "the dose is a range; its midpoint is charted"),
    "dose-options": (Severity.GAP, "the arm lists several doses, one row each"),
    "dose-alternatives": (Severity.GAP, "an intervention lists doses without saying which arm gets which"),
    "dose-steps": (Severity.GAP, "the dose changes from one administration to the next"),
    "unit-alternative": (Severity.GAP, "one dose written both flat and per kg; the per-kg figure is used"),
    "dose-target": (Severity.GAP, "a target dose beside the ranges the record also accepts; the target is used"),
    "level-not-used": (Severity.GAP, "a dose level the record marks as not used, left out"),
    "population-limit": (Severity.GAP, "a limit on another cell population of the product, not a dose"),
    "cell-free": (Severity.GAP, "a cell-free product, not cells"),
    "impossible-dose": (Severity.GAP, "a number no cell dose can be, ignored"),
    "impossible-schedule": (Severity.GAP, "a schedule no regimen can have, ignored"),
    "text-truncated": (Severity.GAP, "a text too long to read whole"),
    "arms-cut": (Severity.GAP, "a study listing more arms or interventions than are read"),
    "arms-from-interventions": (Severity.GAP, "no arms described: each intervention shown as an arm"),
    "weight-bands": (Severity.NOTE, "the dose depends on body weight; one row per band"),
    "dose-levels": (Severity.NOTE, "the arm's dose levels or cohorts, one row each"),
    "count-added": (Severity.NOTE, "administrations the record adds to a stated count"),
    "fractionated": (Severity.NOTE, "one dose given in fractions, counted as one administration"),
    "not-utf8": (Severity.NOTE, "a file read in another encoding than UTF-8"),
    "characters-replaced": (Severity.NOTE, "characters no file or spreadsheet can hold, shown as �"),
    "dose-converted": (Severity.NOTE, "a flat or per-m² dose converted to cells/kg at the reference weight and "
                       "body-surface area"),
    "dose-own-unit": (Severity.NOTE, "a dose per cm² or in islet equivalents, charted on an axis of its own"),
}


def severity(code: str) -> Severity:
    """How much a flag matters; a code the table does not know counts as a guess."""
    return FLAGS.get(code, (Severity.GUESS, ""))[0]
