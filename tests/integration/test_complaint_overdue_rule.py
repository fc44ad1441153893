"""The overdue rule and its SQL twin agree, on SQLite and PostgreSQL.

app/domain/complaint_overdue.py decides for one complaint in Python (the list rows, the
reports); app/db/complaint_overdue_sql.py is the same rule as a WHERE clause (the list
filters, the dashboard counts). Both are run here on the same stored rows."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.db.complaint_overdue_sql import due_soon_clause, overdue_clause
from app.db.models import Complaint
from app.domain.complaint_overdue import due_soon, missed_deadline, overdue
from app.domain.complaints import ComplaintStatus
from app.services.complaint_reads import ComplaintFilter, ComplaintReads
from app.services.complaints import ComplaintService

from .complaint_helpers import walk_in_entry

S = ComplaintStatus
TODAY = date(2026, 11, 23)  # the clock fixture's business day in Shanghai
NEAR = 3


def day(offset: int | None) -> date | None:
    return None if offset is None else TODAY + timedelta(days=offset)


@dataclass(frozen=True)
class Case:
    name: str
    status: str
    due: int | None  # days from TODAY
    paused: bool = False
    decided: int | None = None  # days from TODAY
    # expected: overdue, due soon (within NEAR days), missed the deadline
    expected: tuple[bool, bool, bool] = (False, False, False)


CASES = [
    Case("due exactly today", S.RECEIVED, 0, expected=(False, True, False)),
    Case("due yesterday", S.INVESTIGATING, -1, expected=(True, False, True)),
    Case("due long ago", S.ACCEPTED, -30, expected=(True, False, True)),
    Case("due tomorrow", S.ACCEPTED, 1, expected=(False, True, False)),
    Case("due at the end of the near window", S.RECEIVED, NEAR, expected=(False, True, False)),
    Case("due the day after the near window", S.RECEIVED, NEAR + 1),
    Case("open and not yet due", S.RECEIVED, 15),
    Case("extended: past the first term, within the extension", S.EXTENDED, 10),
    Case("extended and due today", S.EXTENDED, 0, expected=(False, True, False)),
    Case("extended and overdue", S.EXTENDED, -1, expected=(True, False, True)),
    Case("paused past its due date", S.INVESTIGATING, -1, paused=True),
    Case("paused and due today", S.EXTENDED, 0, paused=True),
    Case("decided late", S.DECIDED, -5, decided=-3, expected=(False, False, True)),
    Case("decided on the due day", S.DECIDED, -5, decided=-5),
    Case("closed late", S.CLOSED, -10, decided=-9, expected=(False, False, True)),
    Case("closed in time", S.CLOSED, -10, decided=-12),
    Case("reply sent late", S.REPLY_SENT, -4, decided=-2, expected=(False, False, True)),
    Case("review requested after a timely decision", S.REVIEW_REQUESTED, -4, decided=-6),
    Case("withdrawn without a decision, past the due date", S.WITHDRAWN, -5),
    Case("merged, past the due date", S.MERGED, -5),
    Case("a draft has no due date", S.DRAFT, None),
]


def _store(db, branch_id: int, rows: list[tuple[str, int | None, bool, int | None]]) -> list[int]:  # type: ignore[no-untyped-def]
    now = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
    with db.write() as session:
        complaints = [Complaint(branch_id=branch_id, status=str(status), due_on=day(due), decided_on=day(decided),
                                paused_since=day(min(due or 0, 0) - 1) if paused else None,
                                received_on=None if due is None else day(due - 15), created_at=now, updated_at=now,
                                extensions=0, attachments="[]")
                      for status, due, paused, decided in rows]
        session.add_all(complaints)
        session.flush()
        return [c.id for c in complaints]


def _sql(db, ids: list[int], clause) -> set[int]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return set(session.scalars(select(Complaint.id).where(Complaint.id.in_(ids), clause)))


def _python(db, ids: list[int], rule) -> set[int]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        stored = session.scalars(select(Complaint).where(Complaint.id.in_(ids))).all()
        return {c.id for c in stored if rule(c)}


def test_named_boundaries(db, branch) -> None:  # type: ignore[no-untyped-def]
    ids = _store(db, branch.id, [(c.status, c.due, c.paused, c.decided) for c in CASES])
    by_id = dict(zip(ids, CASES))
    sql_overdue = _sql(db, ids, overdue_clause(TODAY))
    sql_soon = _sql(db, ids, due_soon_clause(TODAY, NEAR))
    with db.read() as session:
        for stored in session.scalars(select(Complaint).where(Complaint.id.in_(ids))):
            case = by_id[stored.id]
            paused = stored.paused_since is not None
            got = (overdue(stored.status, stored.due_on, paused, TODAY),
                   due_soon(stored.status, stored.due_on, paused, TODAY, NEAR),
                   missed_deadline(stored.status, stored.due_on, stored.decided_on, paused, TODAY))
            assert got == case.expected, case.name
            assert (stored.id in sql_overdue, stored.id in sql_soon) == got[:2], case.name


def test_python_and_sql_agree_on_every_status_date_and_pause(db, branch) -> None:  # type: ignore[no-untyped-def]
    offsets = (-30, -2, -1, 0, 1, 2, 3, 4, 30, None)
    rows = [(status.value, due, paused, None) for status, due, paused in
            itertools.product(ComplaintStatus, offsets, (False, True))]
    ids = _store(db, branch.id, rows)

    def is_overdue(c: Complaint) -> bool:
        return overdue(c.status, c.due_on, c.paused_since is not None, TODAY)

    assert _sql(db, ids, overdue_clause(TODAY)) == _python(db, ids, is_overdue)
    for within in (0, 1, NEAR, 30):
        def soon(c: Complaint, within: int = within) -> bool:
            return due_soon(c.status, c.due_on, c.paused_since is not None, TODAY, within)

        assert _sql(db, ids, due_soon_clause(TODAY, within)) == _python(db, ids, soon), within
    assert _python(db, ids, is_overdue)  # the grid holds overdue complaints, and
    assert _python(db, ids, is_overdue) != set(ids)  # complaints that are not


@pytest.fixture
def services(db, clock):  # type: ignore[no-untyped-def]
    return ComplaintService(db, clock=clock), ComplaintReads(db, clock=clock)


def test_the_list_rows_and_the_filters_and_counts_agree(db, clock, branch, actors, services) -> None:  # type: ignore[no-untyped-def]
    """Complaints made the way the product makes them: rows (Python) and filters, counts (SQL) agree."""
    complaints, reads = services
    submitted = {name: complaints.submit(actors.lobby, branch.id, walk_in_entry(), received_on=TODAY - timedelta(
        days=ago)) for name, ago in (("late", 20), ("due today", 15), ("near", 13), ("fresh", 0),
                                     ("extended", 20), ("paused", 20), ("decided late", 20))}
    ids = {row.reference: row.id for row in reads.list(actors.lobby, branch.id)}
    for name in ("extended", "paused", "decided late"):
        complaints.accept(actors.lobby, ids[submitted[name]])
        complaints.investigate(actors.lobby, ids[submitted[name]])
    complaints.extend(actors.supervisor, ids[submitted["extended"]], "需调取录像")
    complaints.pause(actors.lobby, ids[submitted["paused"]], "等待司法鉴定")
    complaints.decide(actors.lobby, ids[submitted["decided late"]], "经核实，柜员已道歉。")

    rows = {row.reference: row for row in reads.list(actors.lobby, branch.id)}
    overdue_rows = {ref for ref, row in rows.items() if row.overdue}
    soon_rows = {ref for ref, row in rows.items() if row.near_due}
    assert overdue_rows == {submitted["late"]}
    assert soon_rows == {submitted["due today"], submitted["near"]}
    assert {r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(overdue=True))} == overdue_rows
    assert {r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(due_within_days=NEAR))} \
        == soon_rows
    counts = reads.dashboard_counts(branch.id)
    assert (counts.open, counts.due_soon, counts.overdue) == (6, len(soon_rows), len(overdue_rows))
