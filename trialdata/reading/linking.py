"""Link arms to interventions by what their texts say, for records that give no links.

The ClinicalIndex layout never names an arm's interventions, and registry JSON
sometimes leaves `interventionNames` and `armGroupLabels` out. An expert then
reads the texts: an arm stating a dose receives the interventions stating the
same dose, a "high dose" arm the "high dose" intervention, a control arm the
intervention that gives no cells.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import NamedTuple

from ..grammar.doses import find_doses
from ..grammar.products import dose_level, mentions_cells, mentions_placebo
from ..models import Intervention

_WORD = re.compile(r"[a-z]{4,}")


class Link(NamedTuple):
    """The interventions an arm is read with, and what in the texts says so ("dose", "dose level", ...)."""

    interventions: tuple[Intervention, ...]
    basis: str


class Linker:
    """Links the arms of one record to its interventions.

    A record's arms are all linked against the same interventions, so what each intervention's text says
    (its doses, dose level, whether it gives cells, its words) is read once per record, not once per arm.
    """

    def __init__(self, interventions: list[Intervention]) -> None:
        self._facts = [_Facts(i) for i in interventions]

    def link(self, arm: str) -> Link:
        """The interventions the arm described by `arm` most likely receives, and on what evidence; no
        interventions when the texts do not tell."""
        facts = self._facts
        arm_doses = _doses(arm)
        if arm_doses:
            shared = tuple(f.intervention for f in facts if arm_doses & f.doses)
            if shared:
                return Link(shared, "dose")
        level = dose_level(arm)
        if level is not None:
            same_level = tuple(f.intervention for f in facts if f.level == level[0])
            if same_level:
                return Link(same_level, "dose level")
        arm_is_cellular = bool(arm_doses) or _is_cellular(arm)
        candidates = [f for f in facts if f.cellular == arm_is_cellular]
        kind = "giving cells" if arm_is_cellular else "giving no cells"
        if len(candidates) <= 1:
            return Link(tuple(f.intervention for f in candidates), kind)
        arm_words = _words(arm)
        best = max(candidates, key=lambda f: len(arm_words & f.words))
        return Link((best.intervention,), f"{kind} and shared words") if arm_words & best.words else Link((), kind)


class _Facts:
    """What one intervention's text says, each fact read only when a link first needs it."""

    def __init__(self, intervention: Intervention) -> None:
        self.intervention = intervention

    @cached_property
    def doses(self) -> set[tuple[str, float]]:
        return _doses(self.intervention.description)

    @cached_property
    def level(self) -> int | None:
        found = dose_level(f"{self.intervention.name}. {self.intervention.description}")
        return found[0] if found else None

    @cached_property
    def cellular(self) -> bool:
        if self.__dict__.get("doses"):  # already read: a dose in the description is one in "name. description" too
            return True
        return _is_cellular(f"{self.intervention.name}. {self.intervention.description}")

    @cached_property
    def words(self) -> set[str]:
        return _words(f"{self.intervention.name} {self.intervention.description}")


def _doses(text: str) -> set[tuple[str, float]]:
    return {(d.unit, round(d.value, 6)) for d in find_doses(text)}


def _is_cellular(text: str) -> bool:
    return bool(find_doses(text)) or (mentions_cells(text) and not mentions_placebo(text))


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))
