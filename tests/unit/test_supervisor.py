"""The supervising launcher restarts a crashed display or kiosk, and knows when not to."""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path

import pytest

import app.supervisor as supervisor_module
from app.supervisor import SUPERVISED_ENV, Backoff, Supervisor, child_command, describe_exit

FAST = Backoff(first_s=0.01, longest_s=0.04, healthy_after_s=60)


def _script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "child.py"
    path.write_text(body, encoding="utf-8")
    return [sys.executable, str(path)]


def test_a_child_that_aborts_is_restarted_until_it_ends_cleanly(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    runs = tmp_path / "runs"
    command = _script(tmp_path, f"""
import os, pathlib
runs = pathlib.Path({str(runs)!r})
runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
assert os.environ["{SUPERVISED_ENV}"] == "1"   # the child shows the window, it does not supervise
if len(runs.read_text()) < 3:
    os.abort()
""")
    caplog.set_level(logging.INFO)
    supervisor = Supervisor(command, "display", backoff=FAST)
    assert supervisor.run() == 0
    assert runs.read_text() == "xxx" and supervisor.restarts == 2
    assert caplog.text.count("the display window ended abnormally (signal SIGABRT)") == 2


@pytest.mark.parametrize("code", [0, 2])
def test_a_clean_exit_or_a_refusal_is_not_restarted(tmp_path: Path, code: int) -> None:
    runs = tmp_path / "runs"
    command = _script(tmp_path, f"""
import pathlib, sys
pathlib.Path({str(runs)!r}).open("a").write("x")
sys.exit({code})
""")
    supervisor = Supervisor(command, "kiosk", backoff=FAST)
    assert supervisor.run() == code
    assert runs.read_text() == "x" and supervisor.restarts == 0


def test_the_delay_doubles_up_to_the_longest_and_resets_after_a_healthy_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    waits: list[float] = []
    ticks = iter([0, 1, 1, 2, 2, 3, 3, 4, 4, 1004, 1004, 1005, 1005, 1006])  # the 5th run lasts 1,000 s
    command = _script(tmp_path, "import sys; sys.exit(1)")
    supervisor = Supervisor(command, "display", backoff=Backoff(first_s=1, longest_s=4, healthy_after_s=600),
                            clock=lambda: next(ticks))

    def fake_wait(delay: float) -> bool:
        waits.append(delay)
        if len(waits) == 7:
            supervisor.stop()
            return True
        return False

    monkeypatch.setattr(supervisor._stopping, "wait", fake_wait)
    assert supervisor.run() == 0
    assert waits == [1, 2, 4, 4, 1, 2, 4]


def test_stop_ends_the_child_and_the_supervision(tmp_path: Path) -> None:
    command = _script(tmp_path, "import time; time.sleep(60)")
    supervisor = Supervisor(command, "display", backoff=FAST)
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(supervisor.run()))
    thread.start()
    deadline = time.monotonic() + 10
    while supervisor._child is None and time.monotonic() < deadline:
        time.sleep(0.01)
    supervisor.stop()
    thread.join(10)
    assert result == [0] and supervisor._child is not None and supervisor._child.poll() is not None


def test_a_program_that_cannot_start_is_reported_once(caplog) -> None:  # type: ignore[no-untyped-def]
    assert Supervisor(["/nonexistent/branchdesk"], "kiosk", backoff=FAST).run() == 1
    assert "could not start the kiosk window" in caplog.text


def test_the_child_runs_the_same_program(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert child_command(["--role", "display"]) == [sys.executable, "-m", "ui.main", "--role", "display"]
    monkeypatch.setattr(supervisor_module.sys, "frozen", True, raising=False)
    assert child_command(["--role", "kiosk"]) == [sys.executable, "--role", "kiosk"]


def test_exit_descriptions() -> None:
    assert describe_exit(-6) == "signal SIGABRT" and describe_exit(1) == "exit code 1"


def test_the_supervising_process_imports_neither_qt_nor_the_database_layer() -> None:
    """Issue #18: the display's supervisor starts its child at once (ui/main.py stays light); the
    workstation (ui/workstation_start.py) is imported only by the process that shows a window."""
    import subprocess

    probe = ("import sys, ui.main\n"
             "print(sorted(m for m in ('PySide6', 'sqlalchemy', 'ui.workstation_start') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr
