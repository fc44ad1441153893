"""Customers: the customer, their phones and accounts, the name search index, notes and
follow-up reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base
from app.db.types import UTCDateTime

# -- customers -------------------------------------------------------------------------
# ID, phone and account numbers are stored encrypted (``*_cipher``, app/keys.py), with a keyed
# blind index (``*_index``) for exact search and the masked form (``*_masked``) for display, so
# lists never decrypt. Customers are bank-wide; ``branch_id`` is the branch that recorded them.


class Customer(Base):
    """An individual (个人) or corporate (对公) customer."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    kind: Mapped[str] = mapped_column(String(16))  # individual | corporate
    name: Mapped[str] = mapped_column(String(200))
    id_type: Mapped[str] = mapped_column(String(16))  # resident_id | uscc
    id_cipher: Mapped[str] = mapped_column(Text)
    id_index: Mapped[str] = mapped_column(String(32), index=True)
    id_masked: Mapped[str] = mapped_column(String(32))
    id_warning: Mapped[str | None] = mapped_column(Text)
    #: A credit code stored although its check character failed: the supervisor's reason.
    id_override_reason: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(String(8))
    # No birth date column: with the masked ID (digits 1–6, 15–18) it rebuilt the whole number.
    # It is digits 7–14 of the encrypted ID (app/domain/identity.py birth_date_in).
    address: Mapped[str | None] = mapped_column(Text)
    occupation: Mapped[str | None] = mapped_column(String(100))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[date | None] = mapped_column(Date)
    #: What the consent covers: codes of app.domain.customer_record.ConsentScope, comma-separated.
    consent_scope: Mapped[str | None] = mapped_column(String(64))
    asset_band: Mapped[str] = mapped_column(String(8), default="low")
    activity_band: Mapped[str] = mapped_column(String(8), default="low")
    credit_grade: Mapped[str] = mapped_column(String(8), default="fair")
    score: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[str] = mapped_column(String(16), default="normal")
    compliance: Mapped[str] = mapped_column(String(16), default="compliant")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when a duplicate was merged into another customer; the row stays for the audit trail.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    #: Corporate records: industry, size (EnterpriseSize), business licence expiry.
    industry: Mapped[str | None] = mapped_column(String(100))
    enterprise_size: Mapped[str | None] = mapped_column(String(16))
    licence_expires_on: Mapped[date | None] = mapped_column(Date)
    #: The relationship manager (客户经理 / 理财经理) who looks after the customer.
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Periodic review (定期复核): when the next falls due (None: not scheduled), the last one.
    review_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    reviewed_on: Mapped[date | None] = mapped_column(Date)


class CustomerPhone(Base):
    """A phone number, encrypted; the masked form (138****1234) keeps the first three and last
    four digits in the clear, and the last four are indexed: a teller asks for them."""

    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # mobile | landline
    number_cipher: Mapped[str] = mapped_column(Text)
    number_index: Mapped[str] = mapped_column(String(32), index=True)
    number_masked: Mapped[str] = mapped_column(String(32))


def phone_tail(column: Any) -> Any:
    """The last four characters of a masked number: the ``ix_customer_phones_tail`` expression,
    spelled once so that the query matches the index (a literal 3, not a bound parameter)."""
    return func.substr(column, func.length(column) - literal_column("3"))


Index("ix_customer_phones_tail", phone_tail(CustomerPhone.number_masked))


class CustomerAccount(Base):
    """An account or card (number, type, open date, status)."""

    __tablename__ = "customer_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # debit_card | credit_card | savings | settlement
    number_cipher: Mapped[str] = mapped_column(Text)
    number_index: Mapped[str] = mapped_column(String(32), index=True)
    number_masked: Mapped[str] = mapped_column(String(32))
    opened_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: A closed account: the day and the reason given (status "closed").
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(Text)


class CustomerNameGram(Base):
    """Search index of customer names on PostgreSQL: every 1- and 2-character piece, and the name's
    first one and two characters marked ``^`` (prefix). SQLite keeps the same pieces in an FTS5
    table instead, and this table stays empty there; app/db/customer_sql.py says why."""

    __tablename__ = "customer_name_grams"
    # A derived index, rebuilt from the name: no foreign key (a check per row on import) and no
    # index on customer_id (a merge deletes by (gram, customer_id), the primary key). On SQLite the
    # table *is* its primary key (WITHOUT ROWID): one B-tree insert per gram instead of two.
    __table_args__ = {"sqlite_with_rowid": False}

    gram: Mapped[str] = mapped_column(String(3), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class CustomerNote(Base):
    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)


class FollowUp(Base):
    """A contact reminder: 回访 follow-up visit or birthday care, due on a day."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "branch_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    kind: Mapped[str] = mapped_column(String(16))  # revisit | birthday
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
