"""Unhandled exceptions: logged with a reference, then shown to the user with the log file's
location, instead of the app vanishing (or, in a Qt slot, carrying on silently).

``install_excepthook`` replaces ``sys.excepthook`` (the GUI thread and Qt slots) and
``threading.excepthook`` (worker threads: their report is handed to the GUI thread).
"""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def crash_message(reference: str, error: BaseException, log_path: Path) -> str:
    return QCoreApplication.translate(
        "CrashDialog",
        "BranchDesk hit an unexpected error (reference {ref}):\n{error}\n\n"
        "The details are in the log file:\n{log}\n\n"
        "Tell support the reference. If the window no longer responds, restart BranchDesk.",
    ).format(ref=reference, error=f"{type(error).__name__}: {error}", log=log_path)


class CrashReporter(QObject):
    """The hook. Callable like ``sys.excepthook``; reports from other threads reach the GUI thread
    through a queued signal."""

    _report = Signal(str, str)

    def __init__(self, log_path: Path) -> None:
        super().__init__()
        self.log_path = log_path
        self._showing = False
        self._report.connect(self._show)

    def __call__(self, exc_type: type[BaseException], error: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, tb)
            return
        reference = uuid.uuid4().hex[:8].upper()
        log.critical("Unhandled exception, reference %s", reference, exc_info=(exc_type, error, tb))
        self._report.emit(reference, crash_message(reference, error, self.log_path))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, reference: str, text: str) -> None:
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; an error while showing it is only logged
        self._showing = True
        try:
            QMessageBox.critical(None, QCoreApplication.translate("CrashDialog", "BranchDesk — unexpected error"),
                                 text)
        finally:
            self._showing = False


def install_excepthook(log_path: Path) -> CrashReporter:
    """Install the hook for the GUI and worker threads; keep the returned object alive."""
    reporter = CrashReporter(log_path)
    sys.excepthook = reporter
    threading.excepthook = reporter.thread_hook
    return reporter
