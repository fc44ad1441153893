"""A form dialog: a heading, a form, OK / Cancel. The OK button is public so tests and
keyboard users can drive it; subclasses call ``_update_ok`` when a field changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.live_pane import LivePane

Choice = TypeVar("Choice")


class FormDialog(QDialog):
    def __init__(self, title: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.heading = QLabel(heading)
        self.heading.setObjectName("dialogHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold; margin-bottom: 6px;")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(10)
        self.hint = QLabel()
        self.hint.setObjectName("dialogHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")
        self.hint.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def cancel_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_ok_text(self, text: str) -> None:
        self.ok_button.setText(text)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.is_complete())

    def is_complete(self) -> bool:
        return True

    def accept(self) -> None:
        if self.is_complete():
            super().accept()


def radio_choices(owner: QWidget, labels: Mapping[Choice, str], name_prefix: str,
                  checked: Choice) -> tuple[QButtonGroup, dict[Choice, QRadioButton], QWidget]:
    """A column of radio buttons, one per choice (object names ``<prefix>_<value>``)."""
    group = QButtonGroup(owner)
    buttons: dict[Choice, QRadioButton] = {}
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    for choice, label in labels.items():
        button = QRadioButton(label)
        button.setObjectName(f"{name_prefix}_{getattr(choice, 'value', choice)}")
        group.addButton(button)
        buttons[choice] = button
        column.addWidget(button)
    buttons[checked].setChecked(True)
    holder = QWidget()
    holder.setLayout(column)
    return group, buttons, holder


def save_revert_close(dialog: QDialog, labels: tuple[str, str], *, save: Callable[[], object],
                      revert: Callable[[], object], save_name: str) -> tuple[QPushButton, QPushButton, QDialogButtonBox]:
    """The button row of a settings dialog: Save (the default button), Revert (re-read what is
    stored) and Close. ``labels``: the dialog's own (translated) "Save" and "Revert".
    Returns (save, revert, the box)."""
    save_button = QPushButton(labels[0])
    save_button.setObjectName(save_name)
    save_button.setDefault(True)
    save_button.clicked.connect(lambda: save())
    revert_button = QPushButton(labels[1])
    revert_button.clicked.connect(lambda: revert())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.addButton(save_button, QDialogButtonBox.ButtonRole.ApplyRole)
    buttons.addButton(revert_button, QDialogButtonBox.ButtonRole.ResetRole)
    buttons.rejected.connect(dialog.reject)
    return save_button, revert_button, buttons


def ask_window_modal(host: QWidget, dialog: QDialog, on_accept: Callable[[QDialog], None]) -> QDialog:
    """Open ``dialog`` window-modal without blocking; ``on_accept`` runs when OK is pressed.

    The host keeps at most one such dialog, as ``host.active_dialog``: opening another
    rejects the one still open, so a pane never stacks dialogs nor acts on a stale one. A live
    pane (ui/live_pane.py) that kept changes waiting while the dialog was open reads them after."""
    previous = getattr(host, "active_dialog", None)
    if previous is not None:
        previous.reject()
    host.active_dialog = dialog  # type: ignore[attr-defined]

    def done(result: int) -> None:
        if getattr(host, "active_dialog", None) is dialog:
            host.active_dialog = None  # type: ignore[attr-defined]
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            on_accept(dialog)
        if isinstance(host, LivePane):
            host.catch_up()

    dialog.finished.connect(done)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
