"""Idle lock: a counter or lobby workstation left alone locks itself (DOMAIN.md, Security).

``IdleWatcher`` is an application-wide event filter: any key, mouse or wheel input in any
window of the app restarts its timer. When it runs out, the main window shows the
``LockScreen`` in place of its panes; only the signed-in person's own password unlocks it
(wrong passwords count toward the account's lockout, like at sign-in). The calling display
and the kiosk are public screens with nobody signed in: they never lock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.message_bar import guarded
from ui.style import ERROR_TEXT

#: Workstation roles that never lock: public screens on which nobody is signed in.
EXEMPT_ROLES = frozenset({"display", "kiosk"})

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
})


def idle_lock_applies(role: str) -> bool:
    return role not in EXEMPT_ROLES


def idle_ms(minutes: float) -> int:
    """The idle time in milliseconds; 0 (or less) means never lock."""
    return max(0, round(minutes * 60_000))


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``timeout_ms`` without user input anywhere in the app."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False


class LockScreen(QWidget):
    """Shown in place of the panes while the workstation is locked."""

    unlocked = Signal()
    switch_user = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._policy = context.services.accounts.policy
        actor = context.actor
        title = QLabel(self.tr("<h2>Workstation locked</h2><p>Signed in: {name}</p>").format(
            name=actor.display_name if actor else ""))
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("S&witch user"))
        self.switch_button.clicked.connect(self.switch_user)
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.error.setStyleSheet(ERROR_TEXT)
        self.error.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        box = QVBoxLayout()
        box.addWidget(title)
        box.addLayout(row)
        box.addWidget(self.error)
        box.addWidget(self.switch_button)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(box, 2)
        outer.addStretch(1)

    def reset(self) -> None:
        self.password.clear()
        self.error.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        if self._ctx.actor is None:
            return
        actor = self._ctx.actor
        _, ok = guarded(self.error.setText,
                        lambda: self._ctx.services.accounts.reauthenticate(actor, self.password.text()))
        if not ok:
            self.password.clear()
            self.password.setFocus()
            return
        self.reset()
        self.unlocked.emit()
