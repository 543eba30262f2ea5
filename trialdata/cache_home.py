"""Where the library keeps what it computed once and may reuse in another process (parsed records, the grammar's
compiled patterns), and the version of the library that computed it.

The folder is the one `TRIALDATA_CACHE` names, else `$XDG_CACHE_HOME/trialdata` or `~/.cache/trialdata`;
`TRIALDATA_CACHE=off` turns every such reuse off. Nothing here imports more than the standard library: the
grammar asks for it before anything else is loaded.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CACHE_ENV = "TRIALDATA_CACHE"


def _library_version() -> str:
    """A digest of the library's source: any change to how records are read makes a new cache."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


LIBRARY_VERSION = _library_version()


def cache_folder() -> Path | None:
    """Where reusable results are kept, or None when reuse is off."""
    named = os.environ.get(CACHE_ENV, "").strip()
    if named.lower() == "off":
        return None
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "trialdata"
