"""Translated names of complaint states and actions, and the vocabulary terms in the UI language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.domain.complaints import ComplaintAction, ComplaintStatus
from app.domain.complaints_vocab import Vocabulary


def status_labels() -> dict[str, str]:
    S = ComplaintStatus
    return {
        S.DRAFT: QCoreApplication.translate("Complaints", "Draft"),
        S.RECEIVED: QCoreApplication.translate("Complaints", "Received"),
        S.ACCEPTED: QCoreApplication.translate("Complaints", "Accepted"),
        S.INVESTIGATING: QCoreApplication.translate("Complaints", "Investigating"),
        S.EXTENDED: QCoreApplication.translate("Complaints", "Extended"),
        S.DECIDED: QCoreApplication.translate("Complaints", "Decided"),
        S.REPLY_SENT: QCoreApplication.translate("Complaints", "Reply sent"),
        S.CLOSED: QCoreApplication.translate("Complaints", "Closed"),
        S.REVIEW_REQUESTED: QCoreApplication.translate("Complaints", "Review requested"),
        S.WITHDRAWN: QCoreApplication.translate("Complaints", "Withdrawn"),
        S.MERGED: QCoreApplication.translate("Complaints", "Merged"),
    }


def action_labels() -> dict[str, str]:
    A = ComplaintAction
    return {
        A.SAVE_DRAFT: QCoreApplication.translate("Complaints", "Save as draft"),
        A.SUBMIT: QCoreApplication.translate("Complaints", "Submit"),
        A.ACCEPT: QCoreApplication.translate("Complaints", "Accept"),
        A.INVESTIGATE: QCoreApplication.translate("Complaints", "Investigate"),
        A.EXTEND: QCoreApplication.translate("Complaints", "Extend deadline"),
        A.PAUSE: QCoreApplication.translate("Complaints", "Pause for appraisal"),
        A.RESUME: QCoreApplication.translate("Complaints", "Resume"),
        A.NEW_FACTS: QCoreApplication.translate("Complaints", "New facts"),
        A.ASSIGN: QCoreApplication.translate("Complaints", "Assign handler"),
        A.DECIDE: QCoreApplication.translate("Complaints", "Decide"),
        A.SEND_REPLY: QCoreApplication.translate("Complaints", "Send reply"),
        A.CLOSE: QCoreApplication.translate("Complaints", "Close"),
        A.REQUEST_REVIEW: QCoreApplication.translate("Complaints", "Review requested"),
        A.WITHDRAW: QCoreApplication.translate("Complaints", "Withdraw"),
        A.MERGE: QCoreApplication.translate("Complaints", "Merge into…"),
    }


def term_label(vocab: Vocabulary, code: str | None, language: str) -> str:
    if not code:
        return ""
    term = vocab.term(code)
    return term.zh if language.startswith("zh") else term.en
