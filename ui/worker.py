"""Long work leaves the GUI thread one way: a :class:`Worker` per kind of job.

``worker.run(fn, *args)`` runs ``fn`` on Qt's thread pool. ``fn`` may accept a keyword
argument ``progress`` (a :class:`Progress`): calling it reports ``(done, total)`` and
raises :class:`Cancelled` once the user has cancelled. Results and errors come back as
signals on the GUI thread. Starting a new job supersedes the previous one: a stale
result (an older search finishing after a newer one) is dropped, never shown.

Each job must open its own database session (the services do): sessions are not shared
between threads.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class Progress:
    def __init__(self, emit: Callable[[int, int], None], cancelled: threading.Event) -> None:
        self._emit = emit
        self._cancelled = cancelled

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        self._emit(done, total)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class _Signals(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 signals: _Signals, cancelled: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id, self._fn, self._args, self._kwargs = job_id, fn, args, kwargs
        self._signals, self._cancelled = signals, cancelled

    def run(self) -> None:
        try:
            if _accepts_progress(self._fn):
                progress = Progress(lambda done, total: self._signals.progressed.emit(self._id, done, total),
                                    self._cancelled)
                result = self._fn(*self._args, progress=progress, **self._kwargs)
            else:
                result = self._fn(*self._args, **self._kwargs)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
            self._signals.failed.emit(self._id, error)
        else:
            self._signals.finished.emit(self._id, result)


def _accepts_progress(fn: Callable[..., Any]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


class Worker(QObject):
    """Runs one job at a time from the GUI's point of view (the latest one wins).

    Signals: ``result(object)``, ``error(object)`` (the exception; :class:`Cancelled` when
    cancelled), ``progress(int, int)`` and ``busy_changed(bool)``."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._signals = _Signals()
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.progressed.connect(self._on_progress)
        self._current = 0
        self._cancel = threading.Event()
        self._running: set[int] = set()

    @property
    def busy(self) -> bool:
        return self._current in self._running

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Start ``fn``; any job still running is cancelled and its outcome ignored."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._current += 1
        self._running.add(self._current)
        self._pool.start(_Job(self._current, fn, args, kwargs, self._signals, self._cancel))
        self.busy_changed.emit(True)
        return self._current

    def cancel(self) -> None:
        """Ask the current job to stop at its next progress report."""
        self._cancel.set()

    def forget(self) -> None:
        """Drop the outcome of the job under way: a newer answer was read another way."""
        was_busy = self.busy
        self._cancel.set()
        self._cancel = threading.Event()
        self._current += 1
        if was_busy:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    def _on_finished(self, job_id: int, value: object) -> None:
        self._running.discard(job_id)
        if job_id == self._current:
            self.busy_changed.emit(False)
            self.result.emit(value)

    def _on_failed(self, job_id: int, error: object) -> None:
        self._running.discard(job_id)
        if job_id != self._current:
            return
        self.busy_changed.emit(False)
        if not isinstance(error, Cancelled):
            log.info("background job failed: %r", error)
        self.error.emit(error)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._current:
            self.progress.emit(done, total)
