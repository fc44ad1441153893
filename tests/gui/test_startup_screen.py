"""Issue #18: something is on the monitor before the database is opened (ui/startup_screen.py),
and it gives way to the next window without a blank moment; a SIGTERM at the start-up sign-in
ends the app (ui/termination.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from ui.startup_screen import StartupScreen

ROOT = Path(__file__).resolve().parents[2]


def test_full_screen_on_the_lobby_monitors_a_small_box_at_a_counter(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("INFO", logger="ui.startup_screen")
    display = StartupScreen.begin("display", 0)
    qtbot.addWidget(display)
    assert display.isVisible() and display.isFullScreen()
    assert display.status.text() in ("Connecting to the database…", "正在连接数据库…")
    assert "painted: start-up screen" in caplog.text  # painted before begin() returned
    display.finish()
    counter = StartupScreen.begin("counter", 0)
    qtbot.addWidget(counter)
    assert counter.isVisible() and not counter.isFullScreen() and counter.width() < 800
    counter.finish()


def test_it_closes_once_another_window_has_painted(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("INFO", logger="ui.startup_screen")
    screen = StartupScreen.begin("kiosk", 0)
    qtbot.addWidget(screen)
    qtbot.wait(50)
    assert screen.isVisible()  # its own repaints do not close it
    window = QLabel("sign in")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=3000)
    assert re.search(r"painted: QLabel at [0-9.]+", caplog.text)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_a_counter_pc_paints_at_once_and_a_sigterm_at_the_sign_in_ends_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRANCHDESK_CONFIG_DIR": str(tmp_path / "config"),
           "BRANCHDESK_DATA_DIR": str(tmp_path / "data"), "BRANCHDESK_LOG_DIR": str(tmp_path / "log")}
    log_file = tmp_path / "log" / "branchdesk.log"
    process = subprocess.Popen([sys.executable, "-m", "ui.main", "--demo", "--role", "counter", "--lang", "en"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        painted: list[str] = []
        while time.monotonic() < deadline and len(painted) < 2:
            time.sleep(0.1)
            text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
            painted = re.findall(r"painted: (.+?) at ", text)
            assert process.poll() is None, text
        assert painted[:2] == ["start-up screen", "LoginDialog"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_quitting_answers_an_open_dialog_first(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.termination import end_application

    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))  # (not the suite's app)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QTimer.singleShot(100, end_application)
    started = time.monotonic()
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert time.monotonic() - started < 5 and quits == [True]
