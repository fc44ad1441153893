"""Look-ups inside a queue transaction, shared by the queue and counter services."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.db.models import Branch, BusinessType, Counter, CounterService, Ticket
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.tickets import ACTIVE_STATES
from app.services.actor import Actor


def in_branch(actor: Actor, branch_id: int) -> bool:
    """Staff of one branch act only there; an actor without a branch (region, system) acts anywhere."""
    return actor.branch_id is None or actor.branch_id == branch_id


def branch_refusal(actor: Actor, branch_id: int) -> PermissionDenied:
    """The refusal of another branch's business. It carries its audit entry (``after_rollback``):
    raised inside a transaction, that entry would roll back with it, so Database.read()/write()
    write it in a transaction of its own once the refused one is gone (app/db/engine.py)."""
    from app.services.audit import audit_branch_refusal  # it imports this module's neighbours

    error = PermissionDenied(user=actor.username, role=actor.role.value, action="work for another branch")
    error.after_rollback = lambda db: audit_branch_refusal(db, actor, branch_id)  # type: ignore[attr-defined]
    return error


def check_branch(actor: Actor, branch_id: int) -> None:
    """Refuse (and audit, see :func:`branch_refusal`) another branch's business. Outside a
    transaction use ``require(..., branch_id=...)``, which audits at once."""
    if not in_branch(actor, branch_id):
        raise branch_refusal(actor, branch_id)


def branch_of(session: Session, branch_id: int) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None:
        raise NotFound(what="Branch", key=branch_id)
    return branch


def counter_of(session: Session, branch_id: int, number: int) -> Counter:
    counter = session.scalar(select(Counter).where(Counter.branch_id == branch_id, Counter.number == number))
    if counter is None or not counter.active:
        raise NotFound(what="Counter", key=number)
    return counter


def counter_matrix(session: Session, counter_id: int) -> dict[int, int]:
    """Business type id → rank (0 first) for the types the counter serves; equal ranks share."""
    return dict(session.execute(
        select(CounterService.business_type_id, CounterService.position)
        .join(BusinessType, BusinessType.id == CounterService.business_type_id)
        .where(CounterService.counter_id == counter_id, BusinessType.active)).all())


def active_ticket(session: Session, counter: Counter, *, lock: bool = False) -> Ticket | None:
    """The counter's called-or-serving ticket. ``lock``: FOR UPDATE on PostgreSQL, so two
    workstations racing on one ticket apply one after the other, the second re-checking
    the state the first left (on SQLite, BEGIN IMMEDIATE already serialises them)."""
    statement = (select(Ticket).options(joinedload(Ticket.business_type), joinedload(Ticket.counter))
                 .where(Ticket.counter_id == counter.id, Ticket.status.in_([s.value for s in ACTIVE_STATES])))
    if lock:
        statement = statement.with_for_update(of=Ticket)
    return session.scalar(statement)


def locked_active_ticket(session: Session, counter: Counter) -> Ticket:
    """The counter's called-or-serving ticket, locked (see :func:`active_ticket`); refused when
    the counter has none."""
    ticket = active_ticket(session, counter, lock=True)
    if ticket is None:
        raise Conflict(code="counter_idle", template="Counter {counter} has no called ticket.",
                       counter=counter.number)
    return ticket


def require_idle(session: Session, counter: Counter) -> None:
    """Refuse while the counter still holds a called or serving ticket."""
    current = active_ticket(session, counter)
    if current is not None:
        raise Conflict(code="counter_busy",
                       template="Counter {counter} is still serving {ticket}; finish it or mark it a no-show first.",
                       counter=counter.number, ticket=current.display_number)
