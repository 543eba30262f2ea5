"""One reader per record layout, and the one table that registers them.

A layout is one module here (bytes of a file, decoded -> validated `Trial` models) and one row of `LAYOUTS`:
the suffixes its files carry, how its text is recognised, the largest file of it that is read, and its reader.
Everything that lists, sniffs, bounds or reads record files (folders, uploads, zip members, the command line,
the dashboard's uploader) reads this table, so a new layout needs nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import RecordError
from ..models import Trial
from .sniff import looks_like_clinicalindex, looks_like_ctgov_xml, looks_like_json

MB = 1024 * 1024
ZIP_SUFFIX = ".zip"  # a container of records of any layout, read in memory within its own limits (see `load`)

Read = Callable[[str, str], Iterable[Trial | RecordError]]  # (text, file name) -> each trial, or why one failed


@dataclass(frozen=True)
class Layout:
    """A record layout: how its files are named and recognised, how large one may be, and how it is read."""

    name: str
    suffixes: tuple[str, ...]
    looks_like: Callable[[str], bool]  # tried in the table's order on the decoded text; the first that fits reads it
    noun: str  # what one file of it is called in a message: "the file", "the text record"
    max_bytes: int
    size_note: str  # why a larger file is refused, after "<noun> is N MB; "
    read: Read


# The readers are imported when a file is read, not before: they hold the grammar, whose hundreds of patterns
# take most of a second to compile, and a load answered from the parsed-record cache needs none of them. Once one
# is imported, the patterns it compiled are kept for the next process (`grammar.compiled`).
def _read_json(text: str, name: str) -> Iterable[Trial | RecordError]:
    from .ctgov import read_ctgov

    _keep_compiled()
    return read_ctgov(text, name)


def _read_text_record(text: str, name: str) -> Iterable[Trial | RecordError]:
    from .clinicalindex import read_clinicalindex

    _keep_compiled()
    return [read_clinicalindex(text, name)]


def _read_legacy_xml(text: str, name: str) -> Iterable[Trial | RecordError]:
    from .ctgov_xml import read_ctgov_xml

    _keep_compiled()
    return read_ctgov_xml(text, name)


def _keep_compiled() -> None:
    from ..grammar import compiled

    compiled.save()  # nothing to do once saved, or when every pattern came from the store


LAYOUTS: tuple[Layout, ...] = (
    Layout("ClinicalTrials.gov JSON", (".json",), looks_like_json, "the file", 100 * MB,
           "files over 100 MB are not read", _read_json),
    Layout("ClinicalIndex text", (".txt",), looks_like_clinicalindex, "the text record", 5 * MB,
           "a ClinicalIndex record is a few kB, and records over 5 MB are not read", _read_text_record),
    Layout("ClinicalTrials.gov legacy XML", (".xml",), looks_like_ctgov_xml, "the XML record", 5 * MB,
           "a legacy record is tens of kB, and records over 5 MB are not read", _read_legacy_xml),
)
RECORD_SUFFIXES = tuple(dict.fromkeys(suffix for layout in LAYOUTS for suffix in layout.suffixes))
MAX_RECORD_BYTES = max(layout.max_bytes for layout in LAYOUTS)  # no file larger than this is even decoded


def layout_of(text: str) -> Layout | None:
    """The layout the text is written in, or None."""
    return next((layout for layout in LAYOUTS if layout.looks_like(text)), None)


__all__ = ["LAYOUTS", "MAX_RECORD_BYTES", "MB", "RECORD_SUFFIXES", "ZIP_SUFFIX", "Layout", "layout_of"]
