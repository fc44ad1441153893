"""The SQL twin of app/domain/complaint_overdue.py: the same rule as WHERE clauses on ``complaints``.

Each function mirrors the domain function of the same name (``overdue`` → ``overdue_clause``);
change both together. ``tests/integration/test_complaint_overdue_rule.py`` proves they agree on
SQLite and PostgreSQL. Dates are compared as dates (the ``Date`` columns), never as text.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_

from app.db.models import Complaint
from app.domain.complaint_overdue import OPEN_VALUES


def deadline_runs_clause() -> ColumnElement[bool]:
    return and_(Complaint.status.in_(OPEN_VALUES), Complaint.paused_since.is_(None))


def overdue_clause(today: date) -> ColumnElement[bool]:
    return and_(deadline_runs_clause(), Complaint.due_on.is_not(None), Complaint.due_on < today)


def due_soon_clause(today: date, within: int) -> ColumnElement[bool]:
    return and_(deadline_runs_clause(), Complaint.due_on.is_not(None), Complaint.due_on >= today,
                Complaint.due_on <= today + timedelta(days=within))
