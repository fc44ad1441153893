"""While the database cannot be reached: the kiosk, the teller console and the lobby dashboard
say so; the counter's actions are held; actions are refused with a sentence."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from app.domain.errors import DatabaseUnavailable
from app.domain.tickets import TicketStatus
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from ui.connection_banner import ConnectionBanner
from app.services.registry import Services
from ui.context import AppContext
from ui.dashboard.dashboard_window import DashboardWindow
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.workstation_start import open_workstation_window


def test_kiosk_shows_not_connected_and_refuses_cleanly(qtbot, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN",
                         actor=authenticate(db, "lobby", DEMO_PASSWORD))
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    bridge.start()
    window = open_workstation_window("kiosk", context, bridge)
    qtbot.addWidget(window)
    try:
        banner = window.findChild(ConnectionBanner)
        assert banner is not None
        qtbot.waitUntil(lambda: bridge.connected and not banner.isVisible(), timeout=3000)
        bridge.connection_changed.emit(False)  # what the watcher reports when the server goes away
        assert banner.isVisible()

        def unavailable(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise DatabaseUnavailable(reason="connection refused")

        monkeypatch.setattr(context.services.queue, "issue_ticket", unavailable)
        assert window.issue("loan") is None
        assert window.message.text() == describe(DatabaseUnavailable(reason="connection refused"))
        bridge.connection_changed.emit(True)
        assert not banner.isVisible()
    finally:
        window.close()
        bridge.stop()


# -- staff screens: the teller console and the lobby dashboard --------------------------------

AS_OF = re.compile(r"as of \d\d:\d\d:\d\d")


def test_teller_console_holds_its_actions_while_disconnected(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    queue = console._ctx.services.queue
    for _ in range(2):
        queue.issue_ticket(lobby, branch.id, "deposit_withdrawal")
    console.show_now()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is not None and console.current.status is TicketStatus.CALLED
    called = console.current.number
    assert not console.outage.banner.isVisible()

    window._bridge.connection_changed.emit(False)  # what the watcher reports when the server goes away
    banner = console.outage.banner
    assert banner.isVisible()
    assert "calling and serving are paused" in banner.text() and AS_OF.search(banner.text()), banner.text()
    for button in console.counter_actions():
        assert not button.isEnabled(), button.objectName()
        assert button.toolTip() == "Not possible while the database is not connected.", button.objectName()
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5, Qt.Key.Key_F6):
        qtbot.keyClick(window, key)  # F-keys do nothing either, and say why
    assert console.active_dialog is None
    assert console.message.text() == "Not possible while the database is not connected."
    ticket = queue.get_ticket(branch.id, called)
    assert ticket.status is TicketStatus.CALLED and ticket.call_count == 1
    console.show_now()  # a refresh that works meanwhile keeps them held
    assert not console.serve_button.isEnabled()

    window._bridge.connection_changed.emit(True)
    assert not banner.isVisible()
    assert all(b.isEnabled() for b in (console.recall_button, console.serve_button, console.transfer_button))
    assert not console.call_button.isEnabled()  # (a ticket is at the counter: as before the outage)
    assert not console.no_show_button.isEnabled()  # (not recalled yet: the no-show rule, with its tooltip)
    assert console.no_show_button.toolTip() == "Recall 2 more time(s) first (F2)."
    assert all(b.toolTip() == "" for b in console.counter_actions() if b is not console.no_show_button)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert console.current.status is TicketStatus.SERVING


def test_teller_console_f1_does_nothing_while_disconnected(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    number = console._ctx.services.queue.issue_ticket(authenticate(db, "lobby", DEMO_PASSWORD), branch.id, "loan").number
    console.show_now()
    assert console.call_button.isEnabled()
    window._bridge.connection_changed.emit(False)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is None
    assert console.call_specific(number) is None  # (a double click in the preview list)
    assert console._ctx.services.queue.get_ticket(branch.id, number).status is TicketStatus.WAITING
    window._bridge.connection_changed.emit(True)
    assert console.call_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is not None and console.current.number == number


@pytest.fixture
def dashboard(make_dashboard):  # type: ignore[no-untyped-def]
    return make_dashboard("en")


def test_dashboard_shows_the_outage_and_never_says_no_alerts(qtbot, dashboard) -> None:  # type: ignore[no-untyped-def]
    bridge = dashboard._bridge
    banner = dashboard.outage.banner
    assert not banner.isVisible()
    assert dashboard.alerts_label.text().startswith("No alerts")
    taken = dashboard.snapshot.at.astimezone(dashboard._zone()).strftime("%H:%M:%S")

    bridge.connection_changed.emit(False)
    assert banner.isVisible()
    assert "not live" in banner.text() and f"as of {taken}" in banner.text(), banner.text()
    assert dashboard.clock_label.text() == f"as of {taken}"
    assert dashboard.clock_label.property("stale") is True
    assert "No alerts" not in dashboard.alerts_label.text()
    assert dashboard.alerts_label.text().startswith("Alerts cannot be checked while the database is not connected")
    assert dashboard.alerts_label.objectName() == "staleAlerts"
    # A refresh refused meanwhile does not replace the outage text.
    dashboard.show_refusal(DatabaseUnavailable(reason="connection refused"))
    assert dashboard.alerts_label.text().startswith("Alerts cannot be checked")

    with qtbot.waitSignal(dashboard.refreshed, timeout=5000):
        bridge.connection_changed.emit(True)  # back: re-read at once
    assert not banner.isVisible()
    assert dashboard.alerts_label.text().startswith("No alerts")
    assert dashboard.clock_label.property("stale") is False
    assert not AS_OF.search(dashboard.clock_label.text())


def test_a_staff_screen_built_during_an_outage_starts_with_its_banner(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    """The watcher reports a server that is down at start, too (its state begins "not known")."""
    db, branch = demo_db
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="en",
                         actor=authenticate(db, "lobby", DEMO_PASSWORD))
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)  # not started: its state is set by hand
    bridge._on_raw_connection(False)
    window = DashboardWindow(context, bridge)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.outage.banner.isVisible() and not window.outage.online
    finally:
        window.close()
        window.worker.wait()
