"""Logging to a daily file in the user log dir (and to stderr for warnings).

DOMAIN.md (PIPL): logs are kept at least six months, configurable. The file rolls over at
midnight and ``logging.keep_days`` days of files are kept (183 by default); the database's
audit log is kept apart from this and never pruned.
"""

from __future__ import annotations

import logging
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

from app.settings import Settings, SettingsError, default, log_dir

LOG_FILE_NAME = "branchdesk.log"


def _keep_days() -> int:
    try:
        return int(Settings().get("logging.keep_days"))
    except SettingsError:  # a bad settings file is reported by the app right after
        return int(default("logging.keep_days"))


def configure_logging(level: int = logging.INFO, keep_days: int | None = None) -> Path:
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    root = logging.getLogger()
    if any(isinstance(h, TimedRotatingFileHandler) for h in root.handlers):
        return path
    file_handler = TimedRotatingFileHandler(path, when="midnight", backupCount=keep_days or _keep_days(),
                                            encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    root.addHandler(file_handler)
    root.addHandler(console)
    root.setLevel(level)
    return path
