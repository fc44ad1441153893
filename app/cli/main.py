"""``branchdesk-admin``: setup and integrations (kiosk hardware, scripts) without the GUI.

Every command takes ``--database URL`` (else settings / BRANCHDESK_DATABASE_URL) and
``--branch CODE`` (else settings / BRANCHDESK_BRANCH, else the only branch there is).
Errors go to stderr as one line with a non-zero exit code: 2 for a refused request
(bad input, wrong state), 1 for anything unexpected.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import uuid
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from app import __version__
from app.cli import (
    audit_commands,
    backup_commands,
    checklist_commands,
    complaint_commands,
    counter_commands,
    customer_commands,
    report_commands,
    settings_commands,
    ticket_commands,
    user_commands,
)
from app.cli.common import Commands, Context, common_options, creates_database, emit
from app.db.engine import Database
from app.db.migrate import current_revision, head_revision
from app.domain.errors import DatabaseMissing, DatabaseUnavailable, DomainError
from app.logging_setup import configure_logging
from app.services.bootstrap import prepare_database, seed_demo
from app.services.branches import create_branch
from app.settings import SettingsError, default


@creates_database
def cmd_db_upgrade(ctx: Context) -> int:
    db = Database(ctx.database_url())
    try:
        before = current_revision(db)
        prepare_database(db.url).dispose()
        after = current_revision(db)
    finally:
        db.dispose()
    emit(ctx.args, {"from": before, "to": after}, f"database at revision {after} (was {before})")
    return 0


def cmd_db_current(ctx: Context) -> int:
    try:
        db = Database(ctx.database_url(), create=False)
    except DatabaseMissing:  # nothing there yet: at no revision, and nothing is created to say so
        current, head = None, head_revision()
    else:
        try:
            current, head = current_revision(db), head_revision(db)
        finally:
            db.dispose()
    emit(ctx.args, {"current": current, "head": head, "up_to_date": current == head},
         f"current {current}, head {head}" + ("" if current == head else " (run: branchdesk-admin db upgrade)"))
    return 0


@creates_database
def cmd_demo(ctx: Context) -> int:
    branch = seed_demo(ctx.db)
    emit(ctx.args, branch, f"demo branch {branch.code} ({branch.name}) ready")
    return 0


def cmd_branch_add(ctx: Context) -> int:
    branch = create_branch(ctx.db, ctx.actor, code=ctx.args.code, name=ctx.args.name, timezone=ctx.args.timezone,
                           counters=ctx.args.counters)
    emit(ctx.args, branch, f"branch {branch.code} created")
    return 0


def cmd_business_list(ctx: Context) -> int:
    types = ctx.services.catalog.business_types()
    emit(ctx.args, types,
         "\n".join(f"{t.prefix}  {t.code:<22} {t.name_zh}  ({t.name_en}, {t.target_minutes} min)" for t in types))
    return 0


def cmd_user_add(ctx: Context) -> int:
    password = ctx.args.password
    if password is None:
        password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Password: ")
    user_id = ctx.services.accounts.add_user(ctx.actor, username=ctx.args.username, display_name=ctx.args.name,
                                             password=password, role=ctx.args.role, branch_code=ctx.args.branch)
    emit(ctx.args, {"id": user_id, "username": ctx.args.username}, f"user {ctx.args.username} created")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(prog="branchdesk-admin", description="BranchDesk administration and integration CLI")
    parser.add_argument("--version", action="version", version=f"branchdesk {__version__}")
    areas = parser.add_subparsers(dest="area", required=True)

    db = Commands(areas, "db", "database schema", common)
    db.add("upgrade", cmd_db_upgrade, "migrate the schema to the newest revision")
    db.add("current", cmd_db_current, "show the schema revision")

    demo = areas.add_parser("demo", parents=[common], help="seed the demo branch, counters and users")
    demo.set_defaults(handler=cmd_demo)

    branch = Commands(areas, "branch", "branches", common)
    p = branch.add("add", cmd_branch_add, "create a branch with counters")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--timezone", default=default("branch.timezone"))
    p.add_argument("--counters", type=int, default=0, help="number of counter windows to create")

    Commands(areas, "business", "business types", common).add("list", cmd_business_list, "list business types")

    user = Commands(areas, "user", "users", common)
    p = user.add("add", cmd_user_add, "create a user (password from --password, stdin or a prompt)")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--role", required=True, choices=["teller", "lobby_manager", "supervisor"])
    p.add_argument("--password")
    user_commands.extend(user)

    ticket_commands.register(areas, common)
    counter_commands.register(areas, common)
    report_commands.register(areas, common)
    checklist_commands.register(areas, common)
    complaint_commands.register(areas, common)
    audit_commands.register(areas, common)
    backup_commands.register(areas, common)
    customer_commands.register(areas, common)
    settings_commands.register(areas, common)
    return parser


log = logging.getLogger("app.cli")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log_path = configure_logging(console=False)  # stderr carries the one-line error, the log the detail
    ctx = Context(args)
    try:
        if ctx.acts_as_user and not getattr(args.handler, "signs_in_itself", False):
            ctx.actor  # noqa: B018 - sign-in comes first: a wrong user or password changes nothing
        code = args.handler(ctx)
        sys.stdout.flush()  # here, so a reader that went away is handled below, not at exit
        return code
    except DatabaseUnavailable as error:
        print(f"branchdesk-admin: database unavailable: {error.params.get('reason', '')}", file=sys.stderr)
        return 1
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
    except BrokenPipeError:
        # The reader went away (`… --json | head`): nothing more to say, and nobody to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a missing folder, a file where a folder should be, a full disk …
        log.warning("%s failed", args.area, exc_info=True)
        print(f"branchdesk-admin: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the contract: one line, the detail in the log
        reference = uuid.uuid4().hex[:8].upper()
        log.exception("unexpected error, reference %s", reference)
        print(f"branchdesk-admin: unexpected error ({type(error).__name__}, reference {reference}); details in "
              f"{log_path}", file=sys.stderr)
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
