"""trialdata: read cell-therapy trial records and compare their arms' doses and schedules.

Flow: files -> `load` (readers) -> `models` -> `frames` -> charts, pages and exports.
The library never imports Streamlit; the dashboard calls it.
"""

from .errors import RecordError
from .frames import administrations_frame, arms_frame, cumulative_frame
from .load import LoadResult, Problem, load_paths, read_record
from .models import Arm, Dose, Flag, Intervention, Regimen, Source, Trial

__all__ = [
    "Arm", "Dose", "Flag", "Intervention", "LoadResult", "Problem", "RecordError", "Regimen", "Source", "Trial",
    "administrations_frame", "arms_frame", "cumulative_frame", "load_paths", "read_record",
]
