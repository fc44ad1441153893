"""While the database cannot be reached: the kiosk says so, actions are refused with a sentence."""

from __future__ import annotations

from app.domain.errors import DatabaseUnavailable
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from ui.connection_banner import ConnectionBanner
from ui.context import AppContext
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.main import open_workstation_window


def test_kiosk_shows_not_connected_and_refuses_cleanly(qtbot, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    context = AppContext(db=db, settings=Settings(), branch=branch, language="zh_CN",
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

        monkeypatch.setattr(context.queue, "issue_ticket", unavailable)
        assert window.issue("loan") is None
        assert window.message.text() == describe(DatabaseUnavailable(reason="connection refused"))
        bridge.connection_changed.emit(True)
        assert not banner.isVisible()
    finally:
        window.close()
        bridge.stop()
