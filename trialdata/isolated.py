"""Reading an upload in a process of its own, with a time and a memory limit.

Parsing is pure Python: in the server's process it would hold the interpreter, and every other user's page,
until done, and a file that unpacks to gigabytes would take the server down with it. The worker is a fresh
interpreter (`python -m trialdata.isolated`), not a fork or a multiprocessing child: those would re-run the
dashboard script that Streamlit installs as `__main__`, and forking a threaded server is unsafe.

One worker serves one upload after another: starting an interpreter and importing the library costs about
0.7 s of a core, paid per file before (90 starts when six sessions each uploaded fifteen files), on the cores the
server's other users were waiting for. A worker that overran its time or memory is stopped and the next upload
gets a new one; so is one grown past `RECYCLE_RSS_BYTES`, and an idle one after `IDLE_SECONDS`, so that memory
a large file left behind goes back to the machine. Requests and answers are length-prefixed frames on the
worker's standard input and output: the file's name and bytes in, the pickled `LoadResult` and the worker's
resident memory out.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from .load import MB, LoadResult, Problem, read_file

# No record needs more than a second or two; a file that does is stopped, and named.
UPLOAD_SECONDS = 30.0
# A 50 MB upload of real records needs a few hundred MB beyond the reader itself.
UPLOAD_MEMORY_BYTES = 1536 * MB
# Uploads read at once; the rest wait their turn, so parsing takes at most one core (at low priority) from the
# pages other users are waiting for.
UPLOAD_WORKERS = 1
RECYCLE_RSS_BYTES = 400 * MB  # a worker this large after a read is replaced (a freshly started one is ~100 MB)
IDLE_SECONDS = 60.0  # a worker unused this long is stopped
_REQUEST = struct.Struct("<II")  # name length, data length
_ANSWER = struct.Struct("<IQ?")  # pickle length, the worker's resident memory in bytes, whether it now ends
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


class _Worker:
    """A worker interpreter and the memory limit it was started with."""

    def __init__(self, memory_bytes: int) -> None:
        # Python's own allocator: the server may run on the C library's (scripts/server.env), which gives memory
        # back; a worker is short-lived, reads faster on Python's, and its memory goes with it.
        environment = {**os.environ, "PYTHONMALLOC": "pymalloc",
                       "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
        self.memory_bytes = memory_bytes
        self.process = subprocess.Popen([sys.executable, "-m", "trialdata.isolated", str(memory_bytes)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=environment)

    def read(self, name: str, data: bytes, seconds: float) -> tuple[LoadResult, bool] | None:
        """(what the file holds, whether the worker can take another file), or None when the time ran out.
        Raises OSError or EOFError when the worker ended without an answer."""
        deadline = time.monotonic() + seconds
        encoded = name.encode("utf-8", "surrogatepass")
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(_REQUEST.pack(len(encoded), len(data)) + encoded + data)
        self.process.stdin.flush()
        out = self.process.stdout.fileno()
        header = _read_exact(out, _ANSWER.size, deadline)
        if header is None:
            return None
        length, rss, ending = _ANSWER.unpack(header)
        payload = _read_exact(out, length, deadline)
        if payload is None:
            return None
        return pickle.loads(payload), not ending and rss < RECYCLE_RSS_BYTES  # pickled by our worker, not the upload

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.process.communicate(timeout=5)


def _read_exact(fd: int, size: int, deadline: float) -> bytes | None:
    """`size` bytes from `fd`, or None once `deadline` has passed; EOFError if the other end closed."""
    chunks: list[bytes] = []
    while size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, min(size, 4 * MB))
        if not chunk:
            raise EOFError("the reading process ended")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


_slots = threading.BoundedSemaphore(UPLOAD_WORKERS)
_guard = threading.Lock()  # the worker and its idle timer change hands only under this lock
_worker: _Worker | None = None
_idle: threading.Timer | None = None


def read_file_isolated(name: str, data: bytes, seconds: float = UPLOAD_SECONDS,
                       memory_bytes: int = UPLOAD_MEMORY_BYTES) -> LoadResult:
    """`read_file` in a worker process, stopped after `seconds` of reading or past `memory_bytes`, with a
    problem naming the file and the limit it hit."""
    with _slots:
        worker = _take_worker(memory_bytes)
        try:
            answer = worker.read(name, data, seconds)
        except (OSError, EOFError):
            worker.stop()
            return _failed(name, "could not be read: the reading process ended without an answer (out of memory?)")
        if answer is None:
            worker.stop()
            return _failed(name, f"took longer than {seconds:g} s to read, so it was stopped; it is not loaded")
        result, reusable = answer
        _give_back(worker, keep=reusable)
        return result


def _take_worker(memory_bytes: int) -> _Worker:
    global _worker
    with _guard:
        if _idle is not None:
            _idle.cancel()
        worker, _worker = _worker, None
    if worker is not None and (worker.memory_bytes != memory_bytes or worker.process.poll() is not None):
        worker.stop()
        worker = None
    return worker or _Worker(memory_bytes)


def _give_back(worker: _Worker, keep: bool) -> None:
    global _worker, _idle
    if not keep:
        worker.stop()
        return
    with _guard:
        _worker = worker
        _idle = threading.Timer(IDLE_SECONDS, _stop_idle, args=(worker,))
        _idle.daemon = True
        _idle.start()


def _stop_idle(worker: _Worker) -> None:
    global _worker
    with _guard:
        if _worker is not worker:
            return
        _worker = None
    worker.stop()


def _failed(name: str, message: str) -> LoadResult:
    return LoadResult(problems=[Problem(name, message)])


def _limit_memory(extra: int) -> None:
    """Cap this process's heap at what it holds now plus `extra` bytes (Linux counts Python's allocations in
    RLIMIT_DATA); elsewhere the time limit alone bounds a read."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            pages = statm.read().split()
        held = int(pages[5]) * resource.getpagesize()  # data + stack
        resource.setrlimit(resource.RLIMIT_DATA, (held + extra, resource.RLIM_INFINITY))
    except (ImportError, OSError, ValueError, IndexError):
        pass


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _exactly(stream: object, size: int) -> bytes | None:
    data = stream.read(size)  # type: ignore[attr-defined]
    return data if len(data) == size else None


def _serve(memory_bytes: int) -> None:
    """Answer requests until the server closes the pipe, or until a read runs out of memory (the next upload
    then gets a fresh worker)."""
    _limit_memory(memory_bytes)
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # below the server, whose pages other users are waiting for
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while (header := _exactly(requests, _REQUEST.size)) is not None:
        name_length, data_length = _REQUEST.unpack(header)
        encoded, data = _exactly(requests, name_length), _exactly(requests, data_length)
        if encoded is None or data is None:
            return
        name = encoded.decode("utf-8", "surrogatepass")
        exhausted = False
        try:
            result = read_file(name, data)
        except MemoryError:
            exhausted = True
            result = _failed(name, f"needs more than {memory_bytes // MB:,} MB to read, so it was stopped; it is "
                                   "not loaded")
        del data
        payload = pickle.dumps(result)
        answers.write(_ANSWER.pack(len(payload), _resident_bytes(), exhausted) + payload)
        answers.flush()
        if exhausted:
            return


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
