"""Link arms to interventions by what their texts say, for records that give no links.

The ClinicalIndex layout never names an arm's interventions, and registry JSON
sometimes leaves `interventionNames` and `armGroupLabels` out. An expert then
reads the texts: an arm stating a dose receives the interventions stating the
same dose, a "high dose" arm the "high dose" intervention, a control arm the
intervention that gives no cells.
"""

from __future__ import annotations

import re

from .dose import find_doses
from .models import Intervention
from .vocabulary import dose_level, mentions_cells, mentions_placebo


def link_by_content(arm: str, interventions: list[Intervention]) -> tuple[Intervention, ...]:
    """The interventions an arm described by `arm` most likely receives; () when the texts do not tell."""
    arm_doses = _doses(arm)
    if arm_doses:
        shared = tuple(i for i in interventions if arm_doses & _doses(i.description))
        if shared:
            return shared
    level = dose_level(arm)
    if level is not None:
        same_level = tuple(i for i in interventions if _level(f"{i.name}. {i.description}") == level[0])
        if same_level:
            return same_level
    arm_is_cellular = bool(arm_doses) or _is_cellular(arm)
    candidates = [i for i in interventions if _is_cellular(f"{i.name}. {i.description}") == arm_is_cellular]
    if len(candidates) <= 1:
        return tuple(candidates)
    best = max(candidates, key=lambda i: _overlap(arm, f"{i.name} {i.description}"))
    return (best,) if _overlap(arm, f"{best.name} {best.description}") > 0 else ()


def _level(text: str) -> int | None:
    found = dose_level(text)
    return found[0] if found else None


def _doses(text: str) -> set[tuple[str, float]]:
    return {(d.unit, round(d.value, 6)) for d in find_doses(text)}


def _is_cellular(text: str) -> bool:
    return bool(find_doses(text)) or (mentions_cells(text) and not mentions_placebo(text))


def _overlap(a: str, b: str) -> int:
    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{4,}", text.lower()))

    return len(words(a) & words(b))
