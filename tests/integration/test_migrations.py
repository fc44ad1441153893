"""Schema migrations, the model/migration match, backups, and column behaviour on both databases."""

from __future__ import annotations

import sqlite3
from datetime import timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError

import app.db.migrate as migrate
from app.db.customer_sql import is_managed_elsewhere
from app.db.engine import Database
from app.db.migrate import backup_sqlite, current_revision, head_revision, upgrade
from app.db.models import Base, BusinessType, Ticket
from app.services.bootstrap import prepare_database

TABLES = {"branches", "counters", "users", "business_types", "ticket_sequences", "tickets", "ticket_events",
          "alembic_version"}


def test_current_is_none_on_an_empty_database_and_head_after_upgrade(db_url) -> None:  # type: ignore[no-untyped-def]
    db = Database(db_url)
    try:
        head = head_revision(db)
        assert head is not None
        assert current_revision(db) is None
        assert upgrade(db) is None  # a brand-new database has nothing to back up
        assert current_revision(db) == head
        assert TABLES <= set(inspect(db.engine).get_table_names())
        assert upgrade(db) is None  # already at head: nothing done, no backup
        assert current_revision(db) == head
    finally:
        db.dispose()


def _models_only(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """SQLite's FTS5 name index (migration 0008) is kept outside the models on purpose."""
    return not (type_ == "table" and is_managed_elsewhere(name))


# SQLite's reflection cannot read the phone-tail expression index (migration 0015); PostgreSQL
# compares it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning")
def test_models_match_the_migrations(db) -> None:  # type: ignore[no-untyped-def]
    """A model change without a migration shows up here (alembic autogenerate finds a diff)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": _models_only})
        assert compare_metadata(context, Base.metadata) == []


def test_prepare_database_is_idempotent(db_url) -> None:  # type: ignore[no-untyped-def]
    first = prepare_database(db_url)
    first.dispose()
    again = prepare_database(db_url)
    try:
        with again.read() as session:
            codes = list(session.scalars(select(BusinessType.code)))
        assert len(codes) == len(set(codes)) == 10
    finally:
        again.dispose()


def test_backup_of_a_live_sqlite_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = prepare_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    try:
        from app.services.bootstrap import seed_demo

        seed_demo(db)
        # Another workstation is mid-transaction: the online backup still gets a consistent
        # copy, holding what was committed and nothing of the open transaction.
        with db.write() as session:
            session.execute(update(BusinessType).values(name_en="uncommitted"))
            copy = backup_sqlite(db.sqlite_path, tmp_path / "backups", "manual")
        assert copy.parent == tmp_path / "backups"
        assert copy.name.startswith("live-manual-") and copy.suffix == ".sqlite3"
        connection = sqlite3.connect(copy)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert TABLES <= tables
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision(db)
            assert connection.execute("SELECT code FROM branches").fetchall() == [("DEMO",)]
            names = [row[0] for row in connection.execute("SELECT name_en FROM business_types")]
            assert len(names) == 10 and "uncommitted" not in names
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    finally:
        db.dispose()


def test_upgrade_backs_up_a_sqlite_file_that_is_behind(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Simulated: the code knows a newer head than the file carries. The backup is made
    before Alembic touches the file, next to it in backups/."""
    db = prepare_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        real_head = head_revision(db)
        applied: list[str] = []
        monkeypatch.setattr(migrate, "head_revision", lambda _db: "9999_future")
        monkeypatch.setattr(migrate.command, "upgrade",
                            lambda config, target: applied.append(target))
        backup = upgrade(db)
        assert backup is not None
        assert applied == ["head"]
        copy = tmp_path / "backups"
        assert [p.name for p in copy.iterdir()] == [backup.rsplit("/", 1)[-1]]
        assert "before-9999_future" in backup
        connection = sqlite3.connect(backup)
        try:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == real_head
        finally:
            connection.close()
        # An explicit backup dir is honoured.
        assert upgrade(db, tmp_path / "elsewhere").startswith(str(tmp_path / "elsewhere"))
    finally:
        db.dispose()


def test_no_backup_for_postgresql_when_behind(pg_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = prepare_database(pg_url)
    try:
        monkeypatch.setattr(migrate, "head_revision", lambda _db: "9999_future")
        monkeypatch.setattr(migrate.command, "upgrade", lambda config, target: None)
        assert upgrade(db) is None
    finally:
        db.dispose()


def test_datetimes_come_back_aware_utc(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    issued = queue.issue_ticket(actors.lobby, branch.id, "loan")
    [reread] = queue.list_tickets(branch.id)
    assert reread.issued_at == issued.issued_at == clock.now
    assert reread.issued_at.tzinfo == timezone.utc
    assert queue.events_of(issued.id)[0].at.tzinfo == timezone.utc


def test_database_refuses_two_active_tickets_on_one_counter(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """The partial unique index is the last line of defence against a double call."""
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    second = queue.issue_ticket(actors.lobby, branch.id, "loan")
    called = queue.call_next(actors.teller1, branch.id, 1)
    with queue.db.read() as session:
        counter_id = session.scalar(select(Ticket.counter_id).where(Ticket.id == called.id))
    with pytest.raises(IntegrityError):
        with queue.db.write() as session:
            session.execute(update(Ticket).where(Ticket.id == second.id)
                            .values(status="serving", counter_id=counter_id))
    # Finished tickets do not count: many may name the same counter.
    queue.finish(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller1, branch.id, 1).id == second.id


def test_sqlite_connection_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'p.sqlite3'}")
    try:
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 15_000
            assert pragma("synchronous") == 2  # FULL
        assert db.sqlite_path == tmp_path / "nested" / "dir" / "p.sqlite3"
    finally:
        db.dispose()


@pytest.mark.parametrize("url", ["postgresql://u:p@h/db", "postgresql+psycopg2://u:p@h/db",
                                 "postgresql+psycopg://u:p@h/db"])
def test_postgresql_urls_always_use_psycopg_3(url) -> None:  # type: ignore[no-untyped-def]
    db = Database(url)  # creating the engine does not connect
    try:
        assert db.dialect == "postgresql" and not db.is_sqlite
        assert db.engine.dialect.driver == "psycopg"
        assert db.sqlite_path is None
    finally:
        db.dispose()
