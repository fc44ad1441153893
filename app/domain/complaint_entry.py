"""What the entry form holds, and its checks: lenient for a draft, complete for submission.

Every text is cleaned the same way: surrounding white space dropped, empty becomes None,
control and invisible formatting characters refused (app/domain/text.py; line breaks and
tabs are allowed in the long texts only), lengths capped. Whatever is stored is therefore
clean; anything else is a ValidationError naming the field, raised before any write.

An ID number and the phone numbers are checked as everywhere else (app/domain/identity.py: the
kiosk, appointments and customer records use the same checks) and stored in their canonical form.
A value still showing the mask (a draft completed from its masked view) is left to
``ComplaintSealer.keep_unchanged``, which matches it with the stored value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from app.domain.complaints_vocab import (
    BUSINESSES,
    CATEGORIES,
    CHANNELS,
    COMPLAINANT_KINDS,
    INTAKES,
    REASONS,
    SEVERITIES,
)
from app.domain.errors import ValidationError
from app.domain.identity import parse_phone, parse_resident_id, parse_uscc
from app.domain.masking import MASK_CHAR
from app.domain.text import MULTILINE as MULTILINE_SPACE
from app.domain.text import check_characters

#: Longest accepted value per text field (matches the column sizes of app/db/models/complaints.py).
SHORT_LIMITS = {
    "complainant_name": 100, "complainant_id_number": 32, "complainant_contact": 64, "org_name": 200,
    "org_credit_code": 18, "org_legal_rep": 100, "agent_name": 100, "agent_contact": 64,
}
LONG_LIMIT = 4000
ATTACHMENT_LIMIT = 200
MAX_ATTACHMENTS = 50
MULTILINE = frozenset({"request", "facts", "subject_note", "agent_authorisation"})


@dataclass(frozen=True)
class ComplaintEntry:
    """The entry form's content. Codes are those of app/domain/complaints_vocab.py."""

    intake: str | None = None
    channel: str | None = None
    business: str | None = None
    reason: str | None = None
    category: str | None = None
    severity: str | None = None
    complainant_kind: str = "individual"
    complainant_name: str | None = None
    complainant_id_number: str | None = None
    complainant_contact: str | None = None
    org_name: str | None = None
    org_credit_code: str | None = None
    org_legal_rep: str | None = None
    agent_name: str | None = None
    agent_contact: str | None = None
    agent_authorisation: str | None = None
    customer_id: int | None = None
    subject_user_id: int | None = None
    subject_counter_id: int | None = None
    ticket_id: int | None = None
    subject_note: str | None = None
    request: str | None = None
    facts: str | None = None
    attachments: tuple[str, ...] = field(default_factory=tuple)


CODE_FIELDS = ("intake", "channel", "business", "reason", "category", "severity")
TEXT_FIELDS = tuple(SHORT_LIMITS) + tuple(sorted(MULTILINE))


def clean_text(value: str | None, field_name: str, limit: int, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(field=field_name, reason="not_text")
    text = value.replace("\r\n", "\n").strip()
    check_characters(text, field_name, allow=MULTILINE_SPACE if multiline else "", assigned=True)
    if len(text) > limit:
        raise ValidationError(field=field_name, reason="max_length", limit=limit)
    return text or None


#: Fields holding a phone number (the contacts are phones: views and letters mask them as such).
PHONE_FIELDS = ("complainant_contact", "agent_contact")


def _checked_identity(changes: dict[str, object], today: date) -> None:
    """The ID number, phones and credit code given, checked by kind and in canonical form."""
    def given(name: str) -> str | None:
        value = changes[name]
        return value if isinstance(value, str) and MASK_CHAR not in value else None

    number = given("complainant_id_number")
    if number is not None:
        changes["complainant_id_number"] = parse_resident_id(number, today=today, field="complainant_id_number").number
    for name in PHONE_FIELDS:
        phone = given(name)
        if phone is not None:
            changes[name] = parse_phone(phone, field=name).number
    credit = given("org_credit_code")
    if credit is not None:
        changes["org_credit_code"] = parse_uscc(credit, field="org_credit_code").number


def clean(entry: ComplaintEntry, *, today: date) -> ComplaintEntry:
    """The entry with every text cleaned and every given code and number checked (draft level);
    ``today`` bounds an ID number's birth date."""
    changes: dict[str, object] = {}
    for name, limit in SHORT_LIMITS.items():
        changes[name] = clean_text(getattr(entry, name), name, limit)
    for name in MULTILINE:
        changes[name] = clean_text(getattr(entry, name), name, LONG_LIMIT, multiline=True)
    for name, vocab in zip(CODE_FIELDS, (INTAKES, CHANNELS, BUSINESSES, REASONS, CATEGORIES, SEVERITIES)):
        code = clean_text(getattr(entry, name), name, 40)
        changes[name] = vocab.term(code).code if code else None
    changes["complainant_kind"] = COMPLAINANT_KINDS.validate(entry.complainant_kind)
    if len(entry.attachments) > MAX_ATTACHMENTS:
        raise ValidationError(field="attachments", reason="max_items", limit=MAX_ATTACHMENTS)
    items = (clean_text(item, "attachments", ATTACHMENT_LIMIT) for item in entry.attachments)
    changes["attachments"] = tuple(item for item in items if item)
    _checked_identity(changes, today)
    for name in ("customer_id", "subject_user_id", "subject_counter_id", "ticket_id"):
        value = getattr(entry, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValidationError(field=name, reason="invalid_record")
    return replace(entry, **changes)  # type: ignore[arg-type]


def missing_for_submission(entry: ComplaintEntry) -> list[str]:
    """Names of the required fields still empty, in form order (the entry must be cleaned)."""
    required = [*CODE_FIELDS]
    if entry.complainant_kind == "organisation":
        required += ["org_name", "org_credit_code", "org_legal_rep"]
    else:
        required += ["complainant_name"]
    required += ["complainant_contact", "request", "facts"]
    if entry.agent_name:
        required += ["agent_contact", "agent_authorisation"]
    return [name for name in required if not getattr(entry, name)]


def check_for_submission(entry: ComplaintEntry, *, today: date) -> ComplaintEntry:
    """Clean, then refuse the missing fields (all named, the first as ``field``) or an invalid one."""
    entry = clean(entry, today=today)
    missing = missing_for_submission(entry)
    if missing:
        raise ValidationError(field=missing[0], reason="required", missing=missing)
    if entry.complainant_kind == "organisation":
        try:
            uscc.validate(entry.org_credit_code or "")
        except StdnumError:
            raise ValidationError(field="org_credit_code", reason="credit_code_invalid") from None
    return entry


def entry_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(ComplaintEntry))


#: The entry's fields kept in complaint columns of the same name, in form order: what saving or
#: submitting writes (app/services/complaints.py) and what reading shows (complaint_reads.py).
#: ``attachments`` (a tuple here) is stored beside them as one JSON list.
STORED_FIELDS: tuple[str, ...] = tuple(name for name in entry_field_names() if name != "attachments")


def entry_of(values: Mapping[str, object], attachments: Iterable[str] = ()) -> ComplaintEntry:
    """The entry held in ``values`` (a complaint's fields by name; any other names are ignored)."""
    return ComplaintEntry(**{name: values[name] for name in STORED_FIELDS},  # type: ignore[arg-type]
                          attachments=tuple(attachments))
