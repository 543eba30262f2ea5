"""How much of one study the readers read: the registry's largest studies list a few dozen arms, so a file
listing thousands is hostile or broken, and reading it whole would hold the server for minutes. Past these
bounds a study is read in part and flagged, never refused."""

from __future__ import annotations

from ..models import Flag

MAX_ARMS_PER_STUDY = 200
MAX_INTERVENTIONS_PER_STUDY = 400
# No API page or bulk file holds more studies than this (a page holds 1,000).
MAX_STUDIES_PER_FILE = 10_000


def cut_note(arms: int, interventions: int) -> Flag | None:
    """The flag a study gets when it lists more arms or interventions than are read, naming both counts."""
    if arms <= MAX_ARMS_PER_STUDY and interventions <= MAX_INTERVENTIONS_PER_STUDY:
        return None
    return Flag(code="arms-cut", message=f"The study lists {arms:,} arms and {interventions:,} interventions; only "
                f"the first {MAX_ARMS_PER_STUDY} arms and {MAX_INTERVENTIONS_PER_STUDY} interventions are read.")
