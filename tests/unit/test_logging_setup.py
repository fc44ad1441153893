"""The log file rolls over daily and keeps ``logging.keep_days`` days (PIPL: at least six months)."""

from __future__ import annotations

import logging
import os
import time
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

import pytest

from app.logging_setup import LOG_FILE_NAME, configure_logging
from app.settings import default


@pytest.fixture
def root_logger():  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    for handler in saved[0]:
        root.removeHandler(handler)
    yield root
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def test_six_months_of_daily_files_by_default(root_logger, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BRANCHDESK_LOG_DIR", str(tmp_path / "log"))
    path = configure_logging()
    handler = next(h for h in root_logger.handlers if isinstance(h, TimedRotatingFileHandler))
    assert path == tmp_path / "log" / LOG_FILE_NAME and handler.baseFilename == str(path)
    assert handler.when == "MIDNIGHT" and handler.backupCount == default("logging.keep_days") >= 183


def test_the_configured_number_of_days_is_kept(root_logger, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BRANCHDESK_LOG_DIR", str(tmp_path))
    (tmp_path / "settings").mkdir()
    monkeypatch.setenv("BRANCHDESK_CONFIG_DIR", str(tmp_path / "settings"))
    (tmp_path / "settings" / "settings.toml").write_text("[logging]\nkeep_days = 3\n", encoding="utf-8")
    path = configure_logging()
    handler = next(h for h in root_logger.handlers if isinstance(h, TimedRotatingFileHandler))
    for day in range(1, 8):  # a week of older files
        old = path.with_name(f"{LOG_FILE_NAME}.2026-11-{day:02d}")
        old.write_text("old\n", encoding="utf-8")
        os.utime(old, (time.time() - 86400 * (20 - day),) * 2)
    logging.getLogger("test").info("before midnight")
    handler.doRollover()
    kept = sorted(p.name for p in tmp_path.glob(f"{LOG_FILE_NAME}.*"))
    assert len(kept) == 3 and kept[0] > f"{LOG_FILE_NAME}.2026-11-05", kept
