"""Reader for legacy ClinicalTrials.gov XML records (the registry's pre-2023 download, `AllPublicXML/...xml`).

Analysts keep whole dumps of that download. Each record is converted field by field to the API v2 study the
registry serves today, as the registry itself maps them, then read by the JSON reader, so both layouts give the
same arms: texts are the record's own with the download's line wrapping undone (lines of a paragraph joined by a
space, paragraphs kept apart by a blank line); enums and dates in v2 spelling ("Phase 1/Phase 2" -> PHASE1, PHASE2;
"January 2015" -> 2015-01); each arm's `interventionNames` built from the interventions that name it, as
"Type: Name". Nothing is added that the XML does not hold.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime

from ..errors import RecordError
from ..models import Trial
from .ctgov import read_ctgov
from .sniff import looks_like_ctgov_xml as looks_like_ctgov_xml

# Registry records declare no document type; one that does could define entities that expand a few bytes into
# gigabytes or name local files, so it is refused before parsing.
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.I)


def read_ctgov_xml(text: str, name: str) -> Iterator[Trial | RecordError]:
    """The record's one study as a trial, or the error that kept it from loading."""
    if _DOCTYPE.search(text):
        raise RecordError("the XML declares a document type (<!DOCTYPE>); registry records declare none, and its "
                          "entities are never expanded, so it is not read")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise RecordError(f"not valid XML ({error})") from error
    if root.tag != "clinical_study":
        raise RecordError(f"XML of the wrong shape: expected a <clinical_study> record, found <{root.tag}>")
    try:
        study = convert(root)
    except (ValueError, KeyError, TypeError) as error:  # an enrollment that is no number, and the like
        raise RecordError(f"a value of the XML record cannot be read ({error})") from error
    return read_ctgov(json.dumps(study, ensure_ascii=False), name)


_PHASES = {"Early Phase 1": "EARLY_PHASE1", "Phase 1": "PHASE1", "Phase 2": "PHASE2", "Phase 3": "PHASE3",
           "Phase 4": "PHASE4", "N/A": "NA"}
_CLASSES = {"Industry": "INDUSTRY", "NIH": "NIH", "U.S. Fed": "FED", "Other": "OTHER", "Individual": "INDIV",
            "Network": "NETWORK", "Other U.S. Federal agency": "OTHER_GOV", "Unknown": "UNKNOWN"}


def _code(text: str) -> str:
    """'Active, not recruiting' -> 'ACTIVE_NOT_RECRUITING'; 'Unknown status' -> 'UNKNOWN'."""
    text = text.strip()
    if text == "Unknown status":
        return "UNKNOWN"
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def _date(text: str | None) -> str | None:
    if not text:
        return None
    for pattern, out in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m")):
        try:
            return datetime.strptime(text.strip(), pattern).strftime(out)
        except ValueError:
            continue
    return text.strip()


def _unwrap(block: str | None) -> str:
    """The legacy download wraps text blocks at about 100 characters and indents them; join them back."""
    if not block:
        return ""
    paragraphs = re.split(r"\n\s*\n", block.strip("\n"))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs).strip()


def _text(node: ET.Element | None, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return found.text.strip() if found is not None and found.text else None


def convert(root: ET.Element) -> dict:
    identification = {"nctId": _text(root, "id_info/nct_id"), "briefTitle": _text(root, "brief_title"),
                      "officialTitle": _text(root, "official_title"), "acronym": _text(root, "acronym")}
    status = {"overallStatus": _code(_text(root, "overall_status") or "")}
    if _text(root, "start_date"):
        status["startDateStruct"] = {"date": _date(_text(root, "start_date"))}
    sponsor = {"leadSponsor": {"name": _text(root, "sponsors/lead_sponsor/agency"),
                               "class": _CLASSES.get(_text(root, "sponsors/lead_sponsor/agency_class") or "",
                                                     "OTHER")}}
    description = {"briefSummary": _unwrap(_text(root, "brief_summary/textblock"))}
    if _text(root, "detailed_description/textblock"):
        description["detailedDescription"] = _unwrap(_text(root, "detailed_description/textblock"))
    conditions = {"conditions": [c.text.strip() for c in root.findall("condition") if c.text],
                  "keywords": [k.text.strip() for k in root.findall("keyword") if k.text]}
    phase = _text(root, "phase") or ""
    design: dict = {"studyType": _code(_text(root, "study_type") or ""),
                    "phases": [_PHASES[p] for p in phase.split("/") if p in _PHASES]}
    enrollment = root.find("enrollment")
    if enrollment is not None and enrollment.text:
        kind = enrollment.get("type", "")
        design["enrollmentInfo"] = {"count": int(enrollment.text),
                                    "type": "ACTUAL" if kind == "Actual" else "ESTIMATED"}
    interventions = []
    for node in root.findall("intervention"):
        entry = {"type": _code(_text(node, "intervention_type") or "Other"), "name": _text(node, "intervention_name")}
        if _text(node, "description"):
            entry["description"] = _text(node, "description")
        labels = [label.text.strip() for label in node.findall("arm_group_label") if label.text]
        if labels:
            entry["armGroupLabels"] = labels
        others = [other.text.strip() for other in node.findall("other_name") if other.text]
        if others:
            entry["otherNames"] = others
        interventions.append((entry, _text(node, "intervention_type") or "Other"))
    arms = []
    for node in root.findall("arm_group"):
        label = _text(node, "arm_group_label")
        arm = {"label": label}
        if _text(node, "arm_group_type"):
            arm["type"] = _code(_text(node, "arm_group_type"))  # type: ignore[arg-type]
        if _text(node, "description"):
            arm["description"] = _text(node, "description")
        names = [f"{kind}: {entry['name']}" for entry, kind in interventions
                 if label in entry.get("armGroupLabels", [])]
        if names:
            arm["interventionNames"] = names
        arms.append(arm)
    protocol = {
        "identificationModule": {k: v for k, v in identification.items() if v},
        "statusModule": status,
        "sponsorCollaboratorsModule": sponsor,
        "descriptionModule": description,
        "conditionsModule": conditions,
        "designModule": design,
        "armsInterventionsModule": {"armGroups": arms, "interventions": [entry for entry, _ in interventions]},
    }
    locations = [{"facility": _text(node, "facility/name"), "city": _text(node, "facility/address/city"),
                  "country": _text(node, "facility/address/country")} for node in root.findall("location")]
    if locations:
        protocol["contactsLocationsModule"] = {"locations": [{k: v for k, v in loc.items() if v} for loc in locations]}
    return {"protocolSection": protocol}
