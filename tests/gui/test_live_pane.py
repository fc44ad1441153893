"""The live-pane base (ui/live_pane.py) on a small probe pane: declared topics, reads on the
worker thread, hidden panes wait and read once when shown, bursts during a read, errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Signal

from app.db.engine import Database
from app.domain.errors import DatabaseUnavailable
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.complaints import ComplaintService
from app.services.queue import QueueService
from app.topics import TOPIC_COMPLAINTS, TOPIC_QUEUE
from tests.integration.complaint_helpers import walk_in_entry
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane

#: Long enough for a read that should not happen to have started (there is no event to wait for).
QUIET_MS = 300


class FakeBridge(QObject):
    """What a pane uses of ui.event_bridge.EventBridge."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        #: topic -> when this process committed the change being emitted (none: another's).
        self.ours: dict[str, float] = {}

    def committed_here(self, topic: str) -> float | None:
        return self.ours.get(topic)


class ProbePane(LivePane):
    """Shows the number of its reads; records on which thread each read and each show ran."""

    topics = (TOPIC_COMPLAINTS,)

    def __init__(self) -> None:
        super().__init__(name="probe pane", retry_ms=50)
        self.read_threads: list[int] = []
        self.shown: list[tuple[object, int]] = []
        self.refusals: list[Exception] = []
        self.gate: threading.Event | None = None  # set: reads wait for it
        self.fail_with: Exception | None = None  # the next read raises it
        self.deferring = False

    def read_job(self) -> Callable[[], object]:
        return self._read

    def _read(self) -> int:
        self.read_threads.append(threading.get_ident())
        if self.gate is not None:
            assert self.gate.wait(5)
        error, self.fail_with = self.fail_with, None
        if error is not None:
            raise error
        return len(self.read_threads)

    def show_result(self, result: object) -> None:
        self.shown.append((result, threading.get_ident()))

    def show_refusal(self, error: Exception) -> None:  # type: ignore[override]
        self.refusals.append(error)

    def defer_refresh(self) -> bool:
        return self.deferring

    @property
    def reads(self) -> int:
        return len(self.read_threads)


@pytest.fixture
def probe(qtbot) -> tuple[ProbePane, FakeBridge]:  # type: ignore[no-untyped-def]
    """A probe pane following a fake bridge, shown and past its first read."""
    bridge = FakeBridge()
    pane = ProbePane()
    qtbot.addWidget(pane)
    pane.follow(bridge)  # type: ignore[arg-type]
    pane.show()
    qtbot.waitUntil(lambda: len(pane.shown) == 1, timeout=3000)
    assert not pane.stale
    return pane, bridge


def no_read_starts(qtbot, pane: ProbePane):  # type: ignore[no-untyped-def]
    """Asserts that the pane starts no background read within QUIET_MS."""
    return qtbot.assertNotEmitted(pane.worker.busy_changed, wait=QUIET_MS)


def test_a_visible_pane_reads_on_the_worker_thread_and_shows_on_the_gui_thread(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)
    gui = threading.get_ident()
    assert all(thread != gui for thread in pane.read_threads)
    assert pane.shown == [(1, gui), (2, gui)]


def test_a_change_of_a_topic_the_pane_does_not_show_reads_nothing(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    with no_read_starts(qtbot, pane):
        bridge.changed.emit(TOPIC_QUEUE)
    assert pane.reads == 1


def test_a_hidden_pane_never_reads_and_reads_once_when_shown(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    clock = pane.every(20)  # the clock as well: a hidden pane only turns stale
    pane.hide()
    with no_read_starts(qtbot, pane):
        for _ in range(3):
            bridge.changed.emit(TOPIC_COMPLAINTS)
    assert pane.reads == 1 and pane.stale
    clock.stop()  # it would read again once shown; the one read of the show is what is tested here
    pane.show()
    qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)
    with no_read_starts(qtbot, pane):
        pass
    assert pane.reads == 2 and not pane.stale
    # Hidden and shown again with nothing changed meanwhile: nothing to read.
    pane.hide()
    with no_read_starts(qtbot, pane):
        pane.show()
    assert pane.reads == 2


def test_a_pane_never_shown_reads_nothing_until_its_first_show(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge = FakeBridge()
    pane = ProbePane()
    qtbot.addWidget(pane)
    pane.follow(bridge)  # type: ignore[arg-type]
    pane.refresh()
    with no_read_starts(qtbot, pane):
        bridge.changed.emit(TOPIC_COMPLAINTS)
    assert pane.reads == 0
    pane.show()
    qtbot.waitUntil(lambda: len(pane.shown) == 1, timeout=3000)
    assert pane.reads == 1


def test_changes_during_a_read_cause_exactly_one_more_read(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    """Not "latest job wins": under a stream of changes the pane still shows every read it makes."""
    pane, bridge = probe
    pane.gate = threading.Event()
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: pane.reads == 2, timeout=3000)  # under way, waiting at the gate
    for _ in range(4):
        bridge.changed.emit(TOPIC_COMPLAINTS)
    pane.gate.set()
    qtbot.waitUntil(lambda: len(pane.shown) == 3, timeout=3000)
    with no_read_starts(qtbot, pane):
        pass
    assert [result for result, _thread in pane.shown] == [1, 2, 3]


def test_an_unexpected_error_is_logged_and_retried(qtbot, probe, caplog) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    pane.fail_with = KeyError(4242)
    with caplog.at_level(logging.ERROR, logger="ui.live_refresh"):
        with qtbot.waitSignal(pane.live.failed, timeout=3000):
            bridge.changed.emit(TOPIC_COMPLAINTS)
    assert "Background refresh of probe pane failed" in caplog.text
    assert len(pane.shown) == 1  # the last view stays
    with qtbot.waitSignal(pane.live.recovered, timeout=3000):  # retried after retry_ms
        pass
    assert pane.live.failures == 0 and pane.shown[-1][0] == 3


def test_a_refusal_is_shown_and_not_retried(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    pane.fail_with = DatabaseUnavailable()
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: len(pane.refusals) == 1, timeout=3000)
    assert isinstance(pane.refusals[0], DatabaseUnavailable)
    assert not pane.live.retry_pending and pane.live.failures == 0


def test_a_deferring_pane_waits_for_catch_up(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    """E.g. the checklist pane while its own dialog is open."""
    pane, bridge = probe
    pane.deferring = True
    with no_read_starts(qtbot, pane):
        bridge.changed.emit(TOPIC_COMPLAINTS)
    assert pane.stale
    pane.deferring = False
    pane.catch_up()
    qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)
    pane.catch_up()  # nothing more to catch up on
    with no_read_starts(qtbot, pane):
        pass


def test_show_now_reads_on_the_gui_thread_and_drops_an_older_read(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    """After the user's own action: the result at once; a background read still under way is older."""
    pane, bridge = probe
    pane.gate = threading.Event()
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: pane.reads == 2, timeout=3000)
    pane.gate.set()  # the next read (show_now's own) must not wait
    pane.show_now()
    assert pane.shown[-1] == (3, threading.get_ident()) and pane.read_threads[-1] == threading.get_ident()
    pane.worker.wait()
    with no_read_starts(qtbot, pane):
        pass
    assert [result for result, _thread in pane.shown] == [1, 3]  # read 2 finished, but was dropped


def test_a_closed_pane_reads_no_more(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    pane.close()
    with no_read_starts(qtbot, pane):
        bridge.changed.emit(TOPIC_COMPLAINTS)
    with no_read_starts(qtbot, pane):
        pane.show()  # even shown again, closed is closed for changes
        bridge.changed.emit(TOPIC_COMPLAINTS)
    assert pane.reads == 1


def test_a_complaint_from_another_workstation_reaches_the_pane_and_a_ticket_does_not(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    """End to end on SQLite: change counters, the watcher, the bridge, the pane."""
    db, branch = demo_db
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    bridge.start()
    other = Database(db.url)  # another workstation
    try:
        pane = ProbePane()
        qtbot.addWidget(pane)
        pane.follow(bridge)
        pane.show()
        qtbot.waitUntil(lambda: bridge.connected and len(pane.shown) == 1, timeout=3000)
        with qtbot.waitSignal(bridge.changed, timeout=3000), no_read_starts(qtbot, pane):
            QueueService(other).issue_ticket(authenticate(other, "lobby", DEMO_PASSWORD), branch.id, "loan")
        ComplaintService(other).submit(authenticate(other, "lobby", DEMO_PASSWORD), branch.id, walk_in_entry())
        qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)
        assert pane.reads == 2
        pane.close()
    finally:
        bridge.stop()
        other.dispose()


# -- the echo of this process's own change (issue #17) ---------------------------------------


def test_an_own_change_committed_before_the_shown_read_began_is_not_read_again(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    bridge.ours[TOPIC_COMPLAINTS] = time.monotonic()  # the user's own save, committed...
    pane.show_now()  # ...then shown by the action's own read
    with no_read_starts(qtbot, pane):
        bridge.changed.emit(TOPIC_COMPLAINTS)  # its notification comes back
    assert pane.reads == 2 and pane.settled


def test_an_own_change_committed_after_the_shown_read_began_is_read(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    bridge.ours[TOPIC_COMPLAINTS] = time.monotonic()  # after the fixture's read began
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)


def test_a_change_from_elsewhere_is_always_read(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    pane, bridge = probe
    pane.show_now()
    bridge.changed.emit(TOPIC_COMPLAINTS)  # committed_here: None
    qtbot.waitUntil(lambda: len(pane.shown) == 3, timeout=3000)


def test_a_refused_read_does_not_count_as_shown(qtbot, probe) -> None:  # type: ignore[no-untyped-def]
    """The database went away after the user's own save: the pane still reads at the echo."""
    pane, bridge = probe
    bridge.ours[TOPIC_COMPLAINTS] = time.monotonic()
    pane.fail_with = DatabaseUnavailable(reason="gone")
    assert not pane.show_now()
    bridge.changed.emit(TOPIC_COMPLAINTS)
    qtbot.waitUntil(lambda: len(pane.shown) == 2, timeout=3000)


def test_the_bridge_calls_a_burst_ours_only_if_every_change_in_it_is(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    bridge = EventBridge(db, branch.id)  # not started: the watcher's reports are emitted by hand
    reported: list[tuple[str, float | None]] = []
    bridge.changed.connect(lambda topic: reported.append((topic, bridge.committed_here(topic))))
    for topic, committed_at in ((TOPIC_QUEUE, 5.0), (TOPIC_QUEUE, 7.0), (TOPIC_COMPLAINTS, 3.0),
                                (TOPIC_COMPLAINTS, None), (TOPIC_COMPLAINTS, 9.0)):
        bridge._raw_change.emit(topic, committed_at)
    qtbot.waitUntil(lambda: len(reported) == 2, timeout=3000)
    assert reported == [(TOPIC_QUEUE, 7.0), (TOPIC_COMPLAINTS, None)]
    assert bridge.committed_here(TOPIC_QUEUE) is None  # known only while the burst is emitted
