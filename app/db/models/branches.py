"""The branch and how it is organised: its counters (the counter–service matrix, each counter's
state history), staff accounts, the business types served, and the branch-wide settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base
from app.db.types import UTCDateTime


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


class BranchSetting(Base):
    """A branch's value of a branch-wide setting (queue, complaint and security policy...), shared by
    all its workstations; see app/settings.py (scope "branch") and app/services/branch_settings.py."""

    __tablename__ = "branch_settings"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
