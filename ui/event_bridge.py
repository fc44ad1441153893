"""The one place where change notifications from app/events.py become Qt signals.

Watcher callbacks arrive on the watcher's thread; emitting a signal from there is safe
and Qt queues it to the GUI thread. Bursts are merged: ten counters calling at once
cause one ``queue_changed`` after a short quiet period, not ten refreshes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.db.engine import Database
from app.events import ChangeWatcher, make_watcher

COALESCE_MS = 80


class EventBridge(QObject):
    queue_changed = Signal()
    connection_changed = Signal(bool)

    _raw_change = Signal(str)
    _raw_connection = Signal(bool)

    def __init__(self, db: Database, branch_id: int, *, sqlite_poll_ms: int = 250,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The watcher reaches the database (False until its first report).
        self.connected = False
        #: The watcher reported that it cannot reach the database (an outage, not "not known yet").
        self.disconnected = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.queue_changed)
        self._raw_change.connect(self._on_raw_change)
        self._raw_connection.connect(self._on_raw_connection)
        self._watcher: ChangeWatcher = make_watcher(
            db, self._raw_change.emit, self._raw_connection.emit, branch_id=branch_id, sqlite_poll_ms=sqlite_poll_ms)

    def start(self) -> None:
        self._watcher.start()

    def stop(self) -> None:
        self._watcher.stop()
        self._timer.stop()

    @Slot(str)
    def _on_raw_change(self, _topic: str) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot(bool)
    def _on_raw_connection(self, connected: bool) -> None:
        self.connected = connected
        self.disconnected = not connected
        self.connection_changed.emit(connected)
