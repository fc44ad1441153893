"""Passwords at the workstation: a person changes their own; a supervisor resets or unlocks someone's.

The policy (length, letters and digits) and the permission are checked by the auth service;
these dialogs only collect the input and show its answer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.message_bar import MessageBar


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ChangePasswordDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._policy = context.services.accounts.policy
        self.setWindowTitle(self.tr("Change password"))
        self.current = _password_field("currentPassword")
        self.new = _password_field("newPassword")
        self.again = _password_field("newPasswordAgain")
        self.message = MessageBar(name="passwordMessage")
        self.message.show_info(self._hint())
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Confirm new password"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _hint(self) -> str:
        if self._policy.letters_and_digits:
            return self.tr("At least {min} characters, with letters and digits.").format(
                min=self._policy.password_min_length)
        return self.tr("At least {min} characters.").format(min=self._policy.password_min_length)

    def save(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText(self.tr("The new passwords do not match."))
            return
        if self._ctx.actor is None:
            return
        _, ok = self.message.guarded(
            lambda: self._ctx.services.accounts.change_password(self._ctx.actor, self.current.text(), self.new.text()))
        if ok:
            self.accept()


class ResetPasswordDialog(QDialog):
    """A supervisor sets a new password for a user (which also lifts a lock), or only unlocks the account."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._policy = context.services.accounts.policy
        self.setWindowTitle(self.tr("Reset password or unlock"))
        self.username = QLineEdit()
        self.username.setObjectName("resetUsername")
        self.new = _password_field("resetPassword")
        self.message = MessageBar(name="resetMessage")
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("New password"), self.new)
        self.reset_button = QPushButton(self.tr("&Reset password"))
        self.reset_button.clicked.connect(self.reset)
        self.unlock_button = QPushButton(self.tr("&Unlock only"))
        self.unlock_button.clicked.connect(self.unlock)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def reset(self) -> None:
        username = self.username.text().strip()
        _, ok = self.message.guarded(
            lambda: self._ctx.services.accounts.reset_password(self._ctx.actor, username, self.new.text()))  # type: ignore[arg-type]
        if not ok:
            return
        self.new.clear()
        self.message.show_ok(self.tr("The password of {user} was reset; the account is unlocked.")
                             .format(user=username))

    def unlock(self) -> None:
        username = self.username.text().strip()
        was_locked, ok = self.message.guarded(
            lambda: self._ctx.services.accounts.unlock(self._ctx.actor, username))  # type: ignore[arg-type]
        if ok:
            self.message.show_ok(self.tr("{user} is unlocked.").format(user=username) if was_locked
                                 else self.tr("{user} was not locked.").format(user=username))
