"""A report as a file: PDF (app/printing/report_pdf.py), CSV (UTF-8 with BOM, so Excel on a
Chinese Windows opens it right) or XLSX (openpyxl, one sheet per table, numbers as numbers)."""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.styles import Font

from app.domain.cell_safety import safe_row
from app.domain.errors import ValidationError
from app.printing.report_pdf import build_report_pdf
from app.services.reports import BranchReport, flatten


class ReportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def of_path(cls, name: str) -> ReportFormat:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        try:
            return cls(suffix)
        except ValueError:
            raise ValidationError(field="output file", reason="file_type",
                                  extensions=tuple(f".{kind.value}" for kind in cls)) from None


def _header(report: BranchReport) -> list[list[str]]:
    return [[report.title], ["网点", "、".join(report.branch_names)], ["期间", report.period],
            ["生成时间", report.generated_at.isoformat(timespec="seconds")], ["生成人", report.generated_by], []]


def to_csv(report: BranchReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(safe_row(line) for line in _header(report))
    writer.writerows(safe_row("" if v is None else v for v in line) for line in flatten(report.tables))
    return out.getvalue().encode("utf-8-sig")


_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(report: BranchReport) -> bytes:
    book = Workbook()
    info = book.active
    info.title = "报表信息"
    for line in _header(report):
        info.append(safe_row(line))
    bold = Font(bold=True)
    for table in report.tables:
        sheet = book.create_sheet(_SHEET_UNSAFE.sub("_", table.title)[:31])
        sheet.append(safe_row(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(safe_row(row))  # openpyxl would store "=…" text as a formula
        for index, title in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(10, len(title) * 2 + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(report: BranchReport, fmt: ReportFormat | str, *, bank_name: str) -> bytes:
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.PDF:
        return build_report_pdf(report, bank_name=bank_name)
    return to_csv(report) if fmt is ReportFormat.CSV else to_xlsx(report)
