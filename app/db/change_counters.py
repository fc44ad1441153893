"""Per-topic change counters: how SQLite workstations learn *what* another one changed.

SQLite has no NOTIFY. ``PRAGMA data_version`` tells a watcher only *that* another connection
committed (an audit entry as much as a called ticket). So on SQLite :func:`app.events.publish`
also gives one counter row per (branch, topic) a new version inside the use case's own
transaction; when ``data_version`` moves, the watcher reads these few rows and reports the
topics whose version moved. The bump commits or rolls back with the change it announces.

PostgreSQL has LISTEN/NOTIFY and leaves the table empty: a shared counter row would make
every counter's call wait on the same row lock.
"""

from __future__ import annotations

import secrets
import sqlite3

from sqlalchemy import Integer, String
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db.models import Base

#: ``branch_id`` of a change that concerns every branch (customers, checklist templates).
#: Branch ids start at 1; the column has no foreign key so that 0 can stand for "all".
ALL_BRANCHES = 0

#: (branch id, topic) -> counter value.
Counters = dict[tuple[int, str], int]


class ChangeCounter(Base):
    """The (branch, topic)'s last change, a new version with every publishing transaction (SQLite only)."""

    __tablename__ = "change_counters"

    branch_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


def bump_change_counter(session: Session, branch_id: int, topic: str) -> int:
    """Give the (branch, topic) row a new version, in the caller's (SQLite write) transaction; the
    version written.

    The version is a random 62-bit number, not the old one plus one: the watcher only asks
    whether it moved, and a random value also names *this* commit — the commit ledger
    (app/commit_ledger.py) remembers it, and no other process, no other database file and no
    file put back from a backup writes the same value by chance."""
    version = secrets.randbits(62)
    statement = (
        sqlite_insert(ChangeCounter)
        .values(branch_id=branch_id, topic=topic, version=version)
        .on_conflict_do_update(index_elements=[ChangeCounter.branch_id, ChangeCounter.topic],
                               set_={"version": version})
    )
    session.execute(statement)
    return version


def read_change_counters(connection: sqlite3.Connection, branch_id: int | None) -> Counters | None:
    """The counters a watcher of ``branch_id`` follows (its own and every branch's; all when None).

    Read on the watcher's plain sqlite3 connection (it polls from its own thread). None when the
    file has no counter table (not migrated yet): the caller then cannot tell topics apart."""
    query = "SELECT branch_id, topic, version FROM change_counters"
    parameters: tuple[int, ...] = ()
    if branch_id is not None:
        query += " WHERE branch_id IN (?, ?)"
        parameters = (branch_id, ALL_BRANCHES)
    try:
        rows = connection.execute(query, parameters).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return None
        raise
    return {(branch, topic): version for branch, topic, version in rows}
