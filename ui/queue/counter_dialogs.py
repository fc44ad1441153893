"""The small reason dialogs of the teller console: put back in the queue, park, call out of turn.

Each asks for the reason recorded with the ticket's history; what happens on OK is the console's
(ui/queue/teller_console.py), which opens them window-modal.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.dialogs.reason_dialog import ReasonDialog


def _t(text: str) -> str:
    return QCoreApplication.translate("CounterDialogs", text)


def requeue_dialog(number: str, parent: QWidget) -> ReasonDialog:
    return ReasonDialog(_t("Put back in queue"),
                        _t("Put {number} back in the queue at its place.").format(number=number),
                        required=False, placeholder=_t("e.g. customer is filling in a form"), parent=parent)


def park_dialog(number: str, parent: QWidget) -> ReasonDialog:
    return ReasonDialog(_t("Park ticket"),
                        _t("Set {number} aside at this counter and serve others meanwhile.").format(number=number),
                        required=False, placeholder=_t("e.g. customer fetching a document"), parent=parent)


def call_out_of_turn_dialog(number: str, parent: QWidget) -> ReasonDialog:
    return ReasonDialog(_t("Call a specific ticket"), _t("Call {number} out of turn. Why?").format(number=number),
                        placeholder=_t("e.g. elderly customer, documents ready"), parent=parent)
