"""Satisfaction ratings (1 非常不满意 … 5 非常满意) for finished services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Counter, SatisfactionRating, Ticket
from app.domain.business_day import utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus
from app.events import TOPIC_QUEUE, publish
from app.services.audit import require
from app.services.actor import Actor

RATINGS = range(1, 6)
SATISFIED_FROM = 4  # 满意 and 非常满意 count as satisfied (the 95% goal)


class RatingSource(StrEnum):
    EVALUATOR = "evaluator"  # the customer pressed a key on the counter's evaluator
    TELLER = "teller"  # the teller entered what the customer said


@dataclass(frozen=True)
class UnratedService:
    """A service finished at a counter that nobody has rated yet (what the evaluator asks about)."""

    ticket_id: int
    number: str
    finished_at: datetime


class SatisfactionService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def rate(self, actor: Actor, branch_id: int, ticket_id: int, rating: int, source: RatingSource | str) -> None:
        require(self.db, actor, Permission.SERVE_AT_COUNTER, clock=self.clock, branch_id=branch_id)
        if rating not in RATINGS:
            raise ValidationError(field="rating", reason="number_range", minimum=1, maximum=5)
        try:
            origin = RatingSource(source)
        except ValueError:
            raise ValidationError(field="rating source", reason="rating_source") from None
        try:
            with self.db.write() as session:
                ticket = session.get(Ticket, ticket_id)
                if ticket is None or ticket.branch_id != branch_id:
                    raise NotFound(what="Ticket", key=ticket_id)
                if ticket.status not in (TicketStatus.FINISHED.value, TicketStatus.TRANSFERRED.value):
                    raise Conflict(code="rating_not_finished",
                                   template="Ticket {ticket} is not finished; rate it after the service.",
                                   ticket=ticket.display_number)
                session.add(SatisfactionRating(ticket_id=ticket.id, branch_id=branch_id, counter_id=ticket.counter_id,
                                               user_id=ticket.served_by_id, rating=rating, source=origin.value,
                                               at=self.clock()))
                publish(session, TOPIC_QUEUE, branch_id)
        except IntegrityError:
            raise Conflict(code="already_rated", template="This service has already been rated.") from None

    def rating_of(self, ticket_id: int) -> int | None:
        with self.db.read() as session:
            return self.rating_in(session, ticket_id)

    @staticmethod
    def rating_in(session: Session, ticket_id: int) -> int | None:
        return session.scalar(select(SatisfactionRating.rating).where(SatisfactionRating.ticket_id == ticket_id))

    def latest_unrated(self, branch_id: int, counter_number: int, since: datetime) -> UnratedService | None:
        """The counter's most recent service finished at or after ``since`` without a rating.

        Read from the database, so an evaluator on another screen or PC notices a finish
        made at the counter's own workstation."""
        with self.db.read() as session:
            row = session.execute(
                select(Ticket.id, Ticket.display_number, Ticket.finished_at)
                .join(Counter, Counter.id == Ticket.counter_id)
                .outerjoin(SatisfactionRating, SatisfactionRating.ticket_id == Ticket.id)
                .where(Ticket.branch_id == branch_id, Counter.number == counter_number,
                       Ticket.status == TicketStatus.FINISHED.value, Ticket.finished_at >= since,
                       SatisfactionRating.id.is_(None))
                .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(1)).first()
            return UnratedService(row[0], row[1], row[2]) if row else None
