"""Closed sessions give their memory back on a quiet server: the dashboard reaps the sessions Streamlit keeps for
reconnection once they expire, shuts them down and lets go of files held for sessions that are gone, through
names of Streamlit's session storage, uploaded-file manager and media-file manager that these tests pin."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit.runtime.media_file_manager as media_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.state.session_state import SessionState
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from pages.common.housekeeping import close_sessions, give_back_memory, reap_expired, release_orphans, sweep_once


def _closed_session(storage: MemorySessionStorage, session_id: str, payload: bytes) -> None:
    storage.save(SessionInfo(client=None, session=SimpleNamespace(id=session_id, state=payload)))  # type: ignore[arg-type]


def test_an_expired_session_is_held_until_reaped_and_then_let_go() -> None:
    storage = MemorySessionStorage(ttl_seconds=0.05)
    _closed_session(storage, "upload-session", b"x" * 1_000_000)
    time.sleep(0.1)
    assert storage.list() == []  # expired: no longer handed out ...
    assert "upload-session" in storage._cache._expirations  # ... but still held, with its state
    assert [session.id for session in reap_expired(storage)] == ["upload-session"]  # type: ignore[attr-defined]
    assert "upload-session" not in storage._cache._expirations
    give_back_memory()


def test_a_live_session_is_kept() -> None:
    storage = MemorySessionStorage(ttl_seconds=60)
    _closed_session(storage, "may-reconnect", b"")
    assert reap_expired(storage) == [] and len(storage.list()) == 1
    assert reap_expired(object()) == []  # a storage without the names it needs: nothing happens


class _Session:
    """What a reaped session offers: Streamlit's shutdown and its real SessionState."""

    def __init__(self) -> None:
        self.shut_down = False
        self.session_state = SessionState()
        self.session_state["uploaded_records"] = {"page.json": b"x" * 1_000}

    def shutdown(self) -> None:
        self.shut_down = True


def test_a_reaped_session_is_shut_down_and_its_state_emptied() -> None:
    # Streamlit's message loop may still hold the last session it flushed; emptied, it holds no uploads.
    session, broken = _Session(), object()  # a session without those names must not stop the others
    close_sessions([broken, session])
    assert session.shut_down
    assert "uploaded_records" not in session.session_state


def test_files_of_sessions_the_server_no_longer_knows_are_let_go(monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = MemoryUploadedFileManager("/_stcore/upload_file")
    uploads.add_file("gone", UploadedFileRec("f1", "page.json", "application/json", b"x" * 1_000_000))
    uploads.add_file("live", UploadedFileRec("f2", "seed.json", "application/json", b"{}"))
    media = MediaFileManager(MemoryMediaFileStorage("/media"))
    for session_id in ("gone", "live"):
        monkeypatch.setattr(media_module, "_get_session_id", lambda session_id=session_id: session_id)
        media.add(f"{session_id} arms".encode(), "text/csv", f"download-{session_id}", file_name="arms.csv",
                  is_for_static_download=True)
    assert release_orphans({"live"}, uploads, media) == 2  # its uploads and its downloads
    assert list(uploads.file_storage) == ["live"]
    assert list(media._files_by_session_and_coord) == ["live"]
    assert len(media._file_metadata) == 1  # the gone session's download file itself is deleted
    assert release_orphans({"live"}, uploads, media) == 0
    assert release_orphans({"live"}, object(), object()) == 0  # managers without those names: nothing happens



def test_one_sweep_shuts_an_expired_upload_session_down_and_lets_its_files_go() -> None:
    # The pieces above, wired as the sweeping thread runs them on a server: an expired upload session, and a
    # session still connected (the manager lists the connected ones and the stored ones).
    storage = MemorySessionStorage(ttl_seconds=0.05)
    closed, connected = _Session(), _Session()
    closed.id, connected.id = "closed-upload", "connected"  # type: ignore[attr-defined]
    storage.save(SessionInfo(client=None, session=closed))  # type: ignore[arg-type]
    time.sleep(0.1)
    uploads = MemoryUploadedFileManager("/_stcore/upload_file")
    for session in (closed, connected):
        uploads.add_file(session.id, UploadedFileRec("f", "page.json", "application/json", b"{}"))  # type: ignore[attr-defined]
    manager = SimpleNamespace(_session_storage=storage, list_sessions=lambda: [
        SessionInfo(client=None, session=connected), *storage.list()])  # type: ignore[arg-type]
    runtime = SimpleNamespace(_session_mgr=manager, uploaded_file_mgr=uploads,
                              media_file_mgr=MediaFileManager(MemoryMediaFileStorage("/media")))
    assert sweep_once(runtime)
    assert closed.shut_down and "uploaded_records" not in closed.session_state
    assert not connected.shut_down and "uploaded_records" in connected.session_state
    assert list(uploads.file_storage) == ["connected"]
    assert not sweep_once(runtime)  # nothing left to let go
    assert not sweep_once(SimpleNamespace())  # a runtime without those names: nothing happens


def _environment_of(pid: int) -> dict[str, str]:
    pairs = (entry.split("=", 1) for entry in Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0") if entry)
    return dict(pair for pair in pairs if len(pair) == 2)  # type: ignore[misc]


def test_the_server_runs_on_the_allocator_that_gives_memory_back_and_its_upload_worker_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory figures of docs/load-test.md hold for a server started as scripts/dashboard.sh starts it (with
    scripts/server.env) and as the tests start it; the upload worker stays on Python's allocator, which reads
    faster."""
    from tests.e2e.conftest import ROOT, free_port, server_environment, start_streamlit
    from trialdata import isolated

    assert server_environment() == {"PYTHONMALLOC": "malloc", "MALLOC_ARENA_MAX": "1"}
    assert ". scripts/server.env" in (ROOT / "scripts" / "dashboard.sh").read_text(encoding="utf-8")
    process = start_streamlit(ROOT / "app.py", free_port())
    try:
        environment = _environment_of(process.pid)
        assert environment["PYTHONMALLOC"] == "malloc" and environment["MALLOC_ARENA_MAX"] == "1"
    finally:
        process.terminate()
        process.wait(timeout=20)
    monkeypatch.setenv("PYTHONMALLOC", "malloc")
    worker = isolated._Worker(isolated.UPLOAD_MEMORY_BYTES)
    try:
        # Read once first: the worker is then running, where right after its start /proc may show its
        # environment before exec has filled it in (the test failed so, one run in three).
        answer = worker.read("NCT06740149.txt", (ROOT / "seeds" / "NCT06740149.txt").read_bytes(), 120)
        assert answer is not None and answer[0].trials
        assert _environment_of(worker.process.pid)["PYTHONMALLOC"] == "pymalloc"
    finally:
        worker.stop()
