"""Staying up: a leaking Qt binding is refused at start, and a killed calling display comes back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ui.workstation_start as ui_main
from app.settings import log_dir
from ui.binding_check import Drift

ROOT = Path(__file__).resolve().parents[2]
LEAKING = Drift(none=-994, true=-100)


@pytest.fixture
def in_process_main(app_main, monkeypatch):  # type: ignore[no-untyped-def]
    """ui.main.main on a binding that leaks as PySide6 6.12.0 does on Python 3.11."""
    monkeypatch.setattr(ui_main, "probe_binding", lambda: LEAKING)
    return app_main


def test_a_leaking_binding_is_refused_with_the_fix_named(in_process_main, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(ui_main.QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    assert in_process_main(["--demo", "--lang", "en", "--role", "counter"]) == 2
    assert len(shown) == 1 and "PySide6<6.12" in shown[0] and "Python 3.12" in shown[0]
    log_text = (log_dir() / "branchdesk.log").read_text(encoding="utf-8")
    assert "Refusing to start" in log_text and "None -994" in log_text


def test_the_self_test_fails_on_a_leaking_binding(in_process_main, capsys) -> None:  # type: ignore[no-untyped-def]
    assert in_process_main(["--self-test", "--lang", "en"]) == 1
    assert capsys.readouterr().out.startswith("BranchDesk self-test FAILED: BranchDesk cannot run on this")


def _markers() -> dict[int, Path]:
    return {int(p.stem.rsplit("-", 1)[1]): p for p in log_dir().glob("session-display-*.json")}


def _wait_for(predicate, seconds: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_a_killed_calling_display_is_started_again_and_the_abnormal_end_noted() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_TEXTTOSPEECH_ENGINE": "mock"}
    supervisor = subprocess.Popen([sys.executable, "-m", "ui.main", "--demo", "--role", "display"], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = _wait_for(_markers, 60)
        assert first, "the display did not start"
        (pid,) = first
        assert pid != supervisor.pid  # the window runs in a child of the supervisor
        os.kill(pid, signal.SIGKILL)
        second = _wait_for(lambda: [p for p in _markers() if p != pid], 60)
        assert second, "the display was not started again"
        log_text = (log_dir() / "branchdesk.log").read_text(encoding="utf-8")
        assert "the display window ended abnormally (signal SIGKILL)" in log_text
        assert f"the previous display session (pid {pid}" in log_text
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(30) == 0
        assert not _markers()  # the window ended cleanly: nothing to report at the next start
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
        for pid in _markers():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
