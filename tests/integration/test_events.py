"""Change notifications between workstations: PRAGMA data_version polling on SQLite,
LISTEN/NOTIFY on PostgreSQL. The write comes from a separate connection (the service's
pool), as it would from another workstation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from datetime import timedelta

import pytest

from app.db.engine import Database
from app.domain.errors import NotFound
from app.events import (
    TOPIC_APPOINTMENTS,
    TOPIC_COMPLAINTS,
    TOPIC_CUSTOMERS,
    TOPIC_QUEUE,
    TOPIC_SETTINGS,
    TOPICS,
    ChangeWatcher,
    PostgresNotifyWatcher,
    SqliteDataVersionWatcher,
    make_watcher,
    publish,
)
from app.services.appointments import AppointmentService
from app.services.audit import AuditAction, record
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branch_settings import BranchSettings
from app.services.complaints import ComplaintService
from app.services.counters import CounterDesk
from app.services.customers.service import CustomerService
from tests.integration.complaint_helpers import walk_in_entry
from tests.integration.customer_fixtures import person, resident_id

#: How long a test waits for a notification that must come / must not come.
ARRIVES_WITHIN_S = 2.0
QUIET_FOR_S = 0.8

#: Narrows the parametrized ``db`` fixture to its PostgreSQL variant (id ``[postgresql]``).
POSTGRESQL_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


class Recorder:
    """on_change / on_connection callbacks that tests can wait on."""

    def __init__(self) -> None:
        self.topics: list[str] = []
        #: (topic, committed_at) as reported: when this process committed it, or None.
        self.reports: list[tuple[str, float | None]] = []
        self.changed = threading.Event()
        self.connected = threading.Event()
        self.connection_states: list[bool] = []

    def on_change(self, topic: str, committed_at: float | None) -> None:
        self.topics.append(topic)
        self.reports.append((topic, committed_at))
        self.changed.set()

    def on_connection(self, connected: bool) -> None:
        self.connection_states.append(connected)
        if connected:
            self.connected.set()

    def reset(self) -> None:
        self.topics.clear()
        self.reports.clear()
        self.changed.clear()

    def got_every_topic(self, within_s: float = ARRIVES_WITHIN_S) -> bool:
        """Every topic arrived (what a watcher reports when it may have missed changes)."""
        deadline = time.monotonic() + within_s
        while set(self.topics) != set(TOPICS) and time.monotonic() < deadline:
            time.sleep(0.01)
        return sorted(self.topics) == sorted(TOPICS)


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
            # On (re)connect the PostgreSQL watcher tells listeners to re-read everything once.
            assert recorder.got_every_topic(), recorder.topics
        time.sleep(0.1)
        recorder.reset()
        return recorder

    yield start
    for watcher in started:
        watcher.stop()
        assert watcher._thread is None  # joined, not left running


def test_watcher_kind_follows_the_database(db) -> None:  # type: ignore[no-untyped-def]
    watcher = make_watcher(db, lambda _topic, _committed_at: None)
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
            make_watcher(db, lambda _topic, _committed_at: None)
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
        assert recorder.got_every_topic(), recorder.topics  # a change may have been missed meanwhile
        assert recorder.connection_states == [False, True]
    finally:
        watcher.stop()


# -- topics: each change names what changed ----------------------------------------------------


def _only(recorder: Recorder) -> list[str]:
    """The topics reported for one change: the first arrives, then nothing more for QUIET_FOR_S."""
    assert recorder.changed.wait(ARRIVES_WITHIN_S), "no change notification"
    recorder.changed.clear()
    recorder.changed.wait(QUIET_FOR_S)  # a second report (e.g. "queue" as well) would come by now
    return list(recorder.topics)


def test_a_complaint_write_reports_complaints_and_not_queue(db, branch, actors, clock, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher(branch_id=branch.id)
    ComplaintService(db, clock=clock).submit(actors.lobby, branch.id, walk_in_entry())
    assert _only(recorder) == [TOPIC_COMPLAINTS]


def test_an_audit_only_write_reports_nothing(db, branch, actors, start_watcher) -> None:  # type: ignore[no-untyped-def]
    """A sign-in (its audit entry, the user's row) and an export entry change no pane's state."""
    recorder = start_watcher(branch_id=branch.id)
    authenticate(db, "teller2", DEMO_PASSWORD)
    record(db, actors.supervisor, AuditAction.EXPORT, target_type="report", detail={"rows": 3})
    assert not recorder.changed.wait(QUIET_FOR_S), recorder.topics


def test_each_use_case_reports_its_own_topic(db, branch, actors, clock, queue, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher(branch_id=branch.id)
    writes: list[tuple[str, Callable[[], object]]] = [
        (TOPIC_QUEUE, lambda: CounterDesk(db).pause(actors.teller1, branch.id, 1, "break")),
        (TOPIC_SETTINGS, lambda: BranchSettings(db).change(actors.supervisor, branch.id,
                                                           {"complaints.decide_days": 10})),
        (TOPIC_APPOINTMENTS, lambda: AppointmentService(queue).book(
            actors.lobby, branch.id, business_code="wealth", customer_name="张三", phone="13800138000",
            slot_start=clock() + timedelta(days=1))),
        (TOPIC_CUSTOMERS, lambda: CustomerService(db, clock=clock).create(
            actors.teller1, person("李四", resident_id("310104", "19851120", "246")))),
        (TOPIC_COMPLAINTS, lambda: ComplaintService(db, clock=clock).save_draft(
            actors.lobby, branch.id, walk_in_entry())),
    ]
    for topic, write in writes:
        recorder.reset()
        write()
        assert _only(recorder) == [topic], topic


def test_a_change_of_another_branch_is_filtered_and_a_bank_wide_one_reaches_every_branch(  # type: ignore[no-untyped-def]
        db, queue, branch, other_branch, start_watcher) -> None:
    mine = start_watcher(branch_id=branch.id)
    everything = start_watcher()
    queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan")
    assert _only(everything) == [TOPIC_QUEUE]
    assert not mine.changed.wait(QUIET_FOR_S), mine.topics
    everything.reset()
    with db.write() as session:
        publish(session, TOPIC_CUSTOMERS, None)  # customers are the bank's
    assert _only(mine) == [TOPIC_CUSTOMERS]
    assert _only(everything) == [TOPIC_CUSTOMERS]


def test_publish_refuses_an_unknown_topic(db, branch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown change topic"):
        with db.write() as session:
            publish(session, "queu", branch.id)


def test_sqlite_file_without_counters_reports_every_topic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A file not migrated yet cannot tell topics apart: any commit may concern any pane."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    recorder = Recorder()
    watcher = SqliteDataVersionWatcher(path, 0.05, recorder.on_change, recorder.on_connection)
    watcher.start()
    try:
        assert recorder.connected.wait(ARRIVES_WITHIN_S)
        assert not recorder.changed.wait(0.2), recorder.topics  # nothing committed yet
        writer = sqlite3.connect(path)
        writer.execute("CREATE TABLE t (x)")
        writer.commit()
        writer.close()
        assert recorder.got_every_topic(), recorder.topics
    finally:
        watcher.stop()


# -- this process's own commits: when they were made (so a pane that read since skips the echo) ----


def test_a_change_this_process_committed_is_reported_with_its_commit_moment(  # type: ignore[no-untyped-def]
        queue, branch, actors, start_watcher) -> None:
    recorder = start_watcher(branch_id=branch.id)
    before = time.monotonic()
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    after = time.monotonic()
    assert _only(recorder) == [TOPIC_QUEUE]
    (_topic, committed_at), = recorder.reports
    assert committed_at is not None and before <= committed_at <= after


def test_two_commits_in_one_poll_are_reported_at_the_later_moment(db, branch, start_watcher) -> None:  # type: ignore[no-untyped-def]
    recorder = start_watcher(branch_id=branch.id)
    for _ in range(2):
        with db.write() as session:
            publish(session, TOPIC_COMPLAINTS, branch.id)
    second = time.monotonic()
    assert recorder.changed.wait(ARRIVES_WITHIN_S)
    time.sleep(QUIET_FOR_S)
    moments = [committed for topic, committed in recorder.reports if topic == TOPIC_COMPLAINTS]
    assert moments and all(moment is not None for moment in moments)
    assert max(moments) <= second  # type: ignore[type-var]
    assert max(moments) >= second - 1.0  # type: ignore[type-var] - the second commit's, not an old one


def test_a_rolled_back_change_is_never_known_as_committed(db, branch, start_watcher) -> None:  # type: ignore[no-untyped-def]
    """The rolled-back key stays unknown: the next real commit of the topic is reported on its own
    moment, and a key is answered once (a database put back to an older state is read again)."""
    from app import commit_ledger

    recorder = start_watcher(branch_id=branch.id)
    with pytest.raises(RuntimeError):
        with db.write() as session:
            publish(session, TOPIC_COMPLAINTS, branch.id)
            raise RuntimeError("refused midway")
    assert not session.info.get("commit_ledger_pending")
    committed = time.monotonic()
    with db.write() as session:
        publish(session, TOPIC_COMPLAINTS, branch.id)
    assert _only(recorder) == [TOPIC_COMPLAINTS]
    (_topic, committed_at), = recorder.reports
    assert committed_at is not None and committed_at >= committed
    assert commit_ledger.take("no-such-token") is None


def test_another_process_change_is_reported_without_a_moment(db, branch, start_watcher) -> None:  # type: ignore[no-untyped-def]
    """A change another workstation committed (here: a write from a separate interpreter)."""
    import subprocess
    import sys

    recorder = start_watcher(branch_id=branch.id)
    script = ("import sys; from app.db.engine import Database; from app.events import publish\n"
              "db = Database(sys.argv[1], create=False)\n"
              "with db.write() as session: publish(session, 'complaints', int(sys.argv[2]))\n")
    subprocess.run([sys.executable, "-c", script, db.url, str(branch.id)], check=True, timeout=60)
    assert _only(recorder) == [TOPIC_COMPLAINTS]
    assert recorder.reports == [(TOPIC_COMPLAINTS, None)]
