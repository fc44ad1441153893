"""``branchdesk-admin ticket …`` and ``print …``: the queue for kiosks and integrations."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import Commands, Context, emit, ticket_line
from app.domain.priority import PriorityClass
from app.domain.tickets import ServiceOutcome, TicketStatus, TransferPosition
from app.output_files import write_bytes
from app.printing.data import ROLL_WIDTHS_MM
from app.services.documents import DocumentService


def _day(ctx: Context) -> date | None:
    return date.fromisoformat(ctx.args.date) if getattr(ctx.args, "date", None) else None


def cmd_issue(ctx: Context) -> int:
    ticket = ctx.services.queue.issue_ticket(ctx.actor, ctx.branch().id, ctx.args.business, priority=ctx.args.priority,
                                      resident_id=ctx.args.id_number)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_call(ctx: Context) -> int:
    queue, branch = ctx.services.queue, ctx.branch()
    if ctx.args.ticket:
        ticket = queue.call_ticket(ctx.actor, branch.id, ctx.args.counter, ctx.args.ticket, ctx.args.reason)
    else:
        ticket = queue.call_next(ctx.actor, branch.id, ctx.args.counter)
    emit(ctx.args, ticket, ticket_line(ticket) if ticket else "nobody is waiting")
    return 0


def _on_counter(method: str):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> int:
        ticket = getattr(ctx.services.queue, method)(ctx.actor, ctx.branch().id, ctx.args.counter)
        emit(ctx.args, ticket, ticket_line(ticket))
        return 0
    return run


def cmd_finish(ctx: Context) -> int:
    ticket = ctx.services.queue.finish(ctx.actor, ctx.branch().id, ctx.args.counter, outcome=ctx.args.outcome,
                                note=ctx.args.note)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_requeue(ctx: Context) -> int:
    ticket = ctx.services.queue.requeue(ctx.actor, ctx.branch().id, ctx.args.counter, ctx.args.reason)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_park(ctx: Context) -> int:
    ticket = ctx.services.queue.park(ctx.actor, ctx.branch().id, ctx.args.counter, ctx.args.reason)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_resume(ctx: Context) -> int:
    ticket = ctx.services.queue.resume(ctx.actor, ctx.branch().id, ctx.args.counter, ctx.args.ticket)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_transfer(ctx: Context) -> int:
    ticket = ctx.services.queue.transfer(ctx.actor, ctx.branch().id, ctx.args.counter, to_business=ctx.args.to_business,
                                  to_counter=ctx.args.to_counter, position=ctx.args.position, reason=ctx.args.reason)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_list(ctx: Context) -> int:
    status = TicketStatus(ctx.args.status) if ctx.args.status else None
    tickets = ctx.services.queue.list_tickets(ctx.branch().id, status=status, day=_day(ctx))
    emit(ctx.args, tickets, "\n".join(ticket_line(t) for t in tickets) or "no tickets")
    return 0


def _documents(ctx: Context) -> DocumentService:
    return ctx.services.documents


def _write_pdf(ctx: Context, pdf: bytes, kind: str) -> int:
    out = Path(ctx.args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(out, pdf)
    emit(ctx.args, {"document": kind, "ticket": ctx.args.ticket.upper(), "path": str(out), "bytes": len(pdf)},
         f"{kind} for {ctx.args.ticket.upper()} written to {out} ({len(pdf)} bytes)")
    return 0


def cmd_print_slip(ctx: Context) -> int:
    pdf = _documents(ctx).ticket_slip(ctx.branch().id, ctx.args.ticket, day=_day(ctx), width_mm=ctx.args.width)
    return _write_pdf(ctx, pdf, "slip")


def cmd_print_receipt(ctx: Context) -> int:
    pdf = _documents(ctx).service_receipt(ctx.branch().id, ctx.args.ticket, day=_day(ctx))
    return _write_pdf(ctx, pdf, "receipt")


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    ticket = Commands(areas, "ticket", "queue tickets", common)
    p = ticket.add("issue", cmd_issue, "issue a ticket")
    p.add_argument("--business", required=True, metavar="CODE")
    p.add_argument("--priority", default=PriorityClass.NORMAL.value, choices=[c.value for c in PriorityClass])
    p.add_argument("--id-number", help="customer's resident ID: 65 and over are served through the green channel")
    p = ticket.add("list", cmd_list, "list the day's tickets")
    p.add_argument("--status", choices=[s.value for s in TicketStatus])
    p.add_argument("--date", help="business day YYYY-MM-DD (default today)")

    def at_counter(name: str, handler, text: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        parser = ticket.add(name, handler, text)
        parser.add_argument("--counter", required=True, type=int)
        return parser

    p = at_counter("call", cmd_call, "call the next ticket to a counter, or a given one with --ticket and --reason")
    p.add_argument("--ticket", metavar="NUMBER", help="call this waiting ticket out of order")
    p.add_argument("--reason", help="why a ticket is called out of order (required with --ticket)")
    at_counter("recall", _on_counter("recall"), "call the counter's ticket again")
    at_counter("start", _on_counter("start"), "start serving the counter's ticket")
    at_counter("no-show", _on_counter("no_show"), "mark the counter's ticket a no-show")
    p = at_counter("finish", cmd_finish, "finish the counter's ticket")
    p.add_argument("--outcome", default=ServiceOutcome.COMPLETED.value, choices=[o.value for o in ServiceOutcome])
    p.add_argument("--note")
    p = at_counter("requeue", cmd_requeue, "put the counter's called ticket back in the queue at its place")
    p.add_argument("--reason")
    p = at_counter("park", cmd_park, "set the counter's ticket aside and free the counter")
    p.add_argument("--reason")
    p = at_counter("resume", cmd_resume, "take a parked ticket back to the counter")
    p.add_argument("--ticket", required=True, metavar="NUMBER")
    p = at_counter("transfer", cmd_transfer, "send the counter's customer on to another business type or counter")
    p.add_argument("--to-business", metavar="CODE")
    p.add_argument("--to-counter", type=int, metavar="N")
    p.add_argument("--position", default=TransferPosition.ARRIVAL.value, choices=[t.value for t in TransferPosition])
    p.add_argument("--reason")

    printing = Commands(areas, "print", "documents as PDF files", common)
    slip = printing.add("slip", cmd_print_slip, "the ticket slip of a ticket")
    slip.add_argument("--width", type=int, choices=list(ROLL_WIDTHS_MM), help="roll width in mm (default: settings)")
    receipt = printing.add("receipt", cmd_print_receipt, "the service receipt of a finished ticket")
    for parser in (slip, receipt):
        parser.add_argument("--ticket", required=True, metavar="NUMBER", help="ticket number, e.g. A001")
        parser.add_argument("--out", required=True, metavar="FILE.pdf")
        parser.add_argument("--date", help="business day YYYY-MM-DD (default today)")
