"""Worker processes for a large import, which never outlive the process that started them.

A ProcessPoolExecutor's workers wait for work on a pipe whose writing end they hold
themselves, so when their parent is killed (kill -9, a crash, the OOM killer) nothing ever
tells them: they sit there holding memory and, on SQLite, nothing else — but for minutes.
Each worker therefore, when it starts:

- on Linux, asks the kernel for SIGKILL when its parent goes (``prctl(PR_SET_PDEATHSIG)``);
- everywhere, runs a watchdog thread that waits on the parent's sentinel (the pipe, or on
  Windows the process handle, that multiprocessing keeps for this) and checks that its
  parent pid is still its parent; either sign of the parent's end exits the worker at once.

Workers also ignore Ctrl-C: the parent, which gets it too, stops the import and the pool;
a worker's own KeyboardInterrupt would only print tracebacks.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

#: How often the watchdog looks at its parent pid (the sentinel wakes it at once anyway).
POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1
#: Exit status of a worker whose parent went away.
ORPHANED = 70


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh (spawned) processes tied to this process's life.

    The kernel's parent-death signal follows the *thread* that started a worker, so the pool
    is to be used and shut down by the thread that made it (as CustomerImport does).

    The workers are started here, with Ctrl+C ignored while they start: a spawned Python keeps
    an ignored SIGINT ignored, so a Ctrl+C that reaches the whole process group while a worker
    is still importing its modules (before ``start_worker`` runs) prints no traceback there."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker, initargs=(os.getpid(),))
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        for started in [pool.submit(_started) for _ in range(workers)]:
            started.result()
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    return pool


def _started() -> None:
    """Nothing: submitted once per worker so that every worker starts at once."""


def start_worker(parent_pid: int, kernel_signal: bool = True, watchdog: bool = True) -> None:
    """The pool's initializer, run first in each worker process. Both guards are on; the tests
    turn one off to show that the other alone suffices (a system without prctl has only the
    watchdog)."""
    # The import's rows are freed by reference counting; the cycle collector would only walk
    # them again and again (see CustomerImport.import_file).
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if kernel_signal and sys.platform.startswith("linux"):
        _die_with_parent()
    if watchdog:
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    if _orphaned(parent_pid):  # the parent went before the two above were in place
        os._exit(ORPHANED)


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    except (OSError, AttributeError):  # no C library to ask: the watchdog alone will do
        log.warning("prctl is not available; import workers rely on their watchdog", exc_info=True)


def _orphaned(parent_pid: int) -> bool:
    # On POSIX an orphan is handed to another parent (init or a subreaper). Windows keeps the
    # old number, so there only the sentinel tells.
    return os.name == "posix" and os.getppid() != parent_pid


def _watch_parent(parent_pid: int) -> None:
    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    while True:
        if sentinel is not None:
            if multiprocessing.connection.wait([sentinel], timeout=POLL_SECONDS):
                os._exit(ORPHANED)  # the parent's end of the pipe closed: it is gone
        else:
            threading.Event().wait(POLL_SECONDS)
        if _orphaned(parent_pid):
            os._exit(ORPHANED)
