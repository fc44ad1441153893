"""Revealing one masked value, the same way in every pane (customers, complaints).

Services hand the UI masked values only. A :class:`MaskedValue` shows one with a Reveal
button; the pane asks for a reason with :class:`RevealDialog`, calls its service's audited
``reveal``, and shows the full value through :meth:`MaskedValue.show_value` for a few
seconds (``customers.reveal_seconds``) before it is masked again."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.dialogs.reason_dialog import ReasonDialog
from ui.style import ERROR_TEXT_BOLD


class MaskedValue(QWidget):
    """A masked value with a Reveal button; ``revealed`` is the label's text while shown."""

    reveal_requested = Signal(str, object)  # field, item id

    def __init__(self, field: str, item_id: int | None, masked: str, can_reveal: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field, self.item_id, self.masked = field, item_id, masked
        self.label = QLabel(masked)
        self.label.setObjectName(f"value_{field}_{item_id or 0}")
        self.button = QPushButton(self.tr("Reveal…"))
        self.button.setObjectName(f"reveal_{field}_{item_id or 0}")
        self.button.setVisible(can_reveal)
        self.button.clicked.connect(lambda: self.reveal_requested.emit(self.field, self.item_id))
        #: Counts the seconds until the value is masked again, shown beside it.
        self.countdown = QLabel()
        self.countdown.setObjectName(f"countdown_{field}_{item_id or 0}")
        self.countdown.hide()
        self.seconds_left = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.countdown)
        row.addWidget(self.button)
        row.addStretch(1)

    def show_value(self, value: str, seconds: int) -> None:
        self.label.setText(value)
        self.label.setStyleSheet(ERROR_TEXT_BOLD)
        self.seconds_left = max(1, seconds)
        self._show_countdown()
        self.timer.start()

    def _tick(self) -> None:
        self.seconds_left -= 1
        if self.seconds_left <= 0:
            self.mask()
        else:
            self._show_countdown()

    def _show_countdown(self) -> None:
        self.countdown.setText(self.tr("masked again in {seconds} s").format(seconds=self.seconds_left))
        self.countdown.show()

    def mask(self) -> None:
        self.timer.stop()
        self.seconds_left = 0
        self.countdown.hide()
        self.label.setText(self.masked)
        self.label.setStyleSheet("")


class RevealDialog(ReasonDialog):
    """Asks why the full value is needed (required, at most 500 characters: the services' limit)."""

    def __init__(self, parent: QWidget | None = None, *, what: str = "") -> None:
        """``what``: the value asked for, in words ("ID number"), named in the title and question."""
        title = (QCoreApplication.translate("RevealDialog", "Reveal: {what}").format(what=what) if what
                 else QCoreApplication.translate("RevealDialog", "Reveal"))
        question = (QCoreApplication.translate("RevealDialog", "Why do you need the full {what}?").format(what=what)
                    if what else QCoreApplication.translate("RevealDialog", "Why do you need the full value?"))
        super().__init__(title, question, parent=parent)
        self.set_hint(self.tr("Your name, the time and the reason are written to the audit log."))
