"""Printed complaint documents as PDF bytes: the acknowledgement slip and the written reply."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Branch, Complaint, Counter, User
from app.domain.business_day import utcnow
from app.domain.complaints import DECIDED_STATES, ComplaintStatus
from app.domain.complaints_vocab import BUSINESSES, CHANNELS, REASONS
from app.domain.errors import Conflict, NotFound
from app.domain.roles import Permission
from app.printing.complaint_docs import ComplaintDocData, build_complaint_acknowledgement, build_complaint_reply
from app.services.actor import Actor
from app.services.audit import require
from app.services.complaint_sealing import ComplaintSealer
from app.services.complaints import DEFAULT_POLICY, ComplaintPolicy
from app.services.queue_session import check_branch


class ComplaintDocuments:
    def __init__(self, db: Database, bank_name: str, clock: Callable[[], datetime] = utcnow,
                 policy: ComplaintPolicy = DEFAULT_POLICY, sealer: ComplaintSealer | None = None) -> None:
        self.db = db
        self.bank_name = bank_name
        self.clock = clock
        self.policy = policy
        self.sealer = sealer or ComplaintSealer(db=db)

    def acknowledgement(self, actor: Actor, complaint_id: int, *, complainant_copy: bool = True) -> bytes:
        """The 受理回执 of a submitted complaint (the complainant's copy shows their name)."""
        data = self._data(actor, complaint_id, need_decision=False)
        return build_complaint_acknowledgement(data, complainant_copy=complainant_copy)

    def reply_letter(self, actor: Actor, complaint_id: int) -> bytes:
        """The written reply; only once the complaint has been decided."""
        return build_complaint_reply(self._data(actor, complaint_id, need_decision=True))

    def _data(self, actor: Actor, complaint_id: int, *, need_decision: bool) -> ComplaintDocData:
        require(self.db, actor, Permission.RECORD_COMPLAINT, clock=self.clock)
        with self.db.read() as session:
            complaint = session.get(Complaint, complaint_id)
            if complaint is None:
                raise NotFound(what="Complaint", key=complaint_id)
            check_branch(actor, complaint.branch_id)
            status = ComplaintStatus(complaint.status)
            if complaint.reference is None or complaint.received_on is None:
                raise Conflict(code="complaint_not_submitted",
                               template="Complaint #{complaint} is still a draft; submit it before printing.",
                               complaint=complaint.id)
            if need_decision and status not in DECIDED_STATES:
                raise Conflict(code="complaint_not_decided",
                               template="Complaint {complaint} has no decision yet; the reply letter is "
                                        "printed after the decision.",
                               complaint=complaint.reference)
            branch = session.get(Branch, complaint.branch_id)
            assert branch is not None
            zone = ZoneInfo(branch.timezone)
            return ComplaintDocData(
                bank_name=self.bank_name, branch_name=branch.name, reference=complaint.reference,
                received_on=complaint.received_on, due_on=complaint.due_on,
                complainant_name=complaint.complainant_name or "", complainant_contact=self.sealer.open(
                    "complainant_contact", complaint.complainant_contact),
                complainant_id_number=self.sealer.open("complainant_id_number", complaint.complainant_id_number),
                organisation=complaint.org_name if complaint.complainant_kind == "organisation" else None,
                agent_name=complaint.agent_name, channel=CHANNELS.zh(complaint.channel),
                business=BUSINESSES.zh(complaint.business), reason=REASONS.zh(complaint.reason),
                request=complaint.request or "", facts=complaint.facts or "",
                subject=_subject(session, complaint), subject_staff_name=_name(session, complaint.subject_user_id),
                owner_name=_name(session, complaint.owner_id) or "",
                attachments=json.loads(complaint.attachments or "[]"), issued_at=self.clock().astimezone(zone),
                decide_days=self.policy.deadlines.decide_days, review_days=self.policy.deadlines.review_days,
                decision=complaint.decision, reply_text=complaint.reply_text, decided_on=complaint.decided_on)


def _name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else None


def _subject(session: Session, complaint: Complaint) -> str:
    counter = session.get(Counter, complaint.subject_counter_id) if complaint.subject_counter_id else None
    parts = [counter.name if counter else "", complaint.subject_note or ""]
    return " ".join(p for p in parts if p)
