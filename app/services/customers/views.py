"""What the customer use cases return: masked views, never ORM objects or plain sensitive values.

The profile is a fixed core plus ``sections``: named lists that other areas add by registering
a loader with :func:`register_profile_section` (e.g. ``"checklists"`` and ``"complaints"``), so
the profile grows without this module knowing those areas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CustomerHit:
    id: int
    kind: str
    name: str          # masked for individuals (张*); a company's name is shown in full
    id_type: str
    id_masked: str
    phone_masked: str
    tier: str
    compliance: str
    #: What tells two 张* apart without unmasking: gender and the decade of age (60 for 60–69),
    #: None for a company or an ID without a birth date.
    gender: str | None = None
    age_band: int | None = None


@dataclass(frozen=True)
class SearchPage:
    query: str
    mode: str          # "exact" | "phone_tail" | "name" | "empty"
    page: int
    page_size: int
    items: tuple[CustomerHit, ...]
    has_more: bool


@dataclass(frozen=True)
class PhoneView:
    id: int
    kind: str
    masked: str


@dataclass(frozen=True)
class AccountView:
    id: int
    kind: str
    masked: str
    opened_on: date | None
    status: str
    closed_on: date | None = None
    close_reason: str | None = None


@dataclass(frozen=True)
class TicketLine:
    id: int
    number: str
    business_day: date
    business: str
    status: str
    teller: str | None
    issued_at: datetime
    outcome: str | None


@dataclass(frozen=True)
class NoteView:
    id: int
    at: datetime
    author: str | None
    text: str


@dataclass(frozen=True)
class FollowUpView:
    id: int
    customer_id: int
    customer_name: str  # masked
    kind: str           # revisit | birthday
    due_on: date
    note: str | None
    status: str


@dataclass(frozen=True)
class Profile:
    id: int
    kind: str
    name: str
    id_type: str
    id_masked: str
    id_warning: str | None
    gender: str | None
    address: str | None
    occupation: str | None
    legal_representative: str | None
    contact_name: str | None
    consent: bool
    consent_date: date | None
    asset_band: str
    activity_band: str
    credit_grade: str
    score: int
    tier: str
    compliance: str
    phones: tuple[PhoneView, ...]
    accounts: tuple[AccountView, ...]
    tickets_today: tuple[TicketLine, ...]
    tickets_past: tuple[TicketLine, ...]
    notes: tuple[NoteView, ...]
    open_follow_ups: tuple[FollowUpView, ...]
    #: Sections added by other areas: name → rows (dataclasses), see register_profile_section.
    sections: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    #: What the consent covers (ConsentScope codes); empty without consent.
    consent_scope: tuple[str, ...] = ()
    #: Corporate records.
    industry: str | None = None
    enterprise_size: str | None = None
    licence_expires_on: date | None = None
    #: The relationship manager who looks after the customer (user id, display name).
    manager_id: int | None = None
    manager_name: str | None = None
    #: Periodic review: next due (None: not scheduled) and the last one.
    review_due_on: date | None = None
    reviewed_on: date | None = None


#: (session, customer_id) → the rows of one profile section, already masked.
SectionLoader = Callable[[Session, int], Sequence[Any]]
_SECTIONS: dict[str, SectionLoader] = {}


def register_profile_section(name: str, loader: SectionLoader) -> None:
    """Add a section to every profile (idempotent by name). Called at import time of the area's
    service module, e.g. ``register_profile_section("complaints", complaints_of_customer)``."""
    _SECTIONS[name] = loader


def profile_sections() -> dict[str, SectionLoader]:
    return dict(_SECTIONS)


@dataclass(frozen=True)
class Duplicate:
    customer_id: int
    name: str
    id_masked: str
    reason: str  # "same ID number" | "same name and phone"
