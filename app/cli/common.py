"""What every admin command shares: the resolved context, output, and sub-command registration."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from app.db.engine import Database
from app.domain.errors import DomainError, ValidationError
from app.services.actor import SYSTEM, Actor
from app.services.bootstrap import prepare_database
from app.services.workstation_keys import start_with_key
from app.services.branch_settings import BranchSettings
from app.services.branches import BranchView, get_branch, list_branches
from app.services.queue import QueueService, TicketView
from app.services.registry import Services
from app.settings import Settings

Handler = Callable[["Context"], int]


class Context:
    """Settings, database and branch, resolved lazily from the arguments.

    The branch's shared settings join ``settings`` when the database is first opened, and
    :attr:`services` (the one registry, app/services/registry.py) are built after that, so every
    service follows them. ``settings`` itself is read without opening the database: ``restore``
    and ``keys`` must not open (or migrate) it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.settings = Settings()
        self._db: Database | None = None
        self._services: Services | None = None
        self._actor: Actor | None = None
        self._branch: BranchView | None = None

    @property
    def actor(self) -> Actor:
        """Who the command acts as: the user named by ``--as`` (signed in with their password, so
        their permissions apply and the audit log names them), else the system account."""
        if self._actor is None:
            self._actor = self.sign_in(self.db)
        return self._actor

    @property
    def acts_as_user(self) -> bool:
        return bool(getattr(self.args, "acting_user", None))

    def sign_in(self, db: Database) -> Actor:
        """The ``--as`` user signed in on ``db`` (a wrong password or an unknown name is refused and
        audited), else the system account. ``restore`` signs in on the database it is about to
        replace without migrating it; every other command through :attr:`actor`."""
        username = getattr(self.args, "acting_user", None)
        if not username:
            return SYSTEM
        password = os.environ.get(PASSWORD_ENV) or _read_password(f"Password for {username}: ")
        return Services(db, self.settings).accounts.sign_in(username, password, via="admin_cli")

    @property
    def db(self) -> Database:
        """The database; opening it also applies the branch's shared settings (branch policy) when
        the branch is known, so every service built from ``settings`` afterwards follows them."""
        if self._db is None:
            self._db = prepare_database(self.database_url(), create=self.may_create_database)
            start_with_key(self._db, self.settings.get("customers.key_file"))
            try:
                branch = self.branch()
            except DomainError:  # no branch (yet), or several and none named: workstation values only
                pass
            else:
                self.settings.use_branch_values(BranchSettings(self._db).values(branch.id))
        return self._db

    @property
    def services(self) -> Services:
        """Every service, on the opened database (the branch's settings applied first)."""
        if self._services is None:
            db = self.db
            zone = self._branch.timezone if self._branch is not None else "Asia/Shanghai"
            self._services = Services(db, self.settings, zone=zone)
        return self._services

    def database_url(self) -> str:
        return self.args.database or self.settings.database_url()

    @property
    def may_create_database(self) -> bool:
        """Only ``db upgrade``, ``demo`` and the default data directory create an SQLite file: a
        misspelled ``--database`` path is refused instead of becoming a new, empty database."""
        return getattr(self.args.handler, "creates_database", False) or \
            (not self.args.database and not self.settings.get("database.url"))

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()

    def branch(self) -> BranchView:
        """The branch the command is about, looked up once (opening the database already did)."""
        if self._branch is None:
            self._branch = self._find_branch()
        return self._branch

    def _find_branch(self) -> BranchView:
        code = getattr(self.args, "branch", None) or self.settings.get("workstation.branch")
        if code:
            return get_branch(self.db, code)
        branches = list_branches(self.db)
        if len(branches) == 1:
            return branches[0]
        raise ValidationError(field="--branch", reason="branch_ambiguous")

    def queue(self) -> QueueService:
        return self.services.queue


#: The ``--as`` user's password, for scripts (else a prompt, or a line on stdin).
PASSWORD_ENV = "BRANCHDESK_PASSWORD"


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def to_json(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_json(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(to_json(data), ensure_ascii=False))
    else:
        print(text)


def ticket_line(ticket: TicketView) -> str:
    where = f" counter {ticket.counter_number}" if ticket.counter_number else ""
    wait = ""
    if ticket.waiting_ahead is not None:
        wait = (f", {ticket.waiting_ahead} ahead, served shortly" if ticket.estimated_wait_minutes == 0 else
                f", {ticket.waiting_ahead} ahead, about {ticket.estimated_wait_minutes} min")
    priority = f" [{ticket.priority.value}]" if ticket.priority.value != "normal" else ""
    return f"{ticket.number}  {ticket.business_name_zh}  {ticket.status.value}{priority}{where}{wait}"


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="database URL (default: settings, then the local SQLite file)")
    common.add_argument("--branch", metavar="CODE", help="branch code (default: settings, or the only branch)")
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("--as", dest="acting_user", metavar="USER",
                        help=f"act as this user: their permissions apply and the audit log names them (password "
                             f"from {PASSWORD_ENV}, a prompt, or stdin); default: the system account")
    return common


def signs_in_itself(handler: Handler) -> Handler:
    """Marks a command that signs the ``--as`` user in itself (see ``Context.sign_in``)."""
    handler.signs_in_itself = True  # type: ignore[attr-defined]
    return handler


def creates_database(handler: Handler) -> Handler:
    """Marks a command that may create the SQLite database it is pointed at (see ``Context.db``)."""
    handler.creates_database = True  # type: ignore[attr-defined]
    return handler


class Commands:
    """Registers sub-commands of one area with the shared options."""

    def __init__(self, areas: argparse._SubParsersAction, name: str, help_text: str,  # type: ignore[type-arg]
                 common: argparse.ArgumentParser) -> None:
        self._sub = areas.add_parser(name, help=help_text).add_subparsers(dest="action", required=True)
        self._common = common

    def add(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = self._sub.add_parser(name, parents=[self._common], help=help_text)
        parser.set_defaults(handler=handler)
        return parser
