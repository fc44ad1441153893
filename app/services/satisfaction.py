"""Satisfaction ratings (1 非常不满意 … 5 非常满意) for finished services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.db.models import SatisfactionRating, Ticket
from app.domain.business_day import utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus
from app.events import TOPIC_QUEUE, publish
from app.services.actor import Actor
from app.services.queue_session import check_branch

RATINGS = range(1, 6)
SATISFIED_FROM = 4  # 满意 and 非常满意 count as satisfied (the 95% goal)


class RatingSource(StrEnum):
    EVALUATOR = "evaluator"  # the customer pressed a key on the counter's evaluator
    TELLER = "teller"  # the teller entered what the customer said


class SatisfactionService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def rate(self, actor: Actor, branch_id: int, ticket_id: int, rating: int, source: RatingSource | str) -> None:
        actor.require(Permission.SERVE_AT_COUNTER)
        check_branch(actor, branch_id)
        if rating not in RATINGS:
            raise ValidationError(field="rating", reason="1 to 5")
        origin = RatingSource(source)
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
            return session.scalar(select(SatisfactionRating.rating).where(SatisfactionRating.ticket_id == ticket_id))
