"""Reading the queue: ticket views, waiting lists with estimated waits, a counter's preview,
the calls feed for the calling display, a teller's figures for the day, and what an ID number
entered at the kiosk earns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.db.engine import Database
from app.db.models import BusinessType, Counter, CounterService, SatisfactionRating, Ticket, TicketEvent
from app.domain.business_day import business_day, utcnow
from app.domain.errors import NotFound
from app.domain.identity import parse_resident_id
from app.domain.masking import mask_id_number
from app.domain.priority import Candidate, PriorityClass, age_priority, call_order, rank_of
from app.domain.tickets import ACTIVE_STATES, TicketAction, TicketStatus
from app.domain.wait_estimate import estimate_waits, minutes_until_free
from app.services.queue_policy import QueuePolicy
from app.services.queue_session import active_ticket, branch_of, counter_matrix, counter_of


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
    priority: PriorityClass = PriorityClass.NORMAL
    arrival_at: datetime | None = None
    segment: int = 1
    visit_id: int | None = None
    outcome: str | None = None
    note: str | None = None
    waiting_ahead: int | None = None
    estimated_wait_minutes: int | None = None
    #: The identified customer (the ID number given when the ticket was issued: kiosk, lobby, CLI), if any.
    customer_id: int | None = None

    def business_name(self, language: str) -> str:
        return self.business_name_zh if language.startswith("zh") else self.business_name_en


@dataclass(frozen=True)
class WaitingCount:
    business_code: str
    business_name_zh: str
    business_name_en: str
    waiting: int


@dataclass(frozen=True)
class CallNotice:
    """One call or recall, as the calling display shows and announces it."""

    event_id: int
    number: str
    counter_number: int
    counter_name: str
    business_name_zh: str
    at: datetime
    recall: bool
    ticket_id: int


@dataclass(frozen=True)
class AgePriority:
    """What a resident ID number earns by the holder's age, as the service decided it."""

    number: str  # normalised: what issuing the ticket takes (``issue_ticket(resident_id=…)``)
    masked: str  # what a screen may show (110105********123X: never the birth date)
    priority: PriorityClass  # GREEN from ``elderly_age`` on, else NORMAL
    elderly_age: int  # the branch's policy, for the sentence told to a younger customer


@dataclass(frozen=True)
class TellerStats:
    served: int
    no_shows: int
    average_service_minutes: float | None
    average_rating: float | None


def view_of(ticket: Ticket, *, ahead: int | None = None, estimate: int | None = None) -> TicketView:
    bt = ticket.business_type
    return TicketView(
        id=ticket.id, number=ticket.display_number, business_code=bt.code, business_name_zh=bt.name_zh,
        business_name_en=bt.name_en, status=TicketStatus(ticket.status), business_day=ticket.business_day,
        issued_at=ticket.issued_at, called_at=ticket.called_at, started_at=ticket.started_at,
        finished_at=ticket.finished_at, counter_number=ticket.counter.number if ticket.counter else None,
        call_count=ticket.call_count, priority=PriorityClass(ticket.priority), arrival_at=ticket.arrival_at,
        segment=ticket.segment, visit_id=ticket.visit_id, outcome=ticket.outcome, note=ticket.note,
        waiting_ahead=ahead, estimated_wait_minutes=estimate, customer_id=ticket.customer_id,
    )


def _ticket_query():  # type: ignore[no-untyped-def]
    return select(Ticket).options(joinedload(Ticket.business_type), joinedload(Ticket.counter))


class QueueReads:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 policy: QueuePolicy | None = None) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy or QueuePolicy.defaults()

    def _today(self, session: Session, branch_id: int) -> date:
        return business_day(self.clock(), branch_of(session, branch_id).timezone)

    def age_priority(self, branch_id: int, resident_id: str) -> AgePriority:
        """What ``resident_id`` (as typed at the kiosk) earns by age on the branch's business day.

        A ValidationError names what is wrong with the number. Nothing is stored and nobody is
        looked up (so no permission is needed): issuing the ticket with the number checks
        ISSUE_TICKET and applies the same rule again (app/domain/priority.age_priority)."""
        with self.db.read() as session:
            today = self._today(session, branch_id)
        identity = parse_resident_id(resident_id, today=today)
        elderly_age = self.policy.elderly_age
        return AgePriority(identity.number, mask_id_number(identity.number),
                           age_priority(identity.birth_date, today, elderly_age), elderly_age)

    # -- estimates ---------------------------------------------------------------------

    def _estimates(self, session: Session, branch_id: int, day: date) -> dict[int, tuple[int, int]]:
        """ticket id → (people ahead, estimated minutes) for every waiting ticket of the day.

        Ahead: tickets of the same queue (business type, or the counter a ticket was
        transferred to) that will be called first. Minutes: those people served at the type's
        recent average pace by the open counters serving the queue, each counter free once its
        current service is expected to end (app/domain/wait_estimate.py)."""
        rows = session.execute(
            select(Ticket.id, Ticket.business_type_id, Ticket.priority, Ticket.queued_at, Ticket.target_counter_id)
            .where(Ticket.branch_id == branch_id, Ticket.business_day == day,
                   Ticket.status == TicketStatus.WAITING.value)).all()
        minutes_by_type = {
            bt.id: (bt.ewma_service_seconds / 60 if bt.ewma_service_seconds else bt.target_minutes)
            for bt in session.scalars(select(BusinessType))}
        free_in = self._counters_free_in(session, branch_id, minutes_by_type)
        counters_by_type: dict[int, list[float]] = defaultdict(list)
        for counter_id, type_id in session.execute(
                select(CounterService.counter_id, CounterService.business_type_id)
                .where(CounterService.counter_id.in_(list(free_in)))).all():
            counters_by_type[type_id].append(free_in[counter_id])
        queues: dict[tuple[str, int], list] = defaultdict(list)  # type: ignore[type-arg]
        for row in rows:
            key = ("counter", row.target_counter_id) if row.target_counter_id else ("type", row.business_type_id)
            queues[key].append(row)
        result: dict[int, tuple[int, int]] = {}
        for (kind, key_id), members in queues.items():
            members.sort(key=lambda r: (-rank_of(r.priority), r.queued_at, r.id))
            counters = [free_in.get(key_id, 0.0)] if kind == "counter" else counters_by_type.get(key_id, [])
            waits = estimate_waits([minutes_by_type[row.business_type_id] for row in members], counters)
            for ahead, (row, wait) in enumerate(zip(members, waits)):
                result[row.id] = (ahead, wait)
        return result

    def _counters_free_in(self, session: Session, branch_id: int,
                          minutes_by_type: dict[int, float]) -> dict[int, float]:
        """Open counter id → minutes until it is free (0: no ticket at it).

        The tickets at counters are found by branch and status (the ``ix_tickets_queue`` index:
        a handful of rows), so issuing a ticket stays as short a write as before."""
        now = self.clock()
        free_in = {counter_id: 0.0 for counter_id in session.scalars(
            select(Counter.id).where(Counter.branch_id == branch_id, Counter.active, Counter.state == "open"))}
        for counter_id, type_id, started_at in session.execute(
                select(Ticket.counter_id, Ticket.business_type_id, Ticket.started_at)
                .where(Ticket.branch_id == branch_id,
                       Ticket.status.in_([s.value for s in ACTIVE_STATES]))).all():
            if counter_id in free_in:
                free_in[counter_id] = minutes_until_free(minutes_by_type[type_id], started_at, now)
        return free_in

    def position_view_in(self, session: Session, ticket: Ticket) -> TicketView:
        """The ticket's view inside the caller's transaction, with its place while it waits."""
        if ticket.status != TicketStatus.WAITING.value:
            return view_of(ticket)
        ahead, minutes = self._estimates(session, ticket.branch_id, ticket.business_day)[ticket.id]
        return view_of(ticket, ahead=ahead, estimate=minutes)

    # -- lists -------------------------------------------------------------------------

    def current_ticket(self, branch_id: int, counter_number: int) -> TicketView | None:
        with self.db.read() as session:
            return self.current_ticket_in(session, branch_id, counter_number)

    @staticmethod
    def current_ticket_in(session: Session, branch_id: int, counter_number: int) -> TicketView | None:
        ticket = active_ticket(session, counter_of(session, branch_id, counter_number))
        return view_of(ticket) if ticket else None

    def list_tickets(self, branch_id: int, *, status: TicketStatus | None = None,
                     day: date | None = None) -> list[TicketView]:
        """Tickets of one business day (today in the branch's zone by default), oldest first;
        waiting ones come with their place and estimated wait."""
        with self.db.read() as session:
            day = day or self._today(session, branch_id)
            statement = (_ticket_query().where(Ticket.branch_id == branch_id, Ticket.business_day == day)
                         .order_by(Ticket.queued_at, Ticket.id))
            if status is not None:
                statement = statement.where(Ticket.status == status.value)
            tickets = list(session.scalars(statement))
            estimates = self._estimates(session, branch_id, day) if status in (None, TicketStatus.WAITING) else {}
            return [view_of(t, ahead=estimates.get(t.id, (None, None))[0],
                            estimate=estimates.get(t.id, (None, None))[1]) for t in tickets]

    def get_ticket(self, branch_id: int, number: str, day: date | None = None) -> TicketView:
        """The newest segment of a ticket number of the day; a waiting one with its place and wait."""
        with self.db.read() as session:
            day = day or self._today(session, branch_id)
            ticket = session.scalar(_ticket_query().where(
                Ticket.branch_id == branch_id, Ticket.business_day == day,
                Ticket.display_number == number.strip().upper()).order_by(Ticket.segment.desc()).limit(1))
            if ticket is None:
                raise NotFound(what="Ticket", key=number)
            return self.position_view_in(session, ticket)

    def parked_tickets(self, branch_id: int, counter_number: int) -> list[TicketView]:
        with self.db.read() as session:
            return self.parked_tickets_in(session, branch_id, counter_number)

    @staticmethod
    def parked_tickets_in(session: Session, branch_id: int, counter_number: int) -> list[TicketView]:
        counter = counter_of(session, branch_id, counter_number)
        return [view_of(t) for t in session.scalars(_ticket_query().where(
            Ticket.counter_id == counter.id, Ticket.status == TicketStatus.PARKED.value).order_by(Ticket.id))]

    def waiting_counts(self, branch_id: int) -> list[WaitingCount]:
        with self.db.read() as session:
            day = self._today(session, branch_id)
            rows = session.execute(
                select(BusinessType.code, BusinessType.name_zh, BusinessType.name_en, func.count(Ticket.id))
                .join(Ticket, Ticket.business_type_id == BusinessType.id)
                .where(Ticket.branch_id == branch_id, Ticket.business_day == day,
                       Ticket.status == TicketStatus.WAITING.value)
                .group_by(BusinessType.code, BusinessType.name_zh, BusinessType.name_en, BusinessType.sort_order)
                .order_by(BusinessType.sort_order))
            return [WaitingCount(*row) for row in rows]

    def counter_preview(self, branch_id: int, counter_number: int, limit: int = 10) -> list[TicketView]:
        """The tickets this counter would call next, in order (what F1 will bring)."""
        with self.db.read() as session:
            return self.counter_preview_in(session, branch_id, counter_number, limit)

    def counter_preview_in(self, session: Session, branch_id: int, counter_number: int,
                           limit: int = 10) -> list[TicketView]:
        """As :meth:`counter_preview`, inside the caller's read (the waiting tickets and their
        estimates must come from one snapshot: see Database.read)."""
        counter = counter_of(session, branch_id, counter_number)
        day = self._today(session, branch_id)
        tickets = {t.id: t for t in session.scalars(_ticket_query().where(
            Ticket.branch_id == branch_id, Ticket.business_day == day,
            Ticket.status == TicketStatus.WAITING.value))}
        candidates = [Candidate(t.id, t.business_type_id, PriorityClass(t.priority), t.queued_at,
                                t.target_counter_id) for t in tickets.values()]
        ordered = call_order(candidates, counter_matrix(session, counter.id), self.clock(),
                             self.policy.starvation_minutes, counter.id)[:limit]
        estimates = self._estimates(session, branch_id, day)
        return [view_of(tickets[c.ticket_id], ahead=estimates[c.ticket_id][0],
                        estimate=estimates[c.ticket_id][1]) for c in ordered]

    # -- calling display ---------------------------------------------------------------

    def calls_since(self, branch_id: int, after_event_id: int = 0, limit: int = 50) -> list[CallNotice]:
        """Calls and recalls after the given event, oldest first: nothing is lost between polls."""
        with self.db.read() as session:
            return self._calls(session, branch_id, TicketEvent.id > after_event_id, limit, newest_first=False)

    def recent_calls(self, branch_id: int, limit: int = 8) -> list[CallNotice]:
        """Today's latest calls, newest first (the display's history)."""
        with self.db.read() as session:
            day = self._today(session, branch_id)
            return self._calls(session, branch_id, Ticket.business_day == day, limit, newest_first=True)

    @staticmethod
    def _calls(session: Session, branch_id: int, condition, limit: int, *,  # type: ignore[no-untyped-def]
               newest_first: bool) -> list[CallNotice]:
        rows = session.execute(
            select(TicketEvent.id, TicketEvent.action, TicketEvent.at, Ticket.display_number, Counter.number,
                   Counter.name, BusinessType.name_zh, Ticket.id)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Counter, Counter.id == TicketEvent.counter_id)
            .join(BusinessType, BusinessType.id == Ticket.business_type_id)
            .where(TicketEvent.branch_id == branch_id, condition,
                   TicketEvent.action.in_([TicketAction.CALL.value, TicketAction.RECALL.value]))
            .order_by(TicketEvent.id.desc() if newest_first else TicketEvent.id).limit(limit))
        return [CallNotice(r[0], r[3], r[4], r[5], r[6], r[2], r[1] == TicketAction.RECALL.value, r[7])
                for r in rows]

    def still_called(self, branch_id: int, ticket_ids: Iterable[int]) -> frozenset[int]:
        """Of these tickets, the ones still called or being served (the display's "now calling"
        never shows a ticket already finished, marked a no-show or put back)."""
        ids = list(set(ticket_ids))
        if not ids:
            return frozenset()
        with self.db.read() as session:
            return frozenset(session.scalars(select(Ticket.id).where(
                Ticket.branch_id == branch_id, Ticket.id.in_(ids),
                Ticket.status.in_([TicketStatus.CALLED.value, TicketStatus.SERVING.value]))))

    def latest_call_event_id(self, branch_id: int) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.max(TicketEvent.id)).where(
                TicketEvent.branch_id == branch_id,
                TicketEvent.action.in_([TicketAction.CALL.value, TicketAction.RECALL.value]))) or 0

    # -- figures -----------------------------------------------------------------------

    def teller_stats(self, branch_id: int, user_id: int | None) -> TellerStats:
        with self.db.read() as session:
            return self.teller_stats_in(session, branch_id, user_id)

    def teller_stats_in(self, session: Session, branch_id: int, user_id: int | None) -> TellerStats:
        day = self._today(session, branch_id)
        mine = (Ticket.branch_id == branch_id, Ticket.business_day == day, Ticket.served_by_id == user_id)
        finished = session.execute(select(Ticket.started_at, Ticket.called_at, Ticket.finished_at).where(
            *mine, Ticket.status.in_([TicketStatus.FINISHED.value, TicketStatus.TRANSFERRED.value]))).all()
        no_shows = session.scalar(select(func.count()).select_from(Ticket).where(
            *mine, Ticket.status == TicketStatus.NO_SHOW.value)) or 0
        durations = [(f - (s or c)).total_seconds() / 60 for s, c, f in finished if f and (s or c)]
        rating = session.scalar(select(func.avg(SatisfactionRating.rating)).join(
            Ticket, Ticket.id == SatisfactionRating.ticket_id).where(*mine))
        return TellerStats(served=len(finished), no_shows=no_shows,
                           average_service_minutes=sum(durations) / len(durations) if durations else None,
                           average_rating=float(rating) if rating is not None else None)
