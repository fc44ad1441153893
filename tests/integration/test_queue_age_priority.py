"""What a resident ID number earns by age (``QueueService.age_priority``): the kiosk shows the
service's decision, and issuing the ticket with the number applies the same rule."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import ValidationError
from app.domain.priority import PriorityClass
from tests.integration.test_queue_operations import TURNS_65_TODAY, TURNS_65_TOMORROW, resident_id, service_with

P = PriorityClass


def test_the_green_channel_from_the_65th_birthday_on(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    elder, young = resident_id(TURNS_65_TODAY), resident_id(TURNS_65_TOMORROW)
    earned = queue.age_priority(branch.id, elder)
    assert (earned.number, earned.priority, earned.elderly_age) == (elder, P.GREEN, 65)
    assert earned.masked == elder[:6] + "********" + elder[14:]  # never the birth date
    assert queue.age_priority(branch.id, young).priority is P.NORMAL
    # The ticket issued with the number the service returned gets what it said.
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=earned.number).priority is P.GREEN
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=young).priority is P.NORMAL


def test_the_number_is_read_as_typed_and_refused_by_name(queue, branch) -> None:  # type: ignore[no-untyped-def]
    number = resident_id(date(1950, 1, 1))
    typed = f"  {number.lower()} "
    assert queue.age_priority(branch.id, typed).number == number.upper()
    for bad in ("", "1101051950", number[:17] + ("1" if number[17] != "1" else "2")):
        with pytest.raises(ValidationError) as refused:
            queue.age_priority(branch.id, bad)
        assert refused.value.params["field"] == "ID number"


def test_the_age_counts_on_the_branchs_business_day(queue, branch, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-23T15:30:00+00:00")  # 23:30 in Shanghai: still the 23rd
    assert queue.age_priority(branch.id, resident_id(TURNS_65_TOMORROW)).priority is P.NORMAL
    clock.set("2026-11-23T16:30:00+00:00")  # 00:30 on the 24th in Shanghai, still the 23rd in UTC
    assert queue.age_priority(branch.id, resident_id(TURNS_65_TOMORROW)).priority is P.GREEN


def test_the_configured_age_applies(db, clock, branch) -> None:  # type: ignore[no-untyped-def]
    service = service_with(db, clock, elderly_age=70)
    earned = service.age_priority(branch.id, resident_id(TURNS_65_TODAY))
    assert (earned.priority, earned.elderly_age) == (P.NORMAL, 70)
    assert service.age_priority(branch.id, resident_id(date(1956, 11, 23))).priority is P.GREEN

