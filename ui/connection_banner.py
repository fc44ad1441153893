"""A red line across the top of a public screen (the kiosk) while the database cannot be reached.

The state comes from the event bridge, whose watcher keeps trying to reconnect; the banner
goes away by itself when the server is back. (The main window shows the same state in its
status bar, the calling display in its own banner.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui.event_bridge import EventBridge


class ConnectionBanner(QLabel):
    def __init__(self, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("background: #b00020; color: white; font-size: 20pt; font-weight: bold; padding: 12px;")
        self.setText(self.tr("Not connected to the queue system — tickets cannot be issued right now. "
                             "Please ask our staff for help."))
        self.setVisible(not bridge.connected)
        bridge.connection_changed.connect(self._on_connection)

    def _on_connection(self, connected: bool) -> None:
        self.setVisible(not connected)


def add_connection_banner(window: QWidget, bridge: EventBridge) -> ConnectionBanner:
    """Put the banner at the top of ``window``'s (box) layout."""
    banner = ConnectionBanner(bridge, window)
    window.layout().insertWidget(0, banner)  # type: ignore[attr-defined]
    return banner
