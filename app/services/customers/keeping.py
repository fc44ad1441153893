"""Keeping a customer record current at the counter: changes, and the record's history.

Registering goes through :meth:`CustomerService.create` (the same checks as an import, plus
the consent a record made here needs). A change is checked whole by
app/services/customers/editing.py and written in one transaction with one
``customer_change`` audit entry that names the changed fields and never their values. A
supervisor reads a record's history from the audit log (what was done to it, by whom, when).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from app.db.models import Customer
from app.domain.customer_record import next_review, parse_review_items
from app.domain.errors import ValidationError
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, AuditEntryView, AuditFilter, AuditLog, record_in, require
from app.services.customers.editing import CustomerChanges, apply_changes
from app.services.customers.service import CustomerService, _customer
from app.services.customers.views import CustomerHit

#: The audit log's target type of a customer record.
CUSTOMER_TARGET = "customer"


class CustomerRecords:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def change(self, actor: Actor, customer_id: int, changes: CustomerChanges) -> list[str]:
        """Apply ``changes``; the names of the fields that changed. Nothing changed is refused
        (a Save that did nothing must not say "saved")."""
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.customers.clock)
        cipher = self.customers.cipher
        with self.db.write() as session:
            customer = _customer(session, customer_id)
            if customer.merged_into_id is not None:
                raise ValidationError(field="customer", reason="merged_record", into=customer.merged_into_id)
            changed = apply_changes(session, customer, changes, cipher, today=self.customers.today(),
                                    policy=self.customers.policy)
            if not changed:
                raise ValidationError(field="customer", reason="nothing_changed")
            record_in(session, actor, AuditAction.CUSTOMER_CHANGE, at=self.customers.clock(),
                      target_type=CUSTOMER_TARGET, target_id=customer_id, detail={"fields": changed})
            publish(session, TOPIC_CUSTOMERS, None)
        return changed

    def review(self, actor: Actor, customer_id: int, confirmed: Sequence[str]) -> date:
        """Record a periodic review (定期复核): what was confirmed with the customer; returns when
        the next one falls due."""
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.customers.clock)
        items = parse_review_items(confirmed)
        today = self.customers.today()
        with self.db.write() as session:
            customer = _customer(session, customer_id)
            if customer.merged_into_id is not None:
                raise ValidationError(field="customer", reason="merged_record", into=customer.merged_into_id)
            due = next_review(today, self.customers.review_months, customer.licence_expires_on)
            customer.reviewed_on, customer.review_due_on = today, due
            record_in(session, actor, AuditAction.CUSTOMER_REVIEW, at=self.customers.clock(),
                      target_type=CUSTOMER_TARGET, target_id=customer_id,
                      detail={"confirmed": list(items), "next": due.isoformat()})
            publish(session, TOPIC_CUSTOMERS, None)
        return due

    def reviews_due(self, actor: Actor, branch_id: int, *, within_days: int = 0,
                    limit: int = 200) -> list[tuple[CustomerHit, date]]:
        """The branch's customers whose review is due by today (+ ``within_days``), oldest due
        first (a relationship manager: their own customers only)."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        until = self.customers.today() + timedelta(days=within_days)
        query = select(Customer.id, Customer.review_due_on).where(
            Customer.branch_id == branch_id, Customer.merged_into_id.is_(None), Customer.review_due_on <= until)
        if actor.role in RELATIONSHIP_MANAGERS:
            query = query.where(Customer.manager_id == actor.user_id)
        with self.db.read() as session:
            rows = session.execute(query.order_by(Customer.review_due_on, Customer.id).limit(limit)).all()
            hits = {hit.id: hit for hit in self.customers.hits(session, [row[0] for row in rows])}
        return [(hits[customer_id], due) for customer_id, due in rows if customer_id in hits]

    def history(self, actor: Actor, customer_id: int, *, limit: int = 500) -> list[AuditEntryView]:
        """What was done to the record, newest first: a supervisor's view (the audit log's permission)."""
        require(self.db, actor, Permission.VIEW_AUDIT, clock=self.customers.clock)
        with self.db.read() as session:
            _customer(session, customer_id)  # NotFound for a record that does not exist
        return AuditLog(self.db, self.customers.clock).entries(
            actor, AuditFilter(target_type=CUSTOMER_TARGET, target_id=str(customer_id)), limit=limit)
