"""Alembic environment: runs on the connection BranchDesk hands it (see app/db/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.db.customer_sql import is_managed_elsewhere
from app.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate leaves alone the tables kept outside the models (SQLite's FTS5 name index)."""
    return not (type_ == "table" and is_managed_elsewhere(name))


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
