"""Duplicate customers (same ID number, or same name and phone) and merging them.

A merge moves everything that hangs off the dropped customer — phones, accounts, notes,
follow-ups, tickets, and any table another area registers with
:func:`register_customer_reference` (complaints…) — to the kept one, marks the dropped row
``merged_into_id`` (it stays, so old audit entries still point somewhere), and writes an
``AuditAction.MERGE`` entry, all in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Column, select, update
from sqlalchemy.orm import InstrumentedAttribute

from app.db.customer_sql import unindex_name
from app.db.models import (
    Complaint,
    Customer,
    CustomerAccount,
    CustomerNote,
    CustomerPhone,
    FollowUp,
    Ticket,
)
from app.domain.errors import Conflict, ValidationError
from app.domain.name_search import search_form
from app.domain.roles import Permission
from app.domain.text import check_characters
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.customers.views import Duplicate
from app.services.customers.service import CustomerService, _customer, display_name

#: Longest merge reason (it is kept in the audit log), in characters, as for a reveal.
MAX_MERGE_REASON = 500

#: Columns holding a customer id that a merge re-points to the kept customer.
_REFERENCES: dict[str, InstrumentedAttribute] = {  # type: ignore[type-arg]
    "accounts": CustomerAccount.customer_id,
    "notes": CustomerNote.customer_id,
    "follow_ups": FollowUp.customer_id,
    "tickets": Ticket.customer_id,
    "complaints": Complaint.customer_id,
}


def register_customer_reference(name: str, column: InstrumentedAttribute | Column) -> None:  # type: ignore[type-arg]
    """Another area's ``customer_id`` column (e.g. ``Complaint.customer_id``) that merges move."""
    _REFERENCES[name] = column  # type: ignore[assignment]


class CustomerMerge:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def duplicates_of(self, actor: Actor, customer_id: int) -> list[Duplicate]:
        """Other live customers with the same ID number, or the same name and a shared phone."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        with self.db.read() as session:
            c = _customer(session, customer_id)
            found: dict[int, Duplicate] = {}
            for other in session.scalars(select(Customer).where(
                    Customer.id_index == c.id_index, Customer.id != c.id, Customer.merged_into_id.is_(None))):
                found[other.id] = Duplicate(other.id, display_name(other.kind, other.name), other.id_masked,
                                            "same ID number")
            phones = select(CustomerPhone.number_index).where(CustomerPhone.customer_id == c.id)
            for other in session.scalars(
                    select(Customer).join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
                    .where(CustomerPhone.number_index.in_(phones), Customer.name == c.name, Customer.id != c.id,
                           Customer.merged_into_id.is_(None)).distinct()):
                found.setdefault(other.id, Duplicate(other.id, display_name(other.kind, other.name),
                                                     other.id_masked, "same name and phone"))
            return sorted(found.values(), key=lambda d: d.customer_id)

    def merge(self, actor: Actor, keep_id: int, drop_id: int, reason: str) -> dict[str, int]:
        """Move the dropped customer's history to the kept one; returns how many rows moved per kind."""
        clock = self.customers.clock
        require(self.db, actor, Permission.MERGE_CUSTOMERS, clock=clock)
        check_characters(reason, "reason", allow="\t\n\r")  # the audit log must show what was typed
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError(field="reason", reason="required")
        if len(reason) > MAX_MERGE_REASON:
            raise ValidationError(field="reason", reason="max_length", limit=MAX_MERGE_REASON)
        if keep_id == drop_id:
            raise Conflict(reason="merge_into_itself")
        with self.db.write() as session:
            keep, drop = _customer(session, keep_id), _customer(session, drop_id)
            if keep.merged_into_id is not None or drop.merged_into_id is not None:
                raise Conflict(reason="already_merged")
            if keep.kind != drop.kind:
                raise Conflict(reason="merge_kinds_differ")
            moved: dict[str, int] = {}
            for name, column in _REFERENCES.items():
                result = session.execute(update(column.class_).where(column == drop.id).values({column.key: keep.id}))
                moved[name] = result.rowcount or 0
            known = set(session.scalars(select(CustomerPhone.number_index).where(CustomerPhone.customer_id == keep.id)))
            phones = session.scalars(select(CustomerPhone).where(CustomerPhone.customer_id == drop.id)).all()
            moved["phones"] = 0
            for phone in phones:
                if phone.number_index in known:
                    session.delete(phone)
                else:
                    phone.customer_id = keep.id
                    known.add(phone.number_index)
                    moved["phones"] += 1
            unindex_name(session, drop.id, search_form(drop.name))
            drop.merged_into_id = keep.id
            record_in(session, actor, AuditAction.MERGE, at=clock(), target_type="customer", target_id=keep.id,
                      detail={"kept": keep.id, "merged": drop.id, "reason": reason, "moved": moved})
            publish(session, TOPIC_CUSTOMERS, None)
        return moved
