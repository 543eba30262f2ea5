"""Reader for ClinicalTrials.gov API v2 JSON: one study, an API page, or an array of studies.

The registry gives real arm labels and types and, usually, the links between
arms and interventions ("Biological: X" in an arm's `interventionNames`, arm
labels in an intervention's `armGroupLabels`). Where both are missing the
arms are linked by content, as for the text layout, and a flag says so.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from ..errors import EntriesSkipped, RecordError
from ..models import ARM_TYPES, Flag, Intervention, Trial
from ..reading.arms import ArmText, build_arms
from ..reading.linking import Linker
from .bounds import MAX_ARMS_PER_STUDY, MAX_INTERVENTIONS_PER_STUDY, MAX_STUDIES_PER_FILE, cut_note
from .sniff import looks_like_json as looks_like_json

_PHASES = {"EARLY_PHASE1": "Early Phase 1", "PHASE1": "Phase 1", "PHASE2": "Phase 2", "PHASE3": "Phase 3",
           "PHASE4": "Phase 4"}
_TYPED_NAME = re.compile(r"^\s*[A-Za-z][A-Za-z _-]*:\s*")


# Parsed JSON is about 60 bytes a value; past this many values (counted as the commas and braces of the text) a
# document is refused before it is parsed, so that 0.5 MB of zipped "[{},{},...]" cannot become gigabytes.
MAX_JSON_VALUES = 3_000_000
# Integers of more digits are not counts of anything: kept as text, so that the one study holding one fails alone.
_MAX_INT_DIGITS = 30
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _int_or_text(digits: str) -> int | str:
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else f"{digits[:12]}… ({len(digits):,} digits)"


# One decoder for every document: `json.loads` given `parse_int` builds a decoder and its scanner for each call.
_DECODER = json.JSONDecoder(parse_int=_int_or_text)


def studies_in(text: str) -> list[Any]:
    """The study objects in a JSON document: a single study, an API page's `studies`, or an array."""
    # a text of fewer characters than the bound holds fewer values: counting its commas and braces is not needed
    values = text.count(",") + text.count("{") if len(text) > MAX_JSON_VALUES else 0
    if values > MAX_JSON_VALUES:
        raise RecordError(f"the JSON holds about {values:,} values; documents of more than {MAX_JSON_VALUES:,} "
                          "are not read (a study holds a few thousand)")
    try:
        document = _DECODER.decode(text)
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
    listed = _list(arms_module.get("interventions"))
    cut = cut_note(len(groups), len(listed))
    interventions = _interventions(listed[:MAX_INTERVENTIONS_PER_STUDY])
    groups = groups[:MAX_ARMS_PER_STUDY]
    arm_texts = _arm_texts(groups, interventions)
    design = _module(protocol, "designModule")
    phases = tuple(_PHASES[p] for p in _list(design.get("phases")) if isinstance(p, str) and p in _PHASES)
    description = _module(protocol, "descriptionModule")
    summaries = tuple(t for t in (_text(description.get("briefSummary")), _text(description.get("detailedDescription")))
                      if t)
    titles = (_text(identification.get("officialTitle")), _text(identification.get("briefTitle")))
    arms, trial_flags = build_arms(arm_texts, phases, summaries, titles)
    if cut:
        trial_flags = [*trial_flags, cut]
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
    studies = studies_in(text)
    if len(studies) > MAX_STUDIES_PER_FILE:
        yield EntriesSkipped(f"the file holds {len(studies):,} entries; only the first {MAX_STUDIES_PER_FILE:,} are "
                             "read", count=len(studies) - MAX_STUDIES_PER_FILE)
        studies = studies[:MAX_STUDIES_PER_FILE]
    may_hold_surrogates = bool(_SURROGATE_ESCAPE.search(text))
    for position, study in enumerate(studies, start=1):
        try:
            replaced = may_hold_surrogates and _replace_lone_surrogates(study)
            trial = read_study(study, name)
            if replaced:
                note = Flag(code="characters-replaced", message="The record holds characters no file can store (a "
                            "lone UTF-16 surrogate); each is shown as �.")
                trial = trial.model_copy(update={"flags": (*trial.flags, note)})
            yield trial
        except RecordError as error:
            message = str(error)
            yield RecordError(message if message.startswith("study ") else f"study {position}: {message}")


def _replace_lone_surrogates(document: Any) -> bool:
    """Replace, in place, every lone UTF-16 surrogate ("\\ud800", which no file or spreadsheet can hold) in the
    parsed study's keys and strings by U+FFFD; True when there was one. A walk with a stack, not recursion: JSON
    nests as deep as the parser allows, and recursion would stop short of it."""
    changed = False
    stack = [document] if isinstance(document, (dict, list)) else []
    while stack:
        node = stack.pop()
        pairs = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in pairs:
            if isinstance(value, str) and _LONE_SURROGATE.search(value):
                node[key] = _LONE_SURROGATE.sub("\ufffd", value)
                changed = True
            elif isinstance(value, (dict, list)):
                stack.append(value)
            if isinstance(key, str) and _LONE_SURROGATE.search(key):
                node[_LONE_SURROGATE.sub("\ufffd", key)] = node.pop(key)
                changed = True
    return changed


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
    # Two interventions of one name ("ASCs" for two arms, each with its own text): the arm links the one whose
    # arm labels name it, not both.
    shared = {name for name, count in Counter(name for _, name, _ in keys).items() if count > 1}
    linker: Linker | None = None
    for position, group in enumerate(groups, start=1):
        label = _text(group.get("label")) or f"Arm {position}"
        description = _text(group.get("description"))
        named = {_key(_TYPED_NAME.sub("", _text(n))) for n in _list(group.get("interventionNames"))}
        label_key = _key(label)
        linked = tuple(i for i, name_key, label_keys in keys if label_key in label_keys or (
            name_key in named and (name_key not in shared or not label_keys)))
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
