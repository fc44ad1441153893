"""``branchdesk-admin report daily|monthly``: a branch report to a PDF, CSV or XLSX file."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import Commands, Context, emit
from app.domain.business_day import business_day, utcnow
from app.domain.errors import ValidationError
from app.output_files import write_bytes
from app.services.report_export import ReportFormat, export
from app.services.reports import ReportKind


def _run(kind: ReportKind):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> int:
        out = Path(ctx.args.out)
        fmt = ReportFormat.of_path(out.name)
        try:
            day = date.fromisoformat(ctx.args.date) if ctx.args.date else None
        except ValueError:
            raise ValidationError(field="--date", reason="date_format") from None
        service = ctx.services.reports
        branch = None if ctx.args.all_branches else ctx.branch()
        code = branch.code if branch is not None else None
        if day is None:  # today, as the branch's business day (not this computer's calendar date)
            zone = branch.timezone if branch is not None else ctx.settings.get("branch.timezone")
            day = business_day(utcnow(), zone)
        report = service.build(ctx.actor, kind, day, branch_code=code, all_branches=ctx.args.all_branches)
        data = export(report, fmt, bank_name=ctx.settings.get("printing.bank_name"))
        write_bytes(out, data)
        emit(ctx.args, {"kind": kind.value, "period": [report.scope.start, report.scope.end],
                        "branches": list(report.branch_names), "out": str(out), "bytes": len(data)},
             f"{report.title} {report.period} → {out} ({len(data)} bytes)")
        return 0
    return run


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    report = Commands(areas, "report", "daily and monthly branch reports", common)
    for kind, help_text in ((ReportKind.DAILY, "the daily report of --date"),
                            (ReportKind.MONTHLY, "the monthly report of --date's month")):
        p = report.add(kind.value, _run(kind), help_text)
        p.add_argument("--date", metavar="YYYY-MM-DD", help="day (default: today)")
        p.add_argument("--all-branches", action="store_true",
                       help="every branch on the (shared) database instead of --branch")
        p.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf, FILE.csv or FILE.xlsx")
