"""The Qt event bridge on both databases: one ``changed(topic)`` per topic and burst, only for
the topics that changed.

Here rather than in tests/gui because it needs the PostgreSQL variant of the ``db`` fixture;
it builds no widget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db.engine import Database
from app.services.audit import AuditAction, record
from app.services.complaints import ComplaintService
from app.topics import TOPIC_COMPLAINTS, TOPIC_QUEUE, TOPICS
from tests.integration.complaint_helpers import walk_in_entry
from ui.event_bridge import COALESCE_MS, EventBridge

#: Long enough for a poll (50 ms), the coalescing delay and a NOTIFY round trip, many times over.
QUIET_MS = 600


class Emitted:
    """What the bridge emitted, in order."""

    def __init__(self, bridge: EventBridge) -> None:
        self.topics: list[str] = []
        bridge.changed.connect(self.topics.append)

    def clear(self) -> None:
        self.topics.clear()


@pytest.fixture
def live_bridge(qtbot, db: Database, branch) -> Iterator[tuple[EventBridge, Emitted]]:  # type: ignore[no-untyped-def]
    """A started bridge of the demo branch, connected and past the re-read it asks for on connect."""
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    emitted = Emitted(bridge)
    bridge.start()
    qtbot.waitUntil(lambda: bridge.connected, timeout=5000)
    if not db.is_sqlite:  # LISTEN may have missed changes: every topic once
        qtbot.waitUntil(lambda: sorted(emitted.topics) == sorted(TOPICS), timeout=3000)
    emitted.clear()
    yield bridge, emitted
    bridge.stop()


def test_a_complaint_change_emits_changed_complaints_only(qtbot, live_bridge, db, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    bridge, emitted = live_bridge
    with qtbot.waitSignal(bridge.changed, timeout=3000, check_params_cb=lambda topic: topic == TOPIC_COMPLAINTS):
        ComplaintService(db, clock=clock).submit(actors.lobby, branch.id, walk_in_entry())
    with qtbot.assertNotEmitted(bridge.changed, wait=QUIET_MS):
        pass
    assert emitted.topics == [TOPIC_COMPLAINTS]


def test_a_queue_change_emits_changed_queue_only(qtbot, live_bridge, queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    bridge, emitted = live_bridge
    with qtbot.waitSignal(bridge.changed, timeout=3000):
        queue.issue_ticket(actors.lobby, branch.id, "loan")
    with qtbot.assertNotEmitted(bridge.changed, wait=QUIET_MS):
        pass
    assert emitted.topics == [TOPIC_QUEUE]


def test_an_audit_only_write_emits_nothing(qtbot, live_bridge, db, actors) -> None:  # type: ignore[no-untyped-def]
    bridge, _emitted = live_bridge
    with qtbot.assertNotEmitted(bridge.changed, wait=QUIET_MS):
        record(db, actors.supervisor, AuditAction.EXPORT, target_type="report", detail={"rows": 1})


def test_bursts_are_merged_per_topic(qtbot, db, branch) -> None:  # type: ignore[no-untyped-def]
    """Ten queue changes and one complaint change in one burst: one signal each (watcher not started:
    its reports are fed in as they would arrive)."""
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    emitted = Emitted(bridge)
    try:
        for _ in range(5):
            bridge._raw_change.emit(TOPIC_QUEUE, None)
        bridge._raw_change.emit(TOPIC_COMPLAINTS, None)
        for _ in range(5):
            bridge._raw_change.emit(TOPIC_QUEUE, None)
        qtbot.waitUntil(lambda: len(emitted.topics) == 2, timeout=2000)
        with qtbot.assertNotEmitted(bridge.changed, wait=COALESCE_MS * 3):
            pass
        assert emitted.topics == [TOPIC_QUEUE, TOPIC_COMPLAINTS]
        # The next burst is a burst of its own.
        emitted.clear()
        with qtbot.waitSignal(bridge.changed, timeout=2000):
            bridge._raw_change.emit(TOPIC_COMPLAINTS, None)
        assert emitted.topics == [TOPIC_COMPLAINTS]
    finally:
        bridge.stop()
