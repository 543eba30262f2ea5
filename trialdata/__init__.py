"""trialdata: read cell-therapy trial records and compare their arms' doses and schedules.

Flow: files -> `load` (readers) -> `models` -> `rows` -> `frames` -> charts, pages and exports.
The library never imports Streamlit; the dashboard calls it.

The names below are imported when first used, not with the package: importing any of its modules imports this
file first, and the command line's export needs neither pandas nor the frames.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import RecordError
    from .frames import administrations_frame, arms_frame, cumulative_frame
    from .load import LoadResult, Problem, load_paths, read_record
    from .models import Arm, Dose, Flag, Intervention, Regimen, Source, Trial

_HOMES = {
    "RecordError": "errors",
    **dict.fromkeys(("administrations_frame", "arms_frame", "cumulative_frame"), "frames"),
    **dict.fromkeys(("LoadResult", "Problem", "load_paths", "read_record"), "load"),
    **dict.fromkeys(("Arm", "Dose", "Flag", "Intervention", "Regimen", "Source", "Trial"), "models"),
}

__all__ = [
    "Arm", "Dose", "Flag", "Intervention", "LoadResult", "Problem", "RecordError", "Regimen", "Source", "Trial",
    "administrations_frame", "arms_frame", "cumulative_frame", "load_paths", "read_record",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'trialdata' has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)
