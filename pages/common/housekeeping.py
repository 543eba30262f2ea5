"""Giving back the memory of closed sessions.

Streamlit keeps a closed tab's session (its state: uploads, the trials read from them, the frames derived from
them) for `server.disconnectedSessionTTL` in case the tab reconnects, and reaps expired sessions only when
another session is stored: on a quiet server, six closed upload sessions held their state until the next visitor
came. A thread here reaps them every `SWEEP_SECONDS`, then collects the garbage (the dashboard turns off
Streamlit's collection after each run, see .streamlit/config.toml) and hands freed heap back to the system.

It reaches into Streamlit's session manager, which has no public way to do this; the names it uses are checked by
tests/test_housekeeping.py against the pinned Streamlit, and if they are missing the thread does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import threading
import time

import streamlit as st

SWEEP_SECONDS = 10.0


def reap_expired(storage: object, lock: threading.Lock | None = None) -> int:
    """Drop the expired sessions a session storage still holds; how many were dropped (0 when it cannot tell)."""
    cache = getattr(storage, "_cache", None)
    expire = getattr(cache, "expire", None)
    if expire is None:
        return 0
    with lock or contextlib.nullcontext():
        return len(expire())


def give_back_memory() -> None:
    """Collect garbage and return free heap pages to the system (glibc's malloc_trim; elsewhere nothing)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(name).malloc_trim(0)


def _session_storage() -> tuple[object, threading.Lock | None] | None:
    with contextlib.suppress(ImportError, AttributeError, RuntimeError):
        from streamlit.runtime import Runtime

        manager = Runtime.instance()._session_mgr
        return manager._session_storage, getattr(manager, "_storage_lock", None)
    return None


def _sweep() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        found = _session_storage()
        if found is not None and reap_expired(*found):
            give_back_memory()


@st.cache_resource(show_spinner=False)
def start_housekeeping() -> threading.Thread:
    """The sweeping thread, started once per server."""
    sweeper = threading.Thread(target=_sweep, name="trialdata-housekeeping", daemon=True)
    sweeper.start()
    return sweeper
