"""ORM models: one schema for SQLite and PostgreSQL. Every row carries its branch.

The models live in one module per area; this package imports them all, so every table is on
``Base.metadata`` (Alembic's env.py and the model/migration test read it from here), and
``from app.db.models import Ticket`` works wherever a model is needed."""

from __future__ import annotations

from app.db.models.base import NAMING, Base
from app.db.models.branches import Branch, BranchSetting, BusinessType, Counter, CounterEvent, CounterService, User
from app.db.models.queue import Appointment, SatisfactionRating, Ticket, TicketEvent, TicketSequence
from app.db.models.security import AuditEntry, AuditSeal, DataKey
from app.db.models.checklists import ChecklistRun, ChecklistStepResult, ChecklistTemplate
from app.db.models.complaints import Complaint, ComplaintEvent, ComplaintPause, ComplaintSequence
from app.db.models.customers import (
    Customer,
    CustomerAccount,
    CustomerNameGram,
    CustomerNote,
    CustomerPhone,
    FollowUp,
)

# Models kept in modules of their own, registered on Base.metadata with the others (Alembic's
# autogenerate and the model/migration test see them through this package).
from app.db import change_counters as _change_counters  # noqa: E402,F401

__all__ = [
    "NAMING", "Base",
    "Branch", "BranchSetting", "BusinessType", "Counter", "CounterEvent", "CounterService", "User",
    "Appointment", "SatisfactionRating", "Ticket", "TicketEvent", "TicketSequence",
    "AuditEntry", "AuditSeal", "DataKey",
    "ChecklistRun", "ChecklistStepResult", "ChecklistTemplate",
    "Complaint", "ComplaintEvent", "ComplaintPause", "ComplaintSequence",
    "Customer", "CustomerAccount", "CustomerNameGram", "CustomerNote", "CustomerPhone", "FollowUp",
]
