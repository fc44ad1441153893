"""What guards the data: the append-only audit log, the seals of its entries, and the data
keys the personal data needs (their ids and fingerprints, never the keys)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base
from app.db.types import UTCDateTime


class AuditEntry(Base):
    """Append-only security log (logins, reveals, overrides, denials, exports, changes).

    Each row carries the hash of the row before it (by id), so an edited or deleted row
    breaks the chain; triggers refuse UPDATE and DELETE on both databases."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_user_action", "username", "action"),
        Index("ix_audit_entries_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    #: Canonical JSON (sorted keys) of the action's particulars, e.g. {"field": "phone", "reason": …}.
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditSeal(Base):
    """An audit entry's seal: an HMAC, under a key derived from the data key (kept outside the
    database), of the entry's id and chain hash. Someone with the database file but not the key can
    still edit rows and recompute the SHA-256 chain, but cannot make seals that match
    (app/services/audit_seal.py). Append-only, like the entries."""

    __tablename__ = "audit_seals"

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), primary_key=True)
    #: ``<data key id>:<hex HMAC-SHA256>``
    seal: Mapped[str] = mapped_column(String(120))


class DataKey(Base):
    """A data key the database's personal data needs: its id and fingerprint, never the key itself
    (app/services/data_keys.py)."""

    __tablename__ = "data_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
