"""The lobby dashboard follows tickets issued and called on another connection, live."""

from __future__ import annotations

import pytest

from app.db.engine import Database
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.settings import Settings
from app.services.registry import Services
from ui.context import AppContext
from ui.dashboard.dashboard_window import DashboardWindow
from ui.event_bridge import EventBridge


@pytest.fixture
def dashboard(make_dashboard):  # type: ignore[no-untyped-def]
    return make_dashboard("zh_CN")


def _cell(model, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return model.data(model.index(row, column))


def test_dashboard_updates_from_another_connection(qtbot, dashboard, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    assert dashboard.snapshot.business_by_code("loan").waiting == 0
    loan_row = [b.code for b in dashboard.business_model.rows()].index("loan")
    hourly_bars_before = dashboard.hourly_chart.arrivals

    other = Database(db.url)  # another workstation
    try:
        queue = QueueService(other)
        lobby = authenticate(other, "lobby", DEMO_PASSWORD)
        teller = authenticate(other, "teller1", DEMO_PASSWORD)
        for _ in range(3):
            queue.issue_ticket(lobby, branch.id, "loan")
        qtbot.waitUntil(lambda: _cell(dashboard.business_model, loan_row, 1) == "3", timeout=5000)
        assert sum(dashboard.hourly_chart.arrivals.at(i) for i in range(dashboard.hourly_chart.arrivals.count())) == 3
        assert dashboard.hourly_chart.arrivals is hourly_bars_before  # the series is updated, not rebuilt
        axis = dashboard.hourly_chart.count_axis  # issue #18: whole ticks (0, 1, 2, 3, 4), never 0.75
        assert (axis.min(), axis.max(), axis.tickCount(), axis.labelFormat()) == (0, 4, 5, "%d")

        called = queue.call_next(teller, branch.id, 1)
        counter_row = [c.number for c in dashboard.counter_model.rows()].index(1)
        qtbot.waitUntil(lambda: _cell(dashboard.counter_model, counter_row, 2) == called.number, timeout=5000)
        assert _cell(dashboard.business_model, loan_row, 1) == "2"
        assert _cell(dashboard.counter_model, counter_row, 1) == dashboard.tr("Calling")
    finally:
        other.dispose()


def test_alert_with_suggestion_shows_and_clears(qtbot, dashboard, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    other = Database(db.url)
    try:
        queue = QueueService(other)
        lobby = authenticate(other, "lobby", DEMO_PASSWORD)
        from app.services.counters import CounterDesk

        desk = CounterDesk(other)
        teller = authenticate(other, "teller1", DEMO_PASSWORD)
        for number in range(2, 7):
            desk.pause(teller, branch.id, number, "break")
        limit = dashboard.service.thresholds.queue_per_counter
        for _ in range(limit + 1):
            queue.issue_ticket(lobby, branch.id, "wealth")
        qtbot.waitUntil(lambda: bool(dashboard.snapshot.alerts), timeout=5000)
        text = dashboard.alerts_label.text()
        assert "2, 3, 4, 5, 6" in text
        for number in range(2, 7):
            desk.resume(teller, branch.id, number)
        qtbot.waitUntil(lambda: not dashboard.snapshot.alerts, timeout=5000)
        assert "2, 3, 4, 5, 6" not in dashboard.alerts_label.text()
    finally:
        other.dispose()


def test_full_screen_toggle(qtbot, dashboard) -> None:  # type: ignore[no-untyped-def]
    dashboard.toggle_full_screen()
    qtbot.waitUntil(dashboard.isFullScreen, timeout=3000)
    dashboard.toggle_full_screen()
    qtbot.waitUntil(lambda: not dashboard.isFullScreen(), timeout=3000)


def test_dashboard_role_opens_it_full_screen(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    from ui.workstation_start import open_workstation_window

    db, branch = demo_db
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN",
                         actor=authenticate(db, "lobby", DEMO_PASSWORD))
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    bridge.start()
    window = open_workstation_window("dashboard", context, bridge)
    qtbot.addWidget(window)
    try:
        assert isinstance(window, DashboardWindow)
        qtbot.waitUntil(window.isFullScreen, timeout=3000)
    finally:
        window.close()
        window.worker.wait()
        bridge.stop()


def test_main_window_offers_the_dashboard_by_permission(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    lobby = make_main_window("lobby", counter=0)
    assert isinstance(lobby.dashboard, DashboardWindow)
    assert lobby.tabs.indexOf(lobby.dashboard) >= 0
    opened = lobby.open_dashboard_window()
    qtbot.waitUntil(opened.isFullScreen, timeout=3000)
    opened.close()
    teller = make_main_window("teller1")
    assert teller.dashboard is None
    assert "Dashboard" not in [teller.tabs.tabText(i) for i in range(teller.tabs.count())]


def test_dashboard_counts_complaints_recorded_elsewhere(qtbot, dashboard, demo_db) -> None:  # type: ignore[no-untyped-def]
    from app.services.complaints import ComplaintService
    from tests.integration.complaint_helpers import walk_in_entry

    db, branch = demo_db
    assert dashboard.complaints_value.text() == dashboard.tr("{open} open").format(open=0)
    other = Database(db.url)  # the lobby manager's PC records a complaint
    try:
        ComplaintService(other).submit(authenticate(other, "lobby", DEMO_PASSWORD), branch.id, walk_in_entry())
        qtbot.waitUntil(lambda: dashboard.complaints_value.text() == dashboard.tr("{open} open").format(open=1),
                        timeout=5000)
        assert dashboard.snapshot.extras["complaints"].open == 1
    finally:
        other.dispose()
