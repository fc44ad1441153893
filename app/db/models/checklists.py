"""Service checklists: the imported template versions, and the run of one per ticket with
what happened to each step."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base
from app.db.types import UTCDateTime


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
