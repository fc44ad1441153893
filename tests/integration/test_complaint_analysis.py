"""Monthly complaint analysis: figures, PDF with chart, CSV, and the admin CLI, on both databases."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from app.db.models import AuditEntry, Counter, User
from app.domain.errors import PermissionDenied
from app.services.complaint_analysis import ComplaintAnalysis
from app.services.complaint_reads import ComplaintReads
from app.services.complaints import ComplaintService
from tests.unit.printing.pdfcheck import all_text, read

from .complaint_helpers import walk_in_entry
from .test_cli import Cli


@pytest.fixture
def month(db, clock, branch, actors):  # type: ignore[no-untyped-def]
    """November 2026: four complaints (one decided late, one decided in time, one open overdue, one open)."""
    service = ComplaintService(db, clock=clock)
    reads = ComplaintReads(db, clock=clock)
    with db.read() as session:
        window3 = session.scalar(select(Counter.id).where(Counter.branch_id == branch.id, Counter.number == 3))
        teller3 = session.scalar(select(User.id).where(User.username == "teller3"))
    clock.set("2026-11-02T02:00:00+00:00")
    late = service.submit(actors.lobby, branch.id, walk_in_entry(reason="pricing_fees", category="product",
                                                                  subject_counter_id=window3, subject_user_id=teller3))
    timely = service.submit(actors.lobby, branch.id, walk_in_entry(subject_counter_id=window3))
    overdue = service.submit(actors.lobby, branch.id, walk_in_entry(channel="mobile_app", business="bank_cards"))
    ids = {r.reference: r.id for r in reads.list(actors.lobby, branch.id)}
    for ref in (late, timely):
        service.accept(actors.lobby, ids[ref])
        service.investigate(actors.lobby, ids[ref])
    clock.set("2026-11-12T02:00:00+00:00")
    service.decide(actors.lobby, ids[timely], "在期限内处理")  # 10 days
    clock.set("2026-11-20T02:00:00+00:00")
    service.decide(actors.lobby, ids[late], "超期处理")  # 18 days > 15
    clock.set("2026-11-23T02:00:00+00:00")
    service.submit(actors.lobby, branch.id, walk_in_entry())  # open, in time
    service.submit(actors.lobby, branch.id, walk_in_entry(), received_on=date(2026, 10, 30))  # October: not counted
    return late, timely, overdue


def test_monthly_figures(db, clock, branch, actors, month) -> None:  # type: ignore[no-untyped-def]
    analysis = ComplaintAnalysis(db, "BranchDesk 银行", clock=clock).monthly(actors.supervisor, branch.id, 2026, 11)
    assert (analysis.total, analysis.decided, analysis.open, analysis.overdue) == (4, 2, 2, 2)
    assert analysis.overdue_rate == 0.5
    assert analysis.average_handling_days == 14.0 and analysis.max_handling_days == 18
    reasons = {code: count for code, _, count in analysis.by_dimension["reason"]}
    assert reasons["pricing_fees"] == 1 and reasons["service_attitude"] == 3 and reasons["marketing"] == 0
    assert dict((c, n) for c, _, n in analysis.by_dimension["channel"])["mobile_app"] == 1
    assert analysis.by_counter == [("3号窗口", 2), ("—", 2)]
    assert ("刘洋", 1) not in analysis.by_staff and ("陈静", 1) in analysis.by_staff


def test_pdf_has_the_figures_and_a_chart_and_is_audited(db, clock, branch, actors, month) -> None:  # type: ignore[no-untyped-def]
    pdf = ComplaintAnalysis(db, "BranchDesk 银行", clock=clock).pdf(actors.supervisor, branch.id, 2026, 11)
    text = all_text(read(pdf))
    assert "投诉情况月度分析（2026-11）" in text
    assert "投诉总数4" in text and "超期率50.0%" in text and "平均处理天数14.0天" in text
    assert "投诉原因分布（件）" in text and "定价收费" in text and "按业务类别" in text
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "report")).one()
    assert entry.target_id == "2026-11" and json.loads(entry.detail) == {"complaints": 4, "format": "pdf"}


def test_csv_reads_back(db, clock, branch, actors, month) -> None:  # type: ignore[no-untyped-def]
    text = ComplaintAnalysis(db, "BranchDesk 银行", clock=clock).csv(actors.supervisor, branch.id, 2026, 11)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    figures = {(r["section"], r["key"]): r["value"] for r in rows}
    assert figures[("summary", "total")] == "4" and figures[("summary", "overdue_rate")] == "0.5"
    assert figures[("summary", "max_handling_days")] == "18"
    assert figures[("reason", "pricing_fees")] == "1" and figures[("severity", "general")] == "4"


def test_tellers_may_not_run_the_analysis(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        ComplaintAnalysis(db, "银行", clock=clock).monthly(actors.teller1, branch.id, 2026, 11)


def test_cli_list_and_analysis(db, db_url, clock, branch, actors, month, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(db_url, capsys)
    listed = cli.json("complaints", "list", "--month", "2026-11")
    assert sorted(r["reference"] for r in listed) == [f"TS-2026-{n:04d}" for n in (1, 2, 3, 4)]
    assert {r["status"] for r in listed} == {"received", "decided"}
    pdf_path, csv_path = tmp_path / "nov.pdf", tmp_path / "out" / "nov.csv"
    result = cli.json("complaints", "analysis", "--month", "2026-11", "--out", str(pdf_path))
    assert result["path"] == str(pdf_path) and "投诉总数4" in all_text(read(pdf_path.read_bytes()))
    cli.ok("complaints", "analysis", "--month", "2026-11", "--out", str(csv_path))
    assert "summary,total,投诉总数,4" in csv_path.read_text(encoding="utf-8-sig")
    assert "month" in cli.refused("complaints", "analysis", "--month", "2026-13", "--out", str(pdf_path))
    assert "--out" in cli.refused("complaints", "analysis", "--month", "2026-11", "--out", str(tmp_path / "x.txt"))
