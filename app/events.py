"""Change notifications between workstations, by topic. Plain Python: threads and callbacks.

A service that changes shared state calls :func:`publish` with its topic (app/topics.py) inside
its transaction, so the notification exists only if the change commits:

- PostgreSQL: ``pg_notify`` with the payload ``"topic:branch"`` (``"topic:*"`` for every branch),
  delivered to listeners when the transaction commits (nobody refreshes before the change is
  visible).
- SQLite: nothing can be sent. ``publish`` bumps the (branch, topic) row of ``change_counters``
  (app/db/change_counters.py); each workstation polls ``PRAGMA data_version``, which moves
  whenever another connection commits to the file, and then reads those rows to report only the
  topics whose counter moved. A commit that publishes nothing (an audit entry) reports nothing.

Watchers call ``on_change(topic, committed_at)`` and ``on_connection(connected)`` from their own
thread; the Qt side (ui/event_bridge.py) re-emits them as signals on the GUI thread.
``committed_at`` is when *this process* committed the change (``time.monotonic()``, from
app/commit_ledger.py), or None for another workstation's change or one not known: a pane whose
last read began after that moment already shows it and need not read again. A watcher that may
have missed changes (it has just (re)connected after an outage) reports every topic. Listeners
always re-read the database: a notification says *that* a kind of state changed, never *what*
it now is.
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

from app import commit_ledger
from app.db.change_counters import ALL_BRANCHES, Counters, bump_change_counter, read_change_counters
from app.db.engine import PG_CONNECT_ARGS, Database
from app.topics import (  # noqa: F401 - re-exported: the services import their topic from here
    TOPIC_APPOINTMENTS,
    TOPIC_CHECKLISTS,
    TOPIC_COMPLAINTS,
    TOPIC_CUSTOMERS,
    TOPIC_QUEUE,
    TOPIC_SETTINGS,
    TOPICS,
)

log = logging.getLogger(__name__)

#: What a watcher watches (ui/ names it from here: ui never imports app.db).
WatchedDatabase = Database

#: The PostgreSQL watcher retries a lost server at most this far apart, so it is back within
#: 2 s of the server (the calling display, dashboard and teller console follow it): an attempt
#: on a stopped server is refused at once; one on an unreachable host gives up after
#: WATCHER_CONNECT_TIMEOUT_S (libpq's smallest useful value).
RECONNECT_DELAY_MIN_S = 0.25
RECONNECT_DELAY_MAX_S = 1.5
WATCHER_CONNECT_TIMEOUT_S = 2

CHANNEL = "branchdesk_changes"
#: The branch part of a NOTIFY payload for a change that concerns every branch.
EVERY_BRANCH = "*"

#: (topic, when this process committed it or None) — see the module's docstring.
OnChange = Callable[[str, float | None], None]
OnConnection = Callable[[bool], None]


def publish(session: Session, topic: str, branch_id: int | None) -> None:
    """Announce a change of ``topic`` for ``branch_id`` (None: every branch, e.g. customers).

    Takes effect when the session's transaction commits, and not at all if it rolls back. The
    commit ledger learns the notification's key, so this process's watcher can tell when it was
    committed (PostgreSQL: the payload's third part; SQLite: the counter's new version)."""
    if topic not in TOPICS:
        raise ValueError(f"unknown change topic {topic!r} (see app/topics.py)")
    if session.get_bind().dialect.name == "postgresql":
        branch = EVERY_BRANCH if branch_id is None else str(branch_id)
        token = commit_ledger.next_token()
        commit_ledger.note(session, token)
        session.execute(select(func.pg_notify(CHANNEL, f"{topic}:{branch}:{token}")))
    else:
        counter_branch = ALL_BRANCHES if branch_id is None else branch_id
        version = bump_change_counter(session, counter_branch, topic)
        commit_ledger.note(session, (counter_branch, topic, version))


class ChangeWatcher:
    """Base for the two watchers: a daemon thread that stops promptly on request."""

    def __init__(self, on_change: OnChange, on_connection: OnConnection | None = None) -> None:
        self._on_change = on_change
        self._on_connection = on_connection or (lambda _connected: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: None until the first attempt: a server that is down at start is reported too.
        self.connected: bool | None = None

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

    def _notify(self, topic: str, committed_at: float | None = None) -> None:
        self._guarded(self._on_change, topic, committed_at)

    def _notify_all(self) -> None:
        """Changes may have happened unseen (an outage, the moment before LISTEN): re-read everything."""
        for topic in TOPICS:
            self._notify(topic)

    @staticmethod
    def _guarded(callback: Callable[..., None], *arguments: object) -> None:
        """A listener's bug must not kill the watcher thread (and with it every live update)."""
        try:
            callback(*arguments)
        except Exception:  # noqa: BLE001
            log.exception("change listener failed")

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def moved_topics(before: Counters | None, after: Counters | None) -> list[tuple[str, float | None]]:
    """The topics whose counter differs between two readings, in TOPICS order (unknown ones
    after), each with when this process committed the versions read now (None: not all ours).

    Without a counter table on either side (a file not migrated yet) every topic may have moved."""
    if before is None or after is None:
        return [(topic, None) for topic in TOPICS]
    moments: dict[str, list[float | None]] = {}
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            moments.setdefault(key[1], []).append(_committed_here(key, after.get(key)))
    order = [t for t in TOPICS if t in moments] + sorted(set(moments).difference(TOPICS))
    return [(topic, _latest_if_all_known(moments[topic])) for topic in order]


def _latest_if_all_known(moments: list[float | None]) -> float | None:
    """The latest moment, or None when any is not known (then the listener must read)."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known and len(known) == len(moments) else None


def _committed_here(key: tuple[int, str], version: int | None) -> float | None:
    """When this process committed the counter ``key``'s ``version``; None when another did.

    Only the latest version matters: SQLite orders commits, so a read begun after that one also
    sees the versions in between (app/commit_ledger.py)."""
    return None if version is None else commit_ledger.take((*key, version))


class SqliteDataVersionWatcher(ChangeWatcher):
    """Polls ``PRAGMA data_version`` (one cheap statement); reads the change counters only when it moved."""

    def __init__(self, path: Path, interval_s: float, on_change: OnChange,
                 on_connection: OnConnection | None = None, branch_id: int | None = None) -> None:
        super().__init__(on_change, on_connection)
        self._path = path
        self._interval = interval_s
        self._branch_id = branch_id

    def _run(self) -> None:
        """Polls every interval; a lost file is tried again at the next poll (reconnected within
        one interval of its return), and the listeners re-read every topic once it is back."""
        connection: sqlite3.Connection | None = None
        last: int | None = None
        seen: Counters | None = None
        # mode=rw: a file that has gone (network share dropped) is an error, not a new empty database.
        uri = f"{self._path.resolve().as_uri()}?mode=rw"
        while not self._stop.is_set():
            try:
                if connection is None:
                    connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                    last = connection.execute("PRAGMA data_version").fetchone()[0]
                    seen = read_change_counters(connection, self._branch_id)
                    if self.connected is False:
                        self._notify_all()  # changes may have happened while we were away
                    self._set_connected(True)
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version != last:
                    # Another connection committed. Counters read after data_version: a commit in
                    # between is in this reading and moves data_version again (read again, no diff).
                    last = version
                    counters = read_change_counters(connection, self._branch_id)
                    for topic, committed_at in moved_topics(seen, counters):
                        self._notify(topic, committed_at)
                    seen = counters
            except sqlite3.Error:
                if self.connected is not False:  # once per outage, not at every poll
                    log.exception("SQLite change watcher cannot read %s", self._path)
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
        delay = RECONNECT_DELAY_MIN_S
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True,
                                     **{**PG_CONNECT_ARGS, "connect_timeout": WATCHER_CONNECT_TIMEOUT_S}) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True)
                    # Changes may have happened while we were away (or before LISTEN): re-read all.
                    self._notify_all()
                    delay = RECONNECT_DELAY_MIN_S
                    while not self._stop.is_set():
                        for notify in connection.notifies(timeout=0.5):
                            self._dispatch(notify.payload)
                        connection.execute("SELECT 1")  # notices a dead server between notifications
            except psycopg.Error as error:
                if self.connected is not False:  # once per outage, not at every attempt
                    log.warning("PostgreSQL change watcher disconnected (%s); retrying every %.1fs at most",
                                " ".join(str(error).split()), RECONNECT_DELAY_MAX_S)
                self._set_connected(False)
                self._stop.wait(delay)
                delay = min(delay * 2, RECONNECT_DELAY_MAX_S)

    def _dispatch(self, payload: str) -> None:
        """``topic:branch:token`` (an older version's ``topic:branch`` is read as another's)."""
        topic, _, rest = payload.partition(":")
        branch, _, token = rest.partition(":")
        if self._branch_id is None or branch in (str(self._branch_id), EVERY_BRANCH):
            self._notify(topic, commit_ledger.take(token) if token else None)


def make_watcher(db: Database, on_change: OnChange, on_connection: OnConnection | None = None, *,
                 branch_id: int | None = None, sqlite_poll_ms: int = 250) -> ChangeWatcher:
    """The watcher for ``db``; with ``branch_id`` it reports that branch's changes and every branch's."""
    if db.is_sqlite:
        path = db.sqlite_path
        if path is None:
            raise ValueError("an in-memory SQLite database cannot be watched from other connections")
        return SqliteDataVersionWatcher(path, sqlite_poll_ms / 1000, on_change, on_connection, branch_id)
    url = db.engine.url.set(drivername="postgresql")
    return PostgresNotifyWatcher(url.render_as_string(hide_password=False), on_change, on_connection, branch_id)
