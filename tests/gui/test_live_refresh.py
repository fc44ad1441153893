"""A background refresh never raises a modal box (issue #25): a refresh that fails unexpectedly
is logged with its traceback, the screen keeps its last view, and the next refresh shows fresh
data. The app's own excepthook (ui/crash_dialog.py) is installed for these tests, so anything
escaping a slot would reach its message box, which records instead of showing."""

from __future__ import annotations

import logging
import threading
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db.engine import Database
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from ui.crash_dialog import CrashReporter
from ui.live_refresh import LiveRefresh

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def error_boxes(monkeypatch, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    """The real excepthook; its (and any other) critical box is recorded, not shown."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: shown.append(text))
    reporter = CrashReporter(tmp_path / "branchdesk.log")
    monkeypatch.setattr(sys, "excepthook", reporter)
    yield shown
    reporter.deleteLater()


class FailsOnce:
    """Wraps a service method: its first call after ``arm()`` raises, like the race of issue #25."""

    def __init__(self, method) -> None:  # type: ignore[no-untyped-def]
        self.method = method
        self.armed = False
        self.failures = 0

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.armed:
            self.armed = False
            self.failures += 1
            raise KeyError(4242)
        return self.method(*args, **kwargs)


@pytest.fixture
def other_workstation(demo_db):  # type: ignore[no-untyped-def]
    db, branch = demo_db
    other = Database(db.url)
    lobby = authenticate(other, "lobby", DEMO_PASSWORD)
    queue = QueueService(other)
    yield lambda code="deposit_withdrawal": queue.issue_ticket(lobby, branch.id, code).number
    other.dispose()


def _tracebacks(caplog) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.name == "ui.live_refresh" and r.levelno == logging.ERROR and r.exc_info]


@pytest.mark.qt_no_exception_capture
def test_teller_console_keeps_its_view_when_a_refresh_fails_and_retries(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, error_boxes, monkeypatch, caplog) -> None:
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    first = other_workstation()
    qtbot.waitUntil(lambda: [t.number for t in console.preview_box.model.rows()] == [first], timeout=3000)
    flaky = FailsOnce(console.view.snapshot)  # (read on the console's worker thread)
    monkeypatch.setattr(console.view, "snapshot", flaky)
    console.live._retry.setInterval(200)  # the timer retry, sooner than in production

    flaky.armed = True
    second = other_workstation()  # another counter's change: the live refresh fails once
    qtbot.waitUntil(lambda: console.live.failures == 1, timeout=3000)
    assert flaky.failures == 1
    assert QApplication.activeModalWidget() is None and error_boxes == []
    assert [t.number for t in console.preview_box.model.rows()] == [first]  # the last good view
    assert console.live.failures == 1 and console.live.retry_pending
    [record] = _tracebacks(caplog)
    assert "teller console" in record.getMessage() and record.exc_info[0] is KeyError

    # Retried by the timer: fresh data, and no box at any point.
    qtbot.waitUntil(lambda: [t.number for t in console.preview_box.model.rows()] == [first, second], timeout=3000)
    assert console.live.failures == 0 and not console.live.retry_pending
    assert error_boxes == []


def test_teller_console_reads_another_counters_change_off_the_gui_thread(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, monkeypatch) -> None:
    """Issue #25: the console's event loop must not wait on the database for someone else's call;
    the background read is one snapshot on the worker thread."""
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    threads: list[bool] = []
    read = console.view.snapshot

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return read(*args, **kwargs)

    monkeypatch.setattr(console.view, "snapshot", recording)
    number = other_workstation()
    qtbot.waitUntil(lambda: [t.number for t in console.preview_box.model.rows()] == [number], timeout=3000)
    assert threads and not any(threads)


def test_a_teller_refresh_drops_an_older_background_read(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, monkeypatch) -> None:
    """A background read that started before the teller's own action must not overwrite
    what the action's refresh showed when it finishes later."""
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    release = threading.Event()
    read = console.view.snapshot

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        snapshot = read(*args, **kwargs)
        release.wait(5)
        return snapshot

    monkeypatch.setattr(console.view, "snapshot", slow)
    number = other_workstation()
    qtbot.waitUntil(lambda: console.worker.busy, timeout=3000)  # reading: the ticket is waiting
    monkeypatch.setattr(console.view, "snapshot", read)
    console.call_next()  # the teller's own call, refreshed at once
    assert console.current is not None and console.current.number == number
    release.set()
    console.worker.wait()
    qtbot.wait(50)  # let the old read's result arrive on the GUI thread
    assert console.current is not None and console.current.number == number
    assert console.preview_box.model.rows() == []


@pytest.mark.qt_no_exception_capture
def test_a_button_press_that_fails_still_shows_the_error_box(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, other_workstation, error_boxes, monkeypatch) -> None:
    """Only background refreshes are quiet: a user's action keeps its reference and box."""
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    other_workstation()
    console.show_now()
    monkeypatch.setattr(console._ctx.services.queue, "call_next", FailsOnce(console._ctx.services.queue.call_next))
    console._ctx.services.queue.call_next.armed = True
    console.call_button.click()
    qtbot.waitUntil(lambda: len(error_boxes) == 1, timeout=3000)
    assert "KeyError" in error_boxes[0]


@pytest.fixture
def dashboard(make_dashboard):  # type: ignore[no-untyped-def]
    return make_dashboard("en")


@pytest.mark.qt_no_exception_capture
def test_dashboard_keeps_its_figures_when_a_refresh_fails_and_the_next_change_refreshes(  # type: ignore[no-untyped-def]
        qtbot, dashboard, other_workstation, error_boxes, monkeypatch, caplog) -> None:
    flaky = FailsOnce(dashboard.service.snapshot)  # runs on the worker thread
    monkeypatch.setattr(dashboard.service, "snapshot", flaky)
    before = dashboard.snapshot
    assert before.business_by_code("loan").waiting == 0

    flaky.armed = True
    other_workstation("loan")
    qtbot.waitUntil(lambda: dashboard.live.failures == 1, timeout=5000)
    assert dashboard.snapshot is before  # the figures shown stay
    assert QApplication.activeModalWidget() is None and error_boxes == []
    assert _tracebacks(caplog) and _tracebacks(caplog)[0].exc_info[0] is KeyError

    other_workstation("loan")  # the next change notification
    qtbot.waitUntil(lambda: dashboard.snapshot.business_by_code("loan").waiting == 2, timeout=5000)
    assert dashboard.live.failures == 0 and error_boxes == []


def test_a_failing_step_is_retried_on_the_timer_and_stop_ends_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    calls: list[int] = []

    def refresh() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first time")

    live = LiveRefresh(refresh, owner, name="probe", retry_ms=50)
    live.trigger()  # raises inside: caught
    assert live.failures == 1 and live.retry_pending
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    assert live.failures == 0 and not live.retry_pending
    live.trigger()
    live.stop()
    assert len(calls) == 3 and not live.retry_pending


def test_every_pane_subscribes_to_changes_through_live_refresh() -> None:
    """One mechanism: no pane connects the bridge's change signal (or a clock) to a refresh itself."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name in {"live_pane.py", "live_refresh.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\bbridge\.changed\.connect\(|timeout\.connect\(self\.(refresh|check_\w+)\)", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []
