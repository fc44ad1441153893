"""The statements that must be atomic or ordered under concurrency, in each dialect's own way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, and_, any_, case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import Ticket, TicketSequence
from app.domain.priority import PRIORITY_RANK, PriorityClass
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


def lock_waiting_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """Lock the ticket if it is still waiting and nobody else holds it, else None.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets each concurrent counter take a different
    ticket without waiting, and the status is re-checked on the newest row version.
    SQLite ignores the clause; there BEGIN IMMEDIATE already makes the use case exclusive."""
    statement = (
        select(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.WAITING.value)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(statement).first()


#: First key of the advisory lock that orders a branch's call events (the second is the branch id).
CALL_FEED_LOCK = 0x4244_0001


def serialise_call_events(session: Session, branch_id: int) -> None:
    """Make this branch's calls and recalls commit in the order of their event ids.

    The calling display reads ``calls_since(last_id)``: events with a larger id than the
    last it saw. PostgreSQL hands out the id when the row is inserted, not when it commits,
    so a call that got id N but committed after N+1 had been read would never be shown.
    Call before the event row is written: the transaction-level advisory lock is held to
    commit, so the branch's next call takes its id only after this one is visible.
    SQLite needs nothing: BEGIN IMMEDIATE already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(cast(literal(CALL_FEED_LOCK), Integer),
                                                          cast(literal(branch_id), Integer))))


#: How many best-placed tickets the PostgreSQL claim shortlists before locking one (see below).
SHORTLIST = 32


def claim_in_call_order(session: Session, branch_id: int, day: date, counter_id: int, matrix: Mapping[int, int],
                        now: datetime, starvation_minutes: int) -> Ticket | None:
    """Lock and return the ticket this counter calls next, ordered in SQL.

    This is the SQL twin of :func:`app.domain.priority.call_order` (which orders the
    counter's preview): starved normal tickets first by queue time, then matrix rank,
    priority class, queue time, id. Ordering in the database lets ``LIMIT 1 FOR UPDATE
    SKIP LOCKED`` claim in one round trip however long the queue is; a parity test keeps
    the two orders equal.

    On PostgreSQL the claim first shortlists the best SHORTLIST ids without locking, then
    locks the best unlocked one among them. ``ORDER BY … LIMIT 1 FOR UPDATE`` over the
    whole queue puts the row lock between the limit and the sort, so PostgreSQL cannot use
    its bounded top-N sort and fully sorts every waiting ticket (about 6 ms for 2,000, with
    the server's CPU shared by every calling counter). The shortlist is a bounded sort;
    locking then sorts a handful of rows. The outer query repeats the conditions, so a
    shortlisted ticket that another counter called meanwhile fails the re-check made when
    its lock is taken, and is passed over like a locked one. Only when every shortlisted
    ticket is taken (more counters calling at once than SHORTLIST) does the full locking
    query run."""
    starved = and_(Ticket.priority == PriorityClass.NORMAL.value,
                   Ticket.queued_at <= now - timedelta(minutes=starvation_minutes))
    after_matrix = max(matrix.values(), default=-1) + 1
    position = case(dict(matrix), value=Ticket.business_type_id, else_=after_matrix) if matrix \
        else literal(after_matrix)
    rank = case({p.value: r for p, r in PRIORITY_RANK.items()}, value=Ticket.priority, else_=0)
    for_this_counter = or_(and_(Ticket.target_counter_id.is_(None), Ticket.business_type_id.in_(list(matrix))),
                           Ticket.target_counter_id == counter_id)
    conditions = (Ticket.branch_id == branch_id, Ticket.business_day == day,
                  Ticket.status == TicketStatus.WAITING.value, for_this_counter)
    order = (case((starved, 0), else_=1), case((starved, 0), else_=position),
             case((starved, 0), else_=-rank), Ticket.queued_at, Ticket.id)
    if session.get_bind().dialect.name == "postgresql":
        # ARRAY(subquery) is computed once, then the ids are looked up by primary key.
        shortlist = func.array(select(Ticket.id).where(*conditions).order_by(*order).limit(SHORTLIST)
                               .scalar_subquery())
        ticket = session.scalars(
            select(Ticket).where(Ticket.id == any_(shortlist), *conditions).order_by(*order)
            .limit(1).with_for_update(skip_locked=True)).first()
        if ticket is not None:
            return ticket
    return session.scalars(
        select(Ticket).where(*conditions).order_by(*order).limit(1).with_for_update(skip_locked=True)).first()
