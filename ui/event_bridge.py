"""The one place where change notifications from app/events.py become Qt signals.

Watcher callbacks arrive on the watcher's thread; emitting a signal from there is safe
and Qt queues it to the GUI thread. Bursts are merged per topic: ten counters calling at
once cause one ``changed("queue")`` after a short delay, not ten refreshes; a complaint
stepped forward in the same burst adds one ``changed("complaints")``. Panes follow the topics
they show through ui/live_pane.py.

While ``changed(topic)`` is emitted, :meth:`EventBridge.committed_here` says when this process
committed every change of that burst (app/commit_ledger.py), or None when any came from
elsewhere: a pane that has shown a read begun after that moment skips the echo of its own write.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.events import ChangeWatcher, WatchedDatabase, make_watcher

COALESCE_MS = 80


class EventBridge(QObject):
    #: A topic (app/topics.py) changed for this branch; once per topic per burst.
    changed = Signal(str)
    connection_changed = Signal(bool)

    _raw_change = Signal(str, object)
    _raw_connection = Signal(bool)

    def __init__(self, db: WatchedDatabase, branch_id: int, *, sqlite_poll_ms: int = 250,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The watcher reaches the database (False until its first report).
        self.connected = False
        #: The watcher reported that it cannot reach the database (an outage, not "not known yet").
        self.disconnected = False
        #: Topics changed since the burst began, in the order they first came, with when this
        #: process committed all of the burst's changes of that topic (None: not all ours).
        self._pending: dict[str, float | None] = {}
        #: The burst being emitted (see committed_here).
        self._emitting: dict[str, float | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._emit_pending)
        self._raw_change.connect(self._on_raw_change)
        self._raw_connection.connect(self._on_raw_connection)
        self._watcher: ChangeWatcher = make_watcher(
            db, self._raw_change.emit, self._raw_connection.emit, branch_id=branch_id, sqlite_poll_ms=sqlite_poll_ms)

    def start(self) -> None:
        self._watcher.start()

    def stop(self) -> None:
        self._watcher.stop()
        self._timer.stop()
        self._pending.clear()

    def committed_here(self, topic: str) -> float | None:
        """While ``changed(topic)`` is emitted: when this process committed the burst's changes of
        ``topic`` (``time.monotonic()``), or None when any came from another workstation."""
        return self._emitting.get(topic)

    @Slot(str, object)
    def _on_raw_change(self, topic: str, committed_at: float | None) -> None:
        if topic in self._pending:
            earlier = self._pending[topic]
            committed_at = None if earlier is None or committed_at is None else max(earlier, committed_at)
        self._pending[topic] = committed_at
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _emit_pending(self) -> None:
        self._emitting, self._pending = self._pending, {}
        try:
            for topic in list(self._emitting):
                self.changed.emit(topic)
        finally:
            self._emitting = {}

    @Slot(bool)
    def _on_raw_connection(self, connected: bool) -> None:
        self.connected = connected
        self.disconnected = not connected
        self.connection_changed.emit(connected)
