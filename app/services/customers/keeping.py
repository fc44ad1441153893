"""Keeping a customer record current at the counter: changes, and the record's history.

Registering goes through :meth:`CustomerService.create` (the same checks as an import, plus
the consent a record made here needs). A change is checked whole by
app/services/customers/editing.py and written in one transaction with one
``customer_change`` audit entry that names the changed fields and never their values. A
supervisor reads a record's history from the audit log (what was done to it, by whom, when).
"""

from __future__ import annotations

from app.domain.errors import ValidationError
from app.domain.roles import Permission
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, AuditEntryView, AuditFilter, AuditLog, record_in, require
from app.services.customers.editing import CustomerChanges, apply_changes
from app.services.customers.service import CustomerService, _customer

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

    def history(self, actor: Actor, customer_id: int, *, limit: int = 500) -> list[AuditEntryView]:
        """What was done to the record, newest first: a supervisor's view (the audit log's permission)."""
        require(self.db, actor, Permission.VIEW_AUDIT, clock=self.customers.clock)
        with self.db.read() as session:
            _customer(session, customer_id)  # NotFound for a record that does not exist
        return AuditLog(self.db, self.customers.clock).entries(
            actor, AuditFilter(target_type=CUSTOMER_TARGET, target_id=str(customer_id)), limit=limit)
