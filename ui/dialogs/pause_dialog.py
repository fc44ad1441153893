"""Pause the counter (暂停服务): why, and an optional note shown with the counter's state."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.counters import PauseReason
from ui.dialogs.base import FormDialog, radio_choices
from ui.labels import pause_reason_labels


class PauseDialog(FormDialog):
    def __init__(self, counter_name: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Pause counter"),
                         self.tr("Pause {counter}: no tickets are called here until you resume.")
                         .format(counter=counter_name), parent)
        self.reason_group, self.reason_buttons, holder = radio_choices(
            self, pause_reason_labels(), "pause", PauseReason.BREAK)
        self.form.addRow(self.tr("Reason:"), holder)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("pauseNote")
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("e.g. back at 14:30"))
        self.form.addRow(self.tr("Note (optional):"), self.note_edit)
        self.set_ok_text(self.tr("Pause"))

    def set_reason(self, reason: PauseReason) -> None:
        self.reason_buttons[reason].setChecked(True)

    def reason(self) -> PauseReason:
        return next(r for r, b in self.reason_buttons.items() if b.isChecked())

    def note(self) -> str | None:
        return self.note_edit.text().strip() or None
