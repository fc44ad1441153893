"""The queue: tickets and their history, the daily number sequences, booked visits and the
customers' ratings of a service."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base
from app.db.types import UTCDateTime

if TYPE_CHECKING:  # (the relationships name these classes; the registry resolves them)
    from app.db.models.branches import BusinessType, Counter, User


class TicketSequence(Base):
    """Last number handed out per (branch, business day, prefix); bumped by an upsert."""

    __tablename__ = "ticket_sequences"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(1), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # A transfer continues the visit under the same number as a new segment.
        UniqueConstraint("branch_id", "business_day", "display_number", "segment",
                         name="uq_tickets_branch_day_number_segment"),
        Index("ix_tickets_queue", "branch_id", "status", "issued_at"),
        # A counter holds at most one called-or-serving ticket: the database itself refuses a double call.
        Index(
            "uq_tickets_active_per_counter",
            "counter_id",
            unique=True,
            sqlite_where=text("status IN ('called', 'serving')"),
            postgresql_where=text("status IN ('called', 'serving')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    business_type_id: Mapped[int] = mapped_column(ForeignKey("business_types.id"))
    business_day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(1))
    number: Mapped[int] = mapped_column(Integer)
    display_number: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[str] = mapped_column(String(16), default="normal", server_default="normal")
    #: When the visit began (kept across transfers) and the time that orders the queue.
    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    segment: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Set by a transfer to a named counter: only that counter calls the ticket.
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    outcome: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    #: The customer identified for this visit (kiosk ID number, or attached by the teller).
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)

    business_type: Mapped[BusinessType] = relationship()
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])
    served_by: Mapped[User | None] = relationship(foreign_keys=[served_by_id])


class TicketEvent(Base):
    """Append-only history of a ticket: who moved it from which state to which, and why."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    reason: Mapped[str | None] = mapped_column(Text)


class Appointment(Base):
    """A booked visit (预约): checked in at the kiosk with its code.

    The customer's name and phone are stored encrypted (``*_cipher``, app/keys.py), beside their
    masked forms for lists and a blind index of the phone for look-ups by number. ``legacy_name``
    and ``legacy_phone`` are the plaintext columns of before revision 0011: nothing writes them,
    and the first keyed use seals what an upgrade left there (app/services/appointments.py)."""

    __tablename__ = "appointments"
    __table_args__ = (UniqueConstraint("branch_id", "code", name="uq_appointments_branch_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    business_type_id: Mapped[int] = mapped_column(ForeignKey("business_types.id"))
    code: Mapped[str] = mapped_column(String(8))
    legacy_name: Mapped[str | None] = mapped_column("customer_name", String(100))
    legacy_phone: Mapped[str | None] = mapped_column("phone", String(32))
    name_cipher: Mapped[str | None] = mapped_column(Text)
    name_masked: Mapped[str] = mapped_column(String(100))
    phone_cipher: Mapped[str | None] = mapped_column(Text)
    phone_index: Mapped[str | None] = mapped_column(String(32), index=True)
    phone_masked: Mapped[str] = mapped_column(String(32))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime())
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    business_type: Mapped[BusinessType] = relationship()


class SatisfactionRating(Base):
    """The customer's rating of one service, from the counter's evaluator or entered by the teller."""

    __tablename__ = "satisfaction_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
