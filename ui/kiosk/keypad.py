"""An on-screen keypad for a touch kiosk: digits, optionally X, backspace and clear."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

BACKSPACE = "⌫"


class Keypad(QWidget):
    """Types into ``target``. ``keys`` maps each key's text ("0"–"9", "X", "⌫", "clear") to its button."""

    def __init__(self, target: QLineEdit, *, with_x: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X" if with_x else "clear", "0", BACKSPACE]
        for index, key in enumerate(layout):
            text = self.tr("Clear") if key == "clear" else key
            button = QPushButton(text)
            button.setObjectName("keypadKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the cursor
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            self.keys[key] = button
            grid.addWidget(button, index // 3, index % 3)

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            self.target.backspace()
        elif key == "clear":
            self.target.clear()
        else:
            self.target.insert(key)
