"""Finish a service with an outcome code and a note (plain F3 finishes as completed)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from app.domain.tickets import ServiceOutcome
from ui.dialogs.base import FormDialog
from ui.labels import outcome_labels

MAX_NOTE = 2000  # what QueueService.finish accepts


class FinishDialog(FormDialog):
    def __init__(self, ticket_number: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Finish service"),
                         self.tr("Finish serving {number}.").format(number=ticket_number), parent)
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("outcomeCombo")
        for outcome, label in outcome_labels().items():
            self.outcome_combo.addItem(label, outcome.value)
        self.form.addRow(self.tr("Outcome:"), self.outcome_combo)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("finishNote")
        self.note_edit.setPlaceholderText(self.tr("What was done, what is missing, what was agreed…"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(110)
        self.note_edit.textChanged.connect(self._update_ok)
        self.form.addRow(self.tr("Note:"), self.note_edit)
        self.set_ok_text(self.tr("Finish"))

    def set_outcome(self, outcome: ServiceOutcome) -> None:
        self.outcome_combo.setCurrentIndex(self.outcome_combo.findData(outcome.value))

    def outcome(self) -> ServiceOutcome:
        return ServiceOutcome(self.outcome_combo.currentData())

    def note(self) -> str | None:
        return self.note_edit.toPlainText().strip() or None

    def is_complete(self) -> bool:
        too_long = len(self.note_edit.toPlainText()) > MAX_NOTE
        self.set_hint(self.tr("The note is limited to {count} characters.").format(count=MAX_NOTE) if too_long else "")
        return not too_long
