"""What Qt can tell about a laid-out window: text that does not fit where it is shown.

- a label or button narrower than its own size hint (its text is cut; a label that wraps: lower
  than the height its text needs at its width);
- a table's column title wider than its column and the style's margins (Qt elides it as "…");
- a window larger than the screen it is meant for (its right or bottom part is off screen).
Widgets not visible in the window are skipped, as are empty texts.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QStyle, QWidget

from tests.gui.visible_texts import TAGS



_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName()!r})"


def _label_problem(label: QLabel) -> str | None:
    text = label.text().strip()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + 2:
            return f"needs {need} px of height, has {label.height()}"
        # Qt wraps between words only: a word wider than the label is cut at its edge.
        words = _CJK.sub(r" \g<0> ", TAGS.sub(" ", text)).replace("/", "/ ").split()  # Chinese wraps anywhere
        widest = max((label.fontMetrics().horizontalAdvance(word) for word in words), default=0)
        room = label.contentsRect().width() - 2 * label.margin() - label.indent() * (label.indent() > 0)
        if widest > room + 2:
            return f"a word needs {widest} px, the label has {room}"
        return None
    need = label.sizeHint().width()
    if need > label.width() + 2:
        return f"needs {need} px, has {label.width()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text().strip():
        return None
    need = button.sizeHint().width()
    return f"needs {need} px, has {button.width()}" if need > button.width() + 2 else None


def _header_problems(header: QHeaderView) -> list[str]:
    if header.orientation() is not Qt.Orientation.Horizontal or not header.isVisible() or header.model() is None:
        return []
    problems = []
    metrics = header.fontMetrics()
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = str(header.model().headerData(section, Qt.Orientation.Horizontal) or "")
        need = max((metrics.horizontalAdvance(line) for line in title.split("\n")), default=0) + margin
        if title and need > header.sectionSize(section) + 2:
            problems.append(f"column {title!r} needs {need} px, has {header.sectionSize(section)}")
    return problems


def cut_texts(window: QWidget, screen_width: int, screen_height: int) -> list[str]:
    """Every text of ``window`` that is cut, one line each; the window on a screen of that size."""
    problems = []
    if window.width() > screen_width or window.height() > screen_height:
        problems.append(f"{_name(window)} is {window.width()}×{window.height()}, "
                        f"larger than the {screen_width}×{screen_height} screen")
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        found: list[str] = []
        if isinstance(widget, QLabel):
            found = [p for p in [_label_problem(widget)] if p]
        elif isinstance(widget, QAbstractButton):
            found = [p for p in [_button_problem(widget)] if p]
        elif isinstance(widget, QHeaderView):
            found = _header_problems(widget)
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        problems += [f"{_name(widget)} {text[:40]!r}: {problem}" for problem in found]
    return problems
