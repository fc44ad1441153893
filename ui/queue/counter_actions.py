"""The teller console's action buttons: the F-key grid (F1 call next · F2 recall · F3 start /
finish · F4 no-show · F5 transfer… · F6 pause / resume), the row of smaller actions under it,
and which of them the ticket at the counter and the counter's state allow.

What each button does is :class:`ui.queue.teller_console.TellerConsole`'s, which connects them;
holding them during an outage is too (``counter_actions`` lists the ones it holds).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.tickets import TicketStatus, recalls_left
from app.services.counters import CounterState, CounterStatus
from app.services.queue import TicketView


class CounterActions(QWidget):
    """The buttons are public attributes; ``f_keys`` maps each F-key to its button. The keys
    themselves are the main window's shortcuts (so they work from any tab), which call
    :meth:`ui.queue.teller_console.TellerConsole.press_f_key`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.f_keys: dict[str, QPushButton] = {}
        self.call_button = self._f_key_button(self.tr("Call next (F1)"), "callButton", "F1")
        self.recall_button = self._f_key_button(self.tr("Recall (F2)"), "recallButton", "F2")
        self.serve_button = self._f_key_button(self.tr("Start (F3)"), "serveButton", "F3")
        self.no_show_button = self._f_key_button(self.tr("No-show (F4)"), "noShowButton", "F4")
        self.transfer_button = self._f_key_button(self.tr("Transfer… (F5)"), "transferButton", "F5")
        self.pause_button = self._f_key_button(self.tr("Pause… (F6)"), "pauseButton", "F6")
        self.call_button.setStyleSheet("QPushButton:enabled { background: #1f5fa8; color: white; "
                                       "font-weight: bold; border-radius: 4px; }")
        grid = QGridLayout()
        for i, button in enumerate((self.call_button, self.recall_button, self.serve_button,
                                    self.no_show_button, self.transfer_button, self.pause_button)):
            grid.addWidget(button, i // 3, i % 3)

        self.finish_note_button = self._small_button(self.tr("Finish with note…"), "finishNoteButton")
        self.requeue_button = self._small_button(self.tr("Put back in queue…"), "requeueButton")
        self.park_button = self._small_button(self.tr("Park…"), "parkButton")
        self.receipt_button = self._small_button(self.tr("Service receipt…"), "receiptButton")
        self.receipt_button.setEnabled(False)
        self.checklist_button = self._small_button(self.tr("Checklist…"), "checklistButton")
        self.complaint_button = self._small_button(self.tr("Record complaint…"), "complaintButton")
        self.customer_button = self._small_button(self.tr("Customer…"), "customerButton")
        more = QHBoxLayout()
        for button in (self.finish_note_button, self.requeue_button, self.park_button, self.receipt_button,
                       self.checklist_button, self.complaint_button, self.customer_button):
            more.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)  # laid out as part of the console's column
        column.addLayout(grid)
        column.addLayout(more)

    def _f_key_button(self, text: str, name: str, key: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(46)
        self.f_keys[key] = button
        return button

    @staticmethod
    def _small_button(text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    def show_state(self, ticket: TicketView | None, status: CounterStatus | None, *,
                   recalls_before_no_show: int = 0) -> None:
        """Enable what the ticket at the counter (None: none) and the counter's state allow; a
        no-show only once the ticket was recalled as often as the branch's rule asks (the
        button's tooltip says how many recalls are still needed)."""
        open_ = status is not None and status.state is CounterState.OPEN
        called = ticket is not None and ticket.status is TicketStatus.CALLED
        serving = ticket is not None and ticket.status is TicketStatus.SERVING
        self.serve_button.setText(self.tr("Finish (F3)") if serving else self.tr("Start (F3)"))
        self.pause_button.setText(self.tr("Pause… (F6)") if open_ or status is None else self.tr("Resume (F6)"))
        self.call_button.setEnabled(ticket is None and open_)
        self.recall_button.setEnabled(called)
        self.serve_button.setEnabled(ticket is not None)
        left = recalls_left(ticket.call_count, recalls_before_no_show) if called else 0
        self.no_show_button.setEnabled(called and not left)
        self.no_show_button.setToolTip(self.tr("Recall {count} more time(s) first (F2).").format(count=left)
                                       if left else "")
        self.transfer_button.setEnabled(ticket is not None)
        self.pause_button.setEnabled(status is not None and ticket is None)
        self.finish_note_button.setEnabled(ticket is not None)
        self.requeue_button.setEnabled(called)
        self.park_button.setEnabled(ticket is not None)
        self.checklist_button.setEnabled(ticket is not None)
        self.customer_button.setEnabled(ticket is not None and ticket.customer_id is not None)

    def offer_receipt(self, number: str) -> None:
        """The receipt button now prints the receipt of the ticket just finished."""
        self.receipt_button.setEnabled(True)
        self.receipt_button.setText(self.tr("Service receipt {number}…").format(number=number))

    def counter_actions(self) -> tuple[QPushButton, ...]:
        """The buttons that change a ticket or the counter (the console adds its lists' buttons)."""
        return (self.call_button, self.recall_button, self.serve_button, self.no_show_button,
                self.transfer_button, self.pause_button, self.finish_note_button, self.requeue_button,
                self.park_button)
