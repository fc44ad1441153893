"""The real panes follow their topics (issue #17): a complaint edited at another workstation
re-reads the complaints pane and nothing else; a hidden pane reads once, when it is shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from app.db.engine import Database
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.complaints import ComplaintService
from app.topics import TOPIC_COMPLAINTS
from tests.gui.live import settle
from tests.integration.complaint_helpers import walk_in_entry
from ui.live_pane import LivePane

#: Long enough for a poll (50 ms), the bridge's coalescing and a read, many times over.
QUIET_MS = 500


@pytest.fixture
def other_workstation(demo_db) -> Iterator[Callable[[], int]]:  # type: ignore[no-untyped-def]
    """Records a complaint through a separate engine, as another PC would; returns its id."""
    db, branch = demo_db
    other = Database(db.url)
    lobby = authenticate(other, "lobby", DEMO_PASSWORD)
    service = ComplaintService(other)
    yield lambda: service.save_draft(lobby, branch.id, walk_in_entry())
    other.dispose()


def count_asks_and_reads(monkeypatch, panes: list[LivePane]) -> tuple[Counter[str], Counter[str]]:  # type: ignore[no-untyped-def]
    """Per pane: how often a change or clock asked it to refresh, and how often it read."""
    asked: Counter[str] = Counter()
    read: Counter[str] = Counter()
    for pane in panes:
        name = pane.live.name
        trigger, job = pane.live.trigger, pane.read_job

        def counted_trigger(name=name, trigger=trigger) -> None:  # type: ignore[no-untyped-def]
            asked[name] += 1
            trigger()

        def counted_job(name=name, job=job):  # type: ignore[no-untyped-def]
            read[name] += 1
            return job()

        monkeypatch.setattr(pane.live, "trigger", counted_trigger)
        monkeypatch.setattr(pane, "read_job", counted_job)
    return asked, read


def test_a_complaint_edited_elsewhere_refreshes_the_complaints_pane_only(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, monkeypatch) -> None:
    window = make_main_window("teller1", counter=1)
    panes = window.findChildren(LivePane)
    assert {p.live.name for p in panes} >= {"teller console", "queue pane", "checklist pane", "complaints pane"}
    window.tabs.setCurrentWidget(window.complaints_pane)
    settle(qtbot, window)
    asked, read = count_asks_and_reads(monkeypatch, panes)

    with qtbot.waitSignal(window._bridge.changed, timeout=3000,
                          check_params_cb=lambda topic: topic == TOPIC_COMPLAINTS):
        complaint_id = other_workstation()
    qtbot.waitUntil(lambda: window.complaints_pane.model.row_of(complaint_id) is not None, timeout=3000)
    qtbot.wait(QUIET_MS)
    assert asked == {"complaints pane": 1} and read == {"complaints pane": 1}
    assert not any(p.stale for p in panes if p is not window.complaints_pane and p.isVisible())


def test_a_hidden_pane_reads_once_when_it_is_shown(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, monkeypatch) -> None:
    window = make_main_window("teller1", counter=1)
    pane = window.complaints_pane
    window.tabs.setCurrentWidget(pane)
    settle(qtbot, pane)
    window.tabs.setCurrentWidget(window.teller_console)  # the complaints tab goes behind
    asked, read = count_asks_and_reads(monkeypatch, [pane])

    ids = []
    for _ in range(3):  # three changes, three bursts
        with qtbot.waitSignal(window._bridge.changed, timeout=3000):
            ids.append(other_workstation())
    qtbot.wait(QUIET_MS)
    assert asked["complaints pane"] == 3 and read["complaints pane"] == 0 and pane.stale
    assert all(pane.model.row_of(i) is None for i in ids)  # hidden: not read

    window.tabs.setCurrentWidget(pane)
    settle(qtbot, pane)
    assert all(pane.model.row_of(i) is not None for i in ids)
    qtbot.wait(QUIET_MS)
    assert read["complaints pane"] == 1


def test_a_tellers_own_f_key_is_not_read_again_when_its_notification_comes_back(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, demo_db, monkeypatch) -> None:
    """The console shows its F1 at once (show_now); the change notification of that same write,
    committed by this process before that read began, asks nothing of the console. A pane that
    has not read since (the queue pane, behind its tab) still turns stale."""
    from PySide6.QtCore import Qt

    from app.services.queue import QueueService

    db, branch = demo_db
    QueueService(db).issue_ticket(authenticate(db, "lobby", DEMO_PASSWORD), branch.id, "deposit_withdrawal")
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    settle(qtbot, window)
    qtbot.wait(QUIET_MS)  # the issue's own notification has come and gone
    asked, read = count_asks_and_reads(monkeypatch, [console, window.queue_pane])

    window.activateWindow()
    with qtbot.waitSignal(window._bridge.changed, timeout=3000, check_params_cb=lambda topic: topic == "queue"):
        qtbot.keyClick(window, Qt.Key.Key_F1)
        assert console.current is not None  # shown by the action's own read
    qtbot.wait(QUIET_MS)
    assert read["teller console"] == 1 and asked["teller console"] == 0
    assert asked["queue pane"] == 1 and (window.queue_pane.stale or read["queue pane"] == 1)

