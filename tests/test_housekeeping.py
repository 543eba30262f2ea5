"""Closed sessions give their memory back on a quiet server: the dashboard reaps the sessions Streamlit keeps for
reconnection once they expire, through names of Streamlit's session storage that these tests pin."""

from __future__ import annotations

import time
from types import SimpleNamespace

from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.session_manager import SessionInfo

from pages.common.housekeeping import give_back_memory, reap_expired


def _closed_session(storage: MemorySessionStorage, session_id: str, payload: bytes) -> None:
    storage.save(SessionInfo(client=None, session=SimpleNamespace(id=session_id, state=payload)))  # type: ignore[arg-type]


def test_an_expired_session_is_held_until_reaped_and_then_let_go() -> None:
    storage = MemorySessionStorage(ttl_seconds=0.05)
    _closed_session(storage, "upload-session", b"x" * 1_000_000)
    time.sleep(0.1)
    assert storage.list() == []  # expired: no longer handed out ...
    assert "upload-session" in storage._cache._expirations  # ... but still held, with its state
    assert reap_expired(storage) == 1
    assert "upload-session" not in storage._cache._expirations
    give_back_memory()


def test_a_live_session_is_kept() -> None:
    storage = MemorySessionStorage(ttl_seconds=60)
    _closed_session(storage, "may-reconnect", b"")
    assert reap_expired(storage) == 0 and len(storage.list()) == 1
    assert reap_expired(object()) == 0  # a storage without the names it needs: nothing happens
