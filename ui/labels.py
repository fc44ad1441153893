"""Translated names for the domain's codes, shared by the counter-side screens.

Functions, not constants: the translation is looked up when a screen is built, after
the catalogue for the chosen language is installed. Each call is spelled out in full
(``QCoreApplication.translate("Labels", "…")``) so that pyside6-lupdate extracts it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.domain.priority import PriorityClass
from app.domain.tickets import ServiceOutcome, TransferPosition
from app.services.counters import PauseReason
from ui.style import GOOD


def priority_label(priority: PriorityClass | str) -> str:
    """Badge text; empty for a normal ticket."""
    return {
        PriorityClass.NORMAL: "",
        PriorityClass.VIP_GOLD: QCoreApplication.translate("Labels", "VIP Gold"),
        PriorityClass.VIP_PLATINUM: QCoreApplication.translate("Labels", "VIP Platinum"),
        PriorityClass.VIP_DIAMOND: QCoreApplication.translate("Labels", "VIP Diamond"),
        PriorityClass.APPOINTMENT: QCoreApplication.translate("Labels", "Appointment"),
        PriorityClass.GREEN: QCoreApplication.translate("Labels", "Green channel"),
    }[PriorityClass(priority)]


#: Badge colours: green channel green, appointments blue, VIP tiers gold.
PRIORITY_COLOURS: dict[PriorityClass, str] = {
    PriorityClass.GREEN: GOOD,
    PriorityClass.APPOINTMENT: "#1f5fa8",
    PriorityClass.VIP_GOLD: "#a87400",
    PriorityClass.VIP_PLATINUM: "#a87400",
    PriorityClass.VIP_DIAMOND: "#a87400",
}


def outcome_labels() -> dict[ServiceOutcome, str]:
    return {
        ServiceOutcome.COMPLETED: QCoreApplication.translate("Labels", "Completed"),
        ServiceOutcome.PARTIALLY_COMPLETED: QCoreApplication.translate("Labels", "Partially completed"),
        ServiceOutcome.DOCUMENTS_MISSING: QCoreApplication.translate("Labels", "Documents missing"),
        ServiceOutcome.REFERRED: QCoreApplication.translate("Labels", "Referred elsewhere"),
        ServiceOutcome.CUSTOMER_DECLINED: QCoreApplication.translate("Labels", "Customer declined"),
        ServiceOutcome.SYSTEM_UNAVAILABLE: QCoreApplication.translate("Labels", "System unavailable"),
        ServiceOutcome.OTHER: QCoreApplication.translate("Labels", "Other"),
    }


def pause_reason_labels() -> dict[PauseReason, str]:
    return {
        PauseReason.BREAK: QCoreApplication.translate("Labels", "Break"),
        PauseReason.MEETING: QCoreApplication.translate("Labels", "Meeting"),
        PauseReason.CASH_HANDOVER: QCoreApplication.translate("Labels", "Cash handover"),
        PauseReason.OTHER: QCoreApplication.translate("Labels", "Other"),
    }


def transfer_position_labels() -> dict[TransferPosition, str]:
    return {
        TransferPosition.ARRIVAL: QCoreApplication.translate("Labels", "By original arrival time"),
        TransferPosition.FRONT: QCoreApplication.translate("Labels", "At the front of the queue"),
        TransferPosition.END: QCoreApplication.translate("Labels", "At the end of the queue"),
    }


def rating_labels() -> dict[int, str]:
    """1 非常不满意 … 5 非常满意."""
    return {
        5: QCoreApplication.translate("Labels", "Very satisfied"),
        4: QCoreApplication.translate("Labels", "Satisfied"),
        3: QCoreApplication.translate("Labels", "Neutral"),
        2: QCoreApplication.translate("Labels", "Dissatisfied"),
        1: QCoreApplication.translate("Labels", "Very dissatisfied"),
    }


def counter_state_label(state: str) -> str:
    return {
        "open": QCoreApplication.translate("Labels", "Open"),
        "paused": QCoreApplication.translate("Labels", "Paused"),
        "closed": QCoreApplication.translate("Labels", "Closed"),
    }.get(state, state)


def pause_reason_text(state_reason: str | None) -> str:
    """A counter's stored pause reason ("break" or "break: note") in words."""
    if not state_reason:
        return ""
    code, _, note = state_reason.partition(": ")
    try:
        label = pause_reason_labels()[PauseReason(code)]
    except ValueError:
        return state_reason
    return f"{label}: {note}" if note else label


def counter_label(number: int, name: str) -> str:
    """A counter as the screens name it: the name a branch gave it, or, for the name every counter
    is created with (``3号窗口``, app/services/branches.py), the words of the UI's language."""
    if name == f"{number}号窗口":
        return QCoreApplication.translate("Labels", "Counter {number}").format(number=number)
    return name
