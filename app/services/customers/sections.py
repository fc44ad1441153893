"""The customer profile's sections from other areas: checklists done and complaints.

Registered with :func:`app.services.customer_views.register_profile_section` when this module
is imported (app.services.customers.service imports it). A merge of duplicates moves both: complaints
by their customer_id (app/services/customers/merge.py), checklist runs with their tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import BusinessType, ChecklistRun, ChecklistTemplate, Complaint, Ticket
from app.domain.complaints_vocab import CATEGORIES
from app.services.checklist_state import load_run_state
from app.services.customers.views import register_profile_section

#: How many of the newest runs and complaints a profile lists.
SECTION_LIMIT = 20

_STATUS_ZH = {"received": "已受理", "accepted": "已立案", "investigating": "调查中", "extended": "已延期",
              "decided": "已作出决定", "reply_sent": "已答复", "closed": "已办结", "review_requested": "申请复核",
              "withdrawn": "已撤回", "merged": "已合并", "draft": "草稿"}


@dataclass(frozen=True)
class ChecklistLine:
    day: date
    ticket: str
    business: str
    template_version: int
    complete: bool
    resolved: int
    total: int

    @property
    def summary(self) -> str:
        state = "已完成" if self.complete else f"进行中 {self.resolved}/{self.total}"
        return f"{self.day}  {self.ticket}  {self.business}（第 {self.template_version} 版）  {state}"


@dataclass(frozen=True)
class ComplaintLine:
    reference: str
    received_on: date | None
    category: str
    status: str
    due_on: date | None

    @property
    def summary(self) -> str:
        due = f"  期限 {self.due_on}" if self.due_on and self.status not in ("closed", "withdrawn", "merged") else ""
        return f"{self.reference}  {self.received_on or ''}  {self.category}  {_STATUS_ZH.get(self.status, self.status)}{due}"


def checklists_of_customer(session: Session, customer_id: int) -> list[ChecklistLine]:
    runs = session.execute(
        select(ChecklistRun, Ticket.business_day, Ticket.display_number, BusinessType.name_zh)
        .join(Ticket, Ticket.id == ChecklistRun.ticket_id)
        .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistRun.template_id)
        .join(BusinessType, BusinessType.code == ChecklistTemplate.business_type_code)
        .where(Ticket.customer_id == customer_id)
        .order_by(ChecklistRun.started_at.desc()).limit(SECTION_LIMIT)).all()
    lines = []
    for run, day, number, business in runs:
        progress = load_run_state(session, run).progress
        lines.append(ChecklistLine(day=day, ticket=number, business=business, template_version=run.template.version,
                                   complete=progress.complete, resolved=progress.resolved, total=progress.total))
    return lines


def complaints_of_customer(session: Session, customer_id: int) -> list[ComplaintLine]:
    labels = {term.code: term.zh for term in CATEGORIES.terms}
    rows = session.scalars(select(Complaint).where(Complaint.customer_id == customer_id,
                                                   Complaint.status != "draft")
                           .order_by(Complaint.id.desc()).limit(SECTION_LIMIT))
    return [ComplaintLine(reference=c.reference or "", received_on=c.received_on,
                          category=labels.get(c.category or "", "未分类"), status=c.status, due_on=c.due_on)
            for c in rows]


register_profile_section("checklists", checklists_of_customer)
register_profile_section("complaints", complaints_of_customer)
