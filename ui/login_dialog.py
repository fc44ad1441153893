"""Sign-in: one login per person, checked by the auth service."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.actor import Actor
from app.services.accounts import Accounts
from ui.message_bar import guarded
from ui.style import ERROR_TEXT


class LoginDialog(QDialog):
    def __init__(self, accounts: Accounts, branch_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("BranchDesk — sign in"))
        self.setMinimumWidth(360)

        heading = QLabel(f"<h2>{self.tr('BranchDesk')}</h2><p>{branch_name}</p>")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet(ERROR_TEXT)
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        sign_in = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        sign_in.setText(self.tr("Sign in"))
        sign_in.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def try_login(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.error.setText(self.tr("Enter your user name."))
            self.username.setFocus()
            return
        actor, ok = guarded(self.error.setText, lambda: self._accounts.sign_in(username, self.password.text()))
        if not ok:
            self.password.clear()
            self.password.setFocus()
            return
        self.actor = actor
        self.accept()
