"""When a complaint is overdue: the one rule, for every screen, command and report.

Its SQL twin, :mod:`app.db.complaint_overdue_sql`, builds the same rule as a WHERE clause for
the list filter and the dashboard counts; ``tests/integration/test_complaint_overdue_rule.py``
proves on SQLite and PostgreSQL that the two agree.

The rule works on what a complaint row stores: its status, its due date (which already holds
every extension and every closed appraisal pause, app/domain/complaint_deadline.py), whether
an appraisal pause is open, and the decision date. Dates are the branch's calendar days.

- Its deadline *runs* while it is in an open state (app/domain/complaints.OPEN_STATES) and not
  waiting for an outside appraisal (a paused clock stands still).
- It is *overdue* on ``today`` when its deadline runs and ``today`` is after the due date: on
  the due date itself it is not overdue yet. Once decided, withdrawn or merged it is not
  overdue any more, however late that was.
- It is *due soon* when its deadline runs and the due date is between ``today`` and ``within``
  days after it (the due day itself counts).
- It *missed its deadline* (超期, what the monthly figures count) when it was decided after the
  due date, or is overdue on ``today``.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.complaints import OPEN_STATES

#: The open states as stored (the SQL twin compares the status column with these).
OPEN_VALUES: tuple[str, ...] = tuple(sorted(s.value for s in OPEN_STATES))


def deadline_runs(status: str, paused: bool) -> bool:
    return status in OPEN_VALUES and not paused


def overdue(status: str, due_on: date | None, paused: bool, today: date) -> bool:
    """Its deadline runs and ``today`` is after the due date (SQL twin: ``overdue_clause``)."""
    return deadline_runs(status, paused) and due_on is not None and today > due_on


def due_soon(status: str, due_on: date | None, paused: bool, today: date, within: int) -> bool:
    """Its deadline runs and it falls due within ``within`` days (SQL twin: ``due_soon_clause``)."""
    return (deadline_runs(status, paused) and due_on is not None
            and today <= due_on <= today + timedelta(days=within))


def decided_late(due_on: date | None, decided_on: date | None) -> bool:
    return due_on is not None and decided_on is not None and decided_on > due_on


def missed_deadline(status: str, due_on: date | None, decided_on: date | None, paused: bool, today: date) -> bool:
    """Decided after the due date, or overdue on ``today``: the 超期 of the monthly figures."""
    return decided_late(due_on, decided_on) or overdue(status, due_on, paused, today)
