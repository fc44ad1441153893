"""A fatal error leaves every thread's stack in the day's log; the next start notes the abnormal end."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import app.crash_trace as crash_trace
from app.crash_trace import SessionMarker
from app.logging_setup import LOG_FILE_NAME

ROOT = Path(__file__).resolve().parents[2]

CRASH = """
import logging, threading, time, ctypes, sys
from app.logging_setup import configure_logging
path = configure_logging(trace_faults=True)
logging.getLogger("probe").info("before the crash")
if "--rollover" in sys.argv:
    handler = next(h for h in logging.getLogger().handlers if hasattr(h, "doRollover"))
    handler.doRollover()
threading.Thread(target=time.sleep, args=(30,), name="watcher", daemon=True).start()
time.sleep(0.1)
ctypes.string_at(0)  # a segmentation fault, as a bug in a C extension would cause
"""


def _crash(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {"BRANCHDESK_LOG_DIR": str(tmp_path), "BRANCHDESK_CONFIG_DIR": str(tmp_path / "config"),
           "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", CRASH, *extra], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_a_fatal_error_writes_every_threads_stack_into_the_log(tmp_path: Path) -> None:
    result = _crash(tmp_path)
    assert result.returncode != 0
    text = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "before the crash" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert text.count("(most recent call first)") >= 2  # the main thread and the sleeping one


def test_after_midnight_the_trace_goes_into_the_new_file(tmp_path: Path) -> None:
    _crash(tmp_path, "--rollover")
    rolled = [p for p in tmp_path.iterdir() if p.name.startswith(LOG_FILE_NAME + ".")]
    assert len(rolled) == 1 and "before the crash" in rolled[0].read_text(encoding="utf-8")
    assert "Fatal Python error" in (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leave_marker(directory: Path, role: str, pid: int, last_seen: datetime) -> Path:
    path = directory / f"session-{role}-{pid}.json"
    path.write_text(json.dumps({"role": role, "pid": pid, "version": "0.1.0", "started": "2026-12-02T08:30:00",
                                "last_seen": last_seen.isoformat()}), encoding="utf-8")
    return path


def test_a_marker_left_by_a_process_that_is_gone_is_an_abnormal_end(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    pid = _dead_pid()
    left = _leave_marker(tmp_path, "display", pid, datetime(2026, 12, 2, 9, 2, 10))
    marker = SessionMarker(tmp_path, "display", "0.1.0")
    ended = marker.begin()
    assert [(e.pid, e.last_seen) for e in ended] == [(pid, datetime(2026, 12, 2, 9, 2, 10))]
    assert not left.exists() and marker.path.exists()
    assert "ended abnormally after 2026-12-02 09:02:10" in caplog.text
    marker.end()
    assert not marker.path.exists()
    assert SessionMarker(tmp_path, "display", "0.1.0").begin() == []  # a clean end reports nothing


def test_another_open_window_of_the_role_and_other_roles_are_left_alone(tmp_path: Path) -> None:
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = _leave_marker(tmp_path, "display", running.pid, datetime.now())
        kiosk = _leave_marker(tmp_path, "kiosk", _dead_pid(), datetime.now())
        assert SessionMarker(tmp_path, "display", "0.1.0").begin() == []
        assert alive.exists() and kiosk.exists()
    finally:
        running.kill()
        running.wait()


def test_where_processes_cannot_be_asked_a_stale_heartbeat_decides(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(crash_trace, "_process_is_running", lambda _pid: None)
    now = datetime(2026, 12, 2, 12, 0)
    _leave_marker(tmp_path, "kiosk", 101, now - timedelta(seconds=40))  # beat recently: still running
    _leave_marker(tmp_path, "kiosk", 102, now - timedelta(minutes=10))
    ended = SessionMarker(tmp_path, "kiosk", "0.1.0", now=lambda: now, pid=999).begin()
    assert [e.pid for e in ended] == [102]


@pytest.mark.parametrize("content", ["", "{not json", json.dumps({"role": "display"})])
def test_an_unreadable_marker_is_dropped_without_a_report(tmp_path: Path, content: str) -> None:
    (tmp_path / "session-display-77.json").write_text(content, encoding="utf-8")
    assert SessionMarker(tmp_path, "display", "0.1.0").begin() == []
    assert not (tmp_path / "session-display-77.json").exists()
