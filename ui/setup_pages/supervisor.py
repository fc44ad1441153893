"""The first supervisor's account, asked for only while the database has no users."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.auth import MIN_PASSWORD_LENGTH
from app.services.first_run import FirstRunSetup
from ui.setup_pages.base import SetupPage, message_label


class SupervisorPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.username = QLineEdit()
        self.username.setObjectName("supervisorUsername")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password_again = QLineEdit()
        self.password_again.setObjectName("supervisorPasswordAgain")
        for field in (self.password, self.password_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = message_label("passwordHint")
        fields = (self.username, self.display_name, self.password, self.password_again)
        self.labels = [QLabel() for _ in fields]
        form = QFormLayout()
        for label, field in zip(self.labels, fields, strict=True):
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("First supervisor"))
        self.setSubTitle(self.tr("The database has no users yet. This account signs in first and creates the others."))
        labels = (self.tr("User name:"), self.tr("Name:"), self.tr("Password:"), self.tr("Confirm password:"))
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        self.hint.setText(self.tr("At least {min} characters.").format(min=MIN_PASSWORD_LENGTH))

    def validatePage(self) -> bool:
        account = self.flow.choices.supervisor
        account.username = self.username.text().strip()
        account.display_name = self.display_name.text().strip()
        account.password = self.password.text()
        account.password_again = self.password_again.text()
        return self.checked(self.flow.check_supervisor)
