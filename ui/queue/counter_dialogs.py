"""The small reason dialogs of the teller console: put back in the queue, park, call out of turn.

Each asks for the reason recorded with the ticket's history; what happens on OK is the console's
(ui/queue/teller_console.py), which opens them window-modal.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.dialogs.reason_dialog import ReasonDialog



def requeue_dialog(number: str, parent: QWidget) -> ReasonDialog:
    title = QCoreApplication.translate("CounterDialogs", "Put back in queue")
    text = QCoreApplication.translate("CounterDialogs", "Put {number} back in the queue in its old place.")
    hint = QCoreApplication.translate("CounterDialogs", "e.g. customer is filling in a form")
    return ReasonDialog(title, text.format(number=number), required=False, placeholder=hint, parent=parent)


def park_dialog(number: str, parent: QWidget) -> ReasonDialog:
    title = QCoreApplication.translate("CounterDialogs", "Park ticket")
    text = QCoreApplication.translate("CounterDialogs", "Set {number} aside at this counter and serve others meanwhile.")
    hint = QCoreApplication.translate("CounterDialogs", "e.g. customer fetching a document")
    return ReasonDialog(title, text.format(number=number), required=False, placeholder=hint, parent=parent)


def call_out_of_turn_dialog(number: str, parent: QWidget) -> ReasonDialog:
    title = QCoreApplication.translate("CounterDialogs", "Call a specific ticket")
    text = QCoreApplication.translate("CounterDialogs", "Call {number} out of turn. Why?")
    hint = QCoreApplication.translate("CounterDialogs", "e.g. elderly customer, documents ready")
    return ReasonDialog(title, text.format(number=number), placeholder=hint, parent=parent)
