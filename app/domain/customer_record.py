"""Rules of a customer record kept at the counter: consent and corporate details.

Personal information is collected only with the customer's consent (个人信息保护法 Art. 13–14;
网点客户服务标准手册 §6.1): a record registered or edited at the branch says when the customer
agreed and what the consent covers. Using the service itself is the least a record needs;
marketing contact (birthday care, product calls) and sharing within the group are asked
separately and can be withdrawn on their own.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from app.domain.errors import ValidationError


class ConsentScope(StrEnum):
    #: Holding and using the data to serve the customer (required for any record made here).
    SERVICE = "service"
    #: Contact for marketing: product calls, birthday and holiday care.
    MARKETING = "marketing"
    #: Sharing within the banking group.
    SHARING = "sharing"


class EnterpriseSize(StrEnum):
    """划型 of 中小企业划型标准规定 (large, medium, small, micro)."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"


_SCOPE_ALIASES = {"服务": "service", "营销": "marketing", "共享": "sharing"}
_SIZE_ALIASES = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}


def parse_consent_scope(value: str | Iterable[str] | None) -> tuple[ConsentScope, ...]:
    """Scope codes from ``"service,marketing"`` or an iterable (Chinese words accepted), in the
    enum's order without repeats; an unknown code names the field."""
    parts = value.replace("，", ",").split(",") if isinstance(value, str) else list(value or ())
    chosen = set()
    for part in parts:
        text = part.strip().lower()
        if not text:
            continue
        try:
            chosen.add(ConsentScope(_SCOPE_ALIASES.get(text, text)))
        except ValueError:
            raise ValidationError(field="consent scope", reason="one_of",
                                  choices=tuple(s.value for s in ConsentScope)) from None
    return tuple(s for s in ConsentScope if s in chosen)


def scope_text(scope: Iterable[ConsentScope]) -> str | None:
    """The stored form: codes joined by commas; None for no consent."""
    codes = [s.value for s in scope]
    return ",".join(codes) or None


def stored_scope(text: str | None) -> tuple[ConsentScope, ...]:
    """The scope read back from a row (unknown codes from a newer version are ignored)."""
    return tuple(s for s in ConsentScope if s.value in (text or "").split(","))


def check_collection_consent(scope: tuple[ConsentScope, ...], given_on: date | None, *, today: date) -> None:
    """Refuse to keep personal data collected here without consent to the service, or with a
    consent date that is missing or after today."""
    if ConsentScope.SERVICE not in scope:
        raise ValidationError(field="consent", reason="consent_required")
    if given_on is None:
        raise ValidationError(field="consent date", reason="required")
    if given_on > today:
        raise ValidationError(field="consent date", reason="not_in_future")


def parse_enterprise_size(value: str | None) -> EnterpriseSize | None:
    text = (value or "").strip().lower()
    if not text:
        return None
    try:
        return EnterpriseSize(_SIZE_ALIASES.get(text, text))
    except ValueError:
        raise ValidationError(field="enterprise size", reason="one_of",
                              choices=tuple(s.value for s in EnterpriseSize)) from None


#: What a periodic review confirms with the customer (a company's licence; a person's occupation).
REVIEW_ITEMS = ("identity", "contact", "address", "occupation", "licence")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day: 31 Jan → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(today: date, months: int, licence_expires_on: date | None = None) -> date:
    """When the next periodic review falls due: ``months`` from today, or a company's business
    licence expiry when that comes first (an expired licence: due today)."""
    due = add_months(today, months)
    if licence_expires_on is not None:
        due = min(due, max(today, licence_expires_on))
    return due


def parse_review_items(items: Iterable[str]) -> tuple[str, ...]:
    """The confirmed items in REVIEW_ITEMS order; at least one, each one of them."""
    chosen = {str(item).strip().lower() for item in items if str(item).strip()}
    unknown = chosen.difference(REVIEW_ITEMS)
    if unknown or not chosen:
        raise ValidationError(field="review", reason="one_of" if unknown else "required",
                              **({"choices": REVIEW_ITEMS} if unknown else {}))
    return tuple(item for item in REVIEW_ITEMS if item in chosen)
