"""Complaint use cases: entry (draft, submission) and every workflow step, one transaction each.

Each step checks the actor's permission (app/domain/complaints.ACTION_PERMISSION), moves the
state through the domain's transition table, recomputes the due date from the complaint's
clock (app/domain/complaint_deadline.py) and appends a ComplaintEvent (who, when, from, to,
note) in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.complaint_sql import bump_complaint_sequence
from app.db.engine import Database
from app.db.models import Complaint, ComplaintEvent, ComplaintPause, Counter, Ticket, User
from app.domain.business_day import business_day, utcnow
from app.domain.complaint_deadline import ComplaintClock, DeadlinePolicy, Pause
from app.domain.complaint_entry import (
    LONG_LIMIT,
    STORED_FIELDS,
    ComplaintEntry,
    check_for_submission,
    clean,
    clean_text,
)
from app.domain.complaint_notes import close_note, reply_note
from app.domain.complaints import (
    ACTION_PERMISSION,
    ComplaintAction,
    ComplaintStatus,
    check_reference_format,
    next_status,
    review_window_open,
)
from app.domain.complaints_vocab import REPLY_METHODS
from app.domain.errors import Conflict, NotFound, ValidationError
from app.events import TOPIC_COMPLAINTS, publish
from app.services.actor import Actor
from app.services.audit import require
from app.services.complaint_sealing import ComplaintSealer
from app.services.queue_session import branch_of, check_branch
from app.settings import Settings

A, S = ComplaintAction, ComplaintStatus
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ComplaintPolicy:
    deadlines: DeadlinePolicy
    reference_prefix: str = "TS"

    @classmethod
    def from_settings(cls, settings: Settings) -> ComplaintPolicy:
        return cls(DeadlinePolicy(decide_days=settings.get("complaints.decide_days"),
                                  extended_days=settings.get("complaints.extended_days"),
                                  max_days=settings.get("complaints.max_days"),
                                  review_days=settings.get("complaints.review_days"),
                                  near_due_days=settings.get("complaints.near_due_days")),
                   settings.get("complaints.reference_prefix"))


DEFAULT_POLICY = ComplaintPolicy(DeadlinePolicy())


def clock_of(session: Session, complaint: Complaint) -> ComplaintClock:
    pauses = session.scalars(select(ComplaintPause).where(ComplaintPause.complaint_id == complaint.id)
                             .order_by(ComplaintPause.id)).all()
    start = complaint.clock_start or complaint.received_on
    assert start is not None
    return ComplaintClock(start, complaint.extensions,
                          tuple(Pause(p.start_on, p.end_on) for p in pauses if p.start_on >= start or p.end_on is None))


def _note(text: str | None, field: str = "note", *, required: bool = False) -> str | None:
    cleaned = clean_text(text, field, LONG_LIMIT, multiline=True)
    if required and not cleaned:
        raise ValidationError(field=field, reason="required")
    return cleaned


class ComplaintService:
    def __init__(self, db: Database, clock: Clock = utcnow, policy: ComplaintPolicy = DEFAULT_POLICY,
                 sealer: ComplaintSealer | None = None) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy
        self.sealer = sealer or ComplaintSealer(db=db)

    # -- entry --------------------------------------------------------------------------

    def _today(self, branch_id: int) -> date:
        """The branch's business day (an ID number's birth date may not be later)."""
        with self.db.read() as session:
            return business_day(self.clock(), branch_of(session, branch_id).timezone)

    def save_draft(self, actor: Actor, branch_id: int, entry: ComplaintEntry, *,
                   complaint_id: int | None = None) -> int:
        """Create or update a draft (nothing required yet); returns its id."""
        require(self.db, actor, ACTION_PERMISSION[A.SAVE_DRAFT], clock=self.clock, branch_id=branch_id)
        entry = clean(entry, today=self._today(branch_id))
        self.sealer.prepare_for(entry)
        with self.db.write() as session:
            complaint = self._draft(session, actor, branch_id, complaint_id)
            entry = self.sealer.keep_unchanged(complaint, entry)  # a draft completed from its masked view
            self._check_links(session, branch_id, entry)
            _apply(complaint, entry, self.sealer)
            complaint.updated_at = self.clock()
            session.flush()
            self._event(session, actor, complaint, A.SAVE_DRAFT, None if complaint_id is None else S.DRAFT, S.DRAFT)
            publish(session, TOPIC_COMPLAINTS, complaint.branch_id)
            return complaint.id

    def submit(self, actor: Actor, branch_id: int, entry: ComplaintEntry, *, complaint_id: int | None = None,
               received_on: date | None = None) -> str:
        """Enforce the required fields, give the reference number, start the clock; returns the reference."""
        require(self.db, actor, ACTION_PERMISSION[A.SUBMIT], clock=self.clock, branch_id=branch_id)
        entry = check_for_submission(entry, today=self._today(branch_id))
        self.sealer.prepare_for(entry)
        with self.db.write() as session:
            branch = branch_of(session, branch_id)
            today = business_day(self.clock(), branch.timezone)
            received = received_on or today
            if received > today:
                raise ValidationError(field="received_on", reason="not_in_future")
            complaint = self._draft(session, actor, branch_id, complaint_id)
            entry = self.sealer.keep_unchanged(complaint, entry)  # a draft completed from its masked view
            self._check_links(session, branch_id, entry)
            _apply(complaint, entry, self.sealer)
            number = bump_complaint_sequence(session, branch_id, received.year)
            complaint.reference = check_reference_format(self.policy.reference_prefix, received.year, number)
            complaint.status = S.RECEIVED.value
            complaint.received_on = complaint.clock_start = received
            complaint.extensions = 0
            complaint.owner_id = complaint.owner_id or actor.user_id
            complaint.due_on = ComplaintClock(received).due(self.policy.deadlines, today)
            complaint.updated_at = self.clock()
            session.flush()
            self._event(session, actor, complaint, A.SUBMIT, S.DRAFT, S.RECEIVED)
            publish(session, TOPIC_COMPLAINTS, complaint.branch_id)
            return complaint.reference

    # -- workflow -----------------------------------------------------------------------

    def accept(self, actor: Actor, complaint_id: int, note: str | None = None) -> None:
        self._step(actor, complaint_id, A.ACCEPT, _note(note))

    def investigate(self, actor: Actor, complaint_id: int, note: str | None = None) -> None:
        self._step(actor, complaint_id, A.INVESTIGATE, _note(note))

    def extend(self, actor: Actor, complaint_id: int, reason: str) -> None:
        """A supervisor's approval (the actor) and a reason; 15 → 30 → 60 days."""
        reason_text = _note(reason, "extension reason", required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            extended = clock.extend(self.policy.deadlines, reason=reason_text or "", approved_by=actor.username)
            complaint.extensions = extended.extensions
            return extended

        self._step(actor, complaint_id, A.EXTEND, reason_text, change)

    def pause(self, actor: Actor, complaint_id: int, note: str) -> None:
        """Waiting for an outside appraisal from today: the days are not counted."""
        text = _note(note, required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            paused = clock.pause(today)
            session.add(ComplaintPause(complaint_id=complaint.id, start_on=today))
            complaint.paused_since = today
            return paused

        self._step(actor, complaint_id, A.PAUSE, text, change)

    def resume(self, actor: Actor, complaint_id: int, note: str | None = None) -> None:
        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            resumed = clock.resume(today)
            open_pause = session.scalars(select(ComplaintPause).where(
                ComplaintPause.complaint_id == complaint.id, ComplaintPause.end_on.is_(None))).one()
            open_pause.end_on = today
            complaint.paused_since = None
            return resumed

        self._step(actor, complaint_id, A.RESUME, _note(note), change)

    def new_facts(self, actor: Actor, complaint_id: int, facts: str) -> None:
        """New facts from the complainant: appended to the facts, and the clock starts again today."""
        text = _note(facts, "facts", required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            combined = f"{complaint.facts or ''}\n[{today.isoformat()}] {text}".strip()
            complaint.facts = clean_text(combined, "facts", LONG_LIMIT * 4, multiline=True)
            restarted = clock.restart(today)
            for pause in session.scalars(select(ComplaintPause).where(
                    ComplaintPause.complaint_id == complaint.id, ComplaintPause.end_on.is_(None))):
                pause.start_on = today
            complaint.clock_start = today
            return restarted

        self._step(actor, complaint_id, A.NEW_FACTS, text, change)

    def assign(self, actor: Actor, complaint_id: int, handler_id: int, note: str | None = None) -> None:
        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            handler = session.get(User, handler_id)
            if handler is None or not handler.active or handler.branch_id not in (None, complaint.branch_id):
                raise ValidationError(field="handler", reason="not_branch_user")
            complaint.handler_id = handler.id
            return clock

        self._step(actor, complaint_id, A.ASSIGN, _note(note), change)

    def decide(self, actor: Actor, complaint_id: int, decision: str) -> None:
        text = _note(decision, "decision", required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            if clock.paused:
                raise Conflict(code="complaint_paused",
                               template="Complaint {complaint} is waiting for an appraisal; resume it first.",
                               complaint=complaint.reference)
            complaint.decision = text
            complaint.decided_on = today
            return clock

        self._step(actor, complaint_id, A.DECIDE, text, change)

    def send_reply(self, actor: Actor, complaint_id: int, method: str, text: str) -> None:
        """The reply given to the complainant, written (printed letter) or by phone, with its text."""
        method_code = REPLY_METHODS.validate(method)
        body = _note(text, "reply text", required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            complaint.reply_method, complaint.reply_text, complaint.replied_at = method_code, body, self.clock()
            return clock

        self._step(actor, complaint_id, A.SEND_REPLY, reply_note(method_code, body), change)

    def close(self, actor: Actor, complaint_id: int, *, satisfied: bool, note: str | None = None) -> None:
        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            complaint.satisfied, complaint.closed_at = bool(satisfied), self.clock()
            return clock

        self._step(actor, complaint_id, A.CLOSE, close_note(bool(satisfied), _note(note)), change)

    def request_review(self, actor: Actor, complaint_id: int, note: str) -> None:
        """The complainant's written request for review, within the review window after the decision."""
        text = _note(note, required=True)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            assert complaint.decided_on is not None
            if not review_window_open(complaint.decided_on, today, self.policy.deadlines.review_days):
                raise Conflict(code="complaint_review_late",
                               template="The review window of {days} days after the decision has passed.",
                               days=self.policy.deadlines.review_days)
            return clock

        self._step(actor, complaint_id, A.REQUEST_REVIEW, text, change)

    def withdraw(self, actor: Actor, complaint_id: int, note: str) -> None:
        self._step(actor, complaint_id, A.WITHDRAW, _note(note, required=True))

    def merge(self, actor: Actor, repeat_id: int, into_id: int, note: str | None = None) -> None:
        """Fold a repeat of the same complaint into the earlier one; the earlier one's clock is kept."""
        if repeat_id == into_id:
            raise ValidationError(field="merge target", reason="same_complaint")
        text = _note(note)

        def change(complaint: Complaint, clock: ComplaintClock, today: date, session: Session) -> ComplaintClock:
            target = self._load(session, actor, into_id)
            if target.branch_id != complaint.branch_id or target.status in (
                    S.DRAFT.value, S.WITHDRAWN.value, S.MERGED.value):
                raise ValidationError(field="merge target", reason="not_open_complaint")
            complaint.merged_into_id = target.id
            extra = [a for a in json.loads(complaint.attachments or "[]")
                     if a not in json.loads(target.attachments or "[]")]
            target.attachments = json.dumps(json.loads(target.attachments or "[]") + extra, ensure_ascii=False)
            target.updated_at = self.clock()
            self._event(session, actor, target, A.MERGE, S(target.status), S(target.status),
                        f"{self._label(complaint)} merged" + (f": {text}" if text else ""))
            return clock

        self._step(actor, repeat_id, A.MERGE, f"→ {into_id}" + (f": {text}" if text else ""), change)

    # -- internals ----------------------------------------------------------------------

    def _step(self, actor: Actor, complaint_id: int, action: ComplaintAction, note: str | None,
              change: Callable[[Complaint, ComplaintClock, date, Session], ComplaintClock] | None = None) -> None:
        require(self.db, actor, ACTION_PERMISSION[action], clock=self.clock)
        with self.db.write() as session:
            complaint = self._load(session, actor, complaint_id, lock=True)
            before = S(complaint.status)
            after = next_status(self._label(complaint), before, action)
            today = business_day(self.clock(), branch_of(session, complaint.branch_id).timezone)
            if complaint.received_on is None:  # a draft: only merge reaches here
                clock = ComplaintClock(today)
            else:
                clock = clock_of(session, complaint)
            if change is not None:
                clock = change(complaint, clock, today, session)
            complaint.status = after.value
            if complaint.received_on is not None:
                complaint.due_on = clock.due(self.policy.deadlines, clock.pauses[-1].start if clock.paused else today)
            complaint.updated_at = self.clock()
            self._event(session, actor, complaint, action, before, after, note)
            publish(session, TOPIC_COMPLAINTS, complaint.branch_id)

    def _event(self, session: Session, actor: Actor, complaint: Complaint, action: ComplaintAction,
               before: ComplaintStatus | None, after: ComplaintStatus, note: str | None = None) -> None:
        session.add(ComplaintEvent(complaint_id=complaint.id, branch_id=complaint.branch_id, at=self.clock(),
                                   action=action.value, from_status=before.value if before else None,
                                   to_status=after.value, user_id=actor.user_id, note=note))

    def _load(self, session: Session, actor: Actor, complaint_id: int, *, lock: bool = False) -> Complaint:
        query = select(Complaint).where(Complaint.id == complaint_id)
        complaint = session.scalars(query.with_for_update() if lock else query).first()
        if complaint is None:
            raise NotFound(what="Complaint", key=complaint_id)
        check_branch(actor, complaint.branch_id)
        return complaint

    def _draft(self, session: Session, actor: Actor, branch_id: int, complaint_id: int | None) -> Complaint:
        if complaint_id is None:
            branch_of(session, branch_id)
            now = self.clock()
            complaint = Complaint(branch_id=branch_id, status=S.DRAFT.value, owner_id=actor.user_id,
                                  created_at=now, updated_at=now, extensions=0, attachments="[]")
            session.add(complaint)
            return complaint
        complaint = self._load(session, actor, complaint_id, lock=True)
        if complaint.branch_id != branch_id or complaint.status != S.DRAFT.value:
            raise Conflict(code="complaint_not_draft", template="Complaint {complaint} is no longer a draft.",
                           complaint=self._label(complaint))
        return complaint

    @staticmethod
    def _check_links(session: Session, branch_id: int, entry: ComplaintEntry) -> None:
        """The staff member, counter and ticket complained about must exist in this branch."""
        for field, model, attr in (("subject_user_id", User, "branch_id"), ("subject_counter_id", Counter, "branch_id"),
                                   ("ticket_id", Ticket, "branch_id")):
            key = getattr(entry, field)
            if key is None:
                continue
            row = session.get(model, key)
            if row is None or getattr(row, attr) not in (branch_id, None):
                raise ValidationError(field=field, reason="invalid_record")

    @staticmethod
    def _label(complaint: Complaint) -> str:
        return complaint.reference or f"#{complaint.id}"


def _apply(complaint: Complaint, entry: ComplaintEntry, sealer: ComplaintSealer) -> None:
    for name in STORED_FIELDS:
        setattr(complaint, name, getattr(entry, name))
    sealer.seal(complaint)
    complaint.attachments = json.dumps(list(entry.attachments), ensure_ascii=False)
