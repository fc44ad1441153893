"""Complaint statements that must be atomic under concurrency, in each dialect's own way."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import ComplaintSequence


def bump_complaint_sequence(session: Session, branch_id: int, year: int) -> int:
    """Next complaint number of (branch, year): one INSERT … ON CONFLICT DO UPDATE … RETURNING.

    As for tickets (app/db/queue_sql.py): PostgreSQL serialises concurrent upserts on the
    row lock; on SQLite the write transaction already holds the database lock."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ComplaintSequence)
        .values(branch_id=branch_id, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[ComplaintSequence.branch_id, ComplaintSequence.year],
            set_={"last_number": ComplaintSequence.last_number + 1},
        )
        .returning(ComplaintSequence.last_number)
    )
    return session.execute(statement).scalar_one()
