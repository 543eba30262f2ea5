"""Reader for the ClinicalIndex comparison record, a plain-text layout.

The layout gives arm and intervention paragraphs without labels, names or
links, so this reader names interventions from the "In Brief" line (in the
order it lists them), links each arm to the interventions that state its
dose, and links control arms to the interventions that give no cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..errors import RecordError
from ..models import Flag, Intervention, Trial
from ..reading.arms import ArmText, build_arms
from ..reading.linking import Linker
from .bounds import MAX_ARMS_PER_STUDY, MAX_INTERVENTIONS_PER_STUDY, cut_note
from .sniff import SECTIONS as SECTIONS
from .sniff import lines as _lines
from .sniff import looks_like_clinicalindex as looks_like_clinicalindex

# "NCT" first, its word boundary checked behind it: a literal opening lets `re` find it with a fast substring search.
NCT_ID = re.compile(r"NCT(?<!\wNCT)\d{8}\b")
# The In Brief sentence: "A Phase 1 clinical trial evaluating A, B, and 2 other interventions for C. Completed,
# enrolled 90 participants across 1 site." It is read in steps with short patterns, not one pattern of chained lazy
# groups, so that reading it takes time linear in its length whatever it holds.
_EVALUATING = re.compile(r"\bclinical\s{1,3}(?:trial|study)\s{1,3}evaluating\s{1,3}", re.I)
_ENROLLMENT = re.compile(
    r",\s{0,3}(?:has\s{1,3})?(?:enrolled|enrolling|will\s{1,3}enroll|plans\s{1,3}to\s{1,3}enroll|enrolls)\s{1,3}"
    r"(?P<enrollment>\d[\d,]{0,12})\s{1,3}participants?(?:\s{1,3}across\s{1,3}(?P<sites>\d[\d,]{0,12})\s{1,3}sites?)?",
    re.I,
)
_OTHER_INTERVENTIONS = re.compile(r"\bother\s{1,3}interventions?\s{1,3}for\s{1,3}", re.I)
_OWN_SECTIONS = ("At a glance", "In Brief", "Study Details", "Timeline")
_OTHERS = re.compile(r"^(?:and\s+)?(?P<n>\d+)\s+other\s+\w+$", re.I)
_PHASE_WORDS = re.compile(r"(early\s+)?phase\s*(\d)", re.I)


@dataclass
class _Sections:
    title: str = ""
    body: dict[str, list[str]] = field(default_factory=dict)
    own_lines: list[str] = field(default_factory=list)  # lines that speak of the record itself, not of others


def read_clinicalindex(text: str, name: str) -> Trial:
    """One trial from a ClinicalIndex record; `name` is the file's name, used when no NCT id is given."""
    sections = _split(text)
    if not sections.body and not sections.title:
        raise RecordError("no ClinicalIndex sections found (expected 'In Brief', 'Arms & Interventions', ...)")
    brief = _parse_brief(" ".join(sections.body.get("In Brief", [])))
    intervention_texts = sections.body.get("Interventions", [])
    arm_paragraphs = sections.body.get("Arms & Interventions", [])
    cut = cut_note(len(arm_paragraphs), len(intervention_texts))
    flags: list[Flag] = [cut] if cut else []
    intervention_texts = intervention_texts[:MAX_INTERVENTIONS_PER_STUDY]
    arm_paragraphs = arm_paragraphs[:MAX_ARMS_PER_STUDY]
    interventions = _name_interventions(intervention_texts, brief.get("interventions", []))
    if "Arms & Interventions" not in sections.body:
        raise RecordError("the record has no 'Arms & Interventions' section, so it describes no arms")
    if arm_paragraphs:
        linker = Linker(interventions)
        arm_texts = [_linked_arm(linker, p, i) for i, p in enumerate(arm_paragraphs, start=1)]
    else:
        arm_texts = [
            ArmText(description=i.description, location=f"intervention paragraph {n}", interventions=(i,))
            for n, i in enumerate(interventions, start=1)
        ]
        if arm_texts:
            flags.append(Flag(code="arms-from-interventions", message="The record describes no arms; each "
                              "intervention is shown as an arm of its own."))
    phases = brief.get("phases", ())
    summaries = tuple(sections.body.get("Detailed Summary", []))
    arms, trial_flags = build_arms(arm_texts, phases, summaries, (sections.title,))
    stem = re.sub(r"\.[^.]*$", "", name.rsplit("/", 1)[-1])
    # The record's own number: in its file name, else in its headline sections; never one its summary cites.
    nct = NCT_ID.search(stem) or next((found for line in sections.own_lines if (found := NCT_ID.search(line))), None)
    try:
        return Trial(
            trial_id=nct.group(0) if nct else stem,
            title=sections.title,
            phases=phases,
            status=brief.get("status"),
            enrollment=brief.get("enrollment"),
            sites=brief.get("sites"),
            conditions=tuple(brief.get("conditions", ())),
            summary=" ".join(sections.body.get("Detailed Summary", [])),
            interventions=tuple(interventions),
            arms=tuple(arms),
            flags=tuple(flags + trial_flags),
            record_files=(name,),
        )
    except ValidationError as error:
        raise RecordError(f"impossible values: {error.errors()[0]['msg']}") from error


def _linked_arm(linker: Linker, paragraph: str, number: int) -> ArmText:
    """An arm paragraph with the interventions it most likely receives; a link made on anything weaker than a
    shared dose number is a guess, and the arm says so."""
    link = linker.link(paragraph)
    flags: tuple[Flag, ...] = ()
    if link.interventions and link.basis != "dose":
        flags = (Flag(code="linked-by-content", message="The record does not say which interventions this arm "
                      f"receives; it is read with {', '.join(repr(i.name) for i in link.interventions)}, "
                      f"whose text matches it by {link.basis}."),)
    return ArmText(description=paragraph, location=f"arm paragraph {number}", interventions=link.interventions,
                   flags=flags)


def _split(text: str) -> _Sections:
    sections = _Sections()
    current: str | None = None
    for raw in _lines(text):
        line = raw.strip()
        if line in SECTIONS:
            current = line
            sections.body.setdefault(line, [])
            continue
        if not line or current is None:
            continue
        if current in _OWN_SECTIONS:
            sections.own_lines.append(line)
        if current == "At a glance":
            if not re.search(r"ClinicalIndex|Standardized by", line) and not sections.title:
                sections.title = line
            continue
        sections.body[current].append(line)
    return sections


def _parse_brief(brief: str) -> dict:
    brief = brief.strip()
    evaluating = _EVALUATING.search(brief)
    if evaluating is None:
        return {}
    rest = brief[evaluating.end():]
    enrollment = _ENROLLMENT.search(rest)
    if enrollment is None:
        return {}
    head = rest[:enrollment.start()]
    stop = head.rfind(". ")
    if stop < 0:
        return {}
    what, status = head[:stop], head[stop + 2:]
    others = _OTHER_INTERVENTIONS.search(what)
    split_at = others.end() - len(" for ") if others else what.rfind(" for ")
    if split_at < 0:
        return {}
    interventions, conditions = what[:split_at], what[split_at + len(" for "):]
    phases = tuple(("Early Phase 1" if early else f"Phase {number}")
                   for early, number in _PHASE_WORDS.findall(brief[:evaluating.start()]))
    names = _split_list(interventions.rstrip())
    return {
        "phases": tuple(dict.fromkeys(phases)),
        "interventions": [n for n in names if not _OTHERS.match(n)],
        "conditions": [c for c in _split_list(conditions) if not _OTHERS.match(c)],
        "status": re.sub(r"\s+status$", "", status.strip(), flags=re.I),
        "enrollment": int(enrollment["enrollment"].replace(",", "")),
        "sites": int(enrollment["sites"].replace(",", "")) if enrollment["sites"] else None,
    }


def _split_list(text: str) -> list[str]:
    """'A, B, and 2 other interventions' -> ['A', 'B', '2 other interventions']; 'A and B' -> ['A', 'B']."""
    if "," in text:
        return [re.sub(r"^and\s+", "", part.strip()) for part in text.split(",") if part.strip()]
    parts = re.split(r"\s+and\s+(?=\d+\s+other\b)", text)
    if len(parts) == 1:
        parts = text.split(" and ", 1) if " and " in text else [text]
    return [p.strip() for p in parts if p.strip()]


def _name_interventions(paragraphs: list[str], names: list[str]) -> list[Intervention]:
    """Interventions named in the In Brief order; the rest get a numbered name."""
    interventions = []
    for number, paragraph in enumerate(paragraphs, start=1):
        name = names[number - 1] if number <= len(names) else f"Intervention {number}"
        interventions.append(Intervention(name=name, description=paragraph))
    return interventions
