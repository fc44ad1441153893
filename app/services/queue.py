"""Queue use cases: issue a ticket, and everything a counter does with one.

Each public method is one transaction. Every state change appends a TicketEvent and
publishes a change notification that other workstations receive after commit. Reading
(lists, previews, estimates, the calls feed) lives in app/services/queue_reads.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import BusinessType, Counter, Ticket, TicketEvent
from app.db.queue_sql import bump_ticket_sequence, claim_in_call_order, lock_waiting_ticket, serialise_call_events
from app.domain.business_day import business_day, utcnow
from app.domain.errors import Conflict, DatabaseUnavailable, DomainError, NotFound, ValidationError
from app.domain.identity import parse_resident_id
from app.domain.priority import PriorityClass, age_priority, rank_of, update_recent_average
from app.domain.roles import Permission
from app.domain.tickets import (
    ServiceOutcome,
    TicketAction,
    TicketStatus,
    TransferPosition,
    check_no_show_allowed,
    format_ticket_number,
    next_status,
    require_reason,
)
from app.events import TOPIC_QUEUE, publish
from app.keys import FieldCipher
from app.services.data_keys import open_cipher
from app.services.audit import require
from app.services.checklist_state import require_checklist_complete
from app.services.customers.service import known_customer
from app.services.actor import Actor
from app.services.queue_policy import QueuePolicy
from app.services.queue_reads import QueueReads, TicketView, WaitingCount, view_of
from app.services.queue_session import branch_of, counter_matrix, counter_of, locked_active_ticket, require_idle

__all__ = ["QueueService", "TicketView", "WaitingCount"]

COUNTER_OPEN = "open"

log = logging.getLogger(__name__)


class QueueService(QueueReads):
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 policy: QueuePolicy | None = None, key_file: str = "", cipher: FieldCipher | None = None) -> None:
        """``key_file``: the workstation's data key (setting ``customers.key_file``), to recognise a
        customer by ID number at the kiosk; without a key nobody is recognised. Once read, the key is
        kept (as CustomerService does): after a key rotation a workstation finds the re-encrypted
        customers from its next sign-in, a kiosk from its next start."""
        super().__init__(db, clock, policy)
        self._key_file = key_file
        self._cipher: FieldCipher | None = cipher
        self._cipher_lock = threading.Lock()
        self._missing_key_reported = False

    def _customer_cipher(self) -> FieldCipher | None:
        with self._cipher_lock:  # kiosk and GUI jobs may issue at the same moment
            if self._cipher is None:
                try:
                    self._cipher = open_cipher(self.db, self._key_file, create=False)
                except DomainError as refusal:  # no key, or not this database's: recognise nobody
                    if not self._missing_key_reported:
                        self._missing_key_reported = True
                        log.warning("customers are not recognised at the kiosk: %s", refusal.message)
                    return None
            return self._cipher

    # -- issuing ---------------------------------------------------------------------

    def issue_ticket(self, actor: Actor, branch_id: int, business_code: str, *,
                     priority: PriorityClass | str = PriorityClass.NORMAL,
                     resident_id: str | None = None) -> TicketView:
        """Issue the next number of the day for a business type.

        ``resident_id`` identifies the customer at the kiosk: from the configured age on
        they are served through the green channel (never lower than ``priority``)."""
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        if resident_id:
            self._customer_cipher()  # read and check the key before the write lock is taken
        with self.db.write() as session:
            branch = branch_of(session, branch_id)
            chosen, customer_id = self._priority_for(PriorityClass(priority), resident_id, now, branch.timezone)
            ticket = self.new_ticket_in(session, actor, branch_id, business_code, chosen, now, branch.timezone)
            ticket.customer_id = customer_id  # the counter then knows whom it serves
            publish(session, TOPIC_QUEUE, branch_id)
            session.flush()
            issued = view_of(ticket)
        # The place in the queue and the wait are read after the commit: every kiosk and lobby
        # issue shares one write lock, which need not wait for the estimate. The ticket exists
        # now: should the database go away in between, it is returned without its wait rather
        # than reported as not issued (the kiosk would leave the customer without a number).
        try:
            with self.db.read() as session:
                return self.position_view_in(session, session.get_one(Ticket, issued.id))
        except DatabaseUnavailable as error:
            log.warning("ticket %s issued; its place in the queue could not be read: %s", issued.number,
                        error.message)
            return issued

    def _priority_for(self, priority: PriorityClass, resident_id: str | None, now: datetime,
                      zone: str) -> tuple[PriorityClass, int | None]:
        """The ticket's priority, and the known customer holding ``resident_id`` (if any)."""
        if not resident_id:
            return priority, None
        today = business_day(now, zone)
        identity = parse_resident_id(resident_id, today=today)
        cipher = self._customer_cipher()
        known = known_customer(self.db, identity.number, cipher) if cipher is not None else None
        customer_id = known[0] if known else None
        by_age = age_priority(identity.birth_date, today, self.policy.elderly_age)  # as the kiosk was told
        if rank_of(by_age) > rank_of(priority):
            return by_age, customer_id
        if known is not None and rank_of(known[1]) > rank_of(priority):  # a known VIP customer's tier
            return known[1], customer_id
        return priority, customer_id

    def new_ticket_in(self, session: Session, actor: Actor, branch_id: int, business_code: str,
                      priority: PriorityClass, now: datetime, zone: str) -> Ticket:
        """Issue inside the caller's transaction (appointment check-in issues this way)."""
        bt = session.scalar(select(BusinessType).where(BusinessType.code == business_code, BusinessType.active))
        if bt is None:
            raise NotFound(what="Business type", key=business_code)
        day = business_day(now, zone)
        number = bump_ticket_sequence(session, branch_id, day, bt.prefix)
        ticket = Ticket(branch_id=branch_id, business_type_id=bt.id, business_day=day, prefix=bt.prefix,
                        number=number, display_number=format_ticket_number(bt.prefix, number),
                        status=TicketStatus.WAITING.value, issued_at=now, issued_by_id=actor.user_id,
                        call_count=0, priority=priority.value, arrival_at=now, queued_at=now, segment=1)
        ticket.business_type = bt
        session.add(ticket)
        session.flush()
        self._append_event(session, ticket, TicketAction.ISSUE.value, None, actor, None, now,
                           reason=None if priority is PriorityClass.NORMAL else f"priority {priority.value}")
        return ticket

    # -- calling ---------------------------------------------------------------------

    def call_next(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView | None:
        """Claim the ticket this counter should serve next (see app/domain/priority.py); None when none waits."""
        return self._calling(actor, branch_id, counter_number, self._claim_next)

    def call_ticket(self, actor: Actor, branch_id: int, counter_number: int, number: str,
                    reason: str | None) -> TicketView:
        """Call a particular waiting ticket out of order; the reason is recorded with the call."""
        text = require_reason(reason)

        def claim(session: Session, counter: Counter, now: datetime) -> Ticket | None:
            day = business_day(now, branch_of(session, branch_id).timezone)
            wanted = session.scalar(select(Ticket.id).where(
                Ticket.branch_id == branch_id, Ticket.business_day == day,
                Ticket.display_number == number.strip().upper(), Ticket.status == TicketStatus.WAITING.value))
            ticket = lock_waiting_ticket(session, wanted) if wanted is not None else None
            if ticket is None:
                raise Conflict(code="ticket_not_waiting", template="Ticket {ticket} is not waiting.",
                               ticket=number.strip().upper())
            return ticket

        called = self._calling(actor, branch_id, counter_number, claim, reason=f"out of order: {text}")
        assert called is not None
        return called

    def _calling(self, actor: Actor, branch_id: int, counter_number: int,
                 claim: Callable[[Session, Counter, datetime], Ticket | None], *,
                 reason: str | None = None) -> TicketView | None:
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        try:
            with self.db.write() as session:
                counter = counter_of(session, branch_id, counter_number)
                self._require_open(counter)
                require_idle(session, counter)
                ticket = claim(session, counter, now)
                if ticket is None:
                    return None
                serialise_call_events(session, branch_id)  # before the call event is written
                self._move(session, ticket, TicketAction.CALL, actor, counter, now, reason=reason)
                ticket.counter_id = counter.id
                ticket.counter = counter
                ticket.called_at = now
                ticket.served_by_id = actor.user_id
                ticket.call_count = 1
                publish(session, TOPIC_QUEUE, branch_id)
                return view_of(ticket)
        except IntegrityError:
            # Two workstations called to the same counter at the same moment: the unique
            # index on active tickets per counter let exactly one through.
            raise Conflict(code="counter_busy_race",
                           template="Counter {counter} was given a ticket by another workstation at the same moment.",
                           counter=counter_number) from None

    def _claim_next(self, session: Session, counter: Counter, now: datetime) -> Ticket | None:
        day = business_day(now, branch_of(session, counter.branch_id).timezone)
        return claim_in_call_order(session, counter.branch_id, day, counter.id, counter_matrix(session, counter.id),
                                   now, self.policy.starvation_minutes)

    @staticmethod
    def _require_open(counter: Counter) -> None:
        if counter.state != COUNTER_OPEN:
            raise Conflict(code="counter_not_open", template="Counter {counter} is {state}; resume it first.",
                           counter=counter.number, state=counter.state)

    # -- the counter's ticket ----------------------------------------------------------

    def recall(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        def apply(ticket: Ticket, now: datetime, session: Session) -> None:
            serialise_call_events(session, branch_id)  # before the recall event is written
            ticket.call_count += 1
            ticket.called_at = now
        return self._on_current(actor, branch_id, counter_number, TicketAction.RECALL, apply)

    def start(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        return self._on_current(actor, branch_id, counter_number, TicketAction.START,
                                lambda ticket, now, _session: setattr(ticket, "started_at", now))

    def finish(self, actor: Actor, branch_id: int, counter_number: int, *,
               outcome: ServiceOutcome | str = ServiceOutcome.COMPLETED, note: str | None = None) -> TicketView:
        try:
            code = ServiceOutcome(outcome)
        except ValueError:
            raise ValidationError(field="outcome", reason="unknown_outcome", outcome=str(outcome)) from None
        if note is not None and len(note) > 2000:
            raise ValidationError(field="note", reason="max_length", limit=2000)

        def apply(ticket: Ticket, now: datetime, session: Session) -> None:
            require_checklist_complete(session, ticket, code)
            ticket.finished_at = now
            ticket.outcome = code.value
            ticket.note = (note or "").strip() or None
            self._learn_service_time(session, ticket, now)
        return self._on_current(actor, branch_id, counter_number, TicketAction.FINISH, apply)

    def no_show(self, actor: Actor, branch_id: int, counter_number: int) -> TicketView:
        def apply(ticket: Ticket, now: datetime, _session: Session) -> None:
            check_no_show_allowed(ticket.display_number, ticket.call_count, self.policy.recalls_before_no_show)
            ticket.finished_at = now
        return self._on_current(actor, branch_id, counter_number, TicketAction.NO_SHOW, apply)

    def requeue(self, actor: Actor, branch_id: int, counter_number: int, reason: str | None = None) -> TicketView:
        """Put the called ticket back in the queue at its old place (e.g. the customer stepped out)."""
        def apply(ticket: Ticket, _now: datetime, _session: Session) -> None:
            ticket.counter_id = None
            ticket.counter = None
            ticket.served_by_id = None
            ticket.called_at = None
            ticket.call_count = 0
        return self._on_current(actor, branch_id, counter_number, TicketAction.REQUEUE, apply, reason=reason)

    def park(self, actor: Actor, branch_id: int, counter_number: int, reason: str | None = None) -> TicketView:
        """Set the ticket aside with this counter (customer fetching a document) and free the counter."""
        return self._on_current(actor, branch_id, counter_number, TicketAction.PARK, lambda *_: None,
                                reason=reason)

    def resume(self, actor: Actor, branch_id: int, counter_number: int, number: str) -> TicketView:
        """Take a parked ticket back; the counter must be open and free."""
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        with self.db.write() as session:
            counter = counter_of(session, branch_id, counter_number)
            self._require_open(counter)
            require_idle(session, counter)
            ticket = session.scalar(select(Ticket).where(
                Ticket.counter_id == counter.id, Ticket.status == TicketStatus.PARKED.value,
                Ticket.display_number == number.strip().upper()).with_for_update(of=Ticket))
            if ticket is None:
                raise NotFound(what="Parked ticket", key=number)
            self._move(session, ticket, TicketAction.RESUME, actor, counter, now)
            ticket.served_by_id = actor.user_id
            ticket.started_at = ticket.started_at or now
            publish(session, TOPIC_QUEUE, branch_id)
            return view_of(ticket)

    def transfer(self, actor: Actor, branch_id: int, counter_number: int, *, to_business: str | None = None,
                 to_counter: int | None = None, position: TransferPosition | str = TransferPosition.ARRIVAL,
                 reason: str | None = None) -> TicketView:
        """End this service and queue the same visit for another business type and/or counter.

        The customer keeps the ticket number; the new segment queues at the front, at the
        end, or by the visit's original arrival time. Returns the new, waiting segment."""
        if to_business is None and to_counter is None:
            raise ValidationError(field="transfer target", reason="transfer_target_missing")
        try:
            where = TransferPosition(position)
        except ValueError:
            raise ValidationError(field="position", reason="queue_position") from None
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        with self.db.write() as session:
            counter = counter_of(session, branch_id, counter_number)
            ticket = locked_active_ticket(session, counter)
            bt = ticket.business_type
            if to_business is not None:
                bt = session.scalar(select(BusinessType).where(BusinessType.code == to_business,
                                                               BusinessType.active))
                if bt is None:
                    raise NotFound(what="Business type", key=to_business)
            target = counter_of(session, branch_id, to_counter) if to_counter is not None else None
            self._move(session, ticket, TicketAction.TRANSFER, actor, counter, now, reason=reason)
            ticket.finished_at = now
            self._learn_service_time(session, ticket, now)
            visit_id = ticket.visit_id or ticket.id
            segment = (session.scalar(select(func.max(Ticket.segment)).where(
                or_(Ticket.visit_id == visit_id, Ticket.id == visit_id))) or 1) + 1
            follow = Ticket(branch_id=branch_id, business_type_id=bt.id, business_day=ticket.business_day,
                            prefix=ticket.prefix, number=ticket.number, display_number=ticket.display_number,
                            status=TicketStatus.WAITING.value, issued_at=now, issued_by_id=actor.user_id,
                            call_count=0, priority=ticket.priority, arrival_at=ticket.arrival_at,
                            queued_at=self._queued_at(session, where, ticket, bt.id, target, now),
                            visit_id=visit_id, segment=segment,
                            target_counter_id=target.id if target else None)
            follow.business_type = bt
            session.add(follow)
            session.flush()
            self._append_event(session, follow, TicketAction.ISSUE.value, None, actor, counter, now,
                               reason=f"transferred from {ticket.business_type.code} ({where.value})")
            publish(session, TOPIC_QUEUE, branch_id)
            return self.position_view_in(session, follow)

    @staticmethod
    def _queued_at(session: Session, where: TransferPosition, ticket: Ticket, business_type_id: int,
                   target: Counter | None, now: datetime) -> datetime:
        if where is TransferPosition.END:
            return now
        if where is TransferPosition.ARRIVAL:
            return ticket.arrival_at
        same_queue = (Ticket.target_counter_id == target.id) if target is not None else \
            (Ticket.business_type_id == business_type_id)
        earliest = session.scalar(select(func.min(Ticket.queued_at)).where(
            Ticket.branch_id == ticket.branch_id, Ticket.business_day == ticket.business_day,
            Ticket.status == TicketStatus.WAITING.value, same_queue))
        return min(earliest - timedelta(seconds=1), now) if earliest is not None else now

    def _on_current(self, actor: Actor, branch_id: int, counter_number: int, action: TicketAction,
                    apply: Callable[[Ticket, datetime, Session], None], *,
                    reason: str | None = None) -> TicketView:
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        with self.db.write() as session:
            counter = counter_of(session, branch_id, counter_number)
            # Locked: a second workstation acting on this ticket waits, then sees the new state.
            ticket = locked_active_ticket(session, counter)
            next_status(ticket.display_number, TicketStatus(ticket.status), action)  # refuse before any change
            apply(ticket, now, session)
            self._move(session, ticket, action, actor, counter, now, reason=reason)
            publish(session, TOPIC_QUEUE, branch_id)
            return view_of(ticket)

    def _learn_service_time(self, session: Session, ticket: Ticket, now: datetime) -> None:
        began = ticket.started_at or ticket.called_at
        if began is None:
            return
        # populate_existing: the type was loaded with the ticket, before the lock; without it
        # the locked row's newer average (another counter's finish) would be ignored.
        bt = session.get(BusinessType, ticket.business_type_id, with_for_update=True, populate_existing=True)
        assert bt is not None
        bt.ewma_service_seconds = update_recent_average(
            bt.ewma_service_seconds, (now - began).total_seconds(), self.policy.service_time_weight)

    # -- events ------------------------------------------------------------------------

    def _move(self, session: Session, ticket: Ticket, action: TicketAction, actor: Actor, counter: Counter,
              now: datetime, *, reason: str | None = None) -> None:
        current = TicketStatus(ticket.status)
        ticket.status = next_status(ticket.display_number, current, action).value
        self._append_event(session, ticket, action.value, current, actor, counter, now, reason=reason)

    @staticmethod
    def _append_event(session: Session, ticket: Ticket, action: str, from_status: TicketStatus | None,
                      actor: Actor, counter: Counter | None, now: datetime, *, reason: str | None = None) -> None:
        session.add(TicketEvent(ticket_id=ticket.id, branch_id=ticket.branch_id, at=now, action=action,
                                from_status=from_status.value if from_status else None,
                                to_status=ticket.status, user_id=actor.user_id,
                                counter_id=counter.id if counter else None, reason=reason))

    def events_of(self, ticket_id: int) -> list[TicketEvent]:
        """The ticket's history, oldest first."""
        with self.db.read() as session:
            return list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                        .order_by(TicketEvent.id)))
