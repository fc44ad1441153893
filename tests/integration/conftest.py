"""Fixtures for service and persistence tests: every test runs on SQLite *and* PostgreSQL.

- PostgreSQL: one real server per session, started by ``pgserver`` (no system service);
  each test gets its own freshly created database on it, dropped afterwards (a test that takes
  ``db`` gets a copy of the migrated template, made ahead: tests/integration/pg_clones.py). The
  server does not wait for its disk (``fsync``, ``synchronous_commit`` off): what a test checks is
  what other connections see, never what survives a power cut.
- SQLite: a file in the test's temp dir.

``db`` is parametrized, so a test that takes it runs twice, ``[sqlite]`` and
``[postgresql]``. The PostgreSQL variant is never skipped: a server that does not start
is an error, not a skip.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.db.engine import Database
from app.services.actor import SYSTEM, Actor
from app.services.auth import add_user, authenticate
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo
from app.services.branches import BranchView, create_branch
from app.services.customers.service import CustomerService
from app.services.data_keys import create_data_key
from app.services.queue import QueueService
from tests.conftest import prepared_sqlite
from tests.integration.pg_clones import PgClones

DATABASES = ["sqlite", "postgresql"]

#: 10:00 in Shanghai on a Monday: a plain business day in the middle of opening hours.
DEFAULT_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


# -- PostgreSQL ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    # Not under pytest's basetemp: pgserver runs postgres as an unprivileged user when we are
    # root, and any other pytest session starting meanwhile re-tightens /tmp/pytest-of-<user>
    # to 0700 (and prunes old session dirs), which pulls the data directory from under the
    # running server (PANIC: could not open pg_control: Permission denied).
    datadir = Path(tempfile.mkdtemp(prefix="branchdesk-pg-"))
    try:
        with warnings.catch_warnings():
            # pgserver asks platformdirs for a runtime dir; without XDG_RUNTIME_DIR that warns.
            warnings.simplefilter("ignore")
            import pgserver

            server = pgserver.get_server(datadir, cleanup_mode="stop")
    except Exception as exc:  # noqa: BLE001 - any failure must stop the PostgreSQL tests loudly
        shutil.rmtree(datadir, ignore_errors=True)
        pytest.fail(f"pgserver could not start PostgreSQL in {datadir}: {exc!r}", pytrace=True)
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            connection.execute(f"ALTER SYSTEM SET {setting} = off")
        connection.execute("SELECT pg_reload_conf()")
    yield server
    server.cleanup()
    shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_admin_uri(pg_server) -> str:  # type: ignore[no-untyped-def]
    """libpq URI of the server's ``postgres`` maintenance database."""
    return pg_server.get_uri()


@pytest.fixture
def pg_url(pg_admin_uri: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLAlchemy URL of a brand-new database, dropped after the test: empty, or for a test that
    takes ``db`` a copy of the migrated template."""
    if "db" in request.fixturenames:
        name = request.getfixturevalue("pg_clones").take()
    else:
        name = f"bd_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(pg_admin_uri, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    yield make_url(pg_admin_uri).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)
    with psycopg.connect(pg_admin_uri, autocommit=True) as connection:
        # FORCE: a test that failed half-way may have left connections open.
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- SQLite ----------------------------------------------------------------------------

@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'bd.sqlite3'}"


# -- either ----------------------------------------------------------------------------

@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of an empty database (no schema yet) of each kind."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture(scope="session")
def pg_template(pg_admin_uri: str) -> str:
    """Name of a migrated, seeded PostgreSQL database that ``db`` clones (CREATE DATABASE … TEMPLATE)."""
    name = f"bd_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin_uri, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_admin_uri).set(drivername="postgresql+psycopg", database=name)
    prepare_database(url.render_as_string(hide_password=False)).dispose()  # no connection may stay open
    return name


@pytest.fixture(scope="session")
def pg_clones(pg_admin_uri: str, pg_template: str) -> Iterator[PgClones]:
    clones = PgClones(pg_admin_uri, pg_template)
    yield clones
    clones.close()


@pytest.fixture
def db(db_url: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated database with the business types and checklist templates seeded.

    A copy of a template made once per session (migrating anew costs about a second a test);
    ``prepare_database`` then runs on it as at every start of the app."""
    parsed = make_url(db_url)
    if parsed.get_backend_name() == "sqlite":
        database = prepared_sqlite(request.getfixturevalue("sqlite_template"), Path(parsed.database or ""))
    else:
        database = prepare_database(db_url)  # pg_url made it a copy of the template
    yield database
    database.dispose()


class Clock:
    """A controllable clock for ``QueueService(db, clock=...)``."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(db: Database, clock: Clock) -> QueueService:
    return QueueService(db, clock=clock)


@pytest.fixture
def branch(db: Database) -> BranchView:
    """The demo branch: 6 counters, users supervisor, lobby, teller1..teller6, and the data key made
    as setup makes it (no use case makes one)."""
    branch = seed_demo(db, customers=0)
    create_data_key(db)
    return branch


@dataclass(frozen=True)
class Actors:
    supervisor: Actor
    lobby: Actor
    teller1: Actor
    teller2: Actor


@pytest.fixture
def actors(db: Database, branch: BranchView) -> Actors:
    return Actors(*(authenticate(db, name, DEMO_PASSWORD) for name in ("supervisor", "lobby", "teller1", "teller2")))


@dataclass(frozen=True)
class OtherBranch:
    branch: BranchView
    teller: Actor


@pytest.fixture
def other_branch(db: Database, branch: BranchView) -> OtherBranch:
    """A second branch with two counters and a teller of its own."""
    other = create_branch(db, SYSTEM, code="SH002", name="浦东支行", counters=2)
    add_user(db, SYSTEM, username="pd_teller", display_name="浦东柜员", password=DEMO_PASSWORD, role="teller",
             branch_code="SH002")
    return OtherBranch(other, authenticate(db, "pd_teller", DEMO_PASSWORD))


@pytest.fixture
def demo_cli(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The admin CLI on a database with the demo branch; ``--as`` users sign in with the demo password."""
    from tests.integration.test_cli import Cli

    monkeypatch.setenv("BRANCHDESK_PASSWORD", DEMO_PASSWORD)
    cli = Cli(db_url, capsys)
    cli.ok("demo")
    return cli


@pytest.fixture
def customers(db: Database, clock: Clock, branch: BranchView) -> CustomerService:
    """The customer service with the branch's data key, made as setup makes it (a test module
    that needs another key or no branch defines its own)."""
    return CustomerService(db, clock=clock, cipher=create_data_key(db))
