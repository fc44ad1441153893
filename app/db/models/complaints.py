"""Consumer complaints: the complaint, its steps, its pauses and the yearly reference numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base
from app.db.types import UTCDateTime


class ComplaintSequence(Base):
    """Last complaint number handed out per (branch, year); bumped by an upsert like tickets."""

    __tablename__ = "complaint_sequences"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Complaint(Base):
    """A consumer complaint (投诉) from entry (draft) to closing; its steps are ComplaintEvent rows.

    Classification columns hold the stable codes of app/domain/complaints_vocab.py. Drafts may
    leave any of them empty; submission enforces the required ones. The reference number
    (TS-2026-0001) is given on submission, so abandoned drafts leave no gaps."""

    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("branch_id", "reference", name="uq_complaints_branch_reference"),
        Index("ix_complaints_branch_status_due", "branch_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    reference: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(20))
    # classification
    intake: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(32))
    business: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(16))
    severity: Mapped[str | None] = mapped_column(String(16))
    # complainant: an individual (walk-in or customer) or an organisation, possibly through an agent
    complainant_kind: Mapped[str] = mapped_column(String(16), default="individual")
    complainant_name: Mapped[str | None] = mapped_column(String(100))
    complainant_id_number: Mapped[str | None] = mapped_column(Text)  # sealed: app/services/complaint_sealing.py
    complainant_contact: Mapped[str | None] = mapped_column(Text)  # sealed: app/services/complaint_sealing.py
    org_name: Mapped[str | None] = mapped_column(String(200))
    org_credit_code: Mapped[str | None] = mapped_column(String(18))
    org_legal_rep: Mapped[str | None] = mapped_column(String(100))
    agent_name: Mapped[str | None] = mapped_column(String(100))
    agent_contact: Mapped[str | None] = mapped_column(Text)  # sealed: app/services/complaint_sealing.py
    agent_authorisation: Mapped[str | None] = mapped_column(Text)
    #: The complainant when they are a known customer (the profile lists their complaints).
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    # what is complained about
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    subject_note: Mapped[str | None] = mapped_column(Text)
    request: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[str | None] = mapped_column(Text)
    #: JSON list of the paper documents received, e.g. ["身份证复印件", "交易凭条"].
    attachments: Mapped[str] = mapped_column(Text, default="[]")
    # deadline (calendar days; see app/domain/complaint_deadline.py)
    received_on: Mapped[date | None] = mapped_column(Date)
    clock_start: Mapped[date | None] = mapped_column(Date)
    extensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Due date without the pause still open (if any); a paused complaint is never overdue.
    due_on: Mapped[date | None] = mapped_column(Date)
    paused_since: Mapped[date | None] = mapped_column(Date)
    # outcome
    decision: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    reply_method: Mapped[str | None] = mapped_column(String(16))
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    # people
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # first responder (首问负责)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ComplaintPause(Base):
    """A stretch of waiting for an outside appraisal; its days are not counted."""

    __tablename__ = "complaint_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)


class ComplaintEvent(Base):
    """Append-only history of a complaint: every step of receipt, routing and handling."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
