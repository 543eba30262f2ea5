"""Reader for ClinicalTrials.gov API v2 JSON: one study, an API page, or an array of studies.

The registry gives real arm labels and types and, usually, the links between
arms and interventions ("Biological: X" in an arm's `interventionNames`, arm
labels in an intervention's `armGroupLabels`). Where both are missing the
arms are linked by content, as for the text layout, and a flag says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from ..errors import RecordError
from ..models import ARM_TYPES, Flag, Intervention, Trial
from ..reading.arms import ArmText, build_arms
from ..reading.linking import Linker

_PHASES = {"EARLY_PHASE1": "Early Phase 1", "PHASE1": "Phase 1", "PHASE2": "Phase 2", "PHASE3": "Phase 3",
           "PHASE4": "Phase 4"}
_TYPED_NAME = re.compile(r"^\s*[A-Za-z][A-Za-z _-]*:\s*")


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def studies_in(text: str) -> list[Any]:
    """The study objects in a JSON document: a single study, an API page's `studies`, or an array."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})") from error
    except RecursionError as error:
        raise RecordError("JSON nested too deeply to be a study") from error
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise RecordError(f"JSON with a value Python refuses to read ({error})") from error
    if isinstance(document, dict) and "protocolSection" in document:
        return [document]
    if isinstance(document, dict) and isinstance(document.get("studies"), list):
        return document["studies"]
    if isinstance(document, list):
        return document
    keys = ", ".join(list(document)[:5]) if isinstance(document, dict) else type(document).__name__
    raise RecordError(f"JSON of the wrong shape: expected a study ('protocolSection'), an API page ('studies') "
                      f"or an array of studies, found {keys or 'an empty object'}")


def read_study(study: Any, name: str) -> Trial:
    """One trial from one study object; raises `RecordError` naming the study when it cannot be read."""
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise RecordError("an entry is not a study: it has no 'protocolSection' object")
    protocol = study["protocolSection"]
    identification = _module(protocol, "identificationModule")
    trial_id = _text(identification.get("nctId")) or re.sub(r"\.[^.]*$", "", name.rsplit("/", 1)[-1])
    arms_module = protocol.get("armsInterventionsModule")
    if not isinstance(arms_module, dict):
        raise RecordError(f"study {trial_id} has no armsInterventionsModule, so it describes no arms")
    groups = [g for g in _list(arms_module.get("armGroups")) if isinstance(g, dict)]
    if not groups:
        raise RecordError(f"study {trial_id} lists no arms (armGroups is empty or missing)")
    interventions = _interventions(_list(arms_module.get("interventions")))
    arm_texts = _arm_texts(groups, interventions)
    design = _module(protocol, "designModule")
    phases = tuple(_PHASES[p] for p in _list(design.get("phases")) if isinstance(p, str) and p in _PHASES)
    description = _module(protocol, "descriptionModule")
    summaries = tuple(t for t in (_text(description.get("briefSummary")), _text(description.get("detailedDescription")))
                      if t)
    titles = (_text(identification.get("officialTitle")), _text(identification.get("briefTitle")))
    arms, trial_flags = build_arms(arm_texts, phases, summaries, titles)
    status = _module(protocol, "statusModule")
    enrollment = _module(design, "enrollmentInfo").get("count")
    try:
        return Trial(
            trial_id=trial_id,
            title=_text(identification.get("officialTitle")) or _text(identification.get("briefTitle")),
            brief_title=_text(identification.get("briefTitle")) or None,
            phases=phases,
            status=_words(status.get("overallStatus")),
            enrollment=enrollment if isinstance(enrollment, int) and not isinstance(enrollment, bool) else None,
            sites=len(_list(_module(protocol, "contactsLocationsModule").get("locations"))) or None,
            conditions=tuple(_text(c) for c in _list(_module(protocol, "conditionsModule").get("conditions"))),
            summary=_text(_module(protocol, "descriptionModule").get("briefSummary")),
            sponsor=_text(_module(_module(protocol, "sponsorCollaboratorsModule"), "leadSponsor").get("name")) or None,
            start_date=_text(_module(status, "startDateStruct").get("date")) or None,
            interventions=tuple(interventions),
            arms=tuple(arms),
            flags=tuple(trial_flags),
            record_files=(name,),
        )
    except ValidationError as error:
        raise RecordError(f"study {trial_id} has impossible values: {error.errors()[0]['msg']}") from error


def read_ctgov(text: str, name: str) -> Iterator[Trial | RecordError]:
    """Each study in a JSON document as a trial, or as the error that kept it from loading."""
    for position, study in enumerate(studies_in(text), start=1):
        try:
            yield read_study(study, name)
        except RecordError as error:
            message = str(error)
            yield RecordError(message if message.startswith("study ") else f"study {position}: {message}")


def _interventions(raw: list[Any]) -> list[Intervention]:
    """Interventions with unique names (a registry may give three the same name)."""
    seen: dict[str, int] = {}
    interventions = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        name = _text(entry.get("name")) or "Unnamed intervention"
        seen[name] = seen.get(name, 0) + 1
        unique = name if seen[name] == 1 else f"{name} ({seen[name]})"
        interventions.append(Intervention(
            name=unique,
            type=_text(entry.get("type")) or "OTHER",
            description=_text(entry.get("description")),
            arm_labels=tuple(_text(label) for label in _list(entry.get("armGroupLabels"))),
            other_names=tuple(_text(n) for n in _list(entry.get("otherNames"))),
        ))
    return interventions


def _arm_texts(groups: list[dict], interventions: list[Intervention]) -> list[ArmText]:
    texts = []
    # Each intervention's keys, computed once per study rather than once per arm.
    keys = [(i, _key(_base_name(i.name)), {_key(a) for a in i.arm_labels}) for i in interventions]
    any_arm_labels = any(i.arm_labels for i in interventions)
    linker: Linker | None = None
    for position, group in enumerate(groups, start=1):
        label = _text(group.get("label")) or f"Arm {position}"
        description = _text(group.get("description"))
        named = {_key(_TYPED_NAME.sub("", _text(n))) for n in _list(group.get("interventionNames"))}
        label_key = _key(label)
        linked = tuple(i for i, name_key, label_keys in keys if name_key in named or label_key in label_keys)
        flags: tuple[Flag, ...] = ()
        if not linked and interventions and not named and not any_arm_labels:
            linker = linker or Linker(interventions)
            linked = linker.link(f"{label}. {description}").interventions
            if linked:
                flags = (Flag(code="linked-by-content", message="The record does not link this arm to an "
                              f"intervention; it is read with {', '.join(repr(i.name) for i in linked)}, "
                              "whose text matches it."),)
        arm_type = _text(group.get("type")).upper()
        texts.append(ArmText(
            description=description,
            location=f"arm '{label}'",
            label=label,
            type=arm_type if arm_type in ARM_TYPES else ("OTHER" if arm_type else None),
            interventions=linked,
            flags=flags,
        ))
    return texts


_NUMBERED = re.compile(r" \(\d+\)$")


def _base_name(name: str) -> str:
    return _NUMBERED.sub("", name)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _module(parent: Any, key: str) -> dict:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _words(code: Any) -> str | None:
    """'ACTIVE_NOT_RECRUITING' -> 'Active, not recruiting'."""
    text = _text(code)
    if not text:
        return None
    words = text.replace("_", " ").lower().capitalize()
    return words.replace("Active not", "Active, not")
