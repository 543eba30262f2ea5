"""Phase markers in registry prose: "For phase I: ...", "the phase II cohort"."""

from __future__ import annotations

import re

_PHASE_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
PHASE_MENTION = re.compile(r"(?=p)\bphase\s{0,3}[-–]?\s{0,3}(?P<number>iv|i{1,3}|[1-4])\b(?![/\-–]\s{0,3}(?:i|[1-4]))",
                           re.I)
PHASE_MARKER = re.compile(
    r"(?=[fidp])(?:\b(?:for|in|during)\s{1,3}(?:the\s{1,3})?)?\bphase\s{0,3}[-–]?\s{0,3}(?P<number>iv|i{1,3}|[1-4])\b"
    r"(?:\s{1,3}(?:part|stage|portion|study|trial|cohorts?))?\s{0,3}[:：]",
    re.I,
)


def may_name_phase(text: str) -> bool:
    """False when `text` cannot hold a phase marker or mention: every one says "phase", and a substring test is
    far cheaper than the patterns (tests check no other letter reads as p, h or a)."""
    return "pha" in text.lower()


def phase_name(number: str) -> str:
    """'II' or '2' -> 'Phase 2'."""
    return f"Phase {_PHASE_NUMBERS[number.lower()]}"


def find_phase(text: str) -> str | None:
    """The one phase a text speaks of ("the phase I cohort"), or None when it names none or several."""
    if not may_name_phase(text):
        return None
    phases = {phase_name(m.group("number")) for m in PHASE_MENTION.finditer(text)}
    return phases.pop() if len(phases) == 1 else None
