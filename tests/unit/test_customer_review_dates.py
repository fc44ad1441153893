"""When a customer's periodic review falls due (app/domain/customer_record.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.customer_record import add_months, next_review, parse_review_items
from app.domain.errors import ValidationError


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 12, 4), 12, date(2027, 12, 4)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_company_is_reviewed_at_its_licence_expiry_when_that_comes_first() -> None:
    today = date(2026, 12, 4)
    assert next_review(today, 12) == date(2027, 12, 4)
    assert next_review(today, 12, date(2027, 3, 1)) == date(2027, 3, 1)
    assert next_review(today, 12, date(2030, 1, 1)) == date(2027, 12, 4)
    assert next_review(today, 12, date(2026, 1, 1)) == today  # expired: due now


def test_a_review_confirms_known_items() -> None:
    assert parse_review_items(["Contact", "identity", "identity"]) == ("identity", "contact")
    for items in ([], ["  "], ["hobbies"]):
        with pytest.raises(ValidationError):
            parse_review_items(items)
