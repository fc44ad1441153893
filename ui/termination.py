"""SIGTERM (a supervisor, a shutdown, ``kill``) and Ctrl+C end the app cleanly, not mid-step.

Python runs signal handlers only when it gets control, which a Qt event loop with nothing to do
never gives it. ``signal.set_wakeup_fd`` makes the C-level handler write a byte to a socket that
Qt watches; reading it lets Python run the handler, which quits the event loop, so ``ui.main``
signs out, stops the watcher and removes its session marker (a clean end, app/crash_trace.py).
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QDialog


class QuitOnTermination(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        for signum in (signal.SIGTERM, signal.SIGINT):
            # Through the event loop: a signal during start-up quits once the loop runs.
            signal.signal(signum, lambda _signum, _frame: QTimer.singleShot(0, end_application))

    def _drain(self) -> None:
        try:
            self._reader.recv(64)  # Python runs the pending handler right after this returns
        except BlockingIOError:
            pass


def end_application() -> None:
    """Quit. An open dialog is answered "cancel" first: ``quit()`` alone does not end a modal
    dialog's own event loop, so a SIGTERM at the start-up sign-in went unheard."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    QApplication.quit()
