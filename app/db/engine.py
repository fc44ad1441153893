"""Engine and session factory. The only place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import DatabaseMissing, DatabaseUnavailable, DomainError, ValidationError

#: The databases BranchDesk runs on; any other URL is refused with a sentence, not a traceback.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

SQLITE_BUSY_TIMEOUT_MS = 15_000
PG_CONNECT_TIMEOUT_S = 5
#: A server lost under an open connection (cable pulled, server host down) fails a statement
#: within about this long instead of the operating system's TCP timeout (minutes): libpq's TCP
#: keepalives probe an idle connection and TCP_USER_TIMEOUT bounds unacknowledged data (Linux;
#: elsewhere libpq ignores it and the keepalives still apply).
PG_LOST_SERVER_S = 15
PG_CONNECT_ARGS: dict[str, int] = {
    "connect_timeout": PG_CONNECT_TIMEOUT_S,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": PG_LOST_SERVER_S * 1000,
}


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or none); refuse other databases."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValidationError(field="database URL", reason="database_url_format") from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ValidationError(field="database URL", reason="database_kind_unsupported",
                              kind=parsed.get_backend_name())
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """Owns the engine. ``read()`` gives a session whose statements all see one snapshot of
    the database; ``write()`` a session whose transaction takes the write lock at once on
    SQLite (BEGIN IMMEDIATE), so a use case that reads and then writes never dies on a lock
    upgrade, and concurrent writers queue on the busy timeout instead of failing.

    The snapshot: on SQLite (WAL) a transaction sees the file as it was at its first read.
    PostgreSQL's default, READ COMMITTED, gives every *statement* a new snapshot, so a read
    of the waiting tickets and a read of their estimates could disagree about a ticket
    another counter called in between (issue #25); reads there run REPEATABLE READ, READ
    ONLY instead — same snapshot for the whole transaction, never a serialization failure,
    never a write by mistake."""

    def __init__(self, url: str, *, echo: bool = False, create: bool = True) -> None:
        """``create=False``: an SQLite file that does not exist is refused (``DatabaseMissing``)
        instead of being created with its folders — a misspelled path must not start a new database."""
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        #: The audit log's sealer (app/services/audit_seal.py), set once the data key is known.
        self.audit_sealer: object | None = None
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                if not create and not Path(database).is_file():
                    raise DatabaseMissing(path=database)
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(self.engine)
        else:
            # An unreachable or lost server fails in seconds (PG_CONNECT_ARGS) instead of hanging a
            # window until the operating system's TCP timeout.
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                        connect_args=dict(PG_CONNECT_ARGS))
        _refuse_nul_characters(self.engine)
        reads = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._read = sessionmaker(reads, expire_on_commit=False)
        self._depth = threading.local()  # sessions open in this thread (see _after_rollback)
        self._write = sessionmaker(self.engine.execution_options(branchdesk_write=True), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading, one snapshot for all its statements. Closing it ends (rolls back) its transaction; objects it
        loaded stay readable, detached. (An explicit rollback() would expire them first,
        and every attribute read after the block would then raise DetachedInstanceError.)"""
        try:
            with self._read() as session, self._open():
                yield session
        except DomainError as error:
            self._after_rollback(error)
            raise
        except (OperationalError, InterfaceError) as error:
            _reraise_interruption(error)
            if is_unavailable(error):
                raise DatabaseUnavailable(reason=" ".join(str(error.orig).split())) from error
            raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use case, one transaction: commits whole on success, rolls back whole on error."""
        try:
            with self._write() as session:
                session.info["audit_sealer"] = self.audit_sealer  # record_in seals with it
                session.info["database_url"] = self.url
                with session.begin(), self._open():
                    yield session
        except DomainError as error:
            self._after_rollback(error)
            raise
        except (OperationalError, InterfaceError) as error:
            _reraise_interruption(error)
            if is_unavailable(error):
                raise DatabaseUnavailable(reason=" ".join(str(error.orig).split())) from error
            raise

    @contextmanager
    def _open(self) -> Iterator[None]:
        self._depth.n = getattr(self._depth, "n", 0) + 1
        try:
            yield
        finally:
            self._depth.n -= 1

    def _after_rollback(self, error: DomainError) -> None:
        """A refusal raised inside the transaction may carry work for after it (its audit entry:
        app/services/queue_session.py ``branch_refusal``), done once the outermost session of this
        thread is gone (an inner one's write would wait on the outer one's lock)."""
        follow_up = getattr(error, "after_rollback", None)
        if follow_up is not None and not getattr(self._depth, "n", 0):
            error.after_rollback = None  # type: ignore[attr-defined]
            follow_up(self)

    def dispose(self) -> None:
        self.engine.dispose()


def _reraise_interruption(error: BaseException) -> None:
    """Ctrl+C in the middle of a statement leaves the PostgreSQL connection busy, so the rollback
    on the way out fails too ("another command is already in progress"): the interruption is what
    happened, not an unreachable database."""
    if isinstance(error.__context__, KeyboardInterrupt):
        raise error.__context__


#: SQLite errors that mean the file cannot be used now (not a bug in a statement).
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error", "database or disk is full",
                       "attempt to write a readonly database")


def is_unavailable(error: DBAPIError) -> bool:
    """Whether a driver error means "the database cannot be reached" rather than a bad statement.

    PostgreSQL: no SQLSTATE (connection refused, server gone, timeout), class 08 (connection
    exception) or 57P0x (server shutting down, cannot connect now). SQLite: the file cannot be
    opened, read or written."""
    if error.connection_invalidated:
        return True
    orig = error.orig
    if orig is None:
        return False
    sqlstate = getattr(orig, "sqlstate", None)
    module = type(orig).__module__
    if module.startswith("psycopg"):
        return sqlstate is None or sqlstate.startswith("08") or sqlstate.startswith("57P")
    return any(text in str(orig).lower() for text in _SQLITE_UNAVAILABLE)


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, (list, tuple)):  # positional parameters, or the rows of an executemany
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul_characters(engine: Engine) -> None:
    """Text with a NUL character (U+0000) is refused before it reaches either database.

    PostgreSQL cannot store it in text (psycopg raises DataError), SQLite stores it silently and
    every later reader truncates or chokes on it. One check at the boundary makes a note, a
    search or a name with a NUL the same clear refusal on both, whichever service passed it on."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn, _cursor, _statement, parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        if parameters and _has_nul(parameters):
            raise ValidationError(field="text", reason="nul_character")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL: a committed ticket survives a power cut, not only a crash of the app.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get("branchdesk_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
