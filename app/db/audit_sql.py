"""Appending to the audit chain: the dialect-specific locking lives here."""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, literal, select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry
from app.domain.audit_chain import GENESIS

#: Advisory lock key that serialises appends to the audit chain on PostgreSQL.
AUDIT_CHAIN_LOCK = 0x4244_0002


def lock_chain_and_read_tail(session: Session) -> str:
    """Take the chain's append lock and return the hash of its last entry.

    Two transactions that both read the tail and then append would fork the chain. On
    PostgreSQL a transaction-level advisory lock (held to commit) makes appends take turns;
    SQLite's BEGIN IMMEDIATE (every write session) already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(cast(literal(AUDIT_CHAIN_LOCK), Integer))))
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS
