"""Relationship managers (客户经理, 理财经理) and the customers they look after.

A customer has at most one owning manager, given by a lobby manager or a supervisor
(``assign_customers``), who must be an active relationship manager of the same branch. A
manager sees their own customers listed and may reveal their full values (``reveal_own_customers``,
checked by :meth:`CustomerService.reveal` against the owner); others' stay masked for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db.models import Customer, Ticket, User
from app.domain.tickets import TicketStatus
from app.domain.errors import ValidationError
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.customers.keeping import CUSTOMER_TARGET
from app.services.customers.service import CustomerService, _customer, display_name
from app.services.customers.views import CustomerHit

#: A ticket whose customer is still to be served (a manager may go and meet them).
_NOT_YET_SERVED = (TicketStatus.WAITING.value, TicketStatus.CALLED.value, TicketStatus.PARKED.value)
#: The longest "my customers" list a workstation reads at once.
MAX_OWN = 500


@dataclass(frozen=True)
class Arrival:
    """A customer with a relationship manager waiting (or being called) in the branch today."""

    ticket_id: int
    ticket: str
    status: str
    issued_at: datetime
    customer_id: int
    customer_name: str  # masked
    tier: str
    manager_id: int
    manager_name: str


@dataclass(frozen=True)
class ManagerView:
    user_id: int
    display_name: str
    role: str


class RelationshipManagers:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def of_branch(self, actor: Actor, branch_id: int) -> list[ManagerView]:
        """The active relationship managers of the branch, by name (whom a customer may be given to)."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        with self.db.read() as session:
            users = session.scalars(select(User).where(
                User.branch_id == branch_id, User.active.is_(True),
                User.role.in_([role.value for role in RELATIONSHIP_MANAGERS])).order_by(User.display_name, User.id))
            return [ManagerView(u.id, u.display_name or u.username, u.role) for u in users]

    def assign(self, actor: Actor, customer_id: int, manager_id: int | None) -> None:
        """Give the customer their manager (None: nobody); audited on the customer."""
        require(self.db, actor, Permission.ASSIGN_CUSTOMERS, clock=self.customers.clock)
        with self.db.write() as session:
            customer = _customer(session, customer_id)
            if customer.merged_into_id is not None:
                raise ValidationError(field="customer", reason="merged_record", into=customer.merged_into_id)
            if manager_id is not None:
                manager = session.get(User, manager_id)
                if (manager is None or not manager.active or manager.role not in RELATIONSHIP_MANAGERS
                        or manager.branch_id != actor.branch_id):
                    raise ValidationError(field="relationship manager", reason="not_listed")
            if customer.manager_id == manager_id:
                raise ValidationError(field="relationship manager", reason="nothing_changed")
            customer.manager_id = manager_id
            record_in(session, actor, AuditAction.CUSTOMER_CHANGE, at=self.customers.clock(),
                      target_type=CUSTOMER_TARGET, target_id=customer_id,
                      detail={"fields": ["relationship manager"], "manager": manager_id})
            publish(session, TOPIC_CUSTOMERS, None)

    def arrivals(self, actor: Actor, branch_id: int) -> list[Arrival]:
        """Customers who have a manager and hold a ticket of today not yet served — "VIP 王* arrived,
        A012, waiting 2 min". A relationship manager sees their own; the lobby and supervisors all."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        today = self.customers.today()
        query = (select(Ticket, Customer, User.display_name)
                 .join(Customer, Customer.id == Ticket.customer_id).join(User, User.id == Customer.manager_id)
                 .where(Ticket.branch_id == branch_id, Ticket.business_day == today,
                        Ticket.status.in_(_NOT_YET_SERVED)))
        if actor.role in RELATIONSHIP_MANAGERS:
            query = query.where(Customer.manager_id == actor.user_id)
        with self.db.read() as session:
            rows = session.execute(query.order_by(Ticket.issued_at, Ticket.id)).all()
            return [Arrival(t.id, t.display_number, t.status, t.issued_at, c.id, display_name(c.kind, c.name), c.tier,
                            c.manager_id, manager) for t, c, manager in rows]

    def own_customers(self, actor: Actor) -> list[CustomerHit]:
        """The customers the signed-in manager looks after (masked, by name)."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        if actor.user_id is None:
            return []
        with self.db.read() as session:
            ids = list(session.scalars(select(Customer.id).where(
                Customer.manager_id == actor.user_id, Customer.merged_into_id.is_(None))
                .order_by(Customer.name, Customer.id).limit(MAX_OWN)))
            return self.customers.hits(session, ids)
