"""Messages next to the fields of a form: what is wrong with a field shows under it, every
missing field is marked at once, and a field's message goes as soon as the field is edited.

A refusal from a service names its field (``ValidationError(field=…, reason=…)``; a missing set
of fields as ``missing=[…]``). :meth:`FieldMessages.show` puts the reason under each field it
names and the cursor in the first; the form's message bar keeps a one-line summary, cleared with
the last field message (``all_cleared``), so no stale line stays once the fields are filled.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from ui.error_reasons import reason_sentences
from ui.errors import translated_params
from ui.style import ERROR_TEXT


def _edited_signal(widget: QWidget) -> Callable[..., object] | None:
    """The signal that says the field's value changed."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return widget.textChanged.connect
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged.connect
    return None


class FieldMessages(QObject):
    """The field messages of one form; see the module's docstring."""

    all_cleared = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fields: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}

    def wrap(self, name: str, field: QWidget) -> QWidget:
        """``field`` with room for its message below; put this in the form instead of the field.
        ``name``: the field name the services use (``ValidationError(field=name)``)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        label = QLabel(box)
        label.setObjectName(f"{name}Message")
        label.setStyleSheet(ERROR_TEXT)
        label.setWordWrap(True)
        label.hide()
        column.addWidget(label)
        self._fields[name], self._labels[name] = field, label
        connect = _edited_signal(field)
        if connect is not None:
            connect(lambda *_: self.clear(name))
        return box

    def alias(self, name: str, of: str) -> None:
        """A refusal naming ``name`` marks the field wrapped as ``of`` (one input, two names:
        the ID field is the "ID number" of a person and the "credit code" of a company)."""
        self._fields[name], self._labels[name] = self._fields[of], self._labels[of]

    def show(self, error: DomainError) -> bool:
        """Mark the fields ``error`` names, in place of what was marked before (without
        ``all_cleared``: the bar now speaks of this refusal); False when it names none of them."""
        for label in self._labels.values():
            label.clear()
            label.hide()
        params = error.params
        names = [name for name in (params.get("missing") or [params.get("field")]) if name in self._fields]
        if not names:
            return False
        text = reason_sentences()["required"] if params.get("missing") else str(translated_params(error).get(
            "reason", ""))
        for name in names:
            label = self._labels[name]
            label.setText(text)
            label.show()
        self._fields[names[0]].setFocus()
        return True

    def message(self, name: str) -> str:
        """What shows under the field now ("" for none)."""
        label = self._labels[name]
        return label.text() if label.isVisibleTo(label.parentWidget()) else ""

    def marked(self) -> list[str]:
        return [name for name in self._labels if self.message(name)]

    def clear(self, name: str | None = None) -> None:
        """Take one field's message away (all when ``name`` is None)."""
        had = bool(self.marked())
        for key in ([name] if name is not None else list(self._labels)):
            label = self._labels.get(key)
            if label is not None:
                label.clear()
                label.hide()
        if had and not self.marked():
            self.all_cleared.emit()
