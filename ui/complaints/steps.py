"""What each workflow step asks for, and which service call carries it out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.domain.complaints import ComplaintAction
from app.services.actor import Actor
from app.services.complaints import ComplaintService

A = ComplaintAction

# Run(service, actor, complaint id, text, choice) -> None
Run = Callable[[ComplaintService, Actor, int, str, object], None]


@dataclass(frozen=True)
class Step:
    text_label: str
    text_required: bool
    run: Run
    choice_label: str | None = None


def steps() -> dict[ComplaintAction, Step]:
    note = QCoreApplication.translate("Complaints", "Note:")
    return {
        A.ACCEPT: Step(note, False, lambda s, a, i, t, c: s.accept(a, i, t)),
        A.INVESTIGATE: Step(note, False, lambda s, a, i, t, c: s.investigate(a, i, t)),
        A.EXTEND: Step(QCoreApplication.translate("Complaints", "Reason for the extension:"), True,
                       lambda s, a, i, t, c: s.extend(a, i, t)),
        A.PAUSE: Step(QCoreApplication.translate("Complaints", "Appraisal awaited:"), True,
                      lambda s, a, i, t, c: s.pause(a, i, t)),
        A.RESUME: Step(note, False, lambda s, a, i, t, c: s.resume(a, i, t)),
        A.NEW_FACTS: Step(QCoreApplication.translate("Complaints", "New facts:"), True,
                          lambda s, a, i, t, c: s.new_facts(a, i, t)),
        A.ASSIGN: Step(note, False, lambda s, a, i, t, c: s.assign(a, i, int(c), t),  # type: ignore[call-overload]
                       QCoreApplication.translate("Complaints", "Handler:")),
        A.DECIDE: Step(QCoreApplication.translate("Complaints", "Findings and decision:"), True,
                       lambda s, a, i, t, c: s.decide(a, i, t)),
        A.SEND_REPLY: Step(QCoreApplication.translate("Complaints", "Reply given:"), True,
                           lambda s, a, i, t, c: s.send_reply(a, i, str(c), t),
                           QCoreApplication.translate("Complaints", "Reply method:")),
        A.CLOSE: Step(note, False, lambda s, a, i, t, c: s.close(a, i, satisfied=bool(c), note=t),
                      QCoreApplication.translate("Complaints", "Complainant's view:")),
        A.REQUEST_REVIEW: Step(QCoreApplication.translate("Complaints", "Review request:"), True,
                               lambda s, a, i, t, c: s.request_review(a, i, t)),
        A.WITHDRAW: Step(QCoreApplication.translate("Complaints", "Reason for withdrawal:"), True,
                         lambda s, a, i, t, c: s.withdraw(a, i, t)),
        A.MERGE: Step(note, False, lambda s, a, i, t, c: s.merge(a, i, int(c), t),  # type: ignore[call-overload]
                      QCoreApplication.translate("Complaints", "Merge into:")),
    }
