"""Keep an unattended window running: the calling display and the kiosk come back after a crash.

Nobody sits at the lobby's big screen or the ticket kiosk to notice that it went dark and start
it again. ``branchdesk --role display`` (and ``kiosk``) therefore runs as a small supervising
process that starts the real window as a child and, when the child dies — a fatal error, a
signal, an unexpected exit code — logs it and starts it again after a back-off (1 s, 2 s, 4 s …
up to a minute; back to 1 s once a child has run for ten minutes). A clean exit (0) ends the
supervision; so does a refusal to start (2: a bad setting, a known-bad Qt binding), which
restarting would only repeat. The installer issue adds a system service on top of this.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

log = logging.getLogger(__name__)

#: Set in the child's environment: the child runs the window instead of supervising again.
SUPERVISED_ENV = "BRANCHDESK_SUPERVISED"
#: Exit codes after which restarting would not help.
EXIT_CLEAN = 0
EXIT_REFUSED = 2
#: The roles nobody attends.
UNATTENDED_ROLES = ("display", "kiosk")


@dataclass(frozen=True)
class Backoff:
    first_s: float = 1.0
    longest_s: float = 60.0
    #: A child that ran this long is considered healthy: the next delay starts from ``first_s``.
    healthy_after_s: float = 600.0


def is_supervised_child() -> bool:
    return os.environ.get(SUPERVISED_ENV) == "1"


def child_command(argv: Sequence[str]) -> list[str]:
    """The command that runs this same program with ``argv``, from a bundle or a Python install."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable is the program
        return [sys.executable, *argv]
    return [sys.executable, "-m", "ui.main", *argv]


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class Supervisor:
    """Runs ``command`` until it exits cleanly or refuses; restarts it otherwise."""

    def __init__(self, command: Sequence[str], role: str, *, backoff: Backoff = Backoff(),
                 env: dict[str, str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.command = list(command)
        self.role = role
        self.backoff = backoff
        self.env = {**(os.environ if env is None else env), SUPERVISED_ENV: "1"}
        self.restarts = 0
        self._clock = clock
        self._stopping = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None

    def run(self) -> int:
        delay = self.backoff.first_s
        while True:
            started = self._clock()
            try:
                self._child = subprocess.Popen(self.command, env=self.env)
            except OSError:
                log.exception("could not start the %s window: %s", self.role, self.command)
                return 1
            code = self._child.wait()
            ran = self._clock() - started
            if self._stopping.is_set():
                return EXIT_CLEAN
            if code in (EXIT_CLEAN, EXIT_REFUSED):
                log.info("the %s window ended (%s) after %.0f s", self.role, describe_exit(code), ran)
                return code
            if ran >= self.backoff.healthy_after_s:
                delay = self.backoff.first_s
            log.error("the %s window ended abnormally (%s) after %.0f s; restarting it in %.0f s",
                      self.role, describe_exit(code), ran, delay)
            if self._stopping.wait(delay):
                return EXIT_CLEAN
            self.restarts += 1
            delay = min(delay * 2, self.backoff.longest_s)

    def stop(self) -> None:
        """Stop supervising and end the child (from a signal handler or another thread)."""
        self._stopping.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()


def supervise(argv: Sequence[str], role: str) -> int:
    """Supervise this program with ``argv`` as a child; SIGTERM / SIGINT end both cleanly."""
    supervisor = Supervisor(child_command(argv), role)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("the %s supervisor got %s; stopping", role, signal.Signals(signum).name)
        supervisor.stop()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    log.info("supervising the %s window: %s", role, supervisor.command)
    return supervisor.run()
