"""Every text a person can read in a window, for tests that judge what is shown (raw codes).

Labels, buttons, group titles, tab titles, combo box items, list items, read-only text boxes,
and the headers and cells of item views (the first ``MAX_ROWS`` rows); only widgets shown
(visible to their window), so a hidden page or a closed dialog does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

MAX_ROWS = 200
#: Rich-text markup, read as a space.
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Shown:
    """One text and where it is (class and object name of the widget, a cell's row/column)."""

    text: str
    where: str


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName()!r})"


def _view_texts(view: QAbstractItemView) -> Iterator[Shown]:
    model = view.model()
    if model is None:
        return
    for column in range(model.columnCount()):
        yield Shown(str(model.headerData(column, Qt.Orientation.Horizontal) or ""), f"{_name(view)} header {column}")
    for row in range(min(model.rowCount(), MAX_ROWS)):
        for column in range(model.columnCount()):
            value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield Shown(str(value), f"{_name(view)} row {row} column {column}")


def visible_texts(window: QWidget) -> list[Shown]:
    """What ``window`` shows now, widget by widget."""
    found: list[Shown] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        where = _name(widget)
        if isinstance(widget, QLabel):
            found.append(Shown(TAGS.sub(" ", widget.text()), where))
        elif isinstance(widget, QAbstractButton):
            found.append(Shown(widget.text(), where))
        elif isinstance(widget, QGroupBox):
            found.append(Shown(widget.title(), where))
        elif isinstance(widget, QTabWidget):
            found += [Shown(widget.tabText(i), f"{where} tab {i}") for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            found += [Shown(widget.itemText(i), f"{where} item {i}") for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            found += [Shown(widget.item(i).text(), f"{where} item {i}") for i in range(widget.count())]
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly():
            found.append(Shown(widget.toPlainText(), where))
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, (QListWidget, QHeaderView)):
            found += list(_view_texts(widget))
    return [shown for shown in found if shown.text.strip()]
