"""Giving back the memory of closed sessions.

Streamlit keeps a closed tab's session (its state: uploads, the trials read from them, the frames derived from
them) for `server.disconnectedSessionTTL` in case the tab reconnects, and reaps expired sessions only when
another session is stored: on a quiet server, six closed upload sessions held their state until the next visitor
came. A thread here reaps them every `SWEEP_SECONDS`, then collects the garbage (the dashboard turns off
Streamlit's collection after each run, see .streamlit/config.toml) and hands freed heap back to the system.

Dropping a session is not enough. Streamlit shuts a session down (freeing its uploaded files, its download files
and its tables' sources) only when it ends without a chance to reconnect; a session kept for reconnection and
then expired is never shut down, so every closed tab's uploads and downloads stayed in the server for good. And
the server's message loop keeps the last session it sent messages for in a local variable until another session
sends one, so on a quiet server one closed session's state outlived it. Each reaped session is therefore shut
down and its state emptied, and files still held for sessions the server no longer knows are let go.

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


def reap_expired(storage: object, lock: threading.Lock | None = None) -> list[object]:
    """Drop the expired sessions a session storage still holds; the sessions dropped (none when it cannot tell)."""
    cache = getattr(storage, "_cache", None)
    expire = getattr(cache, "expire", None)
    if expire is None:
        return []
    with lock or contextlib.nullcontext():
        expired = expire()
    return [info.session for _, info in expired if getattr(info, "session", None) is not None]


def close_sessions(sessions: list[object]) -> None:
    """Shut each dropped session down as Streamlit does a session that cannot reconnect, and empty its state."""
    for session in sessions:
        with contextlib.suppress(Exception):  # a session half torn down already must not stop the sweep
            session.shutdown()  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            session.session_state.clear()  # type: ignore[attr-defined]


def release_orphans(known: set[str], uploads: object, media: object) -> int:
    """Let go of uploaded files and download files still held for sessions not in `known` (the live and the
    stored ones); how many sessions' files were let go."""
    released = 0
    stored = getattr(uploads, "file_storage", None)
    remove = getattr(uploads, "remove_session_files", None)
    if isinstance(stored, dict) and remove is not None:
        for session_id in [s for s in list(stored) if s not in known]:
            remove(session_id)
            released += 1
    by_session = getattr(media, "_files_by_session_and_coord", None)
    clear = getattr(media, "clear_session_refs", None)
    if isinstance(by_session, dict) and clear is not None:
        orphans = [s for s in list(by_session) if s not in known]
        for session_id in orphans:
            clear(session_id)
        if orphans:
            released += len(orphans)
            for _ in range(2):  # a download file is first marked, and deleted on the next call
                media.remove_orphaned_files()  # type: ignore[attr-defined]
    return released


def give_back_memory() -> None:
    """Collect garbage and return free heap pages to the system (glibc's malloc_trim; elsewhere nothing). Arrow
    allocates from the same heap (see `arrow_on_system_heap`), so this returns its freed memory too."""
    gc.collect()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(name).malloc_trim(0)


def _runtime() -> object | None:
    with contextlib.suppress(ImportError, AttributeError, RuntimeError):
        from streamlit.runtime import Runtime

        return Runtime.instance()
    return None


def sweep_once(runtime: object) -> bool:
    """One sweep of a running server; whether anything was let go."""
    manager = getattr(runtime, "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    if manager is None or storage is None:
        return False
    dropped = reap_expired(storage, getattr(manager, "_storage_lock", None))
    close_sessions(dropped)
    known = {info.session.id for info in manager.list_sessions()}
    released = release_orphans(known, getattr(runtime, "uploaded_file_mgr", None),
                               getattr(runtime, "media_file_mgr", None))
    return bool(dropped or released)


def _sweep() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        runtime = _runtime()
        with contextlib.suppress(Exception):  # the sweep outlives any one failure
            if runtime is not None and sweep_once(runtime):
                give_back_memory()


def arrow_on_system_heap() -> None:
    """Streamlit builds every table it sends with Arrow, whose default pool (mimalloc) kept 40 MiB of freed memory
    resident after six upload sessions had closed; taken from the system heap, malloc_trim returns it (3 MiB
    stayed)."""
    with contextlib.suppress(ImportError, AttributeError, NotImplementedError):
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())


@st.cache_resource(show_spinner=False)
def start_housekeeping() -> threading.Thread:
    """The sweeping thread, started once per server."""
    arrow_on_system_heap()
    sweeper = threading.Thread(target=_sweep, name="trialdata-housekeeping", daemon=True)
    sweeper.start()
    return sweeper
