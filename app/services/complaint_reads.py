"""Reading complaints: the filtered list, one complaint with its timeline, dashboard counts, reveal.

Overdue and due soon follow the one rule of app/domain/complaint_overdue.py (rows) and its SQL
twin app/db/complaint_overdue_sql.py (the list filters and the dashboard counts), on the
branch's today.

Every row and view carries the complainant's and agent's personal values masked (张*,
138****1234, 110101********123X; an organisation's registered name is public and whole).
The full value of one field comes only from :meth:`ComplaintReads.reveal`, which needs
``REVEAL_SENSITIVE`` and a reason and writes its audit entry in the same transaction, as
``CustomerService.reveal`` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.db.complaint_overdue_sql import due_soon_clause, overdue_clause
from app.db.engine import Database
from app.db.models import Complaint, ComplaintEvent, Counter, Ticket, User
from app.domain.business_day import business_day, utcnow
from app.domain.complaint_entry import STORED_FIELDS, ComplaintEntry, entry_of
from app.domain.complaint_notes import outcome_of
from app.domain.complaint_overdue import OPEN_VALUES, due_soon, overdue
from app.domain.complaints import ComplaintAction, ComplaintStatus, allowed_actions
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.masking import mask_name
from app.domain.roles import Permission
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.complaint_sealing import MASKERS, REVEAL_FIELDS, SEALED_FIELDS, ComplaintSealer
from app.services.complaints import DEFAULT_POLICY, ComplaintPolicy
from app.services.queue_session import branch_of, check_branch

MAX_REVEAL_REASON = 500
#: What a complaint's view shows besides its entry (complaint_entry.STORED_FIELDS): the handling so far.
HANDLING_FIELDS = ("decision", "reply_method", "reply_text", "replied_at", "satisfied", "closed_at", "extensions",
                   "clock_start", "merged_into_id", "owner_id", "handler_id")
VIEW_FIELDS = STORED_FIELDS + HANDLING_FIELDS


@dataclass(frozen=True)
class ComplaintFilter:
    status: str | None = None
    overdue: bool = False
    due_within_days: int | None = None  # e.g. 3: open, not overdue, due within that many days
    category: str | None = None
    handler_id: int | None = None
    month: tuple[int, int] | None = None  # (year, month) of receipt
    include_drafts: bool = True


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    reference: str | None
    status: str
    received_on: date | None
    due_on: date | None
    paused: bool
    overdue: bool
    near_due: bool
    complainant: str  # masked (张*), or the organisation's registered name
    category: str | None
    severity: str | None
    channel: str | None
    business: str | None
    reason: str | None
    handler_name: str | None
    owner_name: str | None
    counter_label: str | None
    subject_name: str | None
    decided_on: date | None
    closed: bool


@dataclass(frozen=True)
class ComplaintEventView:
    at: datetime
    action: str
    from_status: str | None
    to_status: str
    user_name: str | None
    note: str | None
    #: The step's outcome apart from its note: the reply method, or satisfied / not_satisfied
    #: (app/domain/complaint_notes.py); None for other steps.
    outcome: str | None = None


def _event_view(event: ComplaintEvent, user_name: str | None) -> ComplaintEventView:
    outcome, note = outcome_of(event.action, event.note)
    return ComplaintEventView(event.at, event.action, event.from_status, event.to_status, user_name, note, outcome)


@dataclass(frozen=True)
class ComplaintView:
    row: ComplaintRow
    branch_id: int
    fields: dict[str, object]  # VIEW_FIELDS by name, the personal ones (complaint_sealing.MASKERS) masked
    attachments: list[str]
    ticket_number: str | None
    events: list[ComplaintEventView] = field(default_factory=list)
    allowed: list[ComplaintAction] = field(default_factory=list)

    @property
    def entry(self) -> ComplaintEntry:
        """The entry as shown (personal values masked): what completing a draft starts from."""
        return entry_of(self.fields, self.attachments)


@dataclass(frozen=True)
class ComplaintCounts:
    """What the lobby dashboard shows for a branch."""

    open: int
    due_soon: int
    overdue: int


class ComplaintReads:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 policy: ComplaintPolicy = DEFAULT_POLICY, sealer: ComplaintSealer | None = None) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy
        self.sealer = sealer or ComplaintSealer(db=db)

    def today(self, session: Session, branch_id: int) -> date:
        return business_day(self.clock(), branch_of(session, branch_id).timezone)

    def list(self, actor: Actor, branch_id: int, where: ComplaintFilter = ComplaintFilter(), *,
             limit: int = 2000) -> list[ComplaintRow]:
        require(self.db, actor, Permission.RECORD_COMPLAINT, clock=self.clock, branch_id=branch_id)
        with self.db.read() as session:
            today = self.today(session, branch_id)
            query = _row_query().where(Complaint.branch_id == branch_id)
            if where.status:
                query = query.where(Complaint.status == where.status)
            elif not where.include_drafts:
                query = query.where(Complaint.status != ComplaintStatus.DRAFT.value)
            if where.overdue:
                query = query.where(overdue_clause(today))
            if where.due_within_days is not None:
                query = query.where(due_soon_clause(today, where.due_within_days))
            if where.category:
                query = query.where(Complaint.category == where.category)
            if where.handler_id is not None:
                query = query.where(Complaint.handler_id == where.handler_id)
            if where.month is not None:
                first = date(where.month[0], where.month[1], 1)
                following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
                query = query.where(Complaint.received_on >= first, Complaint.received_on < following)
            rows = session.execute(query.order_by(Complaint.id.desc()).limit(limit)).all()
            return [self._row(r, today) for r in rows]

    def get(self, actor: Actor, complaint_id: int) -> ComplaintView:
        require(self.db, actor, Permission.RECORD_COMPLAINT, clock=self.clock)
        with self.db.read() as session:
            found = session.execute(_row_query().where(Complaint.id == complaint_id)).first()
            if found is None:
                raise NotFound(what="Complaint", key=complaint_id)
            complaint: Complaint = found[0]
            check_branch(actor, complaint.branch_id)
            today = self.today(session, complaint.branch_id)
            events = session.execute(
                select(ComplaintEvent, User.display_name).outerjoin(User, User.id == ComplaintEvent.user_id)
                .where(ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.id)).all()
            ticket = session.get(Ticket, complaint.ticket_id) if complaint.ticket_id else None
            status = ComplaintStatus(complaint.status)
            return ComplaintView(
                row=self._row(found, today), branch_id=complaint.branch_id,
                fields={name: self.sealer.masked(complaint, name) if name in MASKERS
                        else getattr(complaint, name) for name in VIEW_FIELDS},
                attachments=json.loads(complaint.attachments or "[]"),
                ticket_number=ticket.display_number if ticket else None,
                events=[_event_view(e, name) for e, name in events],
                allowed=allowed_actions(status, paused=complaint.paused_since is not None))

    def reveal(self, actor: Actor, complaint_id: int, field: str, reason: str) -> str:
        """The full value of one personal field (complaint_sealing.REVEAL_FIELDS) of a complaint.

        Needs REVEAL_SENSITIVE and a reason of 1–500 characters; the audit entry (who, when,
        which complaint, which field, why) commits in the same transaction as the read, or the
        value is not returned. Asking for another branch's complaint is refused and audited."""
        require(self.db, actor, Permission.RECORD_COMPLAINT, clock=self.clock)
        require(self.db, actor, Permission.REVEAL_SENSITIVE, clock=self.clock)
        if field not in REVEAL_FIELDS:
            raise ValidationError(field="field", reason="one_of", choices=REVEAL_FIELDS)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError(field="reason", reason="required")
        if len(reason) > MAX_REVEAL_REASON:
            raise ValidationError(field="reason", reason="max_length", limit=MAX_REVEAL_REASON)
        if field in SEALED_FIELDS:
            self.sealer.cipher  # noqa: B018 - read and check the key before the write (complaint_sealing.prepare_for)
        with self.db.write() as session:
            complaint = session.get(Complaint, complaint_id)
            if complaint is None:
                raise NotFound(what="Complaint", key=complaint_id)
            foreign, value = actor.branch_id is not None and actor.branch_id != complaint.branch_id, ""
            if foreign:  # the refusal's entry commits; the value is never read
                record_in(session, actor, AuditAction.PERMISSION_DENIED, at=self.clock(), target_type="complaint",
                          target_id=complaint.id, detail={"permission": Permission.REVEAL_SENSITIVE.value,
                                                          "action": "work for another branch", "field": field})
            else:
                value = self.sealer.plain(complaint, field) or ""  # an empty field: nothing, audited alike
                record_in(session, actor, AuditAction.REVEAL, at=self.clock(), target_type="complaint",
                          target_id=complaint.id, branch_id=complaint.branch_id,
                          detail={"field": field, "reason": reason})
        if foreign:
            raise PermissionDenied(user=actor.username, role=actor.role.value, action="work for another branch")
        return value

    def dashboard_counts(self, branch_id: int) -> ComplaintCounts:
        """Open complaints of the branch, those due within the near-due window, and those overdue.

        No permission check: the dashboard's own service checks VIEW_DASHBOARD before it calls."""
        with self.db.read() as session:
            return self.counts_in(session, branch_id, self.today(session, branch_id))

    def counts_in(self, session: Session, branch_id: int, today: date) -> ComplaintCounts:
        """:meth:`dashboard_counts` inside the caller's transaction (the dashboard's snapshot)."""
        open_count, soon, late = session.execute(select(
            func.count().filter(Complaint.status.in_(OPEN_VALUES)),
            func.count().filter(due_soon_clause(today, self.policy.deadlines.near_due_days)),
            func.count().filter(overdue_clause(today)),
        ).where(Complaint.branch_id == branch_id)).one()
        return ComplaintCounts(open=open_count or 0, due_soon=soon or 0, overdue=late or 0)

    def entry_for_ticket(self, actor: Actor, ticket_id: int) -> ComplaintEntry:
        """A new entry about the service of a ticket: the ticket, its counter and teller filled in."""
        require(self.db, actor, Permission.RECORD_COMPLAINT, clock=self.clock)
        with self.db.read() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFound(what="Ticket", key=ticket_id)
            check_branch(actor, ticket.branch_id)
            return ComplaintEntry(intake="in_person", channel="branch_counter", ticket_id=ticket.id,
                                  subject_counter_id=ticket.counter_id, subject_user_id=ticket.served_by_id,
                                  subject_note=f"排队号 {ticket.display_number}（{ticket.business_day.isoformat()}）")

    def branch_staff(self, branch_id: int) -> list[tuple[int, str]]:
        """(user id, display name) of the branch's active staff, for handler and subject choices."""
        with self.db.read() as session:
            return [(uid, name) for uid, name in session.execute(
                select(User.id, User.display_name).where(User.branch_id == branch_id, User.active.is_(True))
                .order_by(User.id))]

    def branch_counters(self, branch_id: int) -> list[tuple[int, int, str]]:
        """(id, number, name) of each counter, in number order."""
        with self.db.read() as session:
            return [(cid, number, name) for cid, number, name in session.execute(
                select(Counter.id, Counter.number, Counter.name).where(Counter.branch_id == branch_id)
                .order_by(Counter.number))]

    def _row(self, found, today: date) -> ComplaintRow:  # type: ignore[no-untyped-def]
        complaint: Complaint = found[0]
        paused = complaint.paused_since is not None
        late = overdue(complaint.status, complaint.due_on, paused, today)
        near = due_soon(complaint.status, complaint.due_on, paused, today, self.policy.deadlines.near_due_days)
        who = complaint.org_name if complaint.complainant_kind == "organisation" else mask_name(
            complaint.complainant_name)
        return ComplaintRow(
            id=complaint.id, reference=complaint.reference, status=complaint.status,
            received_on=complaint.received_on, due_on=complaint.due_on, paused=paused,
            overdue=late, near_due=near, complainant=who or "", category=complaint.category,
            severity=complaint.severity, channel=complaint.channel, business=complaint.business,
            reason=complaint.reason, handler_name=found[1], owner_name=found[2], counter_label=found[3],
            subject_name=found[4], decided_on=complaint.decided_on,
            closed=complaint.status == ComplaintStatus.CLOSED.value)


def _row_query():  # type: ignore[no-untyped-def]
    handler, owner, subject = aliased(User), aliased(User), aliased(User)
    return (select(Complaint, handler.display_name, owner.display_name, Counter.name, subject.display_name)
            .outerjoin(handler, handler.id == Complaint.handler_id)
            .outerjoin(owner, owner.id == Complaint.owner_id)
            .outerjoin(subject, subject.id == Complaint.subject_user_id)
            .outerjoin(Counter, Counter.id == Complaint.subject_counter_id))
