"""Which monitor a full-screen window goes to: the calling display, the kiosk, the start-up
screen before them."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def show_on_screen(widget: QWidget, screen_index: int) -> int:
    """Show ``widget`` full screen on monitor ``screen_index`` (0 = first); returns the index used.

    An index that does not exist (a monitor unplugged) falls back to the primary screen."""
    screens = QGuiApplication.screens()
    if 0 <= screen_index < len(screens):
        screen, used = screens[screen_index], screen_index
    else:
        screen = QGuiApplication.primaryScreen()
        used = screens.index(screen) if screen in screens else 0
        log.warning("Screen %d does not exist (%d connected); using screen %d", screen_index, len(screens), used)
    widget.setScreen(screen)
    widget.setGeometry(screen.geometry())
    widget.showFullScreen()
    widget.setCursor(Qt.CursorShape.BlankCursor)
    return used
