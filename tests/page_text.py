"""What a reader sees of Markdown the pages write: record text is shown literally, so the pages escape every
punctuation mark in it, and tests compare against the text as read."""

from __future__ import annotations

import re

from trialdata.notation import WORD_JOINER


def as_read(markdown: str) -> str:
    """The Markdown's text with its backslash escapes undone and its word joiners (invisible; they keep a bare
    address from becoming a link) dropped, as a reader sees it."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")
