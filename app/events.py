"""Change notifications between workstations. Plain Python: threads and callbacks.

A service that changes shared state calls :func:`publish` inside its transaction. On
PostgreSQL that is ``pg_notify``, delivered to listeners only when the transaction
commits (so nobody refreshes before the change is visible). On SQLite there is nothing
to send: every workstation polls ``PRAGMA data_version``, which moves whenever another
connection commits to the file.

Watchers call ``on_change(topic)`` and ``on_connection(connected)`` from their own
thread; the Qt side (ui/event_bridge.py) re-emits them as signals on the GUI thread.
Listeners always re-read the database: a notification says *that* something changed,
never *what* the new state is.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database

log = logging.getLogger(__name__)

CHANNEL = "branchdesk_changes"
TOPIC_QUEUE = "queue"
TOPIC_COMPLAINTS = "complaints"

OnChange = Callable[[str], None]
OnConnection = Callable[[bool], None]


def publish(session: Session, topic: str, branch_id: int) -> None:
    """Announce a change; takes effect when the session's transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(CHANNEL, f"{topic}:{branch_id}")))


class ChangeWatcher:
    """Base for the two watchers: a daemon thread that stops promptly on request."""

    def __init__(self, on_change: OnChange, on_connection: OnConnection | None = None) -> None:
        self._on_change = on_change
        self._on_connection = on_connection or (lambda _connected: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._guarded(self._on_connection, connected)

    def _notify(self, topic: str) -> None:
        self._guarded(self._on_change, topic)

    @staticmethod
    def _guarded(callback: Callable[..., None], argument: object) -> None:
        """A listener's bug must not kill the watcher thread (and with it every live update)."""
        try:
            callback(argument)
        except Exception:  # noqa: BLE001
            log.exception("change listener failed")

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class SqliteDataVersionWatcher(ChangeWatcher):
    def __init__(self, path: Path, interval_s: float, on_change: OnChange,
                 on_connection: OnConnection | None = None) -> None:
        super().__init__(on_change, on_connection)
        self._path = path
        self._interval = interval_s

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        last: int | None = None
        while not self._stop.is_set():
            try:
                if connection is None:
                    connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
                    last = connection.execute("PRAGMA data_version").fetchone()[0]
                    self._set_connected(True)
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version != last:
                    last = version
                    self._notify(TOPIC_QUEUE)
            except sqlite3.Error:
                log.exception("SQLite change watcher lost its connection")
                self._set_connected(False)
                if connection is not None:
                    connection.close()
                connection = None
            self._stop.wait(self._interval)
        if connection is not None:
            connection.close()


class PostgresNotifyWatcher(ChangeWatcher):
    """LISTENs on its own autocommit connection; reconnects with back-off when the server goes away."""

    def __init__(self, conninfo: str, on_change: OnChange, on_connection: OnConnection | None = None,
                 branch_id: int | None = None) -> None:
        super().__init__(on_change, on_connection)
        self._conninfo = conninfo
        self._branch_id = branch_id

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True)
                    # Changes may have happened while we were away: tell listeners to re-read.
                    self._notify(TOPIC_QUEUE)
                    delay = 0.5
                    while not self._stop.is_set():
                        for notify in connection.notifies(timeout=0.5):
                            self._dispatch(notify.payload)
                        connection.execute("SELECT 1")  # notices a dead server between notifications
            except psycopg.Error:
                log.warning("PostgreSQL change watcher disconnected; retrying in %.1fs", delay)
                self._set_connected(False)
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)

    def _dispatch(self, payload: str) -> None:
        topic, _, branch = payload.partition(":")
        if self._branch_id is None or branch == str(self._branch_id):
            self._notify(topic)


def make_watcher(db: Database, on_change: OnChange, on_connection: OnConnection | None = None, *,
                 branch_id: int | None = None, sqlite_poll_ms: int = 250) -> ChangeWatcher:
    if db.is_sqlite:
        path = db.sqlite_path
        if path is None:
            raise ValueError("an in-memory SQLite database cannot be watched from other connections")
        return SqliteDataVersionWatcher(path, sqlite_poll_ms / 1000, on_change, on_connection)
    url = db.engine.url.set(drivername="postgresql")
    return PostgresNotifyWatcher(url.render_as_string(hide_password=False), on_change, on_connection, branch_id)
