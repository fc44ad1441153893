"""Issue #18: the complaint form checks an ID number and phone numbers as the kiosk and the
appointment form do (app/domain/identity.py), drafts included, and stores the canonical form."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.complaint_entry import ComplaintEntry, check_for_submission, clean
from app.domain.errors import ValidationError
from app.domain.identity import parse_phone, parse_resident_id

TODAY = date(2026, 12, 3)
GOOD_ID = "11010119900307037X"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("complainant_id_number", GOOD_ID[:17] + "1", "check_character"),
    ("complainant_id_number", "1101011990030", "exact_length"),
    ("complainant_id_number", "110101300003070015", "birth_date_impossible"),
    ("complainant_contact", "138abc12345", "phone_format"),
    ("complainant_contact", "12345", "phone_format"),
    ("agent_contact", "1381234123x", "phone_format"),
    ("org_credit_code", "9111000060003734", "exact_length"),
])
def test_a_draft_with_a_wrong_number_is_refused_naming_the_field(field: str, value: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean(ComplaintEntry(**{field: value}), today=TODAY)
    assert refused.value.params["field"] == field and refused.value.params["reason"] == reason


@pytest.mark.parametrize(("field", "value"), [
    ("complainant_id_number", GOOD_ID[:17] + "1"), ("complainant_contact", "138abc12345")])
def test_the_kiosk_and_appointment_checks_refuse_the_same_values(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        if field == "complainant_id_number":
            parse_resident_id(value, today=TODAY)
        else:
            parse_phone(value)


def test_good_numbers_are_stored_in_their_canonical_form() -> None:
    entry = clean(ComplaintEntry(complainant_id_number=GOOD_ID.lower(), complainant_contact="+86 138-1234-1234",
                                 agent_contact="010 6512 3456"), today=TODAY)
    assert (entry.complainant_id_number, entry.complainant_contact, entry.agent_contact) == (
        GOOD_ID, "13812341234", "01065123456")


def test_a_masked_value_is_left_for_the_stored_one() -> None:
    entry = clean(ComplaintEntry(complainant_id_number="110101********037X", complainant_contact="138****1234"),
                  today=TODAY)
    assert entry.complainant_id_number == "110101********037X"  # ComplaintSealer.keep_unchanged matches it


def test_submission_names_every_missing_field() -> None:
    with pytest.raises(ValidationError) as refused:
        check_for_submission(ComplaintEntry(intake="in_person"), today=TODAY)
    missing = refused.value.params["missing"]
    assert refused.value.params["field"] == missing[0] == "channel"
    assert {"complainant_name", "complainant_contact", "request", "facts"} <= set(missing)
