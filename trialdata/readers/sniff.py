"""How each record layout is told apart, kept apart from the readers: telling a file's layout needs a few string
tests, not the grammar, so nothing imports the grammar before a file has to be read (a load answered from the
parsed-record cache never does)."""

from __future__ import annotations

import re

SECTIONS = ("At a glance", "In Brief", "Detailed Summary", "Study Details", "Timeline", "Arms & Interventions",
            "Interventions")
_ROOT = re.compile(r"^\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*(?:<!DOCTYPE\s|<clinical_study\b)",
                   re.S)


def lines(text: str) -> list[str]:
    """The record's lines, ended by line feeds and carriage returns only: a form feed, a vertical tab or U+2028
    inside an arm's paragraph is a space, not the start of another arm (str.splitlines would split on them)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def looks_like_clinicalindex(text: str) -> bool:
    """True when the text has the ClinicalIndex layout's section headings."""
    found = {line.strip() for line in lines(text)}
    return sum(heading in found for heading in SECTIONS) >= 3


def looks_like_ctgov_xml(text: str) -> bool:
    return _ROOT.match(text[:4096]) is not None
