"""Daily and monthly reports on a constructed month of real tickets, read back from PDF, CSV
and XLSX, on both databases; scope and permissions; the section hook."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.db.models import AuditEntry
from app.domain.errors import PermissionDenied
from app.services.report_export import export, to_csv, to_xlsx
from app.services.reports import ReportService, ReportTable
from app.services.satisfaction import SatisfactionService
from tests.unit.printing.pdfcheck import all_text, assert_fonts_are_embedded_subsets, read, squash

DAY = date(2026, 11, 23)
LOAN = ("个人贷款", 3, 2, 1, 33.3, 11.7, 20.0, 20.0, 8.0, 10.0, 10.0)
DEPOSIT = ("存取款", 1, 1, 0, 0.0, 5.0, 5.0, 5.0, 4.0, 4.0, 4.0)


@pytest.fixture
def month(db, clock, queue, branch, other_branch, actors):  # type: ignore[no-untyped-def]
    """23 Nov (Shanghai): C001 waits 2, served 10 (rated 5); B001 waits 5, served 4 from its call
    (rated 3); C002 waits 13, recalled twice, no-show; C003 waits 20, served 6 (rated 4).
    24 Nov: B001 waits 10, served 5. The other branch issues one ticket on the 23rd."""
    ratings = SatisfactionService(db, clock)
    c001 = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    b001 = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal")
    queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan")
    clock.advance(minutes=2)
    queue.call_ticket(actors.teller1, branch.id, 1, "C001", "test order")
    clock.advance(minutes=1)
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=2)  # 10:05
    queue.call_ticket(actors.teller2, branch.id, 2, "B001", "test order")
    clock.advance(minutes=4)
    queue.finish(actors.teller2, branch.id, 2)  # 10:09
    ratings.rate(actors.teller2, branch.id, b001.id, 3, "teller")
    clock.advance(minutes=4)
    queue.finish(actors.teller1, branch.id, 1)  # 10:13
    ratings.rate(actors.teller1, branch.id, c001.id, 5, "evaluator")
    queue.call_ticket(actors.teller1, branch.id, 1, "C002", "test order")
    queue.recall(actors.teller1, branch.id, 1)
    queue.recall(actors.teller1, branch.id, 1)
    clock.advance(minutes=7)  # 10:20
    queue.no_show(actors.teller1, branch.id, 1)
    c003 = queue.call_ticket(actors.teller1, branch.id, 1, "C003", "test order")
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=6)
    queue.finish(actors.teller1, branch.id, 1)
    ratings.rate(actors.teller1, branch.id, c003.id, 4, "evaluator")
    clock.set("2026-11-24T01:00:00+00:00")
    queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal")
    clock.advance(minutes=10)
    queue.call_next(actors.teller2, branch.id, 2)
    clock.advance(minutes=5)
    queue.finish(actors.teller2, branch.id, 2)
    return branch


@pytest.fixture
def reports(db, clock) -> ReportService:  # type: ignore[no-untyped-def]
    return ReportService(db, clock)


def test_daily_report_tables(month, reports, actors) -> None:  # type: ignore[no-untyped-def]
    report = reports.build(actors.lobby, "daily", DAY)
    assert (report.title, report.branch_names, report.scope.start, report.scope.end) == (
        "网点服务日报", ("BranchDesk 示范支行",), DAY, DAY)
    summary = dict(report.table("summary").rows)
    assert (summary["取号数"], summary["办结数"], summary["过号数"], summary["过号率(%)"]) == (4, 3, 1, 25.0)
    assert (summary["平均等候(分钟)"], summary["等候P90(分钟)"], summary["最长等候(分钟)"]) == (10.0, 20.0, 20.0)
    assert (summary["平均办理(分钟)"], summary["评价数"], summary["满意率(%)"]) == (6.7, 3, 66.7)
    assert report.table("by_business").rows == (DEPOSIT, LOAN)  # in the business types' order
    by_hour = {row[0]: row[1:] for row in report.table("by_hour").rows}
    assert by_hour["10:00"] == (4, 3, 10.0) and by_hour["09:00"] == (0, 0, None)
    assert report.table("by_teller").rows == (
        ("刘洋", 1, 0, 4.0, 4.0, 1, 0.0, 3.0),
        ("张伟", 2, 1, 8.0, 10.0, 2, 100.0, 4.5),
    )
    assert report.table("satisfaction").rows[:3] == (("5 非常满意", 1, 33.3), ("4 满意", 1, 33.3),
                                                    ("3 一般", 1, 33.3))
    assert "by_day" not in [t.key for t in report.tables] and "by_branch" not in [t.key for t in report.tables]


def test_monthly_report_covers_the_month(month, reports, actors) -> None:  # type: ignore[no-untyped-def]
    report = reports.build(actors.lobby, "monthly", date(2026, 11, 5))
    assert (report.scope.start, report.scope.end, report.title) == (date(2026, 11, 1), date(2026, 11, 30),
                                                                    "网点服务月报")
    summary = dict(report.table("summary").rows)
    assert (summary["取号数"], summary["办结数"], summary["过号率(%)"], summary["平均等候(分钟)"]) == (5, 4, 20.0, 10.0)
    by_day = {row[0]: row[1:] for row in report.table("by_day").rows}
    assert len(by_day) == 30
    assert (by_day["11-23"], by_day["11-24"], by_day["11-01"]) == ((4, 3, 1, 10.0), (1, 1, 0, 10.0), (0, 0, 0, None))


def test_pdf_reads_back(month, reports, actors) -> None:  # type: ignore[no-untyped-def]
    report = reports.build(actors.lobby, "daily", DAY)
    reader = read(export(report, "pdf", bank_name="测试银行"))
    assert_fonts_are_embedded_subsets(reader)
    text = all_text(reader)
    for heading in ("网点服务日报", "概览", "按业务类型", "按时段", "按柜员", "满意度", "2026年11月23日"):
        assert heading in text
    assert squash("个人贷款 3 2 1 33.3 11.7 20.0 20.0 8.0 10.0 10.0") in text
    assert squash("张伟 2 1 8.0 10.0 2 100.0 4.5") in text
    assert squash("10:00 4 3 10.0") in text
    assert "投诉" not in text  # no complaints provider: no section, not even an empty one


def test_csv_reads_back(month, reports, actors) -> None:  # type: ignore[no-untyped-def]
    report = reports.build(actors.lobby, "daily", DAY)
    data = to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    start = lines.index(["按业务类型"])
    assert lines[start + 1][:5] == ["业务类型", "取号", "办结", "过号", "过号率(%)"]
    rows = {line[0]: line for line in lines[start + 2:start + 4]}
    assert rows["个人贷款"] == [str(v) for v in LOAN]
    teller = lines.index(["按柜员"])
    assert lines[teller + 2] == ["刘洋", "1", "0", "4.0", "4.0", "1", "0.0", "3.0"]


def test_xlsx_reads_back(month, reports, actors) -> None:  # type: ignore[no-untyped-def]
    report = reports.build(actors.lobby, "monthly", DAY)
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    assert book.sheetnames[:2] == ["报表信息", "概览"]
    sheet = book["按业务类型"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "业务类型"
    loan = next(r for r in rows if r[0] == "个人贷款")
    assert loan == LOAN  # numbers stay numbers
    by_day = {r[0]: r[1:] for r in book["按日"].iter_rows(min_row=2, values_only=True)}
    assert by_day["11-24"] == (1, 1, 0, 10.0)


def test_section_hook_renders_only_when_given(month, db, clock, actors) -> None:  # type: ignore[no-untyped-def]
    seen = []

    def complaints(session, scope):  # type: ignore[no-untyped-def]
        seen.append(scope)
        return ReportTable("complaints", "投诉汇总", ("状态", "数量"), (("受理中", 2), ("已办结", 5)))

    report = ReportService(db, clock, sections={"complaints": complaints}).build(actors.lobby, "daily", DAY)
    assert report.tables[-1].key == "complaints" and seen[0].start == DAY
    assert squash("受理中 2") in all_text(read(export(report, "pdf", bank_name="测试银行")))
    assert "投诉汇总" in load_workbook(io.BytesIO(to_xlsx(report))).sheetnames
    assert "投诉汇总" in to_csv(report).decode("utf-8-sig")


def test_scope_and_permissions(month, db, reports, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        reports.build(actors.teller1, "daily", DAY)
    with pytest.raises(PermissionDenied):
        reports.build(actors.lobby, "daily", DAY, branch_code="SH002")
    with pytest.raises(PermissionDenied):
        reports.build(actors.lobby, "daily", DAY, all_branches=True)
    reports.build(actors.lobby, "daily", DAY)  # own branch: not audited
    with db.read() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "report")).all() == []

    report = reports.build(actors.supervisor, "daily", DAY, all_branches=True)
    by_branch = report.table("by_branch").rows
    assert [row[:3] for row in by_branch] == [("DEMO BranchDesk 示范支行", 4, 3), ("SH002 浦东支行", 1, 0)]
    assert dict(report.table("summary").rows)["取号数"] == 5
    other = reports.build(actors.supervisor, "daily", DAY, branch_code="SH002")
    assert other.branch_names == ("浦东支行",)
    with db.read() as session:
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "report")
                                  .order_by(AuditEntry.id)).all()
    assert [(a.username, a.target_id) for a in audited] == [("supervisor", "daily:2026-11-23")] * 2
    assert '"all_branches": true' in audited[0].detail.replace('":true', '": true')


def test_cli_writes_each_format(month, db_url, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_cli import Cli

    cli = Cli(db_url, capsys)
    pdf, sheet, table = tmp_path / "d.pdf", tmp_path / "m.xlsx", tmp_path / "all.csv"
    assert "网点服务日报" in cli.ok("report", "daily", "--date", "2026-11-23", "--branch", "DEMO", "--out", str(pdf))
    assert squash("个人贷款 3 2 1 33.3") in all_text(read(pdf.read_bytes()))
    info = cli.json("report", "monthly", "--date", "2026-11-23", "--branch", "DEMO", "--out", str(sheet))
    assert (info["period"], info["branches"]) == (["2026-11-01", "2026-11-30"], ["BranchDesk 示范支行"])
    assert load_workbook(sheet)["按日"]["B24"].value == 4  # row 24 = 23 Nov (header + 22 days before it)
    cli.ok("report", "daily", "--date", "2026-11-23", "--all-branches", "--out", str(table))
    assert "SH002 浦东支行,1,0" in table.read_bytes().decode("utf-8-sig")
    code, _, err = cli.run("report", "daily", "--date", "23.11.2026", "--branch", "DEMO", "--out", str(pdf))
    assert code == 2 and "--date" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli.run("report", "daily", "--branch", "DEMO", "--out", str(tmp_path / "x.doc"))
    assert code == 2 and "output file" in err
