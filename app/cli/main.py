"""``branchdesk-admin``: setup and integrations (kiosk hardware, scripts) without the GUI.

Every command takes ``--database URL`` (else settings / BRANCHDESK_DATABASE_URL) and
``--branch CODE`` (else settings / BRANCHDESK_BRANCH, else the only branch there is).
Errors go to stderr as one line with a non-zero exit code: 2 for a refused request
(bad input, wrong state), 1 for anything unexpected.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from app import __version__
from app.db.engine import Database
from app.db.migrate import current_revision, head_revision
from app.domain.errors import DomainError, ValidationError
from app.domain.tickets import TicketStatus
from app.printing.data import ROLL_WIDTHS_MM
from app.services.actor import SYSTEM
from app.services.auth import add_user
from app.services.bootstrap import prepare_database, seed_demo
from app.services.branches import BranchView, create_branch, get_branch, list_branches, list_business_types
from app.services.documents import DocumentService, PrintSettings
from app.services.queue import QueueService, TicketView
from app.settings import Settings, SettingsError


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, default=_json_default))
    else:
        print(text)


def ticket_json(ticket: TicketView | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    data = asdict(ticket)
    data["status"] = ticket.status.value
    return data


def _ticket_line(ticket: TicketView) -> str:
    where = f" counter {ticket.counter_number}" if ticket.counter_number else ""
    return f"{ticket.number}  {ticket.business_name_zh}  {ticket.status.value}{where}"


class Context:
    """Settings, database and branch, resolved lazily from the arguments."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.settings = Settings()
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = prepare_database(self.args.database or self.settings.database_url())
        return self._db

    def branch(self) -> BranchView:
        code = self.args.branch or self.settings.get("workstation.branch")
        if code:
            return get_branch(self.db, code)
        branches = list_branches(self.db)
        if len(branches) == 1:
            return branches[0]
        raise ValidationError(field="--branch", reason="required when the database holds no or several branches")

    def queue(self) -> QueueService:
        return QueueService(self.db)


def cmd_db_upgrade(ctx: Context) -> int:
    db = Database(ctx.args.database or ctx.settings.database_url())
    try:
        before = current_revision(db)
        prepare_database(db.url).dispose()
        after = current_revision(db)
    finally:
        db.dispose()
    _emit(ctx.args, {"from": before, "to": after}, f"database at revision {after} (was {before})")
    return 0


def cmd_db_current(ctx: Context) -> int:
    db = Database(ctx.args.database or ctx.settings.database_url())
    try:
        current, head = current_revision(db), head_revision(db)
    finally:
        db.dispose()
    _emit(ctx.args, {"current": current, "head": head, "up_to_date": current == head},
          f"current {current}, head {head}" + ("" if current == head else " (run: branchdesk-admin db upgrade)"))
    return 0


def cmd_demo(ctx: Context) -> int:
    branch = seed_demo(ctx.db)
    _emit(ctx.args, asdict(branch), f"demo branch {branch.code} ({branch.name}) ready")
    return 0


def cmd_branch_add(ctx: Context) -> int:
    branch = create_branch(ctx.db, SYSTEM, code=ctx.args.code, name=ctx.args.name, timezone=ctx.args.timezone,
                           counters=ctx.args.counters)
    _emit(ctx.args, asdict(branch), f"branch {branch.code} created")
    return 0


def cmd_business_list(ctx: Context) -> int:
    types = list_business_types(ctx.db)
    _emit(ctx.args, [asdict(t) for t in types],
          "\n".join(f"{t.prefix}  {t.code:<22} {t.name_zh}  ({t.name_en}, {t.target_minutes} min)" for t in types))
    return 0


def cmd_user_add(ctx: Context) -> int:
    password = ctx.args.password
    if password is None:
        password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Password: ")
    user_id = add_user(ctx.db, SYSTEM, username=ctx.args.username, display_name=ctx.args.name, password=password,
                       role=ctx.args.role, branch_code=ctx.args.branch)
    _emit(ctx.args, {"id": user_id, "username": ctx.args.username}, f"user {ctx.args.username} created")
    return 0


def cmd_ticket_issue(ctx: Context) -> int:
    ticket = ctx.queue().issue_ticket(SYSTEM, ctx.branch().id, ctx.args.business)
    _emit(ctx.args, ticket_json(ticket),
          f"{ticket.number}  {ticket.business_name_zh}  ahead {ticket.waiting_ahead}, "
          f"about {ticket.estimated_wait_minutes} min")
    return 0


def cmd_ticket_call(ctx: Context) -> int:
    ticket = ctx.queue().call_next(SYSTEM, ctx.branch().id, ctx.args.counter)
    _emit(ctx.args, ticket_json(ticket), _ticket_line(ticket) if ticket else "nobody is waiting")
    return 0


def _counter_command(method: str):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> int:
        ticket = getattr(ctx.queue(), method)(SYSTEM, ctx.branch().id, ctx.args.counter)
        _emit(ctx.args, ticket_json(ticket), _ticket_line(ticket))
        return 0
    return run


def _document_service(ctx: Context) -> DocumentService:
    return DocumentService(ctx.queue(), PrintSettings.from_settings(ctx.settings))


def _write_pdf(ctx: Context, pdf: bytes, kind: str) -> int:
    out = Path(ctx.args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    _emit(ctx.args, {"document": kind, "ticket": ctx.args.ticket.upper(), "path": str(out), "bytes": len(pdf)},
          f"{kind} for {ctx.args.ticket.upper()} written to {out} ({len(pdf)} bytes)")
    return 0


def cmd_print_slip(ctx: Context) -> int:
    day = date.fromisoformat(ctx.args.date) if ctx.args.date else None
    pdf = _document_service(ctx).ticket_slip(ctx.branch().id, ctx.args.ticket, day=day, width_mm=ctx.args.width)
    return _write_pdf(ctx, pdf, "slip")


def cmd_print_receipt(ctx: Context) -> int:
    day = date.fromisoformat(ctx.args.date) if ctx.args.date else None
    pdf = _document_service(ctx).service_receipt(ctx.branch().id, ctx.args.ticket, day=day)
    return _write_pdf(ctx, pdf, "receipt")


def cmd_ticket_list(ctx: Context) -> int:
    status = TicketStatus(ctx.args.status) if ctx.args.status else None
    day = date.fromisoformat(ctx.args.date) if ctx.args.date else None
    tickets = ctx.queue().list_tickets(ctx.branch().id, status=status, day=day)
    _emit(ctx.args, [ticket_json(t) for t in tickets], "\n".join(_ticket_line(t) for t in tickets) or "no tickets")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="database URL (default: settings, then the local SQLite file)")
    common.add_argument("--branch", metavar="CODE", help="branch code (default: settings, or the only branch)")
    common.add_argument("--json", action="store_true", help="machine-readable output")

    parser = argparse.ArgumentParser(prog="branchdesk-admin", description="BranchDesk administration and integration CLI")
    parser.add_argument("--version", action="version", version=f"branchdesk {__version__}")
    areas = parser.add_subparsers(dest="area", required=True)

    def command(sub: argparse._SubParsersAction, name: str, handler, help_text: str) -> argparse.ArgumentParser:  # type: ignore[type-arg, no-untyped-def]
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(handler=handler)
        return p

    db = areas.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    command(db, "upgrade", cmd_db_upgrade, "migrate the schema to the newest revision")
    command(db, "current", cmd_db_current, "show the schema revision")

    command(areas, "demo", cmd_demo, "seed the demo branch, counters and users")

    branch = areas.add_parser("branch", help="branches").add_subparsers(dest="action", required=True)
    p = command(branch, "add", cmd_branch_add, "create a branch with counters")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--timezone", default=Settings().get("branch.timezone"))
    p.add_argument("--counters", type=int, default=0, help="number of counter windows to create")

    business = areas.add_parser("business", help="business types").add_subparsers(dest="action", required=True)
    command(business, "list", cmd_business_list, "list business types")

    user = areas.add_parser("user", help="users").add_subparsers(dest="action", required=True)
    p = command(user, "add", cmd_user_add, "create a user (password from --password, stdin or a prompt)")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--role", required=True, choices=["teller", "lobby_manager", "supervisor"])
    p.add_argument("--password")

    ticket = areas.add_parser("ticket", help="queue tickets").add_subparsers(dest="action", required=True)
    p = command(ticket, "issue", cmd_ticket_issue, "issue a ticket")
    p.add_argument("--business", required=True, metavar="CODE")
    p = command(ticket, "call", cmd_ticket_call, "call the next waiting ticket to a counter")
    p.add_argument("--counter", required=True, type=int)
    for name, method, text in (("recall", "recall", "call the counter's ticket again"),
                               ("start", "start", "start serving the counter's ticket"),
                               ("finish", "finish", "finish the counter's ticket"),
                               ("no-show", "no_show", "mark the counter's ticket a no-show")):
        p = command(ticket, name, _counter_command(method), text)
        p.add_argument("--counter", required=True, type=int)
    p = command(ticket, "list", cmd_ticket_list, "list the day's tickets")
    p.add_argument("--status", choices=[s.value for s in TicketStatus])
    p.add_argument("--date", help="business day YYYY-MM-DD (default today)")

    printing = areas.add_parser("print", help="documents as PDF files").add_subparsers(dest="action", required=True)
    p = command(printing, "slip", cmd_print_slip, "the ticket slip of a ticket")
    p.add_argument("--width", type=int, choices=list(ROLL_WIDTHS_MM), help="roll width in mm (default: settings)")
    p = command(printing, "receipt", cmd_print_receipt, "the service receipt of a finished ticket")
    for p in printing.choices.values():
        p.add_argument("--ticket", required=True, metavar="NUMBER", help="ticket number, e.g. A001")
        p.add_argument("--out", required=True, metavar="FILE.pdf")
        p.add_argument("--date", help="business day YYYY-MM-DD (default today)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    ctx = Context(args)
    try:
        return args.handler(ctx)
    except DomainError as error:
        print(f"branchdesk-admin: {error.message}", file=sys.stderr)
        return 2
    except SettingsError as error:
        print(f"branchdesk-admin: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        # Driver messages span lines (libpq adds a hint line); the contract is one line.
        reason = " ".join(str(error.orig).split())
        print(f"branchdesk-admin: database unavailable: {reason}", file=sys.stderr)
        return 1
    finally:
        if ctx._db is not None:
            ctx._db.dispose()


if __name__ == "__main__":
    sys.exit(main())
