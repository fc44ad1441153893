"""Segments: customers of a branch picked by a filter, counted, and exported for contact.

A filter combines tiers, compliance statuses, the owning manager, dormancy (no ticket in the
last N days) and review due; a count is one SQL statement. An export for contact keeps only
customers whose consent covers marketing contact, masked as every list is (name, phone), needs
``export_customers`` and is audited with the filter and the number of rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import Customer, CustomerPhone, Ticket
from app.domain.cell_safety import safe_row
from app.domain.errors import ValidationError
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission
from app.domain.tiers import Compliance, Tier
from app.services.actor import Actor
from app.services.audit import AuditAction, record, require
from app.services.customers.service import CustomerService, display_name

#: Rows of an export for contact, at most (a campaign list, not the customer base).
MAX_EXPORT = 100_000
EXPORT_COLUMNS = ("customer", "name", "phone", "tier")


@dataclass(frozen=True)
class SegmentFilter:
    tiers: tuple[str, ...] = ()
    compliance: tuple[str, ...] = ()
    #: Customers of this manager (user id); a relationship manager always sees their own only.
    manager_id: int | None = None
    #: No ticket in the last N days (dormant, 睡眠客户).
    dormant_days: int | None = None
    review_due: bool = False

    def checked(self) -> SegmentFilter:
        for values, enum, field in ((self.tiers, Tier, "tier"), (self.compliance, Compliance, "compliance")):
            allowed = {member.value for member in enum}
            if not set(values) <= allowed:
                raise ValidationError(field=field, reason="one_of", choices=tuple(sorted(allowed)))
        if self.dormant_days is not None and not 1 <= self.dormant_days <= 3650:
            raise ValidationError(field="dormant days", reason="number_range", minimum=1, maximum=3650)
        return self


class Segments:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def _where(self, actor: Actor, branch_id: int, where: SegmentFilter) -> ColumnElement:  # type: ignore[type-arg]
        where = where.checked()
        today = self.customers.today()
        conditions = [Customer.branch_id == branch_id, Customer.merged_into_id.is_(None)]
        if where.tiers:
            conditions.append(Customer.tier.in_(where.tiers))
        if where.compliance:
            conditions.append(Customer.compliance.in_(where.compliance))
        manager = actor.user_id if actor.role in RELATIONSHIP_MANAGERS else where.manager_id
        if manager is not None:
            conditions.append(Customer.manager_id == manager)
        if where.dormant_days is not None:
            since = today - timedelta(days=where.dormant_days)
            conditions.append(~exists().where(Ticket.customer_id == Customer.id, Ticket.business_day >= since))
        if where.review_due:
            conditions.append(Customer.review_due_on <= today)
        return and_(*conditions)

    def count(self, actor: Actor, branch_id: int, where: SegmentFilter) -> int:
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.customers.clock)
        condition = self._where(actor, branch_id, where)
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(Customer).where(condition)) or 0

    def export_for_contact(self, actor: Actor, branch_id: int, where: SegmentFilter) -> tuple[str, int]:
        """CSV text (masked) of the segment's customers who agreed to marketing contact, and its rows."""
        require(self.db, actor, Permission.EXPORT_CUSTOMERS, clock=self.customers.clock)
        condition = and_(self._where(actor, branch_id, where), Customer.consent_scope.like("%marketing%"))
        with self.db.read() as session:
            customers = session.execute(select(Customer.id, Customer.kind, Customer.name, Customer.tier)
                                        .where(condition).order_by(Customer.id).limit(MAX_EXPORT + 1)).all()
            if len(customers) > MAX_EXPORT:
                raise ValidationError(field="segment", reason="max_items", limit=MAX_EXPORT)
            phones: dict[int, str] = {}
            ids = [row.id for row in customers]
            for start in range(0, len(ids), 500):
                for customer_id, masked in session.execute(
                        select(CustomerPhone.customer_id, CustomerPhone.number_masked)
                        .where(CustomerPhone.customer_id.in_(ids[start:start + 500])).order_by(CustomerPhone.id)):
                    phones.setdefault(customer_id, masked)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        for row in customers:
            writer.writerow(safe_row([row.id, display_name(row.kind, row.name), phones.get(row.id, ""), row.tier]))
        record(self.db, actor, AuditAction.EXPORT, clock=self.customers.clock, target_type="customers",
               branch_id=branch_id, detail={"segment": {k: v for k, v in asdict(where).items() if v},
                                            "rows": len(customers), "masked": True, "purpose": "contact"})
        return out.getvalue(), len(customers)
