"""From typed-in or imported values to stored customer rows (validated, encrypted, indexed).

One path for the GUI's "new customer", the CSV import and the demo seed, so a value is
checked and encrypted the same way whichever door it came through. Rows are inserted in bulk
(one multi-row INSERT … RETURNING per table), which is what makes a large import fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.customer_sql import allocate_customer_ids, bulk_insert, index_names, widen_cache_for_bulk
from app.db.models import Customer, CustomerAccount, CustomerPhone
from app.domain.customer_record import ConsentScope, parse_consent_scope, parse_enterprise_size, scope_text
from app.domain.errors import ValidationError
from app.domain.identity import parse_phone, parse_resident_id, parse_uscc
from app.domain.masking import mask_card, mask_id_number, mask_phone
from app.domain.name_search import normalise_name, search_form
from app.domain.text import check_characters
from app.domain.tiers import (
    Band,
    Compliance,
    CreditGrade,
    TierPolicy,
    composite_score,
    parse_choice,
    tier_for,
)
from app.keys import FieldCipher

ID_TYPES = ("resident_id", "uscc")
ACCOUNT_KINDS = ("debit_card", "credit_card", "savings", "settlement")
MAX_NAME = 100
MAX_TEXT = 500
#: White space a one-line customer text may hold: it is collapsed to single spaces when stored.
_SPACES = "\t\n\r"


@dataclass(frozen=True)
class AccountInput:
    number: str
    kind: str = "debit_card"
    opened_on: date | None = None
    status: str = "active"


@dataclass(frozen=True)
class CustomerInput:
    """What a person types or a CSV row holds; everything is checked by :func:`prepare`."""

    name: str
    id_type: str
    id_number: str
    phones: Sequence[str] = ()
    address: str = ""
    occupation: str = ""
    consent: bool = False
    consent_date: date | None = None
    #: What the consent covers ("service,marketing" or codes); consent with no scope covers the service.
    consent_scope: str | Sequence[str] = ""
    legal_representative: str = ""
    contact_name: str = ""
    asset_band: str = ""
    activity_band: str = ""
    credit_grade: str = ""
    compliance: str = ""
    accounts: Sequence[AccountInput] = ()
    #: Corporate records only (ignored for a person).
    industry: str = ""
    enterprise_size: str = ""
    licence_expires_on: date | None = None


#: Key order of Prepared.phones / .accounts rows (the bulk insert relies on it).
PHONE_COLUMNS = ("kind", "number_cipher", "number_index", "number_masked")
ACCOUNT_COLUMNS = ("kind", "number_cipher", "number_index", "number_masked", "opened_on", "status")


@dataclass
class Prepared:
    customer: dict[str, Any]
    phones: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    #: The canonical ID number, for duplicate checks within one import.
    id_number: str = ""
    warnings: tuple[str, ...] = ()


def checked_text(value: str | None, field_name: str, limit: int = MAX_TEXT, *, required: bool = False) -> str | None:
    check_characters(value, field_name, allow=_SPACES)
    text = normalise_name(value or "")
    if required and not text:
        raise ValidationError(field=field_name, reason="required")
    if len(text) > limit:
        raise ValidationError(field=field_name, reason="max_length", limit=limit)
    return text or None


def prepare(data: CustomerInput, cipher: FieldCipher, *, today: date, now: datetime, branch_id: int | None,
            policy: TierPolicy = TierPolicy(), override_reason: str | None = None) -> Prepared:
    """Validate and encrypt one customer. A credit code whose check character fails passes
    only with ``override_reason`` (the caller checks the supervisor's permission and audits)."""
    name = checked_text(data.name, "customer name", MAX_NAME, required=True)
    id_type = (data.id_type or "").strip().lower()
    if id_type not in ID_TYPES:
        raise ValidationError(field="ID type", reason="id_type")
    warning = None
    gender = None
    if id_type == "resident_id":
        resident = parse_resident_id(data.id_number, today=today)
        number, gender = resident.number, resident.gender
        warning = "; ".join(resident.warnings) or None
        masked = mask_id_number(number)
        kind = "individual"
    else:
        code = parse_uscc(data.id_number)
        number, masked, kind = code.number, code.number, "corporate"
        if not code.check_ok and not (override_reason and override_reason.strip()):
            raise ValidationError(field="credit code", reason="check_character")
        if not code.check_ok:
            warning = "check character overridden"
    asset = parse_choice(Band, data.asset_band, field="asset band", default=Band.LOW)
    activity = parse_choice(Band, data.activity_band, field="activity band", default=Band.LOW)
    credit = parse_choice(CreditGrade, data.credit_grade, field="credit grade", default=CreditGrade.FAIR)
    compliance = parse_choice(Compliance, data.compliance, field="compliance", default=Compliance.COMPLIANT)
    score = composite_score(Band(asset), Band(activity), CreditGrade(credit))
    scope = parse_consent_scope(data.consent_scope)
    if data.consent and not scope:
        scope = (ConsentScope.SERVICE,)
    consent = bool(scope)
    corporate = kind == "corporate"
    size = parse_enterprise_size(data.enterprise_size) if corporate else None
    customer = dict(
        branch_id=branch_id, kind=kind, name=name, id_type=id_type,
        id_cipher=cipher.encrypt("id_number", number), id_index=cipher.index(id_type, number), id_masked=masked,
        id_warning=warning, id_override_reason=override_reason.strip() if warning and override_reason else None,
        gender=gender,
        address=checked_text(data.address, "address"), occupation=checked_text(data.occupation, "occupation", MAX_NAME),
        legal_representative=checked_text(data.legal_representative, "legal representative", MAX_NAME),
        contact_name=checked_text(data.contact_name, "contact", MAX_NAME),
        consent=consent, consent_date=data.consent_date if consent else None,
        asset_band=asset.value, activity_band=activity.value, credit_grade=credit.value, score=score,
        tier=tier_for(score, policy).value, compliance=compliance.value, created_at=now, merged_into_id=None,
        consent_scope=scope_text(scope),
        industry=checked_text(data.industry, "industry", MAX_NAME) if corporate else None,
        enterprise_size=size.value if size else None,
        licence_expires_on=data.licence_expires_on if corporate else None)
    prepared = Prepared(customer=customer, id_number=number,
                        warnings=(warning,) if warning else ())
    seen: set[str] = set()
    for raw in data.phones:
        if not (raw or "").strip():
            continue
        phone = parse_phone(raw)
        if phone.number in seen:
            continue
        seen.add(phone.number)
        prepared.phones.append(dict(kind=phone.kind, number_cipher=cipher.encrypt("phone", phone.number),
                                    number_index=cipher.index("phone", phone.number),
                                    number_masked=mask_phone(phone.number)))
    for account in data.accounts:
        prepared.accounts.append(prepare_account(account, cipher))
    return prepared


def prepare_account(account: AccountInput, cipher: FieldCipher) -> dict[str, Any]:
    number = "".join(ch for ch in (account.number or "") if ch not in " -\u3000")
    if not number.isascii() or not number.isdigit() or not 10 <= len(number) <= 30:
        raise ValidationError(field="account number", reason="digits_range", minimum=10, maximum=30)
    kind = (account.kind or "debit_card").strip().lower()
    if kind not in ACCOUNT_KINDS:
        raise ValidationError(field="account type", reason="one_of", choices=ACCOUNT_KINDS)
    return dict(kind=kind, number_cipher=cipher.encrypt("account", number),
                number_index=cipher.index("account", number), number_masked=mask_card(number),
                opened_on=account.opened_on, status=(account.status or "active").strip().lower()[:16])


#: Column order of a Row's customer part: the keys of ``Prepared.customer``, in order.
CUSTOMER_COLUMNS = ("branch_id", "kind", "name", "id_type", "id_cipher", "id_index", "id_masked", "id_warning",
                    "id_override_reason", "gender", "address", "occupation", "legal_representative",
                    "contact_name", "consent", "consent_date", "asset_band", "activity_band", "credit_grade",
                    "score", "tier", "compliance", "created_at", "merged_into_id", "consent_scope", "industry",
                    "enterprise_size", "licence_expires_on")
#: A prepared customer as plain tuples, what the bulk insert takes (and what crosses from an
#: import's worker processes): customer values in CUSTOMER_COLUMNS order, phone rows
#: (PHONE_COLUMNS), account rows (ACCOUNT_COLUMNS), the name's search form (what the name index
#: is cut from), canonical ID number.
Row = tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...], str, str]


def as_row(p: Prepared) -> Row:
    return (tuple(p.customer.values()), tuple(tuple(r.values()) for r in p.phones),
            tuple(tuple(r.values()) for r in p.accounts), search_form(p.customer["name"]), p.id_number)


def insert_prepared(session: Session, batch: Sequence[Prepared]) -> list[int]:
    """Insert customers with their phones, accounts and name index; returns the new ids in order."""
    return insert_rows(session, [as_row(p) for p in batch])


def insert_rows(session: Session, rows: Sequence[Row]) -> list[int]:
    """Insert prepared customers with their phones, accounts and name index in the session's
    transaction; returns the new ids in order."""
    if not rows:
        return []
    if len(rows) > 100:
        widen_cache_for_bulk(session)
    ids = allocate_customer_ids(session, len(rows))
    bulk_insert(session, Customer.__table__, ["id", *CUSTOMER_COLUMNS],
                [(cid, *r[0]) for cid, r in zip(ids, rows)])
    bulk_insert(session, CustomerPhone.__table__, ["customer_id", *PHONE_COLUMNS],
                [(cid, *phone) for cid, r in zip(ids, rows) for phone in r[1]])
    bulk_insert(session, CustomerAccount.__table__, ["customer_id", *ACCOUNT_COLUMNS],
                [(cid, *account) for cid, r in zip(ids, rows) for account in r[2]])
    index_names(session, [(cid, r[3]) for cid, r in zip(ids, rows)])
    return ids
