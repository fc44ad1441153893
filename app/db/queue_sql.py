"""The two statements that must be atomic under concurrency, in each dialect's own way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import Ticket, TicketSequence
from app.domain.tickets import TicketStatus


def bump_ticket_sequence(session: Session, branch_id: int, day: date, prefix: str) -> int:
    """Next number for (branch, day, prefix): one INSERT … ON CONFLICT DO UPDATE … RETURNING.

    PostgreSQL serialises concurrent upserts of the row on its row lock; on SQLite the
    write transaction already holds the database lock (BEGIN IMMEDIATE)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(TicketSequence)
        .values(branch_id=branch_id, business_day=day, prefix=prefix, last_number=1)
        .on_conflict_do_update(
            index_elements=[TicketSequence.branch_id, TicketSequence.business_day, TicketSequence.prefix],
            set_={"last_number": TicketSequence.last_number + 1},
        )
        .returning(TicketSequence.last_number)
    )
    return session.execute(statement).scalar_one()


def claim_next_waiting(session: Session, branch_id: int, day: date,
                       business_type_ids: Sequence[int]) -> Ticket | None:
    """Lock and return the longest-waiting ticket of the day among the given business types.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets each concurrent counter take a different
    row without waiting. SQLite ignores the clause; there BEGIN IMMEDIATE already makes
    the whole use case exclusive."""
    if not business_type_ids:
        return None
    statement = (
        select(Ticket)
        .where(Ticket.branch_id == branch_id, Ticket.business_day == day,
               Ticket.status == TicketStatus.WAITING.value,
               Ticket.business_type_id.in_(business_type_ids))
        .order_by(Ticket.issued_at, Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(statement).first()
