"""The triggers that keep the audit log append-only, checked and put back.

Migration 0003 created them for ``audit_entries``, 0012 for ``audit_seals``. Someone with the
database file (or a superuser) can drop them and then edit rows; the seals still reveal the edit,
but a log whose protection is gone is itself a finding. So ``audit verify`` fails when one is
missing (:func:`missing_protection`), ``db upgrade`` puts missing ones back
(:func:`create_missing_protection`, run by every upgrade) and ``restore`` refuses a backup without
them (app/services/backup.py)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection, text

TABLES = ("audit_entries", "audit_seals")


def _pg_function(table: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
END $$"""


def _pg_triggers(table: str) -> dict[str, str]:
    return {
        f"{table}_no_update_delete": f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
                                     f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        f"{table}_no_truncate": f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
    }


def _sqlite_triggers(table: str) -> dict[str, str]:
    return {
        f"{table}_no_{op.lower()}": f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    }


def expected_triggers(dialect: str) -> dict[str, str]:
    """Trigger name → the statement that creates it."""
    make = _pg_triggers if dialect == "postgresql" else _sqlite_triggers
    return {name: sql for table in TABLES for name, sql in make(table).items()}


def _present(connection: Connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        rows = connection.execute(text(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname = ANY(:tables)"), {"tables": list(TABLES)})
    else:
        rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {row[0] for row in rows}


def missing_protection(connection: Connection) -> list[str]:
    """Names of the protecting triggers that are missing (or disabled, on PostgreSQL)."""
    present = _present(connection)
    return sorted(name for name in expected_triggers(connection.dialect.name) if name not in present)


def create_missing_protection(connection: Connection) -> list[str]:
    """Put back the missing triggers (a disabled one is enabled again); returns their names."""
    missing = missing_protection(connection)
    postgres = connection.dialect.name == "postgresql"
    if postgres and missing:
        for table in TABLES:
            connection.execute(text(_pg_function(table)))
    statements = expected_triggers(connection.dialect.name)
    for name in missing:
        table = next(t for t in TABLES if name.startswith(t + "_"))
        if postgres:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        connection.execute(text(statements[name]))
    return missing


def missing_in_sqlite_file(path: str) -> list[str]:
    """The protecting triggers missing from an SQLite file, read without changing it (a backup)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()
    return sorted(name for name in expected_triggers("sqlite")
                  if name not in present and name.rsplit("_no_", 1)[0] in tables)
