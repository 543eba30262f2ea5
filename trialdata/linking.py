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

from .dose import find_doses
from .models import Intervention
from .vocabulary import dose_level, mentions_cells, mentions_placebo

_WORD = re.compile(r"[a-z]{4,}")


class Linker:
    """Links the arms of one record to its interventions.

    A record's arms are all linked against the same interventions, so what each intervention's text says
    (its doses, dose level, whether it gives cells, its words) is read once per record, not once per arm.
    """

    def __init__(self, interventions: list[Intervention]) -> None:
        self._facts = [_Facts(i) for i in interventions]

    def link(self, arm: str) -> tuple[Intervention, ...]:
        """The interventions the arm described by `arm` most likely receives; () when the texts do not tell."""
        facts = self._facts
        arm_doses = _doses(arm)
        if arm_doses:
            shared = tuple(f.intervention for f in facts if arm_doses & f.doses)
            if shared:
                return shared
        level = dose_level(arm)
        if level is not None:
            same_level = tuple(f.intervention for f in facts if f.level == level[0])
            if same_level:
                return same_level
        arm_is_cellular = bool(arm_doses) or _is_cellular(arm)
        candidates = [f for f in facts if f.cellular == arm_is_cellular]
        if len(candidates) <= 1:
            return tuple(f.intervention for f in candidates)
        arm_words = _words(arm)
        best = max(candidates, key=lambda f: len(arm_words & f.words))
        return (best.intervention,) if arm_words & best.words else ()


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
