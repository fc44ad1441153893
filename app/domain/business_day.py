"""The business day is the calendar date in the branch's own time zone."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import ValidationError


def branch_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(field="time zone", reason="unknown_time_zone", zone=name) from None


def business_day(moment: datetime, zone_name: str) -> date:
    if moment.tzinfo is None:
        raise ValueError("business_day needs an aware datetime")
    return moment.astimezone(branch_zone(zone_name)).date()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
