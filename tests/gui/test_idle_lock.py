"""Idle lock (shortened idle time) and switching user at a workstation."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject, Qt

from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from app.services.registry import Services
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.idle_lock import IdleWatcher, idle_lock_applies
from ui.workstation_start import open_workstation_window
from ui.main_window import MainWindow
from ui.session import WorkstationSession
from tests.gui.live import settle

IDLE_MINUTES = 0.005  # 300 ms


@pytest.fixture
def short_idle(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    settings = Settings(tmp_path / "settings.toml", environ={})
    settings.set("security.idle_lock_minutes", IDLE_MINUTES)
    settings.set("security.max_failed_logins", 3)
    settings.set("workstation.counter", 1)
    return settings


def _window(qtbot, db, branch, settings, username="teller1"):  # type: ignore[no-untyped-def]
    actor = authenticate(db, username, DEMO_PASSWORD)
    context = AppContext(Services(db, settings, zone=branch.timezone), branch, language="zh_CN", actor=actor, counter_number=1)
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    window = MainWindow(context, bridge)
    qtbot.addWidget(window)
    window.show()
    return window, bridge


def test_locks_when_idle_and_only_the_same_password_unlocks(qtbot, demo_db, short_idle) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    window, bridge = _window(qtbot, db, branch, short_idle)
    try:
        qtbot.waitUntil(lambda: window.is_locked, timeout=5000)
        assert not window.menuBar().isEnabled()
        assert not window.tabs.isVisible()  # nothing of the panes shows while locked

        screen = window.lock_screen
        screen.password.setText("wrong-password")
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
        assert window.is_locked and screen.error.text()
        screen.password.setText(DEMO_PASSWORD)
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        assert not window.is_locked and window.menuBar().isEnabled()
        assert window.idle_watcher.running
        entries = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD),
                                       AuditFilter(username="teller1"))
        assert [(e.action, e.detail.get("via")) for e in entries[:2]] == [("login", "idle_unlock"),
                                                                          ("login_failed", "idle_unlock")]
        # Idle again: it locks again.
        qtbot.waitUntil(lambda: window.is_locked, timeout=5000)
    finally:
        window.close()


def test_activity_keeps_it_unlocked_and_failures_lock_the_account(qtbot, demo_db, short_idle) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    window, _bridge = _window(qtbot, db, branch, short_idle)
    try:
        # Keep typing for three idle times: each key restarts the countdown.
        until = time.monotonic() + 3 * IDLE_MINUTES * 60

        def typing() -> bool:
            assert not window.is_locked
            qtbot.keyClick(window.tabs, Qt.Key.Key_Shift)
            return time.monotonic() > until

        qtbot.waitUntil(typing, timeout=5000)
        assert not window.is_locked
        window.lock()
        for _ in range(3):
            window.lock_screen.password.setText("wrong")
            window.lock_screen.try_unlock()
        assert "locked" in window.lock_screen.error.text() or "锁定" in window.lock_screen.error.text()
        window.lock_screen.password.setText(DEMO_PASSWORD)
        window.lock_screen.try_unlock()
        assert window.is_locked  # the account is locked now: even the right password waits
    finally:
        window.close()


@pytest.mark.parametrize("role", ["display", "kiosk"])
def test_display_and_kiosk_never_lock(qtbot, demo_db, short_idle, role) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    assert not idle_lock_applies(role) and idle_lock_applies("counter") and idle_lock_applies("lobby")
    actor = authenticate(db, "lobby", DEMO_PASSWORD) if role == "kiosk" else None
    context = AppContext(Services(db, short_idle, zone=branch.timezone), branch, language="zh_CN", actor=actor)
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    window = open_workstation_window(role, context, bridge)
    qtbot.addWidget(window)
    try:
        assert not [obj for obj in window.findChildren(QObject) if isinstance(obj, IdleWatcher)]
        assert not hasattr(window, "lock")
        settle(qtbot, window)  # the display's first read is done before it closes (a loaded CI machine)
    finally:
        window.close()


def test_switch_user_closes_the_session_and_signs_in_the_next(qtbot, demo_db, short_idle) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    short_idle.set("security.idle_lock_minutes", 0)  # never lock in this test
    session = WorkstationSession(Services(db, short_idle), branch, "zh_CN", "counter", open_workstation_window)
    session._begin(authenticate(db, "teller1", DEMO_PASSWORD))
    first, first_bridge = session.window, session.bridge
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: first_bridge.connected, timeout=3000)
    first.switch_user_action.trigger()
    assert not first.isVisible() and not first_bridge._watcher._thread  # window closed, watcher stopped
    dialog = session.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.username.setText("teller2")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.try_login()
    second = session.window
    qtbot.addWidget(second)
    try:
        assert second is not first and second.isVisible()
        assert session.actor.username == "teller2"
        log = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(action="logout"))
        assert [e.username for e in log] == ["teller1"]
    finally:
        session.end()
    log = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(action="logout"))
    assert [e.username for e in log] == ["teller2", "teller1"]
