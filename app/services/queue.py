"""Queue use cases: issue, call next, recall, start, finish, no-show; lists for the panes.

Each public method is one transaction. Every state change appends a TicketEvent and
publishes a change notification that other workstations receive after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.db.engine import Database
from app.db.models import Branch, BusinessType, Counter, Ticket, TicketEvent
from app.db.queue_sql import bump_ticket_sequence, claim_next_waiting
from app.domain.business_day import business_day, utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.roles import Permission
from app.domain.tickets import ACTIVE_STATES, TicketAction, TicketStatus, format_ticket_number, next_status
from app.domain.wait_estimate import estimate_wait_minutes
from app.events import TOPIC_QUEUE, publish
from app.services.actor import Actor


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    business_code: str
    business_name_zh: str
    business_name_en: str
    status: TicketStatus
    business_day: date
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    counter_number: int | None
    call_count: int
    waiting_ahead: int | None = None
    estimated_wait_minutes: int | None = None

    def business_name(self, language: str) -> str:
        return self.business_name_zh if language.startswith("zh") else self.business_name_en


@dataclass(frozen=True)
class WaitingCount:
    business_code: str
    business_name_zh: str
    business_name_en: str
    waiting: int


def _view(ticket: Ticket, *, ahead: int | None = None, estimate: int | None = None) -> TicketView:
    bt = ticket.business_type
    return TicketView(
        id=ticket.id, number=ticket.display_number, business_code=bt.code, business_name_zh=bt.name_zh,
        business_name_en=bt.name_en, status=TicketStatus(ticket.status), business_day=ticket.business_day,
        issued_at=ticket.issued_at, called_at=ticket.called_at, started_at=ticket.started_at,
        finished_at=ticket.finished_at, counter_number=ticket.counter.number if ticket.counter else None,
        call_count=ticket.call_count, waiting_ahead=ahead, estimated_wait_minutes=estimate,
    )


class QueueService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- issuing ---------------------------------------------------------------------

    def issue_ticket(self, actor: Actor, branch_id: int, business_code: str) -> TicketView:
        actor.require(Permission.ISSUE_TICKET)
        self._check_branch(actor, branch_id)
        now = self.clock()
        with self.db.write() as session:
            branch = self._branch(session, branch_id)
            bt = session.scalar(select(BusinessType).where(BusinessType.code == business_code, BusinessType.active))
            if bt is None:
                raise NotFound(what="Business type", key=business_code)
            day = business_day(now, branch.timezone)
            number = bump_ticket_sequence(session, branch_id, day, bt.prefix)
            ticket = Ticket(branch_id=branch_id, business_type_id=bt.id, business_day=day, prefix=bt.prefix,
                            number=number, display_number=format_ticket_number(bt.prefix, number),
                            status=TicketStatus.WAITING.value, issued_at=now, issued_by_id=actor.user_id,
                            call_count=0)
            ticket.business_type = bt
            session.add(ticket)
            session.flush()
            self._append_event(session, ticket, TicketAction.ISSUE.value, None, actor, None, now)
            publish(session, TOPIC_QUEUE, branch_id)
            return self._view_with_position(session, ticket)

    # -- counter actions -------------------------------------------------------------

    def call_next(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView | None:
        """Claim the longest-waiting ticket for this counter; None when nobody waits."""
        actor.require(Permission.SERVE_AT_COUNTER)
        self._check_branch(actor, branch_id)
        now = self.clock()
        try:
            with self.db.write() as session:
                counter = self._counter(session, branch_id, counter_number)
                active = self._active_ticket(session, counter)
                if active is not None:
                    raise Conflict(code="counter_busy",
                                   template="Counter {counter} is still serving {ticket}; finish it or mark it a no-show first.",
                                   counter=counter_number, ticket=active.display_number)
                day = business_day(now, self._branch(session, branch_id).timezone)
                type_ids = list(session.scalars(select(BusinessType.id).where(BusinessType.active)))
                ticket = claim_next_waiting(session, branch_id, day, type_ids)
                if ticket is None:
                    return None
                self._move(session, ticket, TicketAction.CALL, actor, counter, now)
                ticket.counter_id = counter.id
                ticket.counter = counter
                ticket.called_at = now
                ticket.served_by_id = actor.user_id
                ticket.call_count = 1
                publish(session, TOPIC_QUEUE, branch_id)
                return _view(ticket)
        except IntegrityError:
            # Two workstations pressed "call next" for the same counter at the same moment:
            # the unique index on active tickets per counter let exactly one through.
            raise Conflict(code="counter_busy_race",
                           template="Counter {counter} was given a ticket by another workstation at the same moment.",
                           counter=counter_number) from None

    def recall(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        return self._counter_action(actor, branch_id, counter_number, TicketAction.RECALL)

    def start(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        return self._counter_action(actor, branch_id, counter_number, TicketAction.START)

    def finish(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        return self._counter_action(actor, branch_id, counter_number, TicketAction.FINISH)

    def no_show(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        return self._counter_action(actor, branch_id, counter_number, TicketAction.NO_SHOW)

    def _counter_action(self, actor: Actor, branch_id: int, counter_number: int, action: TicketAction) -> TicketView:
        actor.require(Permission.SERVE_AT_COUNTER)
        self._check_branch(actor, branch_id)
        now = self.clock()
        with self.db.write() as session:
            counter = self._counter(session, branch_id, counter_number)
            # Locked: a second workstation acting on this ticket waits, then sees the new state.
            ticket = self._active_ticket(session, counter, lock=True)
            if ticket is None:
                raise Conflict(code="counter_idle", template="Counter {counter} has no called ticket.",
                               counter=counter_number)
            self._move(session, ticket, action, actor, counter, now)
            if action is TicketAction.RECALL:
                ticket.call_count += 1
                ticket.called_at = now
            elif action is TicketAction.START:
                ticket.started_at = now
            else:
                ticket.finished_at = now
            publish(session, TOPIC_QUEUE, branch_id)
            return _view(ticket)

    # -- reading ---------------------------------------------------------------------

    def current_ticket(self, branch_id: int, counter_number: int) -> TicketView | None:
        with self.db.read() as session:
            counter = self._counter(session, branch_id, counter_number)
            ticket = self._active_ticket(session, counter)
            return _view(ticket) if ticket else None

    def list_tickets(self, branch_id: int, *, status: TicketStatus | None = None,
                     day: date | None = None) -> list[TicketView]:
        """Tickets of one business day (today in the branch's zone by default), oldest first."""
        with self.db.read() as session:
            branch = self._branch(session, branch_id)
            day = day or business_day(self.clock(), branch.timezone)
            statement = (select(Ticket).options(joinedload(Ticket.business_type), joinedload(Ticket.counter))
                         .where(Ticket.branch_id == branch_id, Ticket.business_day == day)
                         .order_by(Ticket.issued_at, Ticket.id))
            if status is not None:
                statement = statement.where(Ticket.status == status.value)
            return [_view(t) for t in session.scalars(statement)]

    def get_ticket(self, branch_id: int, number: str, day: date | None = None) -> TicketView:
        """A ticket of the day by its number; a waiting one comes with its place and estimated wait."""
        with self.db.read() as session:
            branch = self._branch(session, branch_id)
            day = day or business_day(self.clock(), branch.timezone)
            ticket = session.scalar(select(Ticket).where(Ticket.branch_id == branch_id, Ticket.business_day == day,
                                                         Ticket.display_number == number.strip().upper()))
            if ticket is None:
                raise NotFound(what="Ticket", key=number)
            return self._view_with_position(session, ticket)

    def waiting_counts(self, branch_id: int) -> list[WaitingCount]:
        with self.db.read() as session:
            branch = self._branch(session, branch_id)
            day = business_day(self.clock(), branch.timezone)
            rows = session.execute(
                select(BusinessType.code, BusinessType.name_zh, BusinessType.name_en, func.count(Ticket.id))
                .join(Ticket, Ticket.business_type_id == BusinessType.id)
                .where(Ticket.branch_id == branch_id, Ticket.business_day == day,
                       Ticket.status == TicketStatus.WAITING.value)
                .group_by(BusinessType.code, BusinessType.name_zh, BusinessType.name_en, BusinessType.sort_order)
                .order_by(BusinessType.sort_order))
            return [WaitingCount(*row) for row in rows]

    def events_of(self, ticket_id: int) -> list[TicketEvent]:
        with self.db.read() as session:
            return list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                        .order_by(TicketEvent.id)))

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _view_with_position(session: Session, ticket: Ticket) -> TicketView:
        """The ticket with the people ahead of it and the estimated wait, while it waits."""
        if ticket.status != TicketStatus.WAITING.value:
            return _view(ticket)
        ahead = session.scalar(
            select(func.count()).select_from(Ticket).where(
                Ticket.branch_id == ticket.branch_id, Ticket.business_day == ticket.business_day,
                Ticket.status == TicketStatus.WAITING.value, Ticket.business_type_id == ticket.business_type_id,
                Ticket.id != ticket.id, Ticket.issued_at <= ticket.issued_at)) or 0
        open_counters = session.scalar(
            select(func.count()).select_from(Counter).where(Counter.branch_id == ticket.branch_id, Counter.active))
        estimate = estimate_wait_minutes(ahead, ticket.business_type.target_minutes, open_counters or 0)
        return _view(ticket, ahead=ahead, estimate=estimate)

    @staticmethod
    def _check_branch(actor: Actor, branch_id: int) -> None:
        if actor.branch_id is not None and actor.branch_id != branch_id:
            raise PermissionDenied(user=actor.username, role=actor.role.value, action="work for another branch")

    @staticmethod
    def _branch(session: Session, branch_id: int) -> Branch:
        branch = session.get(Branch, branch_id)
        if branch is None:
            raise NotFound(what="Branch", key=branch_id)
        return branch

    @staticmethod
    def _counter(session: Session, branch_id: int, number: int) -> Counter:
        counter = session.scalar(select(Counter).where(Counter.branch_id == branch_id, Counter.number == number))
        if counter is None or not counter.active:
            raise NotFound(what="Counter", key=number)
        return counter

    @staticmethod
    def _active_ticket(session: Session, counter: Counter, *, lock: bool = False) -> Ticket | None:
        """The counter's called-or-serving ticket. ``lock``: FOR UPDATE on PostgreSQL, so two
        workstations racing on one ticket apply one after the other, the second re-checking
        the state the first left (on SQLite, BEGIN IMMEDIATE already serialises them)."""
        statement = (select(Ticket).options(joinedload(Ticket.business_type), joinedload(Ticket.counter))
                     .where(Ticket.counter_id == counter.id,
                            Ticket.status.in_([s.value for s in ACTIVE_STATES])))
        if lock:
            statement = statement.with_for_update(of=Ticket)
        return session.scalar(statement)

    def _move(self, session: Session, ticket: Ticket, action: TicketAction, actor: Actor, counter: Counter,
              now: datetime) -> None:
        current = TicketStatus(ticket.status)
        target = next_status(ticket.display_number, current, action)
        ticket.status = target.value
        self._append_event(session, ticket, action.value, current, actor, counter, now)

    @staticmethod
    def _append_event(session: Session, ticket: Ticket, action: str, from_status: TicketStatus | None,
                      actor: Actor, counter: Counter | None, now: datetime, *, reason: str | None = None) -> None:
        session.add(TicketEvent(ticket_id=ticket.id, branch_id=ticket.branch_id, at=now,
                                action=action,
                                from_status=from_status.value if from_status else None,
                                to_status=ticket.status, user_id=actor.user_id,
                                counter_id=counter.id if counter else None, reason=reason))
