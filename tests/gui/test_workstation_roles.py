"""Each workstation role opens its own window: main window, calling display, kiosk."""

from __future__ import annotations

import pytest

from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from app.services.registry import Services
from tests.gui.live import settle
from ui.context import AppContext
from ui.display.calling_display import CallingDisplay
from ui.event_bridge import EventBridge
from ui.kiosk.kiosk_window import KioskWindow
from ui.main import parse_args
from ui.workstation_start import open_workstation_window
from ui.main_window import MainWindow


@pytest.mark.parametrize(("role", "user", "expected"), [
    ("counter", "teller1", MainWindow),
    ("lobby", "lobby", MainWindow),
    ("display", None, CallingDisplay),
    ("kiosk", "lobby", KioskWindow),
])
def test_role_opens_its_window(qtbot, demo_db, role, user, expected):
    db, branch = demo_db
    actor = authenticate(db, user, DEMO_PASSWORD) if user else None
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=actor,
                         counter_number=1 if role == "counter" else 0)
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    bridge.start()
    window = open_workstation_window(role, context, bridge)
    qtbot.addWidget(window)
    try:
        assert isinstance(window, expected)
        assert window.isVisible()
        settle(qtbot, window)  # closed with its first reads still running, they would outlive the test
    finally:
        window.close()
        bridge.stop()


def test_role_argument_is_checked():
    assert parse_args(["--role", "display"]).role == "display"
    with pytest.raises(SystemExit):
        parse_args(["--role", "projector"])


def test_the_workstation_applies_the_configured_queue_rules(demo_db):
    db, branch = demo_db
    settings = Settings()
    settings.set("queue.recalls_before_no_show", 0)
    settings.set("queue.starvation_minutes", 45)
    context = AppContext(Services(db, settings, zone=branch.timezone), branch, language="zh_CN")
    assert context.services.queue.policy.recalls_before_no_show == 0
    assert context.services.queue.policy.starvation_minutes == 45
