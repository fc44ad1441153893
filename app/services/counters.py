"""Counters: open / paused / closed with a reason, the counter–service matrix, and their status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import BusinessType, Counter, CounterEvent, CounterService, Ticket
from app.domain.business_day import business_day, utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.domain.tickets import ACTIVE_STATES, TicketStatus, require_reason
from app.events import TOPIC_QUEUE, publish
from app.services.audit import AuditAction, record_in, require
from app.services.actor import Actor
from app.services.queue_session import branch_of, counter_of, require_idle


class CounterState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class PauseReason(StrEnum):
    BREAK = "break"
    MEETING = "meeting"
    CASH_HANDOVER = "cash_handover"
    OTHER = "other"


@dataclass(frozen=True)
class MatrixEntry:
    business_code: str
    rank: int


@dataclass(frozen=True)
class CounterStatus:
    number: int
    name: str
    state: CounterState
    state_reason: str | None
    state_since: datetime | None
    current_number: str | None
    current_status: TicketStatus | None
    current_since: datetime | None
    served_today: int
    business_codes: tuple[str, ...]


class CounterDesk:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- state -------------------------------------------------------------------------

    def pause(self, actor: Actor, branch_id: int, counter_number: int, reason: PauseReason | str,
              note: str | None = None) -> CounterStatus:
        try:
            why = PauseReason(reason)
        except ValueError:
            raise ValidationError(field="pause reason", reason="one_of", choices=tuple(PauseReason)) from None
        text = why.value if not note else f"{why.value}: {require_reason(note, 'note')}"
        return self._change(actor, branch_id, counter_number, CounterState.PAUSED, text, from_states={"open"})

    def resume(self, actor: Actor, branch_id: int, counter_number: int) -> CounterStatus:
        return self._change(actor, branch_id, counter_number, CounterState.OPEN, None,
                            from_states={"paused", "closed"})

    def close(self, actor: Actor, branch_id: int, counter_number: int) -> CounterStatus:
        """Day end: refused while the counter still holds a called, served or parked ticket."""
        return self._change(actor, branch_id, counter_number, CounterState.CLOSED, "day end",
                            from_states={"open", "paused"}, must_be_empty=True)

    def _change(self, actor: Actor, branch_id: int, counter_number: int, target: CounterState,
                reason: str | None, *, from_states: set[str], must_be_empty: bool = False) -> CounterStatus:
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        with self.db.write() as session:
            counter = counter_of(session, branch_id, counter_number)
            if counter.state not in from_states:
                raise Conflict(code="counter_state", template="Counter {counter} is already {state}.",
                               counter=counter_number, state=counter.state)
            if target is not CounterState.OPEN:
                require_idle(session, counter)
            if must_be_empty:
                parked = session.scalar(select(Ticket.display_number).where(
                    Ticket.counter_id == counter.id, Ticket.status == TicketStatus.PARKED.value).limit(1))
                if parked is not None:
                    raise Conflict(code="counter_has_parked",
                                   template="Counter {counter} still holds parked ticket {ticket}.",
                                   counter=counter_number, ticket=parked)
            session.add(CounterEvent(counter_id=counter.id, branch_id=branch_id, at=now, from_state=counter.state,
                                     to_state=target.value, user_id=actor.user_id, reason=reason))
            counter.state, counter.state_reason, counter.state_since = target.value, reason, now
            publish(session, TOPIC_QUEUE, branch_id)
        return self.status(branch_id, counter_number)

    # -- matrix ------------------------------------------------------------------------

    def matrix(self, branch_id: int, counter_number: int) -> list[MatrixEntry]:
        with self.db.read() as session:
            counter = counter_of(session, branch_id, counter_number)
            rows = session.execute(select(BusinessType.code, CounterService.position)
                                   .join(CounterService, CounterService.business_type_id == BusinessType.id)
                                   .where(CounterService.counter_id == counter.id)
                                   .order_by(CounterService.position, BusinessType.sort_order))
            return [MatrixEntry(code, rank) for code, rank in rows]

    def set_matrix(self, actor: Actor, branch_id: int, counter_number: int,
                   entries: Sequence[MatrixEntry]) -> list[MatrixEntry]:
        """Replace what the counter serves; takes effect on its next call."""
        require(self.db, actor, Permission.EDIT_MATRIX, clock=self.clock, branch_id=branch_id)
        codes = [e.business_code for e in entries]
        if len(set(codes)) != len(codes):
            raise ValidationError(field="business types", reason="business_type_repeated")
        if any(e.rank < 0 for e in entries):
            raise ValidationError(field="rank", reason="not_negative")
        with self.db.write() as session:
            counter = counter_of(session, branch_id, counter_number)
            known = dict(session.execute(select(BusinessType.code, BusinessType.id)
                                         .where(BusinessType.code.in_(codes))).all())
            missing = [c for c in codes if c not in known]
            if missing:
                raise NotFound(what="Business type", key=", ".join(missing))
            counter.services = [CounterService(business_type_id=known[e.business_code], position=e.rank)
                                for e in entries]
            session.add(CounterEvent(counter_id=counter.id, branch_id=branch_id, at=self.clock(),
                                     from_state=counter.state, to_state=counter.state, user_id=actor.user_id,
                                     reason="matrix: " + ", ".join(f"{e.business_code}={e.rank}" for e in entries)))
            record_in(session, actor, AuditAction.MATRIX_CHANGE, at=self.clock(), branch_id=branch_id,
                      target_type="counter", target_id=counter_number,
                      detail={"services": {e.business_code: e.rank for e in entries}})
            publish(session, TOPIC_QUEUE, branch_id)
        return self.matrix(branch_id, counter_number)

    # -- status ------------------------------------------------------------------------

    def status(self, branch_id: int, counter_number: int) -> CounterStatus:
        with self.db.read() as session:
            return self.status_in(session, branch_id, counter_number)

    def status_in(self, session: Session, branch_id: int, counter_number: int) -> CounterStatus:
        """One counter's status inside the caller's read."""
        return next(s for s in self.statuses_in(session, branch_id) if s.number == counter_number)

    def statuses(self, branch_id: int) -> list[CounterStatus]:
        """Every active counter: state, its current ticket, and how many it served today."""
        with self.db.read() as session:
            return self.statuses_in(session, branch_id)

    def statuses_in(self, session: Session, branch_id: int) -> list[CounterStatus]:
        branch = branch_of(session, branch_id)
        day = business_day(self.clock(), branch.timezone)
        counters = list(session.scalars(select(Counter).where(Counter.branch_id == branch_id, Counter.active)
                                        .order_by(Counter.number)))
        if not counters:
            raise NotFound(what="Counter", key=f"of branch {branch.code}")
        current = {t.counter_id: t for t in session.scalars(select(Ticket).where(
            Ticket.branch_id == branch_id, Ticket.status.in_([s.value for s in ACTIVE_STATES])))}
        served = dict(session.execute(select(Ticket.counter_id, func.count()).where(
            Ticket.branch_id == branch_id, Ticket.business_day == day,
            Ticket.status.in_([TicketStatus.FINISHED.value, TicketStatus.TRANSFERRED.value]))
            .group_by(Ticket.counter_id)).all())
        codes: dict[int, list[str]] = {}
        for counter_id, code in session.execute(
                select(CounterService.counter_id, BusinessType.code)
                .join(BusinessType, BusinessType.id == CounterService.business_type_id)
                .order_by(CounterService.position, BusinessType.sort_order)):
            codes.setdefault(counter_id, []).append(code)
        result = []
        for c in counters:
            ticket = current.get(c.id)
            result.append(CounterStatus(
                number=c.number, name=c.name, state=CounterState(c.state), state_reason=c.state_reason,
                state_since=c.state_since, current_number=ticket.display_number if ticket else None,
                current_status=TicketStatus(ticket.status) if ticket else None,
                current_since=(ticket.started_at or ticket.called_at) if ticket else None,
                served_today=served.get(c.id, 0), business_codes=tuple(codes.get(c.id, ()))))
        return result
