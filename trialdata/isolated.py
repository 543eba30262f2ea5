"""Reading an upload in a process of its own, with a time and a memory limit.

Parsing is pure Python: in the server's process it would hold the interpreter, and every other user's page,
until done, and a file that unpacks to gigabytes would take the server down with it. The worker is a fresh
interpreter (`python -m trialdata.isolated`), not a fork or a multiprocessing child: those would re-run the
dashboard script that Streamlit installs as `__main__`, and forking a threaded server is unsafe. It reads the
file's name and bytes from its standard input and writes the pickled `LoadResult` to its standard output.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path

from .load import MB, LoadResult, Problem, read_file

# No record needs more than a second or two; a file that does is stopped, and named.
UPLOAD_SECONDS = 30.0
# A 50 MB upload of real records needs a few hundred MB beyond the reader itself.
UPLOAD_MEMORY_BYTES = 1536 * MB
# Uploads read at once; the rest wait their turn, so parsing takes at most one core (at low priority) from the
# pages other users are waiting for.
UPLOAD_WORKERS = 1
_slots = threading.BoundedSemaphore(UPLOAD_WORKERS)
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


def read_file_isolated(name: str, data: bytes, seconds: float = UPLOAD_SECONDS,
                       memory_bytes: int = UPLOAD_MEMORY_BYTES) -> LoadResult:
    """`read_file` in a worker process, stopped after `seconds` of reading or past `memory_bytes`, with a
    problem naming the file and the limit it hit."""
    encoded = name.encode("utf-8", "surrogatepass")
    payload = struct.pack("<I", len(encoded)) + encoded + data
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT,
                                                                             os.environ.get("PYTHONPATH")]))}
    with _slots:
        worker = subprocess.Popen([sys.executable, "-m", "trialdata.isolated", str(memory_bytes)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  env=environment)
        try:
            output, _ = worker.communicate(payload, timeout=seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.communicate()
            return _failed(name, f"took longer than {seconds:g} s to read, so it was stopped; it is not loaded")
    if worker.returncode != 0 or not output:
        return _failed(name, "could not be read: the reading process ended without an answer (out of memory?)")
    result: LoadResult = pickle.loads(output)  # written by our own worker, never by the upload
    return result


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


def _serve(memory_bytes: int) -> None:
    payload = sys.stdin.buffer.read()
    (length,) = struct.unpack("<I", payload[:4])
    name = payload[4:4 + length].decode("utf-8", "surrogatepass")
    data = payload[4 + length:]
    del payload
    _limit_memory(memory_bytes)
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # below the server, whose pages other users are waiting for
    try:
        result = read_file(name, data)
    except MemoryError:
        result = _failed(name, f"needs more than {memory_bytes // MB:,} MB to read, so it was stopped; it is not "
                               "loaded")
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
