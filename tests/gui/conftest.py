"""GUI fixtures: real services on a temp SQLite file, the demo branch, clean teardown.

Every test here runs under ``qt_leak_guard`` (tests/gui/leak_guard.py): one that leaves a window,
a timer, a thread or a pool job behind fails at teardown."""

from __future__ import annotations

import faulthandler
import gc
import logging
from logging.handlers import TimedRotatingFileHandler
import signal
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.db.engine import Database
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD, seed_demo
from app.services.branches import BranchView
from app.settings import Settings
from tests.conftest import prepared_sqlite
from tests.gui.leak_guard import qt_leak_guard  # noqa: F401 - the autouse fixture, for every GUI test
from tests.gui.live import settle
from app.services.registry import Services
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.gc_guard import GuiThreadCollector
from ui.main_window import MainWindow


#: Enough generated customers to page through, few enough to seed in a blink.
GUI_DEMO_CUSTOMERS = 120


@pytest.fixture
def demo_db(tmp_path, sqlite_template) -> Iterator[tuple[Database, BranchView]]:
    db = prepared_sqlite(sqlite_template, tmp_path / "gui.sqlite3")
    branch = seed_demo(db, customers=GUI_DEMO_CUSTOMERS)
    yield db, branch
    db.dispose()


@pytest.fixture
def make_main_window(qtbot, demo_db):
    """Build a signed-in main window for a user; closes it and stops its watcher afterwards."""
    db, branch = demo_db
    built: list[tuple[MainWindow, EventBridge]] = []

    def make(username: str = "teller1", counter: int = 1) -> MainWindow:
        actor = authenticate(db, username, DEMO_PASSWORD)
        context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=actor,
                             counter_number=counter)
        bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
        bridge.start()
        window = MainWindow(context, bridge)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: bridge.connected, timeout=3000)
        settle(qtbot, window)  # the visible panes have shown their first read
        built.append((window, bridge))
        return window

    yield make
    for window, bridge in built:
        window.close()
        bridge.stop()


@pytest.fixture
def make_dashboard(qtbot, demo_db):  # type: ignore[no-untyped-def]
    """Build a live lobby dashboard (signed in as the lobby manager), shown and refreshed once."""
    from ui.dashboard.dashboard_window import DashboardWindow

    db, branch = demo_db
    built: list[tuple[DashboardWindow, EventBridge]] = []

    def make(language: str = "zh_CN") -> DashboardWindow:
        context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language=language,
                             actor=authenticate(db, "lobby", DEMO_PASSWORD))
        bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
        bridge.start()
        window = DashboardWindow(context, bridge)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: bridge.connected and window.snapshot is not None, timeout=5000)
        built.append((window, bridge))
        return window

    yield make
    for window, bridge in built:
        window.close()
        window.worker.wait()
        bridge.stop()


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp, qt_leak_guard):  # type: ignore[no-untyped-def]
    """As the app does (ui/gc_guard.py): no automatic collection, which could start on a worker
    thread and destroy a widget there; a collection on the GUI thread after each test instead.

    Inside the leak guard, so the guard looks after this collection (and this timer is stopped)."""
    collector = GuiThreadCollector(qapp)
    collector.start()
    yield
    collector.stop()
    gc.collect()


@pytest.fixture
def app_main(monkeypatch) -> Iterator[Callable[[list[str]], int]]:  # type: ignore[no-untyped-def]
    """``ui.main.main`` run in this process, with what it sets up for a real start undone after:
    log handlers, the locale, the fault trace, the crash hooks, the signal handlers, the GUI-thread
    garbage collector (a child of the application, whose timer would tick on for the session)."""
    import ui.main

    root = logging.getLogger()
    # A log file another in-process start left open (a CLI test in this worker) would take this
    # start's lines: configure_logging keeps the first file handler it finds.
    earlier_files = [h for h in root.handlers if isinstance(h, TimedRotatingFileHandler)]
    for handler in earlier_files:
        root.removeHandler(handler)
    handlers, locale = list(root.handlers), QLocale()
    collectors = set(QApplication.instance().findChildren(GuiThreadCollector))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    saved_signals = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield ui.main.main
    for collector in set(QApplication.instance().findChildren(GuiThreadCollector)) - collectors:
        collector.stop()
        collector.deleteLater()
    for signum, handler in saved_signals.items():
        signal.signal(signum, handler)
    signal.set_wakeup_fd(-1)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in earlier_files:
        root.addHandler(handler)
    QLocale.setDefault(locale)
    faulthandler.enable(sys.__stderr__, all_threads=True)  # as pytest had it
