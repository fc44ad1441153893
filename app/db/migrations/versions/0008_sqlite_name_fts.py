"""customer name index on SQLite: an FTS5 table instead of gram rows (faster bulk import)

SQLite only (PostgreSQL keeps ``customer_name_grams``): creates ``customer_name_fts`` (see
app/db/customer_sql.py), fills it from the live customers' names and empties the gram table,
which stays in the schema (the models are the same on both databases). Downgrade rebuilds
the gram rows from the names and drops the FTS5 table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 15:20:00
"""

from __future__ import annotations

from alembic import op

from app.domain.name_search import form_grams, search_form

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_BATCH = 10_000

# The table and token format as this revision creates them, copied rather than imported from
# app/db/customer_sql.py, so that a later change there cannot change what this revision did.
NAME_FTS = "customer_name_fts"
NAME_FTS_DDL = f"CREATE VIRTUAL TABLE {NAME_FTS} USING fts5(tokens, tokenize='ascii', columnsize=0)"


def fts_tokens(form: str) -> str:
    """Each character of a name's search form as its code point in hex, space-separated."""
    return " ".join(format(ord(character), "x") for character in form)


def _live_names(connection):  # type: ignore[no-untyped-def]
    """(id, search form of the name) of every customer not merged away, in batches."""
    last = 0
    while True:
        rows = connection.exec_driver_sql(
            "SELECT id, name FROM customers WHERE id > ? AND merged_into_id IS NULL ORDER BY id LIMIT ?",
            (last, _BATCH)).fetchall()
        if not rows:
            return
        yield [(cid, search_form(name or "")) for cid, name in rows]
        last = rows[-1][0]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(NAME_FTS_DDL)
    for batch in _live_names(connection):
        connection.exec_driver_sql(f"INSERT INTO {NAME_FTS} (rowid, tokens) VALUES (?, ?)",
                                   [(cid, fts_tokens(form)) for cid, form in batch])
    connection.exec_driver_sql("DELETE FROM customer_name_grams")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("DELETE FROM customer_name_grams")
    for batch in _live_names(connection):
        connection.exec_driver_sql("INSERT INTO customer_name_grams (gram, customer_id) VALUES (?, ?)",
                                   [(gram, cid) for cid, form in batch for gram in form_grams(form)])
    connection.exec_driver_sql(f"DROP TABLE {NAME_FTS}")
