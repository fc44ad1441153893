"""ORM models: one schema for SQLite and PostgreSQL. Every row carries its branch."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Branch(Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    counters: Mapped[list[Counter]] = relationship(back_populates="branch", order_by="Counter.number")


class Counter(Base):
    """A counter window (窗口) of a branch."""

    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("branch_id", "number", name="uq_counters_branch_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    state_reason: Mapped[str | None] = mapped_column(Text)
    state_since: Mapped[datetime | None] = mapped_column(UTCDateTime())

    branch: Mapped[Branch] = relationship(back_populates="counters")
    services: Mapped[list[CounterService]] = relationship(order_by="CounterService.position",
                                                           cascade="all, delete-orphan")


class CounterService(Base):
    """One row of the counter–service matrix: this counter serves this business type, at this rank."""

    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    business_type_id: Mapped[int] = mapped_column(ForeignKey("business_types.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class CounterEvent(Base):
    """Append-only history of a counter's state: opened, paused (why), resumed, closed."""

    __tablename__ = "counter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Wrong passwords in a row; reset by a successful sign-in, a reset or an unlock.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Sign-in refused until then (UTC) after too many wrong passwords.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BusinessType(Base):
    """A kind of business served at the counters; seeded from resources/business_types.toml."""

    __tablename__ = "business_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    prefix: Mapped[str] = mapped_column(String(1))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    target_minutes: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Exponentially weighted recent service time; None until a service has been timed.
    ewma_service_seconds: Mapped[float | None] = mapped_column(Float)


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


class AuditSeal(Base):
    """An audit entry's seal: an HMAC, under a key derived from the data key (kept outside the
    database), of the entry's id and chain hash. Someone with the database file but not the key can
    still edit rows and recompute the SHA-256 chain, but cannot make seals that match
    (app/services/audit_seal.py). Append-only, like the entries."""

    __tablename__ = "audit_seals"

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), primary_key=True)
    #: ``<data key id>:<hex HMAC-SHA256>``
    seal: Mapped[str] = mapped_column(String(120))


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


class AuditEntry(Base):
    """Append-only security log (logins, reveals, overrides, denials, exports, changes).

    Each row carries the hash of the row before it (by id), so an edited or deleted row
    breaks the chain; triggers refuse UPDATE and DELETE on both databases."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_user_action", "username", "action"),
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


class ChecklistTemplate(Base):
    """One version of a business type's checklist template: the TOML text as imported.

    Versions are never changed or deleted: an import adds a higher version and retires the
    previous one (``active`` false), which stays readable for the runs that used it."""

    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("business_type_code", "version", name="uq_checklist_templates_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_type_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ChecklistRun(Base):
    """A checklist worked for one ticket, pinned to the template version it started with."""

    __tablename__ = "checklist_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    #: JSON of what is known about the customer and visit (e.g. {"customer_age": 70}).
    facts: Mapped[str] = mapped_column(Text, default="{}")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    template: Mapped[ChecklistTemplate] = relationship()


class ChecklistStepResult(Base):
    """What happened to one step of a run: done (with its input), skipped (why) or overridden (by whom, why)."""

    __tablename__ = "checklist_step_results"
    __table_args__ = (UniqueConstraint("run_id", "step_id", name="uq_checklist_step_results_run_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("checklist_runs.id"), index=True)
    step_id: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16))
    #: JSON of the input (text, number, option value, or true for a tick).
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The supervisor who confirmed a supervisor step or overrode a required one.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
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
    asset_band: Mapped[str] = mapped_column(String(8), default="low")
    activity_band: Mapped[str] = mapped_column(String(8), default="low")
    credit_grade: Mapped[str] = mapped_column(String(8), default="fair")
    score: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[str] = mapped_column(String(16), default="normal")
    compliance: Mapped[str] = mapped_column(String(16), default="compliant")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when a duplicate was merged into another customer; the row stays for the audit trail.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))


class CustomerPhone(Base):
    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # mobile | landline
    number_cipher: Mapped[str] = mapped_column(Text)
    number_index: Mapped[str] = mapped_column(String(32), index=True)
    number_masked: Mapped[str] = mapped_column(String(32))


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


class DataKey(Base):
    """A data key the database's personal data needs: its id and fingerprint, never the key itself
    (app/services/data_keys.py)."""

    __tablename__ = "data_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BranchSetting(Base):
    """A branch's value of a branch-wide setting (queue, complaint and security policy...), shared by
    all its workstations; see app/settings.py (scope "branch") and app/services/branch_settings.py."""

    __tablename__ = "branch_settings"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


# Models kept in modules of their own, registered on Base.metadata with the others (Alembic's
# autogenerate and the model/migration test see them through this module).
from app.db import change_counters as _change_counters  # noqa: E402,F401
