"""Change notifications between workstations: PRAGMA data_version polling on SQLite,
LISTEN/NOTIFY on PostgreSQL. The write comes from a separate connection (the service's
pool), as it would from another workstation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from app.db.engine import Database
from app.domain.errors import NotFound
from app.events import TOPIC_QUEUE, ChangeWatcher, PostgresNotifyWatcher, SqliteDataVersionWatcher, make_watcher, publish

#: How long a test waits for a notification that must come / must not come.
ARRIVES_WITHIN_S = 2.0
QUIET_FOR_S = 0.8

#: Narrows the parametrized ``db`` fixture to its PostgreSQL variant (id ``[postgresql]``).
POSTGRESQL_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


class Recorder:
    """on_change / on_connection callbacks that tests can wait on."""

    def __init__(self) -> None:
        self.topics: list[str] = []
        self.changed = threading.Event()
        self.connected = threading.Event()
        self.connection_states: list[bool] = []

    def on_change(self, topic: str) -> None:
        self.topics.append(topic)
        self.changed.set()

    def on_connection(self, connected: bool) -> None:
        self.connection_states.append(connected)
        if connected:
            self.connected.set()

    def reset(self) -> None:
        self.topics.clear()
        self.changed.clear()


@pytest.fixture
def start_watcher(db: Database) -> Iterator[Callable[..., Recorder]]:
    """Start a watcher on ``db``, wait until it is connected and settled; stopped at teardown."""
    started: list[ChangeWatcher] = []

    def start(**kwargs) -> Recorder:  # type: ignore[no-untyped-def]
        recorder = Recorder()
        watcher = make_watcher(db, recorder.on_change, recorder.on_connection, sqlite_poll_ms=50, **kwargs)
        started.append(watcher)
        watcher.start()
        assert recorder.connected.wait(5), "watcher did not connect"
        if not db.is_sqlite:
            # On (re)connect the PostgreSQL watcher tells listeners to re-read once.
            assert recorder.changed.wait(ARRIVES_WITHIN_S)
            assert recorder.topics == [TOPIC_QUEUE]
        time.sleep(0.1)
        recorder.reset()
        return recorder

    yield start
    for watcher in started:
        watcher.stop()
        assert watcher._thread is None  # joined, not left running


def test_watcher_kind_follows_the_database(db) -> None:  # type: ignore[no-untyped-def]
    watcher = make_watcher(db, lambda _topic: None)
    assert isinstance(watcher, SqliteDataVersionWatcher if db.is_sqlite else PostgresNotifyWatcher)


def test_a_committed_change_is_noticed_within_a_second(queue, branch, actors, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher()
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    committed = time.monotonic()
    assert recorder.changed.wait(ARRIVES_WITHIN_S), "no change notification"
    assert time.monotonic() - committed < 1.0
    assert set(recorder.topics) == {TOPIC_QUEUE}
    # ...and again for the next change.
    recorder.reset()
    queue.call_next(actors.teller1, branch.id, 1)
    assert recorder.changed.wait(ARRIVES_WITHIN_S)


def test_reads_and_refused_writes_notify_nobody(queue, branch, actors, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher()
    queue.list_tickets(branch.id)
    queue.waiting_counts(branch.id)
    with pytest.raises(NotFound):
        queue.issue_ticket(actors.lobby, branch.id, "no_such_business")
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    assert not recorder.changed.wait(QUIET_FOR_S), recorder.topics


def test_publish_in_a_rolled_back_transaction_is_not_delivered(db, branch, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher()
    with pytest.raises(RuntimeError):
        with db.write() as session:
            publish(session, TOPIC_QUEUE, branch.id)
            raise RuntimeError("use case failed")
    assert not recorder.changed.wait(QUIET_FOR_S), recorder.topics


# SQLite's data_version says only *that* the file changed: no topic, no branch to filter on.
@POSTGRESQL_ONLY
def test_postgresql_notification_for_another_branch_is_filtered(  # type: ignore[no-untyped-def]
        queue, branch, other_branch, actors, start_watcher) -> None:
    mine = start_watcher(branch_id=branch.id)
    everything = start_watcher()
    queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan")
    assert everything.changed.wait(ARRIVES_WITHIN_S)
    assert not mine.changed.wait(QUIET_FOR_S), mine.topics
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert mine.changed.wait(ARRIVES_WITHIN_S)
    assert mine.topics == [TOPIC_QUEUE]


@POSTGRESQL_ONLY
def test_postgresql_payload_names_topic_and_branch(db, branch, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher(branch_id=branch.id)
    with db.write() as session:
        publish(session, "customers", branch.id)
    assert recorder.changed.wait(ARRIVES_WITHIN_S)
    assert recorder.topics == ["customers"]


def test_sqlite_in_memory_cannot_be_watched() -> None:
    db = Database("sqlite://")
    try:
        with pytest.raises(ValueError):
            make_watcher(db, lambda _topic: None)
    finally:
        db.dispose()


def test_postgresql_watcher_reports_an_unreachable_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    lost = threading.Event()
    watcher = PostgresNotifyWatcher(f"postgresql://nobody@/nothing?host={tmp_path}", recorder.on_change,
                                    lambda connected: lost.set() if not connected else None)
    # The base class starts "not connected": a first failure is not a change of state...
    watcher.connected = True  # ...so pretend it had been connected, as after a server restart.
    watcher.start()
    try:
        assert lost.wait(5)
        assert not recorder.changed.is_set()
    finally:
        watcher.stop()


def test_sqlite_watcher_reports_a_missing_file_without_creating_it_and_follows_its_return(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The state is reported from the first attempt on (a file missing at start is an outage too);
    a missing file is not replaced by a new empty database; it is followed within one poll of
    its return, and listeners are told to re-read."""
    import sqlite3

    path = tmp_path / "shared" / "bd.sqlite3"
    path.parent.mkdir()
    recorder = Recorder()
    lost = threading.Event()
    watcher = SqliteDataVersionWatcher(path, 0.05, recorder.on_change,
                                       lambda connected: (recorder.on_connection(connected),
                                                          None if connected else lost.set()))
    watcher.start()
    try:
        assert lost.wait(ARRIVES_WITHIN_S), "a missing file at start was not reported"
        assert not path.exists()
        sqlite3.connect(path).close()  # the file is back (e.g. the share is mounted again)
        assert recorder.connected.wait(ARRIVES_WITHIN_S)
        assert recorder.changed.wait(ARRIVES_WITHIN_S) and recorder.topics == [TOPIC_QUEUE]
        assert recorder.connection_states == [False, True]
    finally:
        watcher.stop()
