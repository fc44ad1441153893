"""What a workstation shows while it starts: painted before the database is opened.

Opening the database (a PostgreSQL server across the network, a migration, the first demo
seed) takes seconds; a lobby screen stayed black all that time and a counter PC showed
nothing. This screen paints at once — full screen on the display, kiosk and dashboard
monitors, a small box on staff PCs — says "connecting…", and closes itself as soon as another
window (the sign-in, the role's window, an error message) has painted.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.supervisor import UNATTENDED_ROLES
from ui.display.style import GOLD, INK, MUTED, NAVY
from ui.screens import show_on_screen

#: Roles whose monitor shows the public or lobby window full screen.
FULL_SCREEN_ROLES = frozenset({*UNATTENDED_ROLES, "dashboard"})
TITLE = "BranchDesk 网点服务台"

log = logging.getLogger(__name__)


def log_painted(what: str) -> None:
    """One log line with the wall-clock moment (tests/bench/bench_startup.py reads it: the
    time from launch to a picture on the monitor, which no exit code or idle spell tells)."""
    log.info("painted: %s at %.3f", what, time.time())


class StartupScreen(QWidget):
    """The "connecting…" screen; :meth:`begin` shows and paints it."""

    def __init__(self, role: str) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint)
        self.setObjectName("startupScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the style sheet's navy
        self.full_screen = role in FULL_SCREEN_ROLES
        self.title = QLabel(TITLE)
        self.title.setObjectName("startupTitle")
        self.status = QLabel(QCoreApplication.translate("StartupScreen", "Connecting to the database…"))
        self.status.setObjectName("startupStatus")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self.title, self.status):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        big, small = (72, 36) if self.full_screen else (24, 14)
        self.setStyleSheet(
            f"#startupScreen {{ background: {NAVY}; }}"
            f"#startupTitle {{ color: {GOLD}; font-size: {big}px; font-weight: bold; }}"
            f"#startupStatus {{ color: {MUTED if self.full_screen else INK}; font-size: {small}px; }}")
        self._watcher = _FirstOtherPaint(self)
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            log_painted("start-up screen")

    @classmethod
    def begin(cls, role: str, screen_index: int) -> StartupScreen:
        """Show the screen for ``role`` and paint it now, before the caller blocks on the database."""
        screen = cls(role)
        if screen.full_screen:
            show_on_screen(screen, screen_index)
        else:
            screen.resize(460, 160)
            screen.show()
        QApplication.instance().installEventFilter(screen._watcher)
        screen.repaint()  # synchronous: the event loop does not run until the window is up
        QApplication.processEvents()
        return screen

    def finish(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._watcher)
        self.close()


class _FirstOtherPaint(QObject):
    """Closes the start-up screen once another window has painted (so the monitor never goes
    blank between the two)."""

    def __init__(self, screen: StartupScreen) -> None:
        super().__init__(screen)
        self._screen = screen
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (not self._seen and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.isWindow() and watched is not self._screen):
            self._seen = True
            log_painted(type(watched).__name__)
            QTimer.singleShot(0, self._screen.finish)
        return False
