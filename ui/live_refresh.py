"""Background refreshes never raise a modal box.

Panes re-read the database when the event bridge says something changed and when a clock
timer fires. An exception escaping such a slot would reach the excepthook
(ui/crash_dialog.py), whose modal "unexpected error" box then sits on a teller console in
the middle of a service, or on a lobby screen nobody can click. :class:`LiveRefresh` runs
those refreshes instead: an unexpected exception is logged with its traceback, the view keeps
what it showed last, and the refresh is tried again after ``retry_ms`` (and on the next
change notification, whichever comes first).

Refusals a pane already explains (``DomainError``: the database is unavailable, the counter
was removed…) are the pane's business and never get here. User-initiated actions (F-keys,
buttons) call the pane directly, so a bug there still shows the box with its reference.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance, Slot

log = logging.getLogger(__name__)

#: A failed background refresh is tried again after this long.
RETRY_MS = 5_000


class LiveRefresh(QObject):
    """Runs ``refresh`` for background triggers; see the module's docstring.

    ``refresh`` may finish its work elsewhere (a :class:`ui.worker.Worker` job): then pass
    ``reports_itself=True`` and call :meth:`succeeded` / :meth:`failed_with` from the job's
    result and error slots (:meth:`run` guards a result slot)."""

    #: A background refresh failed unexpectedly (the exception); the view kept its last state.
    failed = Signal(object)
    #: A refresh succeeded after failures.
    recovered = Signal()

    def __init__(self, refresh: Callable[[], object], parent: QObject, *, name: str | None = None,
                 retry_ms: int = RETRY_MS, reports_itself: bool = False) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self.name = name or type(parent).__name__
        self._reports_itself = reports_itself
        self.failures = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.trigger)
        self._timers: list[QTimer] = []
        self._topic_sources: list[SignalInstance] = []
        self._topics: frozenset[str] = frozenset()
        self._seen: Callable[[str], bool] = lambda _topic: False

    # -- wiring --------------------------------------------------------------------------

    def follow(self, changed: SignalInstance, topics: Iterable[str],
               seen: Callable[[str], bool] | None = None) -> LiveRefresh:
        """Refresh when ``changed`` (``bridge.changed``) names one of ``topics``, until :meth:`stop`;
        not when ``seen(topic)`` says the view already shows that change."""
        self._topics = self._topics.union(topics)
        if seen is not None:
            self._seen = seen
        changed.connect(self._on_topic)
        self._topic_sources.append(changed)
        return self

    def every(self, interval_ms: int) -> QTimer:
        """Refresh on a clock as well (waits grow without events); stopped by :meth:`stop`."""
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(self.trigger)
        timer.start()
        self._timers.append(timer)
        return timer

    def stop(self) -> None:
        """Stop the timers and stop listening (a closed pane no longer refreshes)."""
        self._retry.stop()
        for timer in self._timers:
            timer.stop()
        for signal in self._topic_sources:
            try:
                signal.disconnect(self._on_topic)
            except (RuntimeError, TypeError):  # already disconnected, or its sender is gone
                pass
        self._topic_sources.clear()

    @property
    def retry_pending(self) -> bool:
        return self._retry.isActive()

    # -- running -------------------------------------------------------------------------

    @Slot(str)
    def _on_topic(self, topic: str) -> None:
        if topic in self._topics and not self._seen(topic):
            self.trigger()

    @Slot()
    def trigger(self) -> None:
        """The slot for background triggers: refresh, never raise."""
        try:
            self._refresh()
        except Exception as error:  # noqa: BLE001 - logged with its traceback; the view stays as it was
            self.failed_with(error)
            return
        if not self._reports_itself:
            self.succeeded()

    def run(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run a step of the refresh (e.g. showing a worker's result) under the same guard."""
        try:
            fn(*args)
        except Exception as error:  # noqa: BLE001 - as in trigger()
            self.failed_with(error)
            return
        self.succeeded()

    def succeeded(self) -> None:
        self._retry.stop()
        if self.failures:
            log.info("Background refresh of %s works again after %d failure(s)", self.name, self.failures)
            self.failures = 0
            self.recovered.emit()

    def failed_with(self, error: BaseException) -> None:
        """Log an unexpected failure (the first of a run with its traceback) and retry later."""
        self.failures += 1
        if self.failures == 1:
            log.error("Background refresh of %s failed; the last view stays and it is retried",
                      self.name, exc_info=(type(error), error, error.__traceback__))
        else:
            log.warning("Background refresh of %s failed again (%d in a row): %s: %s",
                        self.name, self.failures, type(error).__name__, error)
        if not self._retry.isActive():
            self._retry.start()
        self.failed.emit(error)
