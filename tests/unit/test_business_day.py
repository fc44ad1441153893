"""The business day is the calendar date in the branch's time zone, not in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.business_day import branch_zone, business_day, utcnow
from app.domain.errors import ValidationError

SHANGHAI = "Asia/Shanghai"


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(("moment", "day"), [
    ("2026-11-23T00:00:00", date(2026, 11, 23)),
    ("2026-11-22T16:00:00", date(2026, 11, 23)),  # 00:00 in Shanghai
    ("2026-11-22T15:59:59", date(2026, 11, 22)),
    ("2026-11-23T15:59:00", date(2026, 11, 23)),  # 23:59 in Shanghai
    ("2026-11-23T16:00:00", date(2026, 11, 24)),
    ("2026-11-23T16:01:00", date(2026, 11, 24)),  # still the 23rd in UTC
    ("2026-12-31T16:00:00", date(2027, 1, 1)),    # new year
    ("2028-02-28T16:30:00", date(2028, 2, 29)),   # leap day
])
def test_shanghai_business_day(moment: str, day: date) -> None:
    assert business_day(utc(moment), SHANGHAI) == day


def test_other_offsets_of_the_same_instant_give_the_same_day() -> None:
    instant = utc("2026-11-23T16:01:00")
    for offset in (-8, 0, 5.5, 8, 14):
        assert business_day(instant.astimezone(timezone(timedelta(hours=offset))), SHANGHAI) == date(2026, 11, 24)


def test_the_zone_matters() -> None:
    instant = utc("2026-11-23T20:00:00")
    assert business_day(instant, SHANGHAI) == date(2026, 11, 24)
    assert business_day(instant, "Asia/Urumqi") == date(2026, 11, 24)  # UTC+6: 02:00
    assert business_day(instant, "Europe/London") == date(2026, 11, 23)
    assert business_day(instant, "America/New_York") == date(2026, 11, 23)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        business_day(datetime(2026, 11, 23, 10, 0), SHANGHAI)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "not a zone", "../etc/passwd"])
def test_unknown_zone_is_a_validation_error(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        branch_zone(name)
    assert caught.value.params["field"] == "time zone"
    with pytest.raises(ValidationError):
        business_day(utc("2026-11-23T00:00:00"), name)


def test_utcnow_is_aware_utc() -> None:
    now = utcnow()
    assert now.tzinfo is timezone.utc
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)))
def test_shanghai_is_utc_plus_eight_all_year(moment: datetime) -> None:
    """China has kept UTC+8 without daylight saving since 1991."""
    assert business_day(moment, SHANGHAI) == (moment + timedelta(hours=8)).date()
