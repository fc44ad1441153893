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

from app.db.engine import Database
from app.domain.errors import DomainError
from app.services.actor import Actor
from app.services.auth import DEFAULT_POLICY, AuthPolicy, authenticate
from ui.errors import describe


class LoginDialog(QDialog):
    def __init__(self, db: Database, branch_name: str, parent: QWidget | None = None, *,
                 policy: AuthPolicy = DEFAULT_POLICY) -> None:
        super().__init__(parent)
        self._db = db
        self._policy = policy
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
        self.error.setStyleSheet("color: #b00020;")
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
        try:
            self.actor = authenticate(self._db, username, self.password.text(), policy=self._policy)
        except DomainError as error:
            self.error.setText(describe(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
