"""First-run setup of a workstation: what the setup wizard asks, checks and writes. No Qt.

The wizard pages (``ui/setup_wizard.py``) fill :attr:`FirstRunSetup.choices`, ask the
flow to check each step, and call :meth:`FirstRunSetup.apply` on Finish. ``apply``
checks everything again, then works on the database (migrate, branch, first supervisor)
and writes the settings file last: a setup that fails or is cancelled leaves no
settings file, so the wizard comes back at the next start. A brand-new local SQLite
file is removed again when a step fails.

Run again on a configured workstation (a supervisor's "Setup wizard…"), it starts from
the current settings and keeps every existing branch and user.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.db.engine import Database, normalise_url
from app.db.models import Branch, BranchSetting, Counter, User
from app.domain.errors import ValidationError
from app.printing.data import ROLL_WIDTHS_MM
from app.services.actor import SYSTEM
from app.services.auth import MIN_PASSWORD_LENGTH, add_user
from app.services.bootstrap import prepare_database
from app.services.branch_settings import BranchSettings
from app.services.branches import create_branch
from app.services.data_keys import create_data_key
from app.settings import Settings, data_dir

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
ROLES: tuple[str, ...] = ("counter", "lobby", "display", "kiosk", "dashboard")
MAX_COUNTERS = 99
MAX_BANK_NAME = 40
BANK_NAME_KEY = "printing.bank_name"
CONNECT_TIMEOUT_S = 5


@dataclass
class SupervisorAccount:
    username: str = ""
    display_name: str = ""
    password: str = ""
    password_again: str = ""


@dataclass
class SetupChoices:
    language: str = "zh_CN"
    #: Empty: the local SQLite file in the user data dir; else a PostgreSQL URL.
    database_url: str = ""
    branch_code: str = ""
    branch_name: str = ""
    #: The bank's name on slips, letters, the calling display and the kiosk (a new branch's
    #: setting ``printing.bank_name``; an existing branch keeps its own).
    bank_name: str = ""
    #: Counters created with a new branch (an existing branch keeps its own).
    counters: int = 6
    role: str = "counter"
    counter: int = 1
    slip_printer: str = ""
    a4_printer: str = ""
    slip_width_mm: int = 80
    supervisor: SupervisorAccount = field(default_factory=SupervisorAccount)

    @classmethod
    def from_settings(cls, settings: Settings) -> SetupChoices:
        return cls(language=settings.get("ui.language"), database_url=settings.get("database.url"),
                   branch_code=settings.get("workstation.branch"), role=settings.get("workstation.role"),
                   counter=settings.get("workstation.counter") or 1,
                   slip_printer=settings.get("printing.slip_printer"), a4_printer=settings.get("printing.a4_printer"),
                   slip_width_mm=settings.get("printing.slip_width_mm"))


@dataclass(frozen=True)
class ConnectionCheck:
    """Outcome of "Test connection". ``code`` says what went wrong in words the UI translates:
    ok, bad_url, not_postgresql, unknown_host, refused, timeout, auth_failed, no_database, failed.
    ``detail`` is the driver's own (English) message."""

    ok: bool
    code: str
    detail: str = ""
    host: str = ""
    port: int | None = None
    database: str = ""
    server_version: str = ""


@dataclass(frozen=True)
class BranchSummary:
    code: str
    name: str
    counters: int
    bank_name: str = ""


@dataclass(frozen=True)
class DatabaseState:
    """What a database already holds (nothing, for a file or schema that is not there yet)."""

    users: int = 0
    branches: tuple[BranchSummary, ...] = ()

    def branch(self, code: str) -> BranchSummary | None:
        return next((b for b in self.branches if b.code == code), None)


@dataclass(frozen=True)
class SetupResult:
    database_url: str
    branch_code: str
    branch_created: bool
    supervisor_created: bool
    settings_path: Path


def display_url(url: str) -> str:
    """``url`` with its password masked, for showing on screen; empty stays empty."""
    if not url.strip():
        return ""
    try:
        return make_url(url.strip()).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def problem(code: str, template: str, **params: object) -> ValidationError:
    """A setup input problem: ``code`` for the UI's sentence, ``template`` as the English default."""
    return ValidationError(code=code, template=template, **params)


_CONNECTION_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("refused", ("connection refused",)),
    ("unknown_host", ("could not translate host name", "name or service not known", "nodename nor servname",
                      "temporary failure in name resolution", "no address associated", "failed to resolve host",
                      "no such host")),
    ("timeout", ("timeout expired", "timed out")),
    ("auth_failed", ("password authentication failed", "no password supplied", "authentication failed",
                     "role \"",)),
    ("no_database", ("does not exist",)),
)


def _classify(message: str) -> str:
    lowered = message.lower()
    for code, needles in _CONNECTION_PATTERNS:
        if any(needle in lowered for needle in needles):
            return code
    return "failed"


def _driver_message(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return " ".join(lines) if lines else type(original).__name__


def check_connection(url: str, timeout_s: int = CONNECT_TIMEOUT_S) -> ConnectionCheck:
    """Try to reach the PostgreSQL server and database that ``url`` names. Writes nothing."""
    url = url.strip()
    if not url:
        return ConnectionCheck(False, "bad_url", "empty URL")
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError) as error:
        return ConnectionCheck(False, "bad_url", str(error))
    if parsed.get_backend_name() != "postgresql":
        return ConnectionCheck(False, "not_postgresql", parsed.get_backend_name())
    where = {"host": parsed.host or "localhost", "port": port or 5432, "database": parsed.database or ""}
    if not parsed.database:
        return ConnectionCheck(False, "bad_url", "the URL names no database", **where)
    engine = create_engine(normalise_url(url), poolclass=NullPool, connect_args={"connect_timeout": timeout_s})
    try:
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar())
    except DBAPIError as error:
        message = _driver_message(error)
        return ConnectionCheck(False, _classify(message), message, **where)
    except Exception as error:  # noqa: BLE001 - any failure is reported, the wizard stays usable
        log.warning("Connection test to %s failed", parsed.render_as_string(hide_password=True), exc_info=True)
        return ConnectionCheck(False, "failed", _driver_message(error), **where)
    finally:
        engine.dispose()
    return ConnectionCheck(True, "ok", "", server_version=version, **where)


def inspect_database(url: str) -> DatabaseState:
    """Users and branches in the database at ``url``; creates nothing (not even the SQLite file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:" or not Path(path).exists():
            return DatabaseState()
    db = Database(url)
    try:
        with db.read() as session:
            tables = set(inspect(session.connection()).get_table_names())
            if not {"users", "branches", "counters"} <= tables:
                return DatabaseState()
            users = session.scalar(select(func.count()).select_from(User)) or 0
            counts = dict(session.execute(select(Counter.branch_id, func.count()).group_by(Counter.branch_id)).all())
            banks = _bank_names(session) if "branch_settings" in tables else {}
            branches = tuple(BranchSummary(b.code, b.name, counts.get(b.id, 0), banks.get(b.id, ""))
                             for b in session.scalars(select(Branch).order_by(Branch.code)))
        return DatabaseState(users=users, branches=branches)
    finally:
        db.dispose()


def _bank_names(session: Session) -> dict[int, str]:
    rows = session.execute(select(BranchSetting.branch_id, BranchSetting.value)
                           .where(BranchSetting.key == BANK_NAME_KEY)).all()
    names = {}
    for branch_id, stored in rows:
        try:
            value = json.loads(stored)
        except ValueError:
            continue
        names[branch_id] = value if isinstance(value, str) else ""
    return names


class FirstRunSetup:
    """The setup flow: choices, checks per step, and :meth:`apply`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.rerun = self.settings.exists
        self.choices = SetupChoices.from_settings(self.settings)
        self.state = DatabaseState()
        # A configured URL was tested when it was first set up; a new one must pass the test.
        self._tested_url: str | None = self.choices.database_url if self.rerun else None

    # -- database ---------------------------------------------------------------------

    @staticmethod
    def local_database_url() -> str:
        return f"sqlite:///{data_dir() / 'branchdesk.sqlite3'}"

    def database_url(self) -> str:
        return self.choices.database_url.strip() or self.local_database_url()

    def test_connection(self, url: str) -> ConnectionCheck:
        return self.record_connection_test(url, check_connection(url))

    def record_connection_test(self, url: str, result: ConnectionCheck) -> ConnectionCheck:
        """Remember a passed test of ``url`` (a UI may run :func:`check_connection` off its thread)."""
        if result.ok:
            self._tested_url = url.strip()
        return result

    def check_database(self) -> None:
        """The database step: a PostgreSQL URL must have passed "Test connection" as it stands.
        Then reads what the database already holds (branches, whether it has users)."""
        url = self.choices.database_url.strip()
        if url and url != self._tested_url:
            raise problem("connection_not_tested", "Test the connection to the database first.")
        self.state = inspect_database(self.database_url())

    @property
    def needs_supervisor(self) -> bool:
        """The first supervisor is created only in a database that has no users yet."""
        return self.state.users == 0

    # -- branch, workstation, printers, supervisor ------------------------------------------

    def branch_counters(self) -> int:
        existing = self.state.branch(self.choices.branch_code.strip())
        return existing.counters if existing else self.choices.counters

    def check_branch(self) -> None:
        code = self.choices.branch_code.strip()
        if not code or len(code) > 32 or any(c.isspace() for c in code):
            raise problem("branch_code", "The branch code must be 1 to 32 characters without spaces.")
        if self.state.branch(code) is None:
            if not self.choices.branch_name.strip():
                raise problem("branch_name", "Enter the branch name.")
            if not self.choices.bank_name.strip():
                raise problem("bank_name", "Enter the bank's name as customers see it on slips and letters.")
            if len(self.choices.bank_name.strip()) > MAX_BANK_NAME:
                raise problem("bank_name_long", "The bank's name may have at most {max} characters.",
                              max=MAX_BANK_NAME)
            if not 1 <= self.choices.counters <= MAX_COUNTERS:
                raise problem("counters", "A branch must have 1 to {max} counters.", max=MAX_COUNTERS)

    def check_workstation(self) -> None:
        if self.choices.role not in ROLES:
            raise problem("role", "Choose what this workstation is used for.")
        if self.choices.role == "counter" and not 1 <= self.choices.counter <= self.branch_counters():
            raise problem("counter_number", "The counter number must be between 1 and {counters}.",
                          counters=self.branch_counters())

    def check_printers(self) -> None:
        if self.choices.slip_width_mm not in ROLL_WIDTHS_MM:
            raise problem("slip_width", "The slip width must be one of {widths} mm.",
                          widths=", ".join(map(str, ROLL_WIDTHS_MM)))

    def check_supervisor(self) -> None:
        if not self.needs_supervisor:
            return
        account = self.choices.supervisor
        username = account.username.strip()
        if not username or not username.isascii() or not username.replace("_", "").replace(".", "").isalnum():
            raise problem("username", "The user name may contain only letters, digits, '.' and '_'.")
        if not account.display_name.strip():
            raise problem("display_name", "Enter the supervisor's name.")
        if len(account.password) < MIN_PASSWORD_LENGTH:
            raise problem("password_short", "The password needs at least {min} characters.", min=MIN_PASSWORD_LENGTH)
        if not (any(c.isalpha() for c in account.password) and any(c.isdigit() for c in account.password)):
            raise problem("password_weak", "The password needs letters and digits.")
        if account.password != account.password_again:
            raise problem("password_mismatch", "The passwords do not match.")

    def check_all(self) -> None:
        if self.choices.language not in LANGUAGES:
            raise problem("language", "Choose a language.")
        self.check_database()
        self.check_branch()
        self.check_workstation()
        self.check_printers()
        self.check_supervisor()

    # -- finish -----------------------------------------------------------------------

    def apply(self) -> SetupResult:
        """Check everything, set up the database, then write the settings file (last)."""
        self.check_all()
        url = self.database_url()
        new_sqlite = _new_sqlite_file(url)
        try:
            branch_created, supervisor_created = self._set_up_database(url)
        except BaseException:
            if new_sqlite is not None:
                _remove_sqlite(new_sqlite)
            raise
        self._write_settings()
        log.info("Workstation set up: branch %s, role %s, settings %s", self.choices.branch_code,
                 self.choices.role, self.settings.path)
        return SetupResult(url, self.choices.branch_code.strip(), branch_created, supervisor_created,
                           self.settings.path)

    def _set_up_database(self, url: str) -> tuple[bool, bool]:
        choices = self.choices
        code = choices.branch_code.strip()
        db = prepare_database(url)
        try:
            with db.read() as session:
                has_branch = session.scalar(select(Branch.id).where(Branch.code == code)) is not None
                has_users = session.scalar(select(User.id).limit(1)) is not None
            if not has_branch:
                branch = create_branch(db, SYSTEM, code=code, name=choices.branch_name.strip(),
                                       timezone=self.settings.get("branch.timezone"), counters=choices.counters)
                BranchSettings(db).change(SYSTEM, branch.id, {BANK_NAME_KEY: choices.bank_name.strip()})
            if not has_users:
                account = choices.supervisor
                add_user(db, SYSTEM, username=account.username.strip(), display_name=account.display_name.strip(),
                         password=account.password, role="supervisor", branch_code=code)
            create_data_key(db, self.settings.get("customers.key_file"))  # setup makes the key, nothing else
        finally:
            db.dispose()
        return not has_branch, not has_users

    def _write_settings(self) -> None:
        choices = self.choices
        values = {
            "ui.language": choices.language,
            "database.url": choices.database_url.strip(),
            "workstation.branch": choices.branch_code.strip(),
            "workstation.role": choices.role,
            "workstation.counter": choices.counter if choices.role == "counter" else 0,
            "printing.slip_printer": choices.slip_printer,
            "printing.a4_printer": choices.a4_printer,
            "printing.slip_width_mm": choices.slip_width_mm,
        }
        for key, value in values.items():
            self.settings.set(key, value)
        self.settings.save()


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names when it does not exist yet (so a failed setup can remove it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        try:
            candidate.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not remove %s after a failed setup", candidate, exc_info=True)
