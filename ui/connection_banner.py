"""A red line across the top of a screen while the database cannot be reached.

The state comes from the event bridge, whose watcher keeps trying to reconnect; the banner
goes away by itself when the server is back. The kiosk shows it with its own sentence for
customers; the teller console and the lobby dashboard (``compact``) name what is paused and
stamp how old the figures below are ("as of 14:03:12" — the last refresh that worked).
(The main window shows the same state in its status bar, the calling display in its own banner.)"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ui.event_bridge import EventBridge
from ui.style import BANNER_COMPACT, BANNER_LARGE

LARGE = BANNER_LARGE
COMPACT = BANNER_COMPACT


def as_of_text(moment: datetime | None, zone: ZoneInfo) -> str:
    """"as of 14:03:12" in the branch's time zone ("截至 14:03:12"); empty when nothing was read yet."""
    if moment is None:
        return ""
    return QCoreApplication.translate("ConnectionBanner", "as of {time}").format(
        time=moment.astimezone(zone).strftime("%H:%M:%S"))


class ConnectionBanner(QLabel):
    def __init__(self, bridge: EventBridge, parent: QWidget | None = None, *, message: str | None = None,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(COMPACT if compact else LARGE)
        self.message = message or self.tr("Not connected to the queue system — tickets cannot be issued right now. "
                                          "Please ask our staff for help.")
        self.stamp = ""
        self._render()
        self.setVisible(bridge.disconnected)
        bridge.connection_changed.connect(self._on_connection)

    def set_stamp(self, stamp: str) -> None:
        """How old what the screen shows is, e.g. ``as_of_text(last_refresh, zone)``."""
        self.stamp = stamp
        self._render()

    def _render(self) -> None:
        self.setText(self.tr("{message} Figures {as_of}.").format(message=self.message, as_of=self.stamp)
                     if self.stamp else self.message)

    def _on_connection(self, connected: bool) -> None:
        self.setVisible(not connected)


def add_connection_banner(window: QWidget, bridge: EventBridge) -> ConnectionBanner:
    """Put the banner at the top of ``window``'s (box) layout."""
    banner = ConnectionBanner(bridge, window)
    window.layout().insertWidget(0, banner)  # type: ignore[attr-defined]
    return banner


class OutageView(QObject):
    """A staff screen's outage state (teller console, lobby dashboard): a compact banner naming
    what is paused and how old the figures are, and the controls held while disconnected.

    ``online`` follows the bridge (a screen built before the watcher's first report counts as
    online); ``changed(online)`` tells the screen to re-render or re-read."""

    changed = Signal(bool)

    def __init__(self, bridge: EventBridge, screen: QWidget, zone: ZoneInfo, message: str) -> None:
        super().__init__(screen)
        self._bridge = bridge
        self._zone = zone
        self.banner = ConnectionBanner(bridge, screen, message=message, compact=True)
        self.online = not bridge.disconnected
        self.as_of: datetime | None = None
        bridge.connection_changed.connect(self._on_connection)

    @property
    def stamp(self) -> str:
        """"as of 14:03:12": the last refresh that worked."""
        return as_of_text(self.as_of, self._zone)

    def mark_fresh(self, moment: datetime) -> None:
        """What the screen shows was read at ``moment``."""
        self.as_of = moment
        self.banner.set_stamp(self.stamp)

    def hold(self, widgets: Iterable[QWidget], reason: str) -> None:
        """While offline: disable ``widgets`` (F-key shortcuts check ``isEnabled``) and give the
        reason as their tooltip. Online: leave their state and any tooltip of their own to the
        screen, and take back only the outage's."""
        for widget in widgets:
            if not self.online:
                widget.setEnabled(False)
                widget.setToolTip(reason)
            elif widget.toolTip() == reason:
                widget.setToolTip("")

    def stop(self) -> None:
        for slot in (self._on_connection, self.banner._on_connection):
            try:
                self._bridge.connection_changed.disconnect(slot)
            except (RuntimeError, TypeError):  # already disconnected
                pass

    def _on_connection(self, connected: bool) -> None:
        if connected != self.online:
            self.online = connected
            self.changed.emit(connected)
