"""Records of the same trial -> one trial, with every disagreement between them shown.

A trial often arrives twice (the registry's JSON and a ClinicalIndex text
record). Users must see one trial, not two, and must see where the records
differ rather than have one silently win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .models import Flag, Trial
from .notation import format_cells, format_schedule


def merge_trials(trials: Iterable[Trial]) -> list[Trial]:
    """One trial per trial id, in first-seen order."""
    groups: dict[str, list[Trial]] = {}
    for trial in trials:
        groups.setdefault(trial.trial_id, []).append(trial)
    return [group[0] if len(group) == 1 else merge_group(group) for group in groups.values()]


def merge_group(records: list[Trial]) -> Trial:
    """Merge records of one trial: arms from the record with the registry's own labels, facts side by side."""
    base = max(records, key=lambda t: sum(a.label_from_record for a in t.arms))
    records = [base, *(r for r in records if r is not base)]  # the base's values are named first
    flags: list[Flag] = []
    status = _joined(records, lambda t: t.status, "status", flags)
    enrollment = _agreed(records, lambda t: t.enrollment, "enrollment", flags)
    sites = _agreed(records, lambda t: t.sites, "number of sites", flags)
    phases = tuple(dict.fromkeys(p for t in records for p in t.phases))
    _agreed(records, lambda t: " and ".join(t.phases) or None, "phase", flags)
    flags.extend(_regimen_differences(base, records))
    # The other records' own flags describe readings that the merged arms replace; what still
    # matters about them is where they disagree with the base, flagged above.
    flags = list(base.flags) + flags
    return base.model_copy(update={
        "title": base.title or _first(records, lambda t: t.title) or "",
        "brief_title": base.brief_title or _first(records, lambda t: t.brief_title),
        "phases": phases,
        "status": status,
        "enrollment": enrollment if enrollment is not None else base.enrollment,
        "sites": sites if sites is not None else base.sites,
        "conditions": base.conditions or _first(records, lambda t: t.conditions) or (),
        "summary": base.summary or _first(records, lambda t: t.summary) or "",
        "sponsor": base.sponsor or _first(records, lambda t: t.sponsor),
        "start_date": base.start_date or _first(records, lambda t: t.start_date),
        "flags": tuple(dict.fromkeys(flags)),
        "record_files": tuple(f for t in records for f in t.record_files),
    })


def _values(records: list[Trial], field: Callable[[Trial], Any]) -> dict[Any, list[str]]:
    """Each distinct stated value and the files stating it."""
    values: dict[Any, list[str]] = {}
    for record in records:
        value = field(record)
        if value not in (None, "", ()):
            values.setdefault(value, []).extend(_file_name(f) for f in record.record_files)
    return values


def _agreed(records: list[Trial], field: Callable[[Trial], Any], name: str, flags: list[Flag]) -> Any:
    """The value all records state, or the first one and a flag quoting every value when they differ."""
    values = _values(records, field)
    if len(values) > 1:
        said = "; ".join(f"{value} ({', '.join(files)})" for value, files in values.items())
        flags.append(Flag(code="records-disagree", message=f"The records disagree on {name}: {said}."))
    return next(iter(values), None)


def _joined(records: list[Trial], field: Callable[[Trial], Any], name: str, flags: list[Flag]) -> str | None:
    """Text the records agree on, or every value they give, joined, so the user sees them all."""
    values = _values(records, field)
    _agreed(records, field, name, flags)
    return " / ".join(str(v) for v in values) or None


def _first(records: list[Trial], field: Callable[[Trial], Any]) -> Any:
    return next((field(t) for t in records if field(t)), None)


def _regimen_differences(base: Trial, records: list[Trial]) -> list[Flag]:
    """Regimens another record states that the merged arms do not."""
    shown = _signatures(base)
    flags = []
    for record in records:
        if record is base:
            continue
        missing = _signatures(record) - shown
        if missing:
            listed = "; ".join(sorted(missing))
            flags.append(Flag(code="records-disagree", message=f"{_files(record)} gives regimens the arms shown "
                              f"(from {_files(base)}) do not: {listed}."))
    return flags


def _file_name(path: str) -> str:
    """The file's own name, so a flag reads the same whether the record came from a folder or an upload."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _files(trial: Trial) -> str:
    return ", ".join(_file_name(f) for f in trial.record_files)


def _signatures(trial: Trial) -> set[str]:
    return {
        f"{r.phase or 'phase not stated'} {format_cells(r.dose.value, r.dose.unit)} "
        f"{format_schedule(r.administrations, r.interval_days, r.administration_days)}"
        for arm in trial.arms for r in arm.regimens if r.dose is not None
    }
