"""Turning what a person types as a date or time (filters "since" and "until") into UTC instants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.domain.errors import ValidationError


def day_start(day: date, tz: str) -> datetime:
    """Midnight at the start of ``day`` in the time zone ``tz``, as a UTC instant."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def parse_bound(text: str, tz: str, *, end: bool, field: str) -> datetime:
    """``2026-11-23`` or ``2026-11-23T09:30`` (local to ``tz`` unless it names an offset).

    A bare date as an end bound includes that whole day (the bound is the next midnight)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day_start(day + timedelta(days=1) if end else day, tz)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(field=field, reason="date_or_time_format") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(timezone.utc)
