"""The unhandled-exception hook logs the error and tells the user where the log is."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.crash_dialog import CrashReporter, install_excepthook


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: calls.append((title, text)))
    return calls


def raise_and_catch() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise ValueError("counter table is upside down")
    except ValueError:
        return sys.exc_info()  # type: ignore[return-value]


def test_hook_logs_and_shows_the_log_location(qtbot, shown, caplog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reporter = CrashReporter(tmp_path / "branchdesk.log")
    with caplog.at_level(logging.CRITICAL, logger="ui.crash_dialog"):
        reporter(*raise_and_catch())  # type: ignore[arg-type]

    assert len(shown) == 1
    title, text = shown[0]
    assert "unexpected error" in title
    assert str(tmp_path / "branchdesk.log") in text
    assert "ValueError: counter table is upside down" in text
    record = caplog.records[-1]
    assert record.exc_info is not None and record.exc_info[0] is ValueError
    reference = record.getMessage().rsplit(" ", 1)[-1]
    assert len(reference) == 8 and reference in text


def test_worker_thread_errors_reach_the_gui_thread(qtbot, shown, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook(tmp_path / "branchdesk.log")
    assert isinstance(sys.excepthook, CrashReporter)

    def fail() -> None:
        raise RuntimeError("printer thread fell over")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=3000)
    assert "RuntimeError: printer thread fell over" in shown[0][1]


def test_keyboard_interrupt_is_left_to_python(qtbot, shown, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passed: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda t, v, tb: passed.append(t))
    CrashReporter(tmp_path / "x.log")(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert passed == [KeyboardInterrupt] and shown == []
