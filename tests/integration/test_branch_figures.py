"""The dashboard and the reports with the complaints figures wired in (app/services/branch_figures.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.branch_figures import dashboard_service, report_service
from app.services.complaints import ComplaintService
from app.settings import Settings

from .complaint_helpers import walk_in_entry


@pytest.fixture
def complaints(db, clock):  # type: ignore[no-untyped-def]
    return ComplaintService(db, clock=clock)


def _three_complaints(complaints, branch, actors) -> None:  # type: ignore[no-untyped-def]
    complaints.submit(actors.lobby, branch.id, walk_in_entry(), received_on=date(2026, 11, 1))  # overdue
    complaints.submit(actors.lobby, branch.id, walk_in_entry(category="product"), received_on=date(2026, 11, 10))
    complaints.submit(actors.lobby, branch.id, walk_in_entry())  # today, Nov 23
    complaints.save_draft(actors.lobby, branch.id, walk_in_entry())  # a draft counts nowhere


def test_dashboard_shows_open_near_due_and_overdue_complaints(db, clock, branch, actors,
                                                              complaints) -> None:  # type: ignore[no-untyped-def]
    service = dashboard_service(db, Settings(), clock)
    assert service.snapshot(actors.lobby, branch.id).extras["complaints"].open == 0
    _three_complaints(complaints, branch, actors)
    counts = service.snapshot(actors.lobby, branch.id).extras["complaints"]
    assert (counts.open, counts.due_soon, counts.overdue) == (3, 1, 1)


def test_monthly_report_has_a_complaints_summary_by_category(db, clock, branch, actors,
                                                             complaints) -> None:  # type: ignore[no-untyped-def]
    service = report_service(db, Settings(), clock)
    before = service.build(actors.supervisor, "monthly", date(2026, 11, 23))
    assert "complaints" not in [t.key for t in before.tables]  # no complaints: no empty section
    _three_complaints(complaints, branch, actors)
    report = service.build(actors.supervisor, "monthly", date(2026, 11, 23))
    table = report.table("complaints")
    rows = {row[0]: row[1:] for row in table.rows}
    # category: received, decided, open, overdue, average and longest handling days
    assert rows["服务类"] == (2, 0, 2, 1, None, None)
    assert rows["产品类"] == (1, 0, 1, 0, None, None)
    assert rows["合计"] == (3, 0, 3, 1, None, None)
    # The daily report of a day without complaints received has none.
    assert "complaints" not in [t.key for t in service.build(actors.supervisor, "daily", date(2026, 11, 2)).tables]
