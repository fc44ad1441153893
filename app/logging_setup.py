"""Logging to a daily file in the user log dir (and to stderr for warnings).

DOMAIN.md (PIPL): logs are kept at least six months, configurable. The file rolls over at
midnight and ``logging.keep_days`` days of files are kept (183 by default); the database's
audit log is kept apart from this and never pruned.

GUI processes also send ``faulthandler``'s report of a fatal error into the same file
(``trace_faults=True``, app/crash_trace.py), and after each midnight rollover into the new one.
"""

from __future__ import annotations

import logging
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

from app.crash_trace import trace_faults_into
from app.settings import Settings, SettingsError, default, log_dir

LOG_FILE_NAME = "branchdesk.log"


def _keep_days() -> int:
    try:
        return int(Settings().get("logging.keep_days"))
    except SettingsError:  # a bad settings file is reported by the app right after
        return int(default("logging.keep_days"))


class DailyLogFile(TimedRotatingFileHandler):
    """The day's log file; when it traces faults, the trace follows the file across rollovers."""

    def __init__(self, path: Path, keep_days: int, *, trace_faults: bool) -> None:
        super().__init__(path, when="midnight", backupCount=keep_days, encoding="utf-8")
        self.trace_faults = trace_faults
        self._point_fault_trace()

    def doRollover(self) -> None:  # noqa: N802 (logging API)
        super().doRollover()
        self._point_fault_trace()

    def _point_fault_trace(self) -> None:
        if self.trace_faults and self.stream is not None:
            trace_faults_into(self.stream)


def configure_logging(level: int = logging.INFO, keep_days: int | None = None, *,
                      trace_faults: bool = False, console: bool = True) -> Path:
    """Log to the day's file (and warnings to stderr unless ``console`` is off: the admin CLI
    prints its own one-line errors); ``trace_faults`` for the GUI processes."""
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    root = logging.getLogger()
    if any(isinstance(h, TimedRotatingFileHandler) for h in root.handlers):
        return path
    file_handler = DailyLogFile(path, keep_days or _keep_days(), trace_faults=trace_faults)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)
    if console:
        to_stderr = logging.StreamHandler()
        to_stderr.setLevel(logging.WARNING)
        root.addHandler(to_stderr)
    root.setLevel(level)
    return path
