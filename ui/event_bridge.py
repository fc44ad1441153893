"""The one place where change notifications from app/events.py become Qt signals.

Watcher callbacks arrive on the watcher's thread; emitting a signal from there is safe
and Qt queues it to the GUI thread. Bursts are merged per topic: ten counters calling at
once cause one ``changed("queue")`` after a short delay, not ten refreshes; a complaint
stepped forward in the same burst adds one ``changed("complaints")``. Panes follow the topics
they show through ui/live_pane.py.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.events import ChangeWatcher, WatchedDatabase, make_watcher

COALESCE_MS = 80


class EventBridge(QObject):
    #: A topic (app/topics.py) changed for this branch; once per topic per burst.
    changed = Signal(str)
    connection_changed = Signal(bool)

    _raw_change = Signal(str)
    _raw_connection = Signal(bool)

    def __init__(self, db: WatchedDatabase, branch_id: int, *, sqlite_poll_ms: int = 250,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The watcher reaches the database (False until its first report).
        self.connected = False
        #: The watcher reported that it cannot reach the database (an outage, not "not known yet").
        self.disconnected = False
        #: Topics changed since the burst began, in the order they first came.
        self._pending: dict[str, None] = {}
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

    @Slot(str)
    def _on_raw_change(self, topic: str) -> None:
        self._pending[topic] = None
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _emit_pending(self) -> None:
        topics, self._pending = list(self._pending), {}
        for topic in topics:
            self.changed.emit(topic)

    @Slot(bool)
    def _on_raw_connection(self, connected: bool) -> None:
        self.connected = connected
        self.disconnected = not connected
        self.connection_changed.emit(connected)
