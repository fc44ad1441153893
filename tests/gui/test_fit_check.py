"""The layout checker itself (tests/gui/fit_check.py) finds what it is for."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from tests.gui.fit_check import cut_texts


def window_with(qtbot, *widgets: QWidget, width: int = 120) -> QWidget:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
        widget.setMinimumWidth(0)
        widget.setMaximumWidth(width)  # squeezed below what the text needs
    window.show()
    qtbot.wait(10)
    return window


def test_cut_labels_buttons_words_and_column_titles_are_found(qtbot) -> None:  # type: ignore[no-untyped-def]
    wrapped = QLabel("E-banking registrationconsultation")
    wrapped.setWordWrap(True)
    table = QTableView()
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["A very long column title", "B"])
    table.setModel(model)
    table.horizontalHeader().resizeSection(0, 30)
    window = window_with(qtbot, QLabel("A label far too long for its place"), QPushButton("A button too long to fit"),
                         wrapped, table)
    found = "\n".join(cut_texts(window, 1024, 768))
    assert "A label far too long" in found and "A button too long" in found
    assert "a word needs" in found and "column 'A very long column title'" in found
    assert "larger than the 100×100 screen" in "\n".join(cut_texts(window, 100, 100))


def test_what_fits_is_not_reported(qtbot) -> None:  # type: ignore[no-untyped-def]
    wrapped = QLabel("可以在任意两个汉字之间换行的一段很长的中文说明文字")
    wrapped.setWordWrap(True)
    window = window_with(qtbot, QLabel("OK"), QPushButton("Go"), wrapped, width=300)
    assert cut_texts(window, 1024, 768) == []
