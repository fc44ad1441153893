"""Reveal reasons and notes have length limits and refuse invisible characters, on both
databases; a refused one writes nothing (no note, no follow-up, no reveal audit entry)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import CustomerNote, FollowUp
from app.domain.errors import ValidationError
from app.keys import FieldCipher, KeyRing
from app.services.audit import AuditAction, AuditFilter, AuditLog
from app.services.customers.service import MAX_NOTE, MAX_REVEAL_REASON, CustomerService
from tests.integration.customer_fixtures import person, resident_id

ID = resident_id("110101", "19900307", "123")


@pytest.fixture
def customers(db, clock) -> CustomerService:  # type: ignore[no-untyped-def]
    return CustomerService(db, clock=clock, cipher=FieldCipher(KeyRing.generate()))


@pytest.fixture
def wang(customers, actors) -> int:  # type: ignore[no-untyped-def]
    return customers.create(actors.teller1, person("王志强", ID, "13812341234"))


def reveals(db, actors, clock) -> int:  # type: ignore[no-untyped-def]
    return len(AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action=AuditAction.REVEAL.value)))


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("reason, refusal", [
    ("核" * (MAX_REVEAL_REASON + 1), {"reason": "max_length", "limit": MAX_REVEAL_REASON}),
    ("核对\u202e身份", {"reason": "format_characters"}),
    ("核对\x1b[2J身份", {"reason": "control_characters"}),
])
def test_a_reveal_reason_too_long_or_with_hidden_characters_is_refused(customers, actors, wang, db, clock, reason,
                                                                        refusal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        customers.reveal(actors.teller1, wang, "id_number", reason)
    assert refused.value.params == {"field": "reason", **refusal}
    assert reveals(db, actors, clock) == 0
    assert customers.reveal(actors.teller1, wang, "id_number", "核" * MAX_REVEAL_REASON) == ID
    assert reveals(db, actors, clock) == 1


@pytest.mark.parametrize("text, refusal", [
    ("x" * (MAX_NOTE + 1), {"reason": "max_length", "limit": MAX_NOTE}),
    ("客户\u2067要求\u2069", {"reason": "format_characters"}),
    ("客户\x07要求", {"reason": "control_characters"}),
])
def test_notes_and_follow_up_notes_are_limited_and_checked(customers, actors, wang, db, text,
                                                           refusal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        customers.add_note(actors.teller1, wang, text)
    assert refused.value.params == {"field": "note", **refusal}
    with pytest.raises(ValidationError) as refused:
        customers.add_follow_up(actors.teller1, wang, "revisit", date(2026, 12, 1), text)
    assert refused.value.params == {"field": "note", **refusal}
    assert count(db, CustomerNote) == 0 and count(db, FollowUp) == 0
    customers.add_note(actors.teller1, wang, "第一行\r\n" + "x" * (MAX_NOTE - 4))
    customers.add_follow_up(actors.teller1, wang, "revisit", date(2026, 12, 1), "x" * MAX_NOTE)
    [note] = customers.profile(actors.teller1, wang).notes
    assert note.text == "第一行\n" + "x" * (MAX_NOTE - 4)
    assert count(db, FollowUp) == 1
