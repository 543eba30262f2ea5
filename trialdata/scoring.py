"""How well the library reads real records: its comparison table against a gold standard read by hand.

The gold (`tests/data/gold/gold.csv`, columns in its README) holds, for each arm of each study, the
regimens an expert reads: dose per administration, unit and number of administrations. A regimen is
right when all three agree with one of the library's rows for that arm; the dose alone is scored too,
and the administration days where the gold gives them. Every miss is listed with its trial and arm,
and with whether the library's row for that arm warned the user (a flag), since a wrong number the
product flags is a lesser failure than one it presents as read.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DOSE_TOLERANCE = 1e-3  # relative: 2.0×10^6 and 2.001×10^6 are the same dose; 2.1×10^6 is not
# Flags that are part of every conversion the table makes, not a warning that this number may be wrong.
ROUTINE_FLAG_CODES = frozenset({"dose-converted", "dose-own-unit"})


@dataclass(frozen=True)
class Regimen:
    """One regimen as (dose, unit, count) with the days it is given on, from the gold or the library."""

    dose: float
    unit: str
    count: int | None
    days: tuple[float, ...] = ()

    def describe(self) -> str:
        count = "count unknown" if self.count is None else f"×{self.count}"
        return f"{self.dose:.4g} {self.unit} {count}"


@dataclass
class ArmRegimens:
    """An arm's regimens on one side of the comparison; `flags` only for the library's side."""

    trial_id: str
    arm: str
    regimens: list[Regimen] = field(default_factory=list)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Miss:
    """A gold regimen the library did not give (missed) or a library regimen the gold has not (extra)."""

    trial_id: str
    arm: str
    kind: str  # "missed" or "extra"
    regimen: Regimen
    library: tuple[Regimen, ...]
    gold: tuple[Regimen, ...]
    flags: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return any(code not in ROUTINE_FLAG_CODES for code in self.flags)

    def describe(self) -> str:
        gold = "; ".join(r.describe() for r in self.gold) or "no dose"
        library = "; ".join(r.describe() for r in self.library) or "no dose"
        flags = ", ".join(self.flags) if self.flags else "NO FLAG"
        return f"{self.trial_id} · {self.arm}: {self.kind} {self.regimen.describe()} (gold: {gold}; library: " \
               f"{library}; flags: {flags})"


@dataclass(frozen=True)
class Counts:
    """True positives, and the sizes of both sides, for precision, recall and F1."""

    matched: int
    library: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.library if self.library else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        return (f"{name:10s} precision {self.precision:.3f} ({self.matched}/{self.library})  "
                f"recall {self.recall:.3f} ({self.matched}/{self.gold})  F1 {self.f1:.3f}")


@dataclass
class Score:
    regimens: Counts
    doses: Counts
    days_right: int
    days_total: int
    arms: int
    misses: list[Miss]
    unknown_arms: list[str]  # library arms of gold trials that the gold does not list
    missing_trials: list[str]  # gold trials the library did not load

    @property
    def days_accuracy(self) -> float:
        return self.days_right / self.days_total if self.days_total else 1.0

    @property
    def unflagged(self) -> list[Miss]:
        return [miss for miss in self.misses if not miss.flagged]

    def report(self) -> str:
        lines = [
            f"{self.arms} arms, {self.regimens.gold} gold regimens, {self.regimens.library} library regimens",
            self.regimens.line("regimen"),
            self.doses.line("dose"),
            f"days       accuracy {self.days_accuracy:.3f} ({self.days_right}/{self.days_total} gold regimens "
            "with days)",
            f"misses     {len(self.misses)}, of which without a flag: {len(self.unflagged)}",
        ]
        lines += [f"  trial not loaded: {trial}" for trial in self.missing_trials]
        lines += [f"  arm not in the gold: {arm}" for arm in self.unknown_arms]
        lines += [f"  {miss.describe()}" for miss in self.misses]
        return "\n".join(lines)


def read_gold(path: str | Path) -> list[ArmRegimens]:
    """The gold's arms in file order, each with its regimens (none for an arm without a dose)."""
    arms: dict[tuple[str, str], ArmRegimens] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["trial_id"].strip(), row["arm"].strip())
            arm = arms.setdefault(key, ArmRegimens(*key))
            dose = _gold_dose(row)
            if dose is not None:
                count = int(row["count"]) if row["count"].strip() else None
                days = tuple(float(d) for d in row["days"].split(";")) if row["days"].strip() else ()
                arm.regimens.append(Regimen(dose, row["unit"].strip(), count, days))
    return list(arms.values())


def library_arms(table: pd.DataFrame) -> list[ArmRegimens]:
    """The library's arms from its arms frame or exported table, each with its dosed rows as regimens."""
    arms: dict[tuple[str, str], ArmRegimens] = {}
    codes = "flag_codes" in table.columns
    for row in table.itertuples(index=False):
        key = (str(row.trial_id), str(row.arm))
        arm = arms.setdefault(key, ArmRegimens(*key))
        if codes:
            arm.flags = tuple(dict.fromkeys((*arm.flags, *_codes(row.flag_codes))))
        elif isinstance(getattr(row, "flags", None), str) and row.flags:  # an exported table has messages only
            arm.flags = ("flagged",)
        dose = row.dose_per_administration
        if dose is None or (isinstance(dose, float) and math.isnan(dose)):
            continue
        count = row.administrations
        days = row.administration_days
        if isinstance(days, str):
            days = tuple(float(d) for d in days.split(";") if d)
        arm.regimens.append(Regimen(float(dose), str(row.dose_unit), None if pd.isna(count) else int(count),
                                    tuple(days)))
    return list(arms.values())


def score(gold: Iterable[ArmRegimens], library: Iterable[ArmRegimens]) -> Score:
    """The library's regimens against the gold's, arm by arm, over the trials the gold covers."""
    gold = list(gold)
    trials = {arm.trial_id for arm in gold}
    found = {(arm.trial_id, arm.arm): arm for arm in library if arm.trial_id in trials}
    loaded = {trial for trial, _ in found}
    regimen_counts = [0, 0, 0]
    dose_counts = [0, 0, 0]
    days_right = days_total = 0
    misses: list[Miss] = []
    for expected in gold:
        got = found.pop((expected.trial_id, expected.arm), ArmRegimens(expected.trial_id, expected.arm))
        pairs, missed, extra = _match(expected.regimens, got.regimens, _same_regimen)
        regimen_counts[0] += len(pairs)
        regimen_counts[1] += len(got.regimens)
        regimen_counts[2] += len(expected.regimens)
        dose_pairs, _, _ = _match(expected.regimens, got.regimens, _same_dose)
        dose_counts[0] += len(dose_pairs)
        dose_counts[1] += len(got.regimens)
        dose_counts[2] += len(expected.regimens)
        for gold_regimen in expected.regimens:
            if gold_regimen.days:
                days_total += 1
                library_regimen = next((lib for g, lib in dose_pairs if g is gold_regimen), None)
                days_right += library_regimen is not None and _same_days(gold_regimen.days, library_regimen.days)
        for kind, regimens in (("missed", missed), ("extra", extra)):
            misses.extend(Miss(expected.trial_id, expected.arm, kind, regimen, tuple(got.regimens),
                               tuple(expected.regimens), got.flags) for regimen in regimens)
    unknown = [f"{trial} · {arm}" for trial, arm in found]
    for left in found.values():
        regimen_counts[1] += len(left.regimens)
        dose_counts[1] += len(left.regimens)
        misses.extend(Miss(left.trial_id, left.arm, "extra", regimen, tuple(left.regimens), (), left.flags)
                      for regimen in left.regimens)
    return Score(
        regimens=Counts(*regimen_counts),
        doses=Counts(*dose_counts),
        days_right=days_right,
        days_total=days_total,
        arms=len(gold),
        misses=misses,
        unknown_arms=unknown,
        missing_trials=sorted(trials - loaded),
    )


def _gold_dose(row: dict[str, str]) -> float | None:
    if row["dose"].strip():
        return float(row["dose"])
    if row["dose_low"].strip() and row["dose_high"].strip():
        return (float(row["dose_low"]) + float(row["dose_high"])) / 2
    return None


def _codes(text: object) -> tuple[str, ...]:
    if isinstance(text, str):
        return tuple(code for code in text.split("|") if code)
    return tuple(text) if isinstance(text, tuple | list) else ()


def _match(gold: list[Regimen], library: list[Regimen], same) -> tuple[list[tuple[Regimen, Regimen]],
                                                                       list[Regimen], list[Regimen]]:
    """Pairs of equal regimens, each used once, and what is left on either side."""
    left = list(library)
    pairs = []
    missed = []
    for regimen in gold:
        partner = next((candidate for candidate in left if same(regimen, candidate)), None)
        if partner is None:
            missed.append(regimen)
        else:
            left.remove(partner)
            pairs.append((regimen, partner))
    return pairs, missed, left


def _same_dose(a: Regimen, b: Regimen) -> bool:
    return a.unit == b.unit and abs(a.dose - b.dose) <= DOSE_TOLERANCE * max(a.dose, b.dose)


def _same_regimen(a: Regimen, b: Regimen) -> bool:
    return _same_dose(a, b) and a.count == b.count


def _same_days(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 0.5 for x, y in zip(a, b))
