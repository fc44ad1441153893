"""Five rating buttons (1 非常不满意 … 5 非常满意), for the teller's console and the evaluator; the
console's rating box around them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.labels import rating_labels

#: Best to worst: green to red, so the colour says what the words say.
COLOURS = {5: "#1b7f3b", 4: "#4f9a3a", 3: "#8a8a8a", 2: "#d07a1c", 1: "#b3261e"}


class RatingButtons(QWidget):
    rated = Signal(int)

    def __init__(self, *, best_first: bool, large: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[int, QPushButton] = {}
        labels = rating_labels()
        order = sorted(labels, reverse=best_first)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20 if large else 6)
        for value in order:
            button = QPushButton()
            button.setObjectName(f"rate{value}")
            if large:
                # A push button does not wrap its text: a word-wrapped label inside it does.
                caption = QLabel(labels[value])
                caption.setWordWrap(True)
                caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
                caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                caption.setStyleSheet("color: white; font-size: 28px; font-weight: bold; background: transparent;")
                inner = QVBoxLayout(button)
                inner.setContentsMargins(10, 10, 10, 10)
                inner.addWidget(caption)
                button.setAccessibleName(labels[value])
                button.setFixedSize(172, 150)
                button.setStyleSheet(
                    f"QPushButton {{ background: {COLOURS[value]}; border: none; border-radius: 14px; }}"
                    f" QPushButton:pressed {{ background: #333; }}")
            else:
                button.setText(f"{value}  {labels[value]}")
                button.setMinimumHeight(32)
                button.setStyleSheet(f"QPushButton {{ border: 1px solid {COLOURS[value]}; color: {COLOURS[value]};"
                                     f" border-radius: 4px; padding: 4px 8px; background: white; }}"
                                     f" QPushButton:pressed {{ background: {COLOURS[value]}; color: white; }}")
            button.clicked.connect(lambda _checked=False, v=value: self.rated.emit(v))
            self.buttons[value] = button
            row.addWidget(button)


class RatingBox(QGroupBox):
    """The teller's way to record a rating the customer gave by word of mouth, after a finish:
    a prompt naming the ticket and the five buttons (``rated``); hidden until :meth:`ask`."""

    rated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Customer's rating"))
        self.setObjectName("ratingBox")
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.buttons = RatingButtons(best_first=False, large=False)
        self.buttons.rated.connect(self.rated)
        box = QVBoxLayout(self)
        box.addWidget(self.prompt)
        box.addWidget(self.buttons)
        self.hide()

    def ask(self, number: str) -> None:
        self.prompt.setText(self.tr("If the customer does not use the evaluator, enter their rating "
                                    "for {number}:").format(number=number))
        self.show()
