"""Ask for a reason (calling a ticket out of order, putting one back, parking one)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from ui.dialogs.base import FormDialog

MAX_REASON = 500  # what app.domain.tickets.require_reason accepts


class ReasonDialog(FormDialog):
    def __init__(self, title: str, heading: str, *, required: bool = True, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, heading, parent)
        self.required = required
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(placeholder)
        self.reason_edit.setMinimumWidth(320)
        self.reason_edit.textChanged.connect(self._update_ok)
        self.form.addRow(self.tr("Reason:") if required else self.tr("Reason (optional):"), self.reason_edit)
        if required:
            self.set_hint(self.tr("The reason is recorded with the ticket's history."))
        self._update_ok()

    def is_complete(self) -> bool:
        return not self.required or bool(self.reason_edit.text().strip())

    def reason(self) -> str | None:
        return self.reason_edit.text().strip() or None
