"""Reconcile what an arm's text and its interventions' texts say into the arm's regimens.

Both record layouts end here, so both read arms the same way: the arm's own
words win where they disagree with its interventions (and a flag says so),
an intervention fills in what the arm leaves out, phase-specific intervention
text goes to the arm of that phase, a part of a shared text that names the arm
("Arm A: 300 million cells ... Arm B: placebo") goes to that arm, and the arm
gets a readable label and a type when the record has none. Placebo and
cell-free arms are never dosed; a dose with no stated repeat is one
administration, flagged. Trial-wide checks (a "low dose" label on the trial's
highest dose, a summary phase that the arms contradict) run last.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from statistics import median

from ..grammar.patterns import Strings, led
from ..grammar.phases import find_phase
from ..grammar.products import (
    NO_TYPE,
    cell_free_product,
    dose_level,
    find_drugs,
    is_generic_type,
    mentions_cells,
    mentions_control,
    mentions_placebo,
    type_name,
    type_rank,
)
from ..grammar.quantities import find_quantities
from ..grammar.schedules import FOLLOW_UP, GIVING, find_several, mentions_sampling
from ..grammar.text import has_digit, readable
from ..models import Arm, Dose, Flag, Intervention, Regimen
from ..notation import format_cells, format_dose_range, format_schedule
from .paragraph import ParagraphReading, Reading, describe_dose, dose_words, read_paragraph

# A summary sentence speaks of the trial's own treatment only when it says something is given; background
# ("as many as 1*107 cells from 300 ml of lipoaspirate") is not read.
# Besides digits, the words of a schedule a summary may state without one ("a single infusion", "once weekly").
_SUMMARY_SCHEDULE_WORDS = ("once", "twice", "single", "weekly", "daily", "monthly", "every ")
# What a sentence stating a dose or a schedule holds at least one of: a power of ten, a scale word, cells, a time
# unit or a count of administrations. Background sentences with years, ages and percentages hold none.
_REGIMEN_WORDS = ("10", "×", " x ", "million", "billion", "cell", "/kg", "once", "twice", "single", "weekly",
                  "daily", "monthly", "every", "day", "week", "month", "time", "dose", "infusion", "injection",
                  "administration", "transplant")
_REGIMEN_STRINGS = Strings.of(_REGIMEN_WORDS)
_DIGIT = re.compile(r"\d")
_ASCII_DIGIT = re.compile(r"[0-9]")  # the same digits in ASCII text, tested without asking Unicode
_SENTENCE_REACH = 400
_PLACEBO_TYPES = ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION")
_ACTIVE_TYPES = ("EXPERIMENTAL", "ACTIVE_COMPARATOR")
_ONLY = led(r"\bonly\b", re.I)


@dataclass(frozen=True)
class ArmText:
    """An arm as a reader found it: registry label and type when the layout has them."""

    description: str
    location: str
    label: str | None = None
    type: str | None = None
    interventions: tuple[Intervention, ...] = ()
    flags: tuple[Flag, ...] = ()


@dataclass
class _Draft:
    text: ArmText
    regimens: list[Regimen]
    flags: list[Flag]
    cellular: bool
    level: tuple[int, str] | None
    readings: list[Reading] = field(default_factory=list)
    placebo: bool = False


def build_arms(arm_texts: list[ArmText], trial_phases: tuple[str, ...],
               summaries: tuple[str, ...] = (), titles: tuple[str, ...] = ()) -> tuple[list[Arm], list[Flag]]:
    """Arms with regimens, labels and flags, plus flags about the trial as a whole. `summaries` (the trial's
    brief summary and detailed description) and `titles` are read only for what the arms leave out."""
    interventions = {i.name: i for text in arm_texts for i in text.interventions}
    intervention_readings = {name: _read_intervention(i) for name, i in interventions.items()}
    sharing = Counter(i.name for text in arm_texts for i in text.interventions)
    contested = _contested(arm_texts, sharing)
    drugs = frozenset(name for name, i in interventions.items() if _is_drug(i, intervention_readings[name]))
    drafts = [_draft(text, intervention_readings, _own_parts(text, arm_texts, sharing), contested, drugs)
              for text in arm_texts]
    all_readings = [r for reading in intervention_readings.values() for r in reading.readings]
    summary = _Summary(summaries)
    _units_from_summary(drafts, summary)  # first: a dose in the summary's unit then finds the summary's schedule for it
    _from_summaries(drafts, summary)
    _levels_between_ends(drafts, summary)
    for draft in drafts:
        _settle_phase(draft, trial_phases, all_readings)
        _settle_count(draft)
    _check_level_labels(drafts)
    trial_flags = _check_phases(drafts, trial_phases)
    labels = _labels(drafts)
    types = _CellTypes(titles, summaries)
    arms = [
        Arm(
            label=label,
            label_from_record=draft.text.label is not None,
            type=draft.text.type or _infer_type(draft),
            type_from_record=draft.text.type is not None,
            description=draft.text.description,
            interventions=tuple(i.name for i in draft.text.interventions),
            cellular=draft.cellular,
            cell_type=types.of(draft) if draft.cellular else None,
            regimens=tuple(draft.regimens),
            flags=tuple(_unique(draft.flags)),
        )
        for draft, label in zip(drafts, labels)
    ]
    return arms, trial_flags


class _CellTypes:
    """Cell types read once per text a trial's arms share: each intervention's, the titles', the summaries'."""

    def __init__(self, titles: tuple[str, ...], summaries: tuple[str, ...]) -> None:
        self._titles, self._summaries = titles, summaries
        self._interventions: dict[str, int] = {}
        self._trial: dict[str, int] = {}

    def of(self, draft: _Draft) -> str | None:
        """The arm's own words and its cell interventions' first; the trial's titles when those name only generic
        cells ("HER2-specific T cells" in a trial titled "Her2 Chimeric Antigen Receptor Expressing T Cells"), its
        summaries last."""
        given = [i for i in draft.text.interventions if gives_cells(i)] or list(draft.text.interventions)
        own = NO_TYPE
        # Short texts first, and no further once one names a specific type: the label and the product's names
        # mostly say it ("MSC group", "CAR-T cells"), and reading every description would cost more than the rest.
        for rank in self._ranks(draft, given):
            own = min(own, rank)
            if not is_generic_type(type_name(own)):
                return type_name(own)
        return type_name(self._trial_rank("titles")) or type_name(own) or type_name(self._trial_rank("summaries"))

    def _ranks(self, draft: _Draft, given: list[Intervention]) -> Iterator[int]:
        yield type_rank(draft.text.label or "")
        for intervention in given:
            yield self._cached(f"names {intervention.name}", " ".join((intervention.name, *intervention.other_names)))
        yield type_rank(draft.text.description)
        for intervention in given:
            yield self._cached(f"description {intervention.name}", intervention.description)

    def _cached(self, key: str, text: str) -> int:
        if key not in self._interventions:
            self._interventions[key] = type_rank(text)
        return self._interventions[key]

    def _trial_rank(self, which: str) -> int:
        if which not in self._trial:
            texts = self._titles if which == "titles" else self._summaries
            self._trial[which] = min((type_rank(text) for text in texts), default=NO_TYPE)
        return self._trial[which]


def _read_intervention(intervention: Intervention) -> ParagraphReading:
    return read_paragraph(intervention.description, f"intervention '{intervention.name}'")


def _own_parts(text: ArmText, arm_texts: list[ArmText], sharing: Counter[str]) -> dict[str, ParagraphReading]:
    """For each intervention this arm shares with others, the part of its text that names this arm, read alone:
    "Arm A: 300 million cells will be infused ... Arm B: Infusion of placebo"."""
    parts: dict[str, ParagraphReading] = {}
    if not text.label:
        return parts
    for intervention in text.interventions:
        if sharing[intervention.name] < 2:
            continue
        others = [t.label for t in arm_texts if t.label and t is not text and intervention in t.interventions]
        positions = {label: _named_at(intervention.description, label) for label in [text.label, *others]}
        if positions[text.label] is None or sum(p is not None for p in positions.values()) < 2:
            continue
        start = positions[text.label]
        ends = [p for p in positions.values() if p is not None and p > start]  # type: ignore[operator]
        segment = intervention.description[start:min(ends, default=len(intervention.description))]
        parts[intervention.name] = read_paragraph(segment, f"intervention '{intervention.name}', part for "
                                                  f"'{text.label}'")
    return parts


def _named_at(description: str, label: str) -> int | None:
    """Where a shared text starts speaking of the arm `label` ("Arm A:", "Group 1:", "low dose group:")."""
    if label.strip().lower() not in description.lower():
        return None
    found = _naming(label.strip()).search(description)
    return found.start() if found else None


@lru_cache(maxsize=4096)
def _naming(label: str) -> re.Pattern[str]:
    escaped = re.escape(label)
    return re.compile(rf"(?:\b(?:arm|group|cohort)\s{{0,3}}{escaped}\b|(?<![\w-]){escaped}\s{{0,3}}[:：])", re.I)


def _contested(arm_texts: list[ArmText], sharing: Counter[str]) -> frozenset[str]:
    """Cell interventions the record also links to arms whose own words name no cells, while another arm's words do
    ("skin grafting only" linked to "mesenchymal stem cell application"): for those arms the link says nothing."""
    named = {i.name for text in arm_texts if any(sharing[i.name] > 1 for i in text.interventions)
             and mentions_cells(f"{text.label or ''} {text.description}")
             for i in text.interventions if sharing[i.name] > 1}
    return frozenset(named)


def _sounds_like_control(text: ArmText) -> bool:
    """"skin grafting only", "Conventional Therapy": an arm whose own words say it is the comparison."""
    words = f"{text.label or ''} {text.description}"
    return mentions_control(words) or _ONLY.search(text.label or "") is not None


def _draft(text: ArmText, intervention_readings: dict[str, ParagraphReading],
           parts: dict[str, ParagraphReading], contested: frozenset[str] = frozenset(),
           drugs: frozenset[str] = frozenset()) -> _Draft:
    words = f"{text.label or ''}. {text.description}"
    own = read_paragraph(text.description, text.location)
    label_reading = read_paragraph(text.label, f"{text.location} label") if text.label and _has_digit(text.label) \
        else None
    label_dosed = label_reading is not None and any(r.regimen.dose for r in label_reading.readings)
    flags = list(text.flags) + list(own.flags)
    if not any(r.regimen.dose for r in own.readings) and label_dosed:
        own = label_reading  # type: ignore[assignment]
        flags.extend(own.flags)
    elif label_dosed:
        picked = _picked_by_label(label_reading, own)  # type: ignore[arg-type]
        if picked is not None:
            own, flag = picked
            flags = [f for f in flags if f.code != "dose-options"] + [flag]
        else:
            flags.extend(_label_check(label_reading, own))  # type: ignore[arg-type]
    linked_by_name = {i.name: parts.get(i.name) or intervention_readings[i.name] for i in text.interventions
                      if i.name in intervention_readings and i.name not in drugs}
    linked = list(linked_by_name.values())
    flags.extend(f for reading in linked for f in reading.flags)
    arm_phase = find_phase(words)
    route = own.route or next((r.route for r in linked if r.route), None)
    route_source = own.route_source or next((r.route_source for r in linked if r.route), None)
    linked_readings = [r for reading in linked for r in reading.readings]
    level = dose_level(text.label or "") or dose_level(text.description)
    readings = list(own.readings) + linked_readings
    if any(r.regimen.dose for r in own.readings) and not _ends_of_listed_levels(own.readings, linked_readings):
        regimens = _from_arm_doses(own.readings, linked_readings, arm_phase, text.location, flags)
        regimens += _other_product(text, linked_by_name, regimens, arm_phase, flags)
    else:
        regimens = _from_interventions(own.readings, linked_readings, arm_phase, level, flags)
    for reading in readings:  # the arm's own readings speak of it; an intervention's, where the arm uses them
        if reading in own.readings or any(reading.regimen is r or (reading.regimen.dose and
                                                                   r.dose == reading.regimen.dose) for r in regimens):
            flags.extend(reading.flags)
    regimens = [_with(r, route=r.route or route, route_source=r.route_source or route_source) for r in regimens]
    regimens = [r for i, r in enumerate(regimens) if r not in regimens[:i]]  # one regimen read from two texts
    if not own.optional and not any(r.regimen.administrations for r in own.readings) and any(
            r.dose and (r.administrations is None or r.administrations == 1) for r in regimens) and (
            several := own.several() or find_several(text.label or "")):  # the label "Repeated dose infusion"
        regimens = _several(regimens, readings, several, flags)
    placebo = text.type in _PLACEBO_TYPES or (text.type is None and mentions_placebo(text.label or "")) or \
        (text.type is None and text.label is None and mentions_placebo(words) and not mentions_cells(words))
    cell_free = _cell_free(text)
    dosed = [r for r in regimens if r.dose]
    if dosed and (placebo or cell_free):
        kind = "a placebo or control" if placebo else f"a cell-free product ({cell_free})"
        flags.append(Flag(code="placebo-states-cells" if placebo else "cell-free",
                          message=f"The record gives this arm {kind}, yet its text states "
                          f"{describe_dose(dosed[0].dose)} (“{dosed[0].dose.source.text}”); "  # type: ignore[union-attr]
                          "no cells are counted for it."))
        regimens = [_with(r, dose=None) for r in regimens]
        regimens = [r for i, r in enumerate(regimens) if r not in regimens[:i]]
    elif cell_free:
        flags.append(Flag(code="cell-free", message=f"The arm gives a cell-free product ({cell_free}), not cells."))
    regimens = regimens or [Regimen(route=route, route_source=route_source, phase=arm_phase)]
    # An experimental or active arm that also names a placebo gives it at other visits or to others (a crossover, a
    # blinded design); an arm of no stated type that names one is the placebo arm.
    placebo_words = mentions_placebo(words) and text.type not in _ACTIVE_TYPES
    cellular = any(r.dose for r in regimens) or (
        not placebo and not cell_free and not placebo_words
        and (mentions_cells(words) or any(gives_cells(i) for i in text.interventions
                                          if i.name not in contested or not _sounds_like_control(text)))
    )
    for regimen in regimens:
        flags.extend(_regimen_flags(regimen))
    if cellular and not any(r.dose for r in regimens):
        said = f" (the record says '{level[1]} dose' only)" if level else ""
        flags.append(Flag(code="no-dose", message=f"No cell number is stated for this arm{said}."))
    return _Draft(text, regimens, flags, cellular, level, readings, placebo=placebo or bool(cell_free))


def _other_product(text: ArmText, readings: dict[str, ParagraphReading], regimens: list[Regimen],
                   arm_phase: str | None, flags: list[Flag]) -> list[Regimen]:
    """An arm giving two cell products whose own text doses one ("On Day 0, up to 1.5 x 10^11 T cells ... and the
    vaccine of dendritic cells ... about 4 hours after T-cells"): the other's doses, from its own
    intervention ("1x10^7 to 2.5x10^8 MART-1 peptide-pulsed Dendritic Cells"), when its names give it a specific
    cell type of its own, unlike the intervention whose dose the arm states."""
    kinds = {i.name: type_rank(" ".join((i.name, *i.other_names))) for i in text.interventions
             if i.name in readings and gives_cells(i)}
    dosed = {name: [r.regimen for r in readings[name].readings if r.regimen.dose
                    and (not arm_phase or r.regimen.phase in (None, arm_phase))] for name in kinds}
    stated = {kinds[name] for name, found in dosed.items()
              if any(_same_dose(f, r) for f in found for r in regimens)}
    added: list[Regimen] = []
    for name, found in dosed.items():
        kind = type_name(kinds[name])
        if not found or is_generic_type(kind) or not stated or kinds[name] in stated \
                or any(_same_dose(f, r) for f in found for r in regimens):
            continue
        # the population column says which product the row counts ("dendritic cells" beside the arm's T cells)
        added += [_with(f, phase=f.phase or arm_phase, dose=f.dose.model_copy(  # type: ignore[union-attr]
            update={"population": f.dose.population or kind})) for f in found]  # type: ignore[union-attr]
        flags.append(Flag(code="other-product", message=f"The arm also gives {kind} ('{name}'); "
                          f"{', '.join(dose_words(f.dose) for f in found)} is read from that intervention."))  # type: ignore[arg-type]
    return added


# Intervention types whose description speaks of the product itself; a drug's or a procedure's may name cells it
# precedes or that the patient has.
_PRODUCT_TYPES = frozenset(("BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT"))


def gives_cells(intervention: Intervention) -> bool:
    """Whether an intervention is a cell product: its names say cells ("CAR-NK Cells", "Islets of Langerhans"),
    or it is a biological whose description does ("keratinocytes and fibroblasts", "NK cells")."""
    return _gives_cells(intervention.name, intervention.other_names, intervention.type, intervention.description)


@lru_cache(maxsize=4096)  # an arm's interventions are asked about by each arm that links them, and twice
def _gives_cells(name: str, other_names: tuple[str, ...], kind: str, description: str) -> bool:
    names = " ".join((name, *other_names))
    if mentions_placebo(names) or cell_free_product(names):
        return False
    if mentions_cells(names):
        return True
    if kind in _PRODUCT_TYPES:
        return mentions_cells(description)
    # "Drug: TLPLDC Vaccine", described as "Tumor Lysate, Particle Loaded, Dendritic Cell Vaccine": a cell product
    # filed as a drug, when its description is no longer than a name, names cells and names no drug
    return len(description) <= _NAME_LIKE and mentions_cells(description) and not find_drugs(description)


_NAME_LIKE = 80  # the length of a description that only names its product


def _several(regimens: list[Regimen], readings: list[Reading], words: str, flags: list[Flag]) -> list[Regimen]:
    """The arm "will receive multiple high-activity natural killer (HANK) immunotherapies" and its intervention
    gives one treatment's dose (split into transfusions, or with no count): how many treatments is not said."""
    fractionated = {id(r.regimen) for r in readings if any(f.code == "fractionated" for f in r.flags)}
    opened = []
    for regimen in regimens:
        if regimen.dose is not None and (regimen.administrations is None or (
                regimen.administrations == 1 and any(regimen is r.regimen or regimen.dose == r.regimen.dose
                                                     for r in readings if id(r.regimen) in fractionated))):
            flags.append(Flag(code="count-open", message=f"The arm receives several treatments (“{words}”), each of "
                              f"{describe_dose(regimen.dose)}, but the record does not say how many: the number of "
                              "administrations and the cumulative dose are unknown."))
            regimen = _with(regimen, administrations=None, administration_days=(), interval_days=None,
                            schedule_source=None)
        opened.append(regimen)
    return opened


def _drug_or_sampling(sentence: str) -> bool:
    return mentions_sampling(sentence) or (bool(find_drugs(sentence)) and not mentions_cells(sentence))


def _is_drug(intervention: Intervention, reading: ParagraphReading) -> bool:
    """A drug given beside the cells (busulfan 32 mg/m2, IL-2 0.5 million units, tacrolimus): its schedule and
    route are not the cells' (convention 7.4). A drug-typed intervention that states a cell dose or names cells is
    a cell product."""
    if intervention.type != "DRUG" or any(r.regimen.dose for r in reading.readings) or gives_cells(intervention):
        return False
    if mentions_placebo(" ".join((intervention.name, *intervention.other_names))):
        return False  # the comparator's vehicle: its schedule is the placebo arm's
    if find_drugs(" ".join((intervention.name, *intervention.other_names, intervention.description))):
        return True
    return not mentions_cells(intervention.description)


def _has_digit(text: str) -> bool:
    # ASCII text, by far the most, is searched in C; other text keeps `isdigit`'s wider sense ("10⁶" holds one).
    return has_digit(text) if text.isascii() else any(c.isdigit() for c in text)


def _cell_free(text: ArmText) -> str | None:
    """The cell-free product an arm's label or interventions' names say it gives (convention 5.1); none when another
    of its interventions gives cells ("BMMSC with Platelet Rich Plasma (PRGF)" linking "100 million Bone marrow
    mesenchimal stem cells": the plasma comes with the cells)."""
    if any(gives_cells(i) and not cell_free_product(i.name) for i in text.interventions):
        return None
    names = [text.label or "", *(i.name for i in text.interventions)]
    for name in names:
        found = cell_free_product(name)
        if found:
            return found
    return None


def _picked_by_label(label: ParagraphReading, own: ParagraphReading) -> tuple[ParagraphReading, Flag] | None:
    """The one dose of several in a text shared by arms that the arm's label names, by its value or else by where
    its range starts or ends: arms "Ph I: ... 5x10e9" and "Ph I: ... 3x10e10" sharing "two ranges of cells,
    5x10^9-3x10^10, and greater than 3x10^10-1x10^11" get one range each. None unless exactly one is named."""
    dosed = [r for r in own.readings if r.regimen.dose]
    named = [r.regimen.dose.value for r in label.readings if r.regimen.dose]  # type: ignore[union-attr]
    if len(dosed) < 2 or len(named) != 1:
        return None
    for end in ("value", "low", "high"):
        matches = [r for r in dosed if getattr(r.regimen.dose, end) is not None
                   and math.isclose(getattr(r.regimen.dose, end), named[0], rel_tol=1e-3)]
        if len(matches) == 1:
            kept = matches[0]
            flag = Flag(code="dose-from-label", message=f"The text gives {len(dosed)} doses; the arm's label names "
                        f"{format_cells(named[0])}, so it is given {dose_words(kept.regimen.dose)}.")  # type: ignore[arg-type]
            alone = replace(kept, flags=tuple(f for f in kept.flags if f.code != "dose-options"))
            return replace(own, readings=tuple(alone if r is kept else r for r in own.readings
                                               if r is kept or not r.regimen.dose)), flag
        if matches:
            return None
    return None


def _label_check(label: ParagraphReading, own: ParagraphReading) -> list[Flag]:
    """A dose in the label ("Group 1: 20 million Allogeneic hMSCs") against the arm's text; the text wins."""
    label_doses = [r.regimen.dose for r in label.readings if r.regimen.dose]
    text_doses = [r.regimen.dose for r in own.readings if r.regimen.dose]
    if any(math.isclose(a.value, b.value, rel_tol=1e-3) for a in label_doses for b in text_doses):  # type: ignore[union-attr]
        return []
    return [Flag(code="label-dose-disagreement", message=f"The arm's label gives {describe_dose(label_doses[0])}, "  # type: ignore[arg-type]
                 f"but its text gives {describe_dose(text_doses[0])}. The text is used.")]  # type: ignore[arg-type]


class _Summary:
    """A trial's summaries and, read once when first asked for, what their regimen sentences state. Most trials
    whose arms leave something out have summaries that state no number: asked only for doses, those are not read
    (a third of the corpus's trials, a tenth of its reading time)."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts

    @cached_property
    def kept(self) -> str:
        return "\n".join(sentence for text in self.texts for sentence in _regimen_sentences(text))

    @cached_property
    def reading(self) -> ParagraphReading | None:
        return read_paragraph(self.kept, "the trial's summary") if self.kept else None

    @cached_property
    def may_dose(self) -> bool:
        """Whether the regimen sentences state any number a dose could be (the grammar's reading of them)."""
        return bool(find_quantities(readable(self.kept)[0]))

    @cached_property
    def dosed(self) -> list[Reading]:
        if not self.may_dose or self.reading is None:
            return []
        return [r for r in self.reading.readings if r.regimen.dose]


def _from_summaries(drafts: list[_Draft], summary_: _Summary) -> None:
    """What the arms leave out, read from the trial's summaries as an analyst would, flagged: the dose of the
    trial's only cell arm when its texts give none, and the schedule of dosed arms that state no repeat when the
    summaries state one schedule (or one for that very dose)."""
    cell_arms = [d for d in drafts if d.cellular and not d.placebo]
    undosed = [d for d in cell_arms if not any(r.dose for r in d.regimens)]
    unscheduled = [d for d in cell_arms if any(r.dose and r.administrations is None and not r.interval_days
                                               for r in d.regimens)]
    alike = len(undosed) == len(cell_arms) > 1 and _same_product(undosed)
    summaries = summary_.texts
    if not summaries or not ((undosed and (len(cell_arms) == 1 or alike)) or unscheduled or len(undosed) > 1):
        return
    if len(undosed) > 1 and not alike:
        _from_named_parts(undosed, summaries)
        if not unscheduled:
            return
    if not unscheduled and not summary_.may_dose:
        return  # a dose is all the arms need, and the summaries state no number
    summary = summary_.reading
    readings = list(summary.readings) if summary else []
    dosed = list({(r.regimen.dose.unit, r.regimen.dose.value): r for r in readings if r.regimen.dose}.values())  # type: ignore[union-attr]
    escalating = undosed
    if alike and len(dosed) > 1 and not _every_arm_gets_all(dosed, undosed):
        # "Dose escalation of CD22-CAR" beside "Dose expansion of CD22-CAR": the escalation arm gets every level the
        # summary lists; otherwise which arm has which is not said
        escalating = [d for d in undosed if _ESCALATION.search(f"{d.text.label or ''} {d.text.description}")]
        if len(escalating) != 1:
            dosed = []
    for draft in (escalating if len(cell_arms) == 1 or alike else []):
        if dosed:
            own = draft.regimens[0]  # the arm's texts may give the schedule the summary's dose lacks
            schedule = _schedule_of(own) if own.administrations else {}
            draft.regimens = [_with(r.regimen, route=r.regimen.route or own.route,
                                    route_source=r.regimen.route_source or own.route_source,
                                    **(schedule if r.regimen.administrations is None else {})) for r in dosed]
            draft.flags = [f for f in draft.flags if f.code != "no-dose"]
            draft.flags.append(Flag(code="dose-from-summary", message="The arm's texts state no cell number; "
                                    + "; ".join(f"{describe_dose(r.regimen.dose)} is read from the trial's summary "  # type: ignore[arg-type]
                                                f"(“{r.regimen.dose.source.text}”)" for r in dosed) + "."))  # type: ignore[union-attr]
            draft.readings.extend(dosed)
            draft.flags.extend(f for r in dosed for f in r.flags)
            draft.flags.extend(summary.flags if summary else ())  # what reading the summary's doses had to decide
            for regimen in draft.regimens:
                draft.flags.extend(_regimen_flags(regimen))
    levels = len({(r.dose.unit, r.dose.value) for d in cell_arms for r in d.regimens if r.dose})
    # A summary's schedule is not the cells' when its sentence names a drug and no cells ("You will also receive
    # mesna by vein ... every 4 hours for a total of 10 mesna doses"), or times blood draws.
    scheduled = [r.regimen for r in readings if r.regimen.administrations and not _dose_levels(r.regimen, levels)
                 and r.regimen.schedule_source and not _drug_or_sampling(r.regimen.schedule_source.text)]
    distinct = {(r.administrations, r.interval_days, r.administration_days): r for r in scheduled}
    for draft in unscheduled:
        settled = []
        for regimen in draft.regimens:
            if regimen.dose is None or regimen.administrations is not None or regimen.interval_days:
                settled.append(regimen)
                continue
            same = [r for r in scheduled if r.dose and _same_dose(r, regimen)]
            found = same[0] if same else (next(iter(distinct.values())) if len(distinct) == 1 else None)
            if found is None:
                settled.append(regimen)
                continue
            settled.append(_with(regimen, **_schedule_of(found)))
            draft.flags.append(Flag(code="dose-from-summary", message=f"The arm's texts state no repeat; the "
                                    f"schedule, {_schedule_text(found)}, is read from the trial's summary "
                                    f"(“{found.schedule_source.text if found.schedule_source else ''}”)."))
            # what reading that schedule had to decide: doses left uncounted, a bound, a count worked out
            draft.flags.extend(f for r in readings if r.regimen is found for f in r.flags
                               if f.code in _SCHEDULE_FLAGS)
        draft.regimens = settled


_SCHEDULE_FLAGS = frozenset(("optional-doses", "count-bound", "count-from-span", "count-open", "fractionated"))
_ENDS = ("lowest", "highest")


def _levels_between_ends(drafts: list[_Draft], summary: _Summary) -> None:
    """"Three dose levels will be explored. The lowest dose level will be 1x107cells/m2 and the highest will be
    5x107/m2" beside a summary listing "the three doses 1.0x107cells/m2, 2 x107cells/m2 and 5x107cells/m2": an arm
    naming only the lowest and highest of the levels its trial's summary lists gets every level (flagged)."""
    ends = [d for d in drafts if d.cellular and not d.placebo and _names_only_ends(d.regimens)]
    if not ends or not summary.texts:
        return
    listed = summary.dosed
    for draft in ends:
        own = [r for r in draft.regimens if r.dose]
        if not _ends_of_listed_levels(tuple(Reading(r) for r in own), listed):
            continue
        schedule = _schedule_of(own[0])
        levels = {(r.regimen.dose.unit, r.regimen.dose.value): r for r in listed}  # type: ignore[union-attr]
        draft.regimens = [_with(r.regimen, route=own[0].route, route_source=own[0].route_source, **schedule)
                          for _, r in sorted(levels.items())]
        draft.flags.append(Flag(code="dose-from-summary", message="The arm names the lowest and highest dose "
                                "levels; the levels between them are read from the trial's summary ("
                                + ", ".join(describe_dose(r.dose) for r in draft.regimens) + ")."))  # type: ignore[arg-type]


def _units_from_summary(drafts: list[_Draft], summary: _Summary) -> None:
    """"CART T cells 1-3x10^7 Day 0" (no unit) beside a description's "a single dose of 1-3 x 107/m2 ... cells": an
    arm's number written without its unit takes the unit the trial's summary writes for that very number (flagged);
    a number the summaries do not repeat stays a flat count of cells."""
    bare = [(d, r) for d in drafts if d.cellular and not d.placebo for r in d.readings
            if r.unit_assumed and r.regimen.dose and any(g.dose == r.regimen.dose for g in d.regimens)]
    if not bare or not summary.texts:
        return
    for draft, reading in bare:
        dose = reading.regimen.dose
        units = {r.regimen.dose.unit for r in summary.dosed if r.regimen.dose.unit != dose.unit  # type: ignore[union-attr]
                 and _same_numbers(r.regimen.dose, dose)}  # type: ignore[arg-type]
        if len(units) != 1:
            continue
        unit = units.pop()
        stated = dose.model_copy(update={"unit": unit})  # type: ignore[union-attr]
        restated = [r for r in draft.regimens if r.dose == dose]
        stale = {(f.code, f.message) for r in restated for f in _regimen_flags(r)}  # they name the old unit
        draft.regimens = [_with(r, dose=stated) if r.dose == dose else r for r in draft.regimens]
        draft.flags = [f for f in draft.flags if (f.code, f.message) not in stale]
        draft.flags.extend(f for r in draft.regimens if r.dose == stated for f in _regimen_flags(r))
        draft.flags.append(Flag(code="unit-from-summary", message=f"“{dose.source.text}” writes no unit; the "  # type: ignore[union-attr]
                                f"trial's summary gives the same number in {unit}, which is used."))


def _same_numbers(a: Dose, b: Dose) -> bool:
    return math.isclose(a.value, b.value, rel_tol=1e-9) and (a.low is None) == (b.low is None) and \
        (a.low is None or (math.isclose(a.low, b.low, rel_tol=1e-9)  # type: ignore[arg-type]
                           and math.isclose(a.high, b.high, rel_tol=1e-9)))  # type: ignore[arg-type]


def _names_only_ends(regimens: list[Regimen]) -> bool:
    dosed = [r for r in regimens if r.dose]
    if len(dosed) != 2 or len({r.dose.unit for r in dosed}) != 1:  # type: ignore[union-attr]
        return False
    words_ = " ".join({r.dose.source.text.lower() for r in dosed})  # type: ignore[union-attr]
    return all(end in words_ for end in _ENDS)


_ESCALATION = re.compile(r"\bdose[-\s]{1,3}escalat|\bescalat\w*\s{1,3}(?:phase|part|cohorts?|stage)\b", re.I)


def _from_named_parts(drafts: list[_Draft], summaries: tuple[str, ...]) -> None:
    """"Cohort A receives escalating doses ... A1: 1x10(6) NK cells/kg ... cohort B will receive ... B1: 1 x 10(7)
    NK cells/kg": where a summary speaks of each undosed arm by its label, the doses in what it says of an arm are
    that arm's (flagged as read from the summary)."""
    labels = {d.text.label: d for d in drafts if d.text.label}
    for text in summaries:
        starts = sorted((at, label) for label in labels for at in _all_named_at(text, label))
        if len({label for _, label in starts}) < 2:
            continue
        parts: dict[str, list[str]] = {}
        for (at, label), following in zip(starts, [*starts[1:], (len(text), "")]):
            parts.setdefault(label, []).append(text[at:following[0]])
        for label, pieces in parts.items():
            draft = labels[label]
            if any(r.dose for r in draft.regimens):
                continue
            kept = "\n".join(pieces)  # what follows an arm's name speaks of it, giving words or not ("A1: 1x10(6)")
            readings = [r for r in read_paragraph(kept, f"the trial's summary, part for '{label}'").readings
                        if r.regimen.dose]
            if not readings:
                continue
            own = draft.regimens[0]
            draft.regimens = [_with(r.regimen, route=r.regimen.route or own.route,
                                    route_source=r.regimen.route_source or own.route_source) for r in readings]
            draft.flags = [f for f in draft.flags if f.code != "no-dose"]
            draft.flags.append(Flag(code="dose-from-summary", message="The arm's texts state no cell number; "
                                    f"what the trial's summary says of '{label}' gives "
                                    + ", ".join(describe_dose(r.regimen.dose) for r in readings)  # type: ignore[arg-type]
                                    + f" (“{readings[0].regimen.dose.source.text}”)."))  # type: ignore[union-attr]
            draft.flags.extend(f for r in readings for f in r.flags)
            draft.readings.extend(readings)
            for regimen in draft.regimens:
                draft.flags.extend(_regimen_flags(regimen))


def _all_named_at(text: str, label: str) -> list[int]:
    """Every place a summary starts speaking of the arm `label` ("Cohort A", "A1:", "Group 2:")."""
    if label.strip().lower() not in text.lower():
        return []
    return [m.start() for m in _naming_in_summary(label.strip()).finditer(text)]


@lru_cache(maxsize=1024)
def _naming_in_summary(label: str) -> re.Pattern[str]:
    escaped = re.escape(label)
    return re.compile(rf"\b(?:arm|group|cohort)\s{{0,3}}{escaped}\b|(?<![\w-]){escaped}\d{{0,2}}\s{{0,3}}[:：]", re.I)


def _every_arm_gets_all(dosed: list[Reading], arms: list[_Draft]) -> bool:
    """Weight bands apply to every arm; so do dose levels or cohorts, when no arm's label or text names a level or
    a dose of its own (three disease arms, each escalating through the same cohorts)."""
    if all(r.banded for r in dosed):
        return True
    return all(r.regimen.applies_to for r in dosed) and not any(d.level or _has_digit(d.text.label or "")
                                                                 for d in arms)


def _same_product(drafts: list[_Draft]) -> bool:
    """Arms that all receive the same cell product (cohorts differing in conditioning, say: "modified T cells alone"
    and "modified T cells with cyclophosphamide") get one dose from a summary that states one."""
    products = {tuple(sorted(i.name for i in d.text.interventions if gives_cells(i))
                      or sorted(i.name for i in d.text.interventions)) for d in drafts}
    return len(products) == 1 and bool(next(iter(products)))


def _regimen_sentences(text: str) -> list[str]:
    """The sentences of a summary that may state a regimen: around each digit or schedule word, the sentence
    holding it, if it also says something is given. A summary is long and mostly background; finding the few
    candidate sentences from plain character searches is far cheaper than reading the whole text."""
    lowered = text.lower()
    cues = [m.start() for m in (_ASCII_DIGIT if text.isascii() else _DIGIT).finditer(text)]
    for word in _SUMMARY_SCHEDULE_WORDS:
        at = lowered.find(word)
        while at >= 0:
            cues.append(at)
            at = lowered.find(word, at + len(word))
    found: dict[int, str] = {}
    covered = 0  # cues inside a sentence already taken are passed over
    for cue in sorted(cues):
        if cue < covered:
            continue
        low = max(0, cue - _SENTENCE_REACH)
        stop = text.rfind(". ", low, cue)  # -1 when the sentence starts the text: never cut its first letter
        start = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", low, cue) + 1, low)
        ends = [e for e in (text.find(". ", cue, cue + _SENTENCE_REACH), text.find("\n", cue, cue + _SENTENCE_REACH))
                if e >= 0]
        covered = min(ends) + 1 if ends else min(len(text), cue + _SENTENCE_REACH)
        sentence = text[start:covered]
        lowered_sentence = sentence.lower()
        if _REGIMEN_STRINGS.any_in(lowered_sentence) and (
                GIVING.search(sentence) or _under_giving_heading(text, start)):
            found[start] = sentence.strip()
    return list(found.values())


def _under_giving_heading(text: str, start: int) -> bool:
    """Whether the line at `start` is an item of a list whose heading says something is given: "Dosage of
    Mesenchymal stem cells:" above "1 million cell/kg iv---day 0", "... day 2", "... day 4"."""
    for line in reversed(text[max(0, start - _SENTENCE_REACH):start].splitlines()):
        line = line.strip()
        if line.endswith((":", "：", "as follows;", "as follows")):  # not "Study Tests After the NK Infusion:"
            return GIVING.search(line) is not None and FOLLOW_UP.search(line) is None
        if line and not _DIGIT.search(line):  # prose between: the list, if any, has ended
            return False
    return False


def _dose_levels(regimen: Regimen, levels: int) -> bool:
    """"the intravenous administration of 3 doses" in a trial of three dose levels counts levels, not doses."""
    words_ = regimen.schedule_source.text.lower() if regimen.schedule_source else ""
    return levels > 1 and regimen.administrations == levels and "doses" in words_


def _quoted(regimen: Regimen) -> str:
    sources = [regimen.dose.source if regimen.dose else None, regimen.schedule_source]
    return " ".join(source.text for source in sources if source is not None)


def _settle_count(draft: _Draft) -> None:
    """A dose with no stated repeat is one administration (convention 2.1); an open-ended schedule stays open."""
    open_ended = any(r.open_ended for r in draft.readings) or any(f.code == "count-open" for f in draft.flags)
    settled = []
    for regimen in draft.regimens:
        if regimen.dose is not None and regimen.administrations is None:
            if open_ended or regimen.interval_days:
                if not any(f.code == "count-open" for f in draft.flags):  # else the reading has said why
                    given = f" {_schedule_text(regimen)}" if regimen.interval_days else ""  # "weekly", not "not stated"
                    draft.flags.append(Flag(code="count-open", message=f"{describe_dose(regimen.dose)} is given"
                                            f"{given} with no end stated: the number of administrations and the "
                                            "cumulative dose are unknown."))
            else:
                draft.flags.append(Flag(code="count-assumed", message="count not stated: one administration "
                                        f"assumed for {describe_dose(regimen.dose)}."))
                regimen = _with(regimen, administrations=1, administration_days=(0.0,))
        settled.append(regimen)
    draft.regimens = settled


def _ends_of_listed_levels(own: tuple[Reading, ...], linked: list[Reading]) -> bool:
    """The arm names only the lowest and highest of the dose levels its intervention lists ("starting with the
    lowest cell dose (2×10^7 cells/m2) and then escalate ... to the highest cell dose (2×10^8/m2)" beside "Group One,
    2x10^7 ... Group Two, 1x10^8 ... Group Three, 2x10^8 cells/m^2"): every listed level is the arm's."""
    def doses(readings: Iterable[Reading]) -> set[tuple[str, float]]:
        return {(r.regimen.dose.unit, r.regimen.dose.value) for r in readings if r.regimen.dose}  # type: ignore[union-attr]
    mine, listed = doses(own), doses(linked)
    if len(mine) != 2 or not mine < listed or len({unit for unit, _ in listed}) != 1:
        return False
    values = sorted(value for _, value in listed)
    return {value for _, value in mine} == {values[0], values[-1]}


# What a paragraph's reading says of a schedule, kept when an arm takes that schedule for its own dose.
_SCHEDULE_FLAGS = frozenset(("count-bound", "count-open", "count-added", "fractionated", "optional-doses",
                             "count-from-span"))


def _from_arm_doses(
    own: tuple[Reading, ...], linked: list[Reading], arm_phase: str | None, location: str, flags: list[Flag]
) -> list[Regimen]:
    regimens: list[Regimen] = []
    for reading in (r for r in own if r.regimen.dose):
        regimen = reading.regimen
        same = [r.regimen for r in linked if r.regimen.dose and _same_dose(r.regimen, regimen)]
        if arm_phase:
            same = [r for r in same if r.phase in (None, arm_phase)] or same
        others = [r.regimen for r in linked if r.regimen.dose and not _same_dose(r.regimen, regimen)]
        totalled = next((o for o in others if regimen.administrations is None and _totals(regimen, o)), None)
        if totalled is not None and not same:
            # "Target dose of 3 million Mesenchymal Stem Cells" beside "one dose of 1*10^6 cells ... once a day for
            # continuous three days": the arm's number is the course's total
            flags.append(Flag(code="dose-computed", message=f"The arm's text gives {describe_dose(regimen.dose)}, "  # type: ignore[arg-type]
                              f"the total of {describe_dose(totalled.dose)} × {totalled.administrations} that "  # type: ignore[arg-type]
                              f"{totalled.dose.source.location} gives; that regimen is used."))  # type: ignore[union-attr]
            regimens.append(_with(totalled, phase=totalled.phase or regimen.phase or arm_phase))
            continue
        if others and not same:
            flags.append(_disagreement("dose", describe_dose(regimen.dose), describe_dose(others[0].dose), others[0]))
        if regimen.administrations is not None:
            agreeing = [r for r in same if _same_schedule(r, regimen)]
            # an intervention that states no schedule for the dose says nothing against the arm's
            stating = [r for r in same if r.administrations is not None or r.interval_days]
            if stating and not any(_same_schedule(r, regimen) for r in stating):
                flags.append(_disagreement("schedule", _schedule_text(regimen), _schedule_text(stating[0]),
                                           stating[0]))
            phases = {r.phase for r in agreeing if r.phase}
            phase = regimen.phase or arm_phase or (phases.pop() if len(phases) == 1 else None)
            regimens.append(_with(regimen, phase=phase))
            continue
        scheduled = [r for r in same if r.administrations is not None]
        if scheduled:  # what reading that schedule decided ("at least two fixed doses": the count is a minimum)
            flags.extend(f for r in linked if r.regimen is scheduled[0] for f in r.flags if f.code in _SCHEDULE_FLAGS)
        if not scheduled:  # a schedule the interventions give without a dose ("once a week for 4 weeks")
            loose = {(r.regimen.administrations, r.regimen.interval_days): r for r in linked
                     if not r.regimen.dose and r.regimen.administrations
                     and (not arm_phase or r.regimen.phase in (None, arm_phase))}
            scheduled = []
            if len(loose) == 1:
                (only,) = loose.values()
                scheduled = [only.regimen]
                flags.extend(only.flags)  # what reading that schedule decided ("a split-dose regimen": fractionated)
        if not scheduled:
            regimens.append(_with(regimen, phase=regimen.phase or arm_phase))
        for found in scheduled:
            regimens.append(_with(regimen, **_schedule_of(found), phase=found.phase or arm_phase))
    return regimens


def _from_interventions(
    own: tuple[Reading, ...],
    linked: list[Reading],
    arm_phase: str | None,
    level: tuple[int, str] | None,
    flags: list[Flag],
) -> list[Regimen]:
    own_reading = next((r for r in own if r.regimen.administrations or r.regimen.interval_days), None)
    own_schedule = own_reading.regimen if own_reading else None
    dosed = [r for r in linked if r.regimen.dose]
    if arm_phase:
        dosed = [r for r in dosed if r.regimen.phase in (None, arm_phase)]
    dosed = _pick_listed(dosed, level, flags)
    levels = len({(r.regimen.dose.unit, r.regimen.dose.value) for r in dosed})  # type: ignore[union-attr]
    if own_schedule is not None and _dose_levels(own_schedule, levels):
        # "a dose escalation protocol (three doses with at least three patients per cohort)" beside "3.10^6 ;
        # 8.10^6 and 12.10^6 cells/kg": the arm's "three doses" are the intervention's three levels
        said = f" (“{own_schedule.schedule_source.text}”)" if own_schedule.schedule_source else ""
        flags.append(Flag(code="count-is-levels", message=f"The arm's text counts {levels} doses{said}; beside "
                          f"{levels} dose levels they are read as the levels, not as {levels} administrations each."))
        own_schedule = None
    if not dosed:
        schedule = own_schedule or next((r.regimen for r in linked if r.regimen.administrations), None)
        return [_with(schedule, phase=schedule.phase or arm_phase)] if schedule else []
    # "2 * 10^7 cells (2ml)" in the product's text and "one time/one menstrual cycle, total 2 times" in the linked
    # procedure's: the one schedule the arm's other texts give, for a dose whose own text states none
    undosed = {(r.regimen.administrations, r.regimen.interval_days): r.regimen for r in linked
               if r.regimen.dose is None and r.regimen.administrations and r.regimen.schedule_source
               and mentions_cells(r.regimen.schedule_source.text)}  # not "a single dose of Td toxoid"
    elsewhere = next(iter(undosed.values())) if own_schedule is None and len(undosed) == 1 else None
    regimens = []
    for reading in dosed:
        regimen = _with(reading.regimen, phase=reading.regimen.phase or arm_phase)
        if elsewhere is not None and regimen.administrations is None and not regimen.interval_days:
            regimen = _with(regimen, **_schedule_of(elsewhere))
        if own_schedule is not None and own_reading and own_reading.cycles and reading.per_cycle:
            regimen = _in_cycles(regimen, own_reading.cycles, reading.per_cycle, own_schedule, flags)
        elif own_schedule is not None:
            if regimen.administrations is not None and not _same_schedule(regimen, own_schedule):
                flags.append(_disagreement("schedule", _schedule_text(own_schedule), _schedule_text(regimen), regimen))
            regimen = _with(regimen, **_schedule_of(own_schedule))
        regimens.append(regimen)
    # "2x10^7 ... DCs ... up to a total of 10 DC vaccines" and "111In-labeled DCs are 2 x 10^7 ... given as fourth
    # vaccine": one dose two interventions state, one of them with its count, is one regimen.
    return [r for r in regimens if r.administrations is not None or not any(
        o is not r and o.administrations is not None and _same_dose(o, r) for o in regimens)]


def _in_cycles(regimen: Regimen, cycles: int, per_cycle: int, arm: Regimen, flags: list[Flag]) -> Regimen:
    """"patients will receive 3 cycles of ... D-CIK treatment" beside "for 3 cycles, each cycle received four
    infusions": the arm counts cycles, its intervention the administrations of each; their product is the count.
    Where the two disagree on the cycles ("four cycles" against the arm's 3), the arm's are used, flagged."""
    count = cycles * per_cycle
    if count == regimen.administrations:
        return regimen
    flags.append(_disagreement("schedule", f"{cycles} cycles", f"{_schedule_text(regimen)} ({per_cycle} in each "
                               "cycle)", regimen))
    return _with(regimen, administrations=count, interval_days=None, administration_days=(),
                 schedule_source=arm.schedule_source)


def _pick_listed(dosed: list[Reading], level: tuple[int, str] | None, flags: list[Flag]) -> list[Reading]:
    """One shared text listing "25, 100 or 200 million cells" gives the low arm the lowest."""
    listed = [r for r in dosed if r.listed]
    if len(listed) < 2:
        return dosed
    ordered = sorted(listed, key=lambda r: r.regimen.dose.value)  # type: ignore[union-attr]
    if level is None:
        flags.append(Flag(code="dose-alternatives", message="The intervention lists several doses and the arm "
                          "does not say which it receives; every listed dose is shown."))
        return dosed
    index = {1: 0, 2: len(ordered) // 2, 3: len(ordered) - 1}[level[0]]
    chosen = ordered[index]
    flags.append(Flag(code="dose-from-list", message=f"The intervention lists {len(ordered)} doses; this "
                      f"'{level[1]} dose' arm is given the {('lowest', 'middle', 'highest')[level[0] - 1]}, "
                      f"{describe_dose(chosen.regimen.dose)}."))  # type: ignore[arg-type]
    return [r for r in dosed if not r.listed] + [chosen]


def _settle_phase(draft: _Draft, trial_phases: tuple[str, ...], readings: list[Reading]) -> None:
    """Give each regimen a phase: the trial's only phase, or the phase whose schedule it shares."""
    settled = []
    for regimen in draft.regimens:
        phase = regimen.phase
        if phase is None and regimen.administrations:
            phases = {r.regimen.phase for r in readings if r.regimen.phase and _same_schedule(r.regimen, regimen)}
            if len(phases) == 1:
                phase = phases.pop()
                draft.flags.append(Flag(code="phase-inferred", message=f"{phase} is inferred: the record "
                                        f"gives this arm's schedule ({_schedule_text(regimen)}) only for {phase}."))
        if phase is None and len(trial_phases) == 1 and not any(r.regimen.phase for r in readings):
            phase = trial_phases[0]
        settled.append(_with(regimen, phase=phase))
    draft.regimens = settled


def _check_level_labels(drafts: list[_Draft]) -> None:
    """Flag arms whose "low/medium/high dose" wording contradicts their number; the number wins. Levels that give
    one dose more or less often ("one dose of 1*10^6 cells ... for continuous three days" against six days) are
    told by the course's total, not by the dose they share."""
    dosed = [(d, d.regimens[0].dose) for d in drafts if d.level and d.regimens and d.regimens[0].dose]
    by_dose = _level_clashes(dosed, lambda draft, dose: dose.value)
    one_dose = len({(dose.unit, round(dose.value, 6)) for _, dose in dosed}) == 1  # the levels differ in count only
    by_total = _level_clashes(dosed, lambda draft, dose: dose.value * (draft.regimens[0].administrations or 1)) \
        if one_dose else by_dose
    for draft, dose in dosed:
        if id(draft) not in by_dose or id(draft) not in by_total:
            continue
        word = draft.level[1]  # type: ignore[index]
        draft.flags.append(Flag(
            code="label-contradicts-dose",
            message=f"The record calls this arm '{word} dose', but it receives {describe_dose(dose)} "
            f"({by_dose[id(draft)]}). The number is used; the '{word} dose' wording is not.",
        ))


def _level_clashes(dosed: list[tuple[_Draft, Dose]], measure: Callable[[_Draft, Dose], float]) -> dict[int, str]:
    """The arms (by id) whose level word the measure contradicts, each with what the other levels receive."""
    clashes: dict[int, str] = {}
    for unit in {dose.unit for _, dose in dosed}:
        by_level: dict[int, list[float]] = {}
        for draft, dose in dosed:
            if dose.unit == unit:
                by_level.setdefault(draft.level[0], []).append(measure(draft, dose))  # type: ignore[index]
        reference = {level: _typical(level, values) for level, values in by_level.items()}
        for draft, dose in dosed:
            if dose.unit != unit:
                continue
            rank = draft.level[0]  # type: ignore[index]
            value = measure(draft, dose)
            clash = [lvl for lvl, ref in reference.items() if (lvl > rank and ref <= value) or
                     (lvl < rank and ref >= value)]
            if not clash and _close(value, reference[rank]):
                continue
            if not clash and len(set(by_level[rank])) == 1:
                continue
            clashes[id(draft)] = "; ".join(
                f"'{_LEVEL_WORDS[lvl]} dose' arms receive {format_cells(reference[lvl], unit)}"
                for lvl in sorted(reference) if lvl != rank or not _close(reference[lvl], value))
    return clashes


_LEVEL_WORDS = {1: "low", 2: "medium", 3: "high"}


def _typical(level: int, values: list[float]) -> float:
    """The dose most arms of a level share; on a tie, the end of the range the level names."""
    counts = Counter(values).most_common()
    top = [value for value, count in counts if count == counts[0][1]]
    if len(top) == 1:
        return top[0]
    return {1: min(top), 2: median(top), 3: max(top)}[level]


def _check_phases(drafts: list[_Draft], trial_phases: tuple[str, ...]) -> list[Flag]:
    """The record's stated phase(s) against the phases its arms' regimens belong to."""
    found = sorted({r.phase for d in drafts for r in d.regimens if r.phase})
    missing = [p for p in found if p not in trial_phases]
    if not trial_phases or not missing:
        return []
    return [Flag(code="phase-contradiction", message=f"The record states {' and '.join(trial_phases)}, but its "
                 f"arms include {' and '.join(missing)} regimens.")]


def _labels(drafts: list[_Draft]) -> list[str]:
    multi_phase = len({r.phase for d in drafts for r in d.regimens if r.phase}) > 1
    labels = [d.text.label or _derived_label(d, multi_phase) for d in drafts]
    counts = Counter(labels)
    seen: Counter[str] = Counter()
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(f"{label} ({seen[label]})" if counts[label] > 1 else label)
    return unique


def _derived_label(draft: _Draft, multi_phase: bool) -> str:
    words = draft.text.description
    if not draft.cellular:
        if mentions_placebo(words):
            return "Control (placebo)"
        return "Control (standard care)" if mentions_control(words) else "Control"
    dosed = [r for r in draft.regimens if r.dose]
    if not dosed:
        return f"Cells, {draft.level[1]} dose (number not stated)" if draft.level else "Cells (dose not stated)"
    parts = []
    for regimen in dosed:
        phase = f"{regimen.phase} · " if multi_phase and regimen.phase else ""
        parts.append(f"{phase}{_dose_text(regimen)} {_schedule_text(regimen)}")
    return " / ".join(parts)


def _infer_type(draft: _Draft) -> str:
    words = f"{draft.text.label or ''} {draft.text.description}"
    if "sham" in words.lower():
        return "SHAM_COMPARATOR"
    if mentions_placebo(words):
        return "PLACEBO_COMPARATOR"
    if draft.cellular:
        return "EXPERIMENTAL"
    return "NO_INTERVENTION" if mentions_control(words) else "OTHER"


def _regimen_flags(regimen: Regimen) -> list[Flag]:
    flags = []
    dose = regimen.dose
    if dose is None:
        return flags
    if dose.is_range:
        flags.append(Flag(code="dose-range", message=f"The dose is a range, {_dose_text(regimen)}; its midpoint, "
                          f"{describe_dose(dose)}, is used for charts and totals."))
    if dose.bound:
        flags.append(Flag(code="dose-bound", message=f"The dose is {dose.bound} {describe_dose(dose)} "
                          f"(“{dose.source.text}”); the bound is charted."))
    if dose.exponent_restored:
        flags.append(Flag(code="exponent-restored", message=f"Read as {describe_dose(dose)}: the record's "
                          f"superscript was lost (“{dose.source.text}”)."))
    return flags


def _disagreement(what: str, arm_says: str, other_says: str, other: Regimen) -> Flag:
    source = other.dose.source if other.dose else other.schedule_source
    where = source.location if source else "its intervention"
    return Flag(code=f"{what}-disagreement", message=f"The arm's text gives {arm_says}, but {where} gives "
                f"{other_says}. The arm's text is used.")


def _dose_text(regimen: Regimen) -> str:
    dose = regimen.dose
    if dose is None:
        return ""
    if dose.low is not None and dose.high is not None:
        return format_dose_range(dose.low, dose.high, dose.unit)
    return describe_dose(dose)


def _schedule_text(regimen: Regimen) -> str:
    return format_schedule(regimen.administrations, regimen.interval_days, regimen.administration_days)


def _with(regimen: Regimen, **changes: object) -> Regimen:
    """The regimen with `changes`, or itself when they change nothing: most do not, and a copy costs more."""
    # `is` first: a regimen mostly keeps its own route source, and comparing two models field by field is slow.
    # The same object is also an equal one here, as a validated regimen holds no NaN.
    if all((current := getattr(regimen, name)) is value or current == value for name, value in changes.items()):
        return regimen
    return regimen.model_copy(update=changes)


def _schedule_of(regimen: Regimen) -> dict:
    return {
        "administrations": regimen.administrations,
        "interval_days": regimen.interval_days,
        "administration_days": regimen.administration_days,
        "schedule_source": regimen.schedule_source,
    }


def _totals(total: Regimen, each: Regimen) -> bool:
    """Whether one regimen's dose is another's dose times its count (a total the arm states for the course)."""
    if total.dose is None or each.dose is None or not each.administrations or each.administrations < 2:
        return False
    return total.dose.unit == each.dose.unit and _close(total.dose.value, each.dose.value * each.administrations)


def _same_dose(a: Regimen, b: Regimen) -> bool:
    if a.dose is None or b.dose is None:
        return False
    return a.dose.unit == b.dose.unit and _close(a.dose.value, b.dose.value)


def _same_schedule(a: Regimen, b: Regimen) -> bool:
    if a.administrations != b.administrations:
        return False
    return a.interval_days is None or b.interval_days is None or _close(a.interval_days, b.interval_days)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _unique(flags: list[Flag]) -> list[Flag]:
    return list(dict.fromkeys(flags))
