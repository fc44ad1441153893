"""A supervisor signs in on the spot (user name + password) to override or confirm a step.

The credentials go straight to the service (app.services.checklists), which checks them
against the user table and the supervisor's permission; nothing is kept here."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.checklists import SupervisorCredentials
from ui.dialogs.base import FormDialog

MAX_REASON = 500


class SupervisorDialog(FormDialog):
    def __init__(self, title: str, heading: str, *, needs_reason: bool, parent: QWidget | None = None) -> None:
        super().__init__(title, heading, parent)
        self.needs_reason = needs_reason
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("supervisorUsername")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("supervisorPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("e.g. ID card reader out of order, identity checked by hand"))
        self.form.addRow(self.tr("Supervisor user name:"), self.username_edit)
        self.form.addRow(self.tr("Password:"), self.password_edit)
        if needs_reason:
            self.form.addRow(self.tr("Reason:"), self.reason_edit)
            self.set_hint(self.tr("The supervisor, the reason and the time are recorded in the audit log."))
        else:
            self.reason_edit.hide()
        for edit in (self.username_edit, self.password_edit, self.reason_edit):
            edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def is_complete(self) -> bool:
        return bool(self.username_edit.text().strip() and self.password_edit.text()) and (
            not self.needs_reason or bool(self.reason_edit.text().strip()))

    def credentials(self) -> SupervisorCredentials:
        return SupervisorCredentials(self.username_edit.text().strip(), self.password_edit.text())

    def reason(self) -> str:
        return self.reason_edit.text().strip()
