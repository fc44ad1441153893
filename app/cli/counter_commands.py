"""``branchdesk-admin counter …`` and ``appointment …``."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from app.cli.common import Commands, Context, emit, ticket_line
from app.domain.errors import ValidationError
from app.services.appointments import AppointmentService
from app.services.counters import CounterDesk, CounterStatus, MatrixEntry, PauseReason


def _desk(ctx: Context) -> CounterDesk:
    return ctx.services.counter_desk


def _status_line(s: CounterStatus) -> str:
    current = f"  {s.current_number} ({s.current_status.value})" if s.current_number and s.current_status else ""
    reason = f" ({s.state_reason})" if s.state_reason else ""
    return f"{s.number:>3}  {s.name}  {s.state.value}{reason}{current}  served {s.served_today}"


def cmd_list(ctx: Context) -> int:
    statuses = _desk(ctx).statuses(ctx.branch().id)
    emit(ctx.args, statuses, "\n".join(_status_line(s) for s in statuses))
    return 0


def cmd_pause(ctx: Context) -> int:
    status = _desk(ctx).pause(ctx.actor, ctx.branch().id, ctx.args.counter, ctx.args.reason, ctx.args.note)
    emit(ctx.args, status, _status_line(status))
    return 0


def _state_command(method: str):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> int:
        status = getattr(_desk(ctx), method)(ctx.actor, ctx.branch().id, ctx.args.counter)
        emit(ctx.args, status, _status_line(status))
        return 0
    return run


def parse_matrix(text: str) -> list[MatrixEntry]:
    """``wealth=0,loan=1,deposit_withdrawal`` → entries; a type without ``=rank`` ranks 0."""
    entries = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, rank = part.partition("=")
        try:
            entries.append(MatrixEntry(code.strip(), int(rank) if rank else 0))
        except ValueError:
            raise ValidationError(field="--set", reason="rank_whole_number", business_type=code) from None
    return entries


def cmd_matrix(ctx: Context) -> int:
    desk, branch = _desk(ctx), ctx.branch()
    if ctx.args.set is not None:
        entries = desk.set_matrix(ctx.actor, branch.id, ctx.args.counter, parse_matrix(ctx.args.set))
    else:
        entries = desk.matrix(branch.id, ctx.args.counter)
    emit(ctx.args, entries, ", ".join(f"{e.business_code}={e.rank}" for e in entries) or "serves nothing")
    return 0


def _appointments(ctx: Context) -> AppointmentService:
    return ctx.services.appointments


def cmd_book(ctx: Context) -> int:
    branch = ctx.branch()
    try:
        at = datetime.fromisoformat(ctx.args.at)
    except ValueError:
        raise ValidationError(field="--at", reason="date_time_format") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(branch.timezone))
    booking = _appointments(ctx).book(ctx.actor, branch.id, business_code=ctx.args.business,
                                      customer_name=ctx.args.name, phone=ctx.args.phone,
                                      slot_start=at, slot_minutes=ctx.args.minutes)
    emit(ctx.args, booking, f"booking code {booking.code} for {booking.customer_name_masked} at {ctx.args.at}")
    return 0


def cmd_check_in(ctx: Context) -> int:
    ticket = _appointments(ctx).check_in(ctx.actor, ctx.branch().id, ctx.args.code)
    emit(ctx.args, ticket, ticket_line(ticket))
    return 0


def cmd_appointments(ctx: Context) -> int:
    branch = ctx.branch()
    bookings = _appointments(ctx).for_day(ctx.actor, branch.id)
    zone = ZoneInfo(branch.timezone)
    emit(ctx.args, bookings, "\n".join(
        f"{b.code}  {b.slot_start.astimezone(zone):%H:%M}  {b.business_name_zh}  {b.customer_name_masked}  "
        f"{b.phone_masked}  {b.status.value}" for b in bookings) or "no appointments")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    counter = Commands(areas, "counter", "counter windows", common)
    counter.add("list", cmd_list, "state, current ticket and today's count of every counter")
    p = counter.add("pause", cmd_pause, "pause a counter (暂停服务)")
    p.add_argument("--reason", required=True, choices=[r.value for r in PauseReason])
    p.add_argument("--note")
    counter.add("resume", _state_command("resume"), "open a paused or closed counter")
    counter.add("close", _state_command("close"), "close a counter at day end")
    p = counter.add("matrix", cmd_matrix, "show, or with --set replace, the business types a counter serves")
    p.add_argument("--set", metavar="CODE=RANK,…", help="e.g. wealth=0,loan=1 (rank 0 first; equal ranks share)")
    for name in ("pause", "resume", "close", "matrix"):
        counter._sub.choices[name].add_argument("--counter", required=True, type=int)

    appointment = Commands(areas, "appointment", "appointments (预约)", common)
    p = appointment.add("book", cmd_book, "book a business type and time slot")
    p.add_argument("--business", required=True, metavar="CODE")
    p.add_argument("--name", required=True)
    p.add_argument("--phone", required=True)
    p.add_argument("--at", required=True, help="slot start, e.g. 2026-11-24T10:30 (branch time)")
    p.add_argument("--minutes", type=int, default=30, help="slot length")
    p = appointment.add("check-in", cmd_check_in, "check in with the booking code and issue the ticket")
    p.add_argument("--code", required=True)
    appointment.add("list", cmd_appointments, "today's appointments")
