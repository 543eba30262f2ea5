"""Trials -> arm rows, plain dictionaries: one per arm regimen, with its dose in cells/kg at a reference patient.

Flat doses (total cells) and doses per m² of body-surface area become cells/kg here, at a reference body weight
and body-surface area the user chooses, and every such row says it was converted. Doses per cm² of a lesion and in
islet equivalents are never put on the cells/kg axis: they keep their own unit and axis.

Kept apart from the pandas frames (`frames`) so that the command line's export, which only writes rows, never
imports pandas: its import was a third of the time of exporting a folder.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Arm, Regimen, Source, Trial
from .notation import format_cells

DEFAULT_WEIGHT_KG = 70.0
# The body-surface area cells/m2 doses are converted at: 1.73 m², the reference adult that dosing per body-surface
# area is conventionally normalised to.
DEFAULT_BSA_M2 = 1.73
# Units put on the cells/kg axis, and how: per kg as stated, flat divided by the weight, per m² times area / weight.
PER_KG_UNITS = ("cells/kg", "cells", "cells/m2")
# Units that have no cells/kg equivalent: each is charted on an axis of its own.
OWN_AXIS_UNITS = ("cells/cm2", "IEQ/kg", "IEQ")
ARM_TYPE_NAMES = {
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active comparator",
    "PLACEBO_COMPARATOR": "Placebo comparator",
    "SHAM_COMPARATOR": "Sham comparator",
    "NO_INTERVENTION": "No intervention",
    "OTHER": "Other",
}
ARM_COLUMNS = [
    "trial_id", "trial_title", "arm", "arm_key", "series", "applies_to", "arm_type", "phase", "phase_from_trial",
    "cellular", "cell_type",
    "route", "dose_per_administration", "dose_low", "dose_high", "dose_unit", "population", "dose_axis",
    "dose_cells_per_kg", "dose_converted",
    "administrations", "interval_days", "administration_days", "cumulative_dose", "cumulative_cells_per_kg",
    "flags", "flag_codes", "source", "dose_source", "schedule_source", "route_source", "label_from_record",
    "description", "trial_phases", "conditions", "arm_flag_codes",
]

# The Source objects behind the "source" column's quotes, kept for pages that show one number's sentence and place.
SOURCE_COLUMNS = ["dose_source", "schedule_source", "route_source"]


def arm_key(trial_id: str, label: str) -> str:
    """The one name of an arm across all loaded trials: labels repeat between trials, ids do not."""
    return f"{trial_id} · {label}"


def arm_codes(arm_keys: Sequence[str]) -> dict[str, str]:
    """A short code per arm (A1, A2, ...), by its position among all loaded arms: on the charts' rows, in the key
    table and in the exports, so a row of a downloaded table is found on a chart."""
    unique = list(dict.fromkeys(arm_keys))
    return {key: f"A{i}" for i, key in enumerate(unique, start=1)}


def arm_rows(trial: Trial, weight_kg: float, bsa_m2: float = DEFAULT_BSA_M2) -> list[dict]:
    """One trial's rows, one per arm regimen in record order: what `frames.arms_frame` and the export are made of."""
    return [
        _arm_row(trial, arm, regimen, name, weight_kg, bsa_m2)
        for arm in trial.arms
        for regimen, name in zip(arm.regimens, regimen_names(arm.regimens), strict=True)
    ]


def regimen_names(regimens: Sequence[Regimen]) -> list[str]:
    """What tells an arm's regimens apart on a chart row: nothing for one, the patients each is for (a weight band,
    a dose level) when those differ, their phases when those differ, else their phase (or "regimen") and number,
    so no two regimens share a row."""
    if len(regimens) == 1:
        return [""]
    groups = [regimen.applies_to for regimen in regimens]
    if all(groups) and len(set(groups)) == len(groups):
        phases = [regimen.phase for regimen in regimens]
        if len(set(phases)) > 1 and all(phases):
            return [f"{phase} · {group}" for phase, group in zip(phases, groups, strict=True)]
        return [str(group) for group in groups]
    phases = [regimen.phase for regimen in regimens]
    if all(phases) and len(set(phases)) == len(phases):
        return [str(phase) for phase in phases]
    return [f"{phase} ({i})" if phase else f"regimen {i}" for i, phase in enumerate(phases, start=1)]


def per_kg_factor(unit: str, weight_kg: float, bsa_m2: float) -> float | None:
    """What a dose in `unit` is multiplied by to be in cells/kg at the reference patient; None when it cannot be."""
    if unit == "cells/kg":
        return 1.0
    if unit == "cells":
        return 1 / weight_kg
    if unit == "cells/m2":
        return bsa_m2 / weight_kg
    return None


def _arm_row(trial: Trial, arm: Arm, regimen: Regimen, name: str, weight_kg: float, bsa_m2: float) -> dict:
    dose = regimen.dose
    per_kg = None
    converted = False
    flags = [f.message for f in arm.flags] + [f"Trial: {f.message}" for f in trial.flags]
    trial_codes = {f.code for f in trial.flags} - {f.code for f in arm.flags}
    codes = [f.code for f in arm.flags] + [f.code for f in trial.flags]
    if dose is not None:
        factor = per_kg_factor(dose.unit, weight_kg, bsa_m2)
        converted = factor is not None and dose.unit != "cells/kg"
        per_kg = dose.value * factor if factor is not None else None
        if converted:
            codes.append("dose-converted")
            flags.append(_conversion_note(dose.value, dose.unit, per_kg, weight_kg, bsa_m2))  # type: ignore[arg-type]
        elif factor is None:
            codes.append("dose-own-unit")
            flags.append(f"{format_cells(dose.value, dose.unit)} has no cells/kg equivalent; it is charted on an axis "
                         f"of its own, in {dose.unit}.")
    count = regimen.administrations
    key = arm_key(trial.trial_id, arm.label)
    return {
        "trial_id": trial.trial_id,
        "trial_title": trial.title or trial.brief_title or "",
        "arm": arm.label,
        "arm_key": key,
        "series": f"{key} · {name}" if name else key,
        "applies_to": regimen.applies_to or "",
        "arm_type": ARM_TYPE_NAMES.get(arm.type, arm.type.replace("_", " ").capitalize()),
        "phase": regimen.phase or trial_phase(trial.phases),
        "phase_from_trial": not regimen.phase and bool(trial.phases),
        "cellular": arm.cellular,
        "cell_type": arm.cell_type or "",
        "route": regimen.route or "",
        "dose_per_administration": dose.value if dose else None,
        "dose_low": dose.low if dose else None,
        "dose_high": dose.high if dose else None,
        "dose_unit": dose.unit if dose else "",
        "population": (dose.population or "") if dose else "",
        "dose_axis": dose_axis(dose.unit) if dose else "",
        "dose_cells_per_kg": per_kg,
        "dose_converted": converted,
        "administrations": count,
        "interval_days": regimen.interval_days,
        "administration_days": tuple(regimen.administration_days),
        "cumulative_dose": regimen.cumulative_dose,
        "cumulative_cells_per_kg": per_kg * count if per_kg is not None and count is not None else None,
        "flags": " | ".join(dict.fromkeys(flags)),
        "flag_codes": tuple(dict.fromkeys(codes)),
        "arm_flag_codes": tuple(dict.fromkeys(code for code in codes if code not in trial_codes)),
        "source": _source_text(regimen),
        "dose_source": dose.source if dose else None,
        "schedule_source": regimen.schedule_source,
        "route_source": regimen.route_source,
        "label_from_record": arm.label_from_record,
        "description": arm.description,
        "trial_phases": trial.phases,
        "conditions": tuple(dict.fromkeys(c.strip() for c in trial.conditions if c.strip())),
    }


def trial_phase(phases: Sequence[str]) -> str:
    """A trial's registered phases as one phase, as analysts write it ("Phase 1/2"): an arm whose texts name no
    phase of its own is in its trial's, so the Phase filter and the charts keep it (its row says it was taken
    from the trial)."""
    if not phases:
        return ""
    numbers = [phase.removeprefix("Phase ") for phase in phases]
    if len(phases) > 1 and all(phase.startswith("Phase ") for phase in phases):
        return "Phase " + "/".join(numbers)
    return " / ".join(phases)


def _source_text(regimen: Regimen) -> str:
    """Each quoted sentence once, with what it supports: 'dose, schedule: “…” (arm paragraph 2)'."""
    supports: dict[Source, list[str]] = {}
    for what, source in (("dose", regimen.dose.source if regimen.dose else None),
                         ("schedule", regimen.schedule_source), ("route", regimen.route_source)):
        if source is not None:
            supports.setdefault(source, []).append(what)
    return " | ".join(f"{', '.join(what)}: {quote_source(source)}" for source, what in supports.items())


def quote_source(source: Source | None) -> str:
    """“sentence” (where it sits in the record), or empty when there is no source."""
    return f"“{source.text}” ({source.location})" if source else ""


def dose_axis(unit: str) -> str:
    """The axis a dose in `unit` is charted on: cells/kg for every unit that converts to it, else its own unit."""
    return "cells/kg" if unit in PER_KG_UNITS else unit


def _conversion_note(value: float, unit: str, per_kg: float, weight_kg: float, bsa_m2: float) -> str:
    if unit == "cells":
        return (f"Flat dose of {format_cells(value, 'cells')} converted to {format_cells(per_kg, 'cells/kg')} at a "
                f"reference weight of {weight_kg:g} kg.")
    return (f"Dose of {format_cells(value, unit)} converted to {format_cells(per_kg, 'cells/kg')} at a reference "
            f"body-surface area of {bsa_m2:g} m² and weight of {weight_kg:g} kg.")


def check_weight(weight_kg: float) -> None:
    if not 1 <= weight_kg <= 500:
        raise ValueError(f"reference body weight must be between 1 and 500 kg, got {weight_kg:g}")


def check_bsa(bsa_m2: float) -> None:
    if not 0.1 <= bsa_m2 <= 3.5:
        raise ValueError(f"reference body-surface area must be between 0.1 and 3.5 m², got {bsa_m2:g}")
