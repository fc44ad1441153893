"""The kiosk's ID number entry: on a public screen, in large type, what is typed is shown masked
as it is typed (all but the last four characters), while the widget keeps the real value.

Only appending and removing the last character are possible (the keypad's keys, the keyboard's
digits, ``X`` and Backspace): no cursor moves, selection, paste, drag or context menu, which
would show or edit the hidden part."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

#: The characters an ID number is made of (the check character may be X).
ID_CHARACTERS = "0123456789X"
MASK = "•"


def masked(value: str, visible: int) -> str:
    """``110105195003070012`` → ``••••••••••••••0012``; a value no longer than ``visible`` as it is."""
    hidden = max(0, len(value) - visible)
    return MASK * hidden + value[hidden:]


class MaskedEntry(QLineEdit):
    """Holds ``value()``; shows it masked. ``text()`` is what the screen shows, as for any QLineEdit."""

    def __init__(self, length: int, *, visible: int = 4, allowed: str = ID_CHARACTERS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = ""
        self._length, self._visible, self._allowed = length, visible, allowed
        self.setMaxLength(length)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)

    def value(self) -> str:
        return self._value

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._value = ""
        self.insert(text)
        self._show()

    def insert(self, text: str) -> None:
        for char in text.upper():
            if char in self._allowed and len(self._value) < self._length:
                self._value += char
        self._show()

    def backspace(self) -> None:
        self._value = self._value[:-1]
        self._show()

    def clear(self) -> None:
        self._value = ""
        self._show()

    def _show(self) -> None:
        shown = masked(self._value, self._visible)
        if super().text() != shown:
            super().setText(shown)
        self.setCursorPosition(len(shown))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key == Qt.Key.Key_Backspace:
            self.backspace()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            super().keyPressEvent(event)  # returnPressed, focus moves
        elif event.text() and not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                                          | Qt.KeyboardModifier.KeypadModifier):
            self.insert(event.text())
        else:
            event.accept()  # arrows, Home, selection, Ctrl+V: nothing that shows or edits the hidden part

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        self.setFocus(Qt.FocusReason.MouseFocusReason)  # focus, but no cursor placed inside the mask
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        event.accept()
