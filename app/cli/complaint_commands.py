"""``branchdesk-admin complaints …``: the complaint register and its monthly analysis."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import Commands, Context, emit
from app.domain.complaint_analysis import parse_month
from app.domain.complaints import ComplaintStatus
from app.domain.errors import ValidationError
from app.output_files import write_bytes, write_text
from app.services.complaint_reads import ComplaintFilter


def cmd_list(ctx: Context) -> int:
    where = ComplaintFilter(status=ctx.args.status, overdue=ctx.args.overdue,
                            due_within_days=ctx.args.due_within,
                            month=parse_month(ctx.args.month) if ctx.args.month else None)
    rows = ctx.services.complaint_reads.list(
        ctx.actor, ctx.branch().id, where)
    lines = [f"{r.reference or f'#{r.id}'}  {r.status:<16} received {r.received_on or '-'}  due {r.due_on or '-'}"
             + ("  OVERDUE" if r.overdue else "  near due" if r.near_due else "") for r in rows]
    emit(ctx.args, rows, "\n".join(lines) or "no complaints")
    return 0


def cmd_analysis(ctx: Context) -> int:
    year, month = parse_month(ctx.args.month)
    out = Path(ctx.args.out)
    service = ctx.services.complaint_analysis
    branch_id = ctx.branch().id
    if out.suffix.lower() == ".pdf":
        data = service.pdf(ctx.actor, branch_id, year, month)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(out, data)
        size = len(data)
    elif out.suffix.lower() == ".csv":
        text = service.csv(ctx.actor, branch_id, year, month)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_text(out, text, encoding="utf-8", newline="")
        size = len(text.encode("utf-8"))
    else:
        raise ValidationError(field="--out", reason="file_type", extensions=(".pdf", ".csv"))
    emit(ctx.args, {"month": f"{year:04d}-{month:02d}", "path": str(out), "bytes": size},
         f"complaint analysis {year:04d}-{month:02d} written to {out} ({size} bytes)")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    complaints = Commands(areas, "complaints", "consumer complaints", common)
    p = complaints.add("list", cmd_list, "list the branch's complaints (complainants' names masked)")
    p.add_argument("--status", choices=[s.value for s in ComplaintStatus])
    p.add_argument("--overdue", action="store_true", help="only complaints past their due date")
    p.add_argument("--due-within", type=int, metavar="DAYS", help="only open complaints due within DAYS days")
    p.add_argument("--month", metavar="YYYY-MM", help="only complaints received in this month")
    p = complaints.add("analysis", cmd_analysis, "monthly analysis as PDF (with chart) or CSV")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.csv")
