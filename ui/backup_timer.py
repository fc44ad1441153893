"""The scheduled daily backup of a SQLite install, run by the GUI app.

At start and then every hour a background job asks the backup service whether today's
backup is due (app/domain/backup_schedule.py decides) and prunes the old ones. PostgreSQL
installs are backed up on the server (pg_dump), so nothing is scheduled for them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.backup import ScheduledResult
from app.services.registry import Services
from ui.worker import Worker

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60 * 60 * 1000


class ScheduledBackups(QObject):
    done = Signal(object)  # ScheduledResult
    failed = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None, *,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._service = services.backup
        self._enabled = self._service.local_file
        self._out = self._service.default_dir(services.settings.get("backup.dir")) if self._enabled else Path()
        self._keep_days = services.settings.get("backup.keep_days")
        self._worker = Worker(self)
        self._worker.result.connect(self._on_result)
        self._worker.error.connect(self._on_error)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    @property
    def out_dir(self) -> Path:
        return self._out

    def start(self) -> None:
        if self._enabled:
            self.check()
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._worker.wait()

    def check(self) -> None:
        if not self._worker.busy:
            self._worker.run(self._service.run_scheduled, self._out, self._keep_days)

    def _on_result(self, result: ScheduledResult) -> None:
        if result.created is not None:
            log.info("daily backup written to %s", result.created)
        self.done.emit(result)

    def _on_error(self, error: object) -> None:
        log.error("scheduled backup failed: %r", error)
        self.failed.emit(error)
