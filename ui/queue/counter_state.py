"""The teller console's header: which counter (the chooser), and its state line — open, closed, or
paused with the reason, coloured so a teller sees at a glance whether customers are being called
to this counter."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.services.branches import CounterView
from app.services.counters import CounterState, CounterStatus
from ui.labels import counter_label, counter_state_label, pause_reason_text
from ui.style import ERROR_TEXT_BOLD, GOOD_TEXT_BOLD


class CounterStateLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterState")

    def show_status(self, status: CounterStatus | None) -> None:
        """The counter's state (None: no counter chosen)."""
        if status is None:
            self.setText(self.tr("No counter selected"))
            self.setStyleSheet("color: #666;")
            return
        state = counter_state_label(status.state.value)
        if status.state is CounterState.PAUSED:
            reason = pause_reason_text(status.state_reason)
            self.setText(self.tr("{state} — {reason}").format(state=state, reason=reason) if reason else state)
            self.setStyleSheet("background: #fff3cd; color: #7a5200; border: 1px solid #e0c060; "
                               "border-radius: 4px; padding: 4px 10px; font-weight: bold;")
        elif status.state is CounterState.CLOSED:
            self.setText(f"■ {state}")
            self.setStyleSheet(ERROR_TEXT_BOLD)
        else:
            self.setText(f"● {state}")
            self.setStyleSheet(GOOD_TEXT_BOLD)


def counter_chooser(counters: Iterable[CounterView], bound_to: int) -> QComboBox:
    """The console's counter selector: the branch's active counters; a workstation bound to a
    counter (``bound_to``, 0: none) shows it and cannot change it."""
    combo = QComboBox()
    combo.setObjectName("counterCombo")
    for counter in counters:
        if counter.active:
            combo.addItem(counter_label(counter.number, counter.name), counter.number)
    if bound_to:
        index = combo.findData(bound_to)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.setEnabled(False)
    return combo
