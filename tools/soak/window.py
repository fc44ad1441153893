"""One workstation window in its own process, with a sampler: ``python -m tools.soak.window``.

    python -m tools.soak.window --role display|dashboard|teller --samples FILE --shots DIR [--interval 30]

The window is built as ``branchdesk`` builds it (``ui.main``): logging, the GUI-thread garbage
collector, the bundled font, the translators, the database and branch from the settings and
environment, a ``WorkstationSession`` that opens ``ui.workstation_start.open_workstation_window`` for the
role, and the scheduled SQLite backups. Only the sign-in dialog is replaced: the session starts
with a user signed in through ``app.services.auth.authenticate``.

The sampler writes one JSON line per interval (fields in ``tools.soak.probe``). SIGUSR1 saves
a screenshot (``QWidget.grab``); SIGTERM writes a final sample and a last screenshot, then
ends the session and quits cleanly (exit 0). The process also ends by itself when its parent
goes away or ``--max-seconds`` pass, so no window outlives an interrupted soak.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__
from app.logging_setup import configure_logging
from app.services.branches import workstation_branch
from app.services.bootstrap import DEMO_PASSWORD, prepare_database
from app.services.registry import Services
from app.settings import Settings
from tools.soak.probe import LagMeter, percentile, sample
from ui import gc_guard
from ui.backup_timer import ScheduledBackups
from ui.i18n import install_translators
from ui.workstation_start import open_workstation_window
from ui.printing.fonts import install_app_font
from ui.session import WorkstationSession, quit_when_cancelled

log = logging.getLogger("tools.soak.window")

#: Soak role → (workstation role of ui.main, the user who signs in; None: nobody signs in).
ROLES: dict[str, tuple[str, str | None]] = {
    "teller": ("counter", "teller1"),
    "dashboard": ("dashboard", "lobby"),
    "display": ("display", None),
}
LAG_TIMER_MS = 100
#: Exit code when the window could not be built (the orchestrator reports it as a dead window).
EXIT_SETUP = 3


class ExceptionCounter:
    """Unhandled exceptions (GUI thread, Qt slots, worker threads) are logged and counted.

    The app's own hook (ui/crash_dialog.py) would open a message box; in a soak nobody reads it,
    so the count goes into the samples instead."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        self.count += 1
        log.critical("Unhandled exception in the soak window", exc_info=(exc_type, error, tb))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self(args.exc_type, args.exc_value, args.exc_traceback)

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = self.thread_hook


class Sampler(QObject):
    """The lag timer, the sample timer, screenshots, and the stop request (from a signal handler)."""

    def __init__(self, window_of: "WindowSource", samples: Path, shots: Path, role: str, interval_s: float,
                 max_seconds: float, exceptions: ExceptionCounter) -> None:
        super().__init__()
        self._window_of = window_of
        self._samples = samples
        self._shots = shots
        self._role = role
        self._exceptions = exceptions
        self._started = time.monotonic()
        self._deadline = self._started + max_seconds
        self._parent_pid = os.getppid()
        self._shot_wanted = False
        self._stop_wanted = False
        self._stopped = False
        self.lag = LagMeter(LAG_TIMER_MS / 1000.0)
        self._lag_timer = QTimer(self)
        self._lag_timer.setInterval(LAG_TIMER_MS)
        self._lag_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % late by design
        self._lag_timer.timeout.connect(self._on_lag_tick)
        self._sample_timer = QTimer(self)
        self._sample_timer.setInterval(int(interval_s * 1000))
        self._sample_timer.timeout.connect(self.write_sample)

    def start(self) -> None:
        self._lag_timer.start()
        self._sample_timer.start()
        QTimer.singleShot(0, self.write_sample)  # the first sample: the window is up

    def request_shot(self) -> None:
        self._shot_wanted = True  # from a signal handler: acted on at the next lag tick

    def request_stop(self) -> None:
        self._stop_wanted = True

    def _on_lag_tick(self) -> None:
        self.lag.tick()
        if self._shot_wanted:
            self._shot_wanted = False
            self.screenshot("mid")
        if os.getppid() != self._parent_pid or time.monotonic() > self._deadline:
            log.warning("soak window %s: parent gone or time is up; stopping", self._role)
            self._stop_wanted = True
        if self._stop_wanted and not self._stopped:
            self.stop()

    def write_sample(self, final: bool = False) -> None:
        row = sample(self._started, self.lag.take_interval(), self._exceptions.count)
        if final:
            row["final"] = True
            row["run_lag_p99_ms"] = round(percentile(self.lag.run, 0.99), 2)
            row["run_lag_max_ms"] = round(max(self.lag.run, default=0.0), 2)
            row["run_lag_ticks"] = len(self.lag.run)
        with self._samples.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")

    def screenshot(self, label: str) -> None:
        window = self._window_of()
        if window is None:
            return
        path = self._shots / f"{self._role}-{label}.png"
        if not window.grab().save(str(path)):
            log.warning("could not save the screenshot %s", path)

    def stop(self) -> None:
        self._stopped = True
        self._lag_timer.stop()
        self._sample_timer.stop()
        self.write_sample(final=True)
        self.screenshot("end")
        app = QApplication.instance()
        if app is not None:
            app.quit()


class WindowSource:
    """The session's current window (the session may replace it on "switch user")."""

    def __init__(self, session: WorkstationSession) -> None:
        self._session = session

    def __call__(self) -> QWidget | None:
        return self._session.window


def build_session(role: str, settings: Settings, language: str) -> tuple[WorkstationSession, Services]:
    """The database, branch and signed-in session as ``ui.main.main`` sets them up."""
    workstation_role, username = ROLES[role]
    db = prepare_database(settings.database_url())
    branch = workstation_branch(db, settings.get("workstation.branch"))
    if branch is None:
        raise RuntimeError(f"no branch {settings.get('workstation.branch')!r} in the database")
    services = Services(db, settings, zone=branch.timezone)
    session = WorkstationSession(services, branch, language, workstation_role, open_workstation_window)
    if username is None:
        session.sign_in_blocking()  # the calling display: nobody signs in, no dialog
    else:
        # What the sign-in dialog does when the person presses OK (ui/login_dialog.py).
        session.begin_signed_in(services.accounts.sign_in(username, DEMO_PASSWORD))
    return session, services


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.soak.window", description=__doc__.split("\n")[0])
    parser.add_argument("--role", required=True, choices=sorted(ROLES))
    parser.add_argument("--samples", required=True, type=Path, help="JSON-lines file the samples are appended to")
    parser.add_argument("--shots", required=True, type=Path, help="folder for the screenshots")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop by itself after this long")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.shots.mkdir(parents=True, exist_ok=True)
    configure_logging()
    exceptions = ExceptionCounter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("BranchDesk")
    app.setApplicationVersion(__version__)
    gc_guard.install(app)
    settings = Settings()
    language = settings.get("ui.language")
    install_app_font(app)
    translators = install_translators(app, language)  # noqa: F841 - kept alive until exit
    exceptions.install()
    try:
        session, services = build_session(args.role, settings, language)
    except Exception as error:  # noqa: BLE001 - one line for the soak's report, the traceback in the log
        log.exception("soak window %s could not start", args.role)
        print(f"soak window {args.role} could not start: {error!r}", file=sys.stderr)
        return EXIT_SETUP
    quit_when_cancelled(session)
    backups = ScheduledBackups(services)
    backups.start()
    sampler = Sampler(WindowSource(session), args.samples, args.shots, args.role, args.interval,
                      args.max_seconds, exceptions)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGUSR1:
            sampler.request_shot()
        else:
            sampler.request_stop()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
        signal.signal(signum, on_signal)
    sampler.start()
    print(f"READY {args.role} pid={os.getpid()}", flush=True)
    try:
        return app.exec()
    finally:
        backups.stop()
        session.end()
        services.db.dispose()


if __name__ == "__main__":
    sys.exit(main())
