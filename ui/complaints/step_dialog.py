"""One dialog for every workflow step: a text (note, reason, decision, reply) and at most one choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from ui.dialogs.base import FormDialog


class StepDialog(FormDialog):
    def __init__(self, title: str, heading: str, *, text_label: str, text_required: bool,
                 choice_label: str | None = None, choices: Sequence[tuple[str, object]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(title, heading, parent)
        self.text_required = text_required
        self.choice: QComboBox | None = None
        if choice_label is not None:
            self.choice = QComboBox()
            self.choice.setObjectName("stepChoice")
            for label, value in choices:
                self.choice.addItem(label, value)
            self.form.addRow(choice_label, self.choice)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("stepText")
        self.text_edit.setMinimumHeight(90)
        self.text_edit.textChanged.connect(self._update_ok)
        self.form.addRow(text_label, self.text_edit)
        self.set_hint(self.tr("Recorded in the complaint's history with your name and the time."))
        self._update_ok()

    def is_complete(self) -> bool:
        return not self.text_required or bool(self.text_edit.toPlainText().strip())

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def chosen(self) -> object:
        return self.choice.currentData() if self.choice is not None else None
