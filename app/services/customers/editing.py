"""Changing a customer record kept at the counter: the same checks as registering it.

A change names only what the person typed: ``None`` leaves a field as it is. Fields the
services show masked (name, address) are never filled in for editing, so a value that still
holds the mask's ``*`` is refused rather than stored. Phones are added and removed (a changed
number is the old one removed and the new one added), since their full values are not shown.
The result is the list of the fields that changed: the audit entry names them, never their
values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.customer_sql import index_names, unindex_name
from app.db.models import Customer, CustomerPhone
from app.domain.customer_record import (
    ConsentScope,
    check_collection_consent,
    parse_consent_scope,
    parse_enterprise_size,
    scope_text,
    stored_scope,
)
from app.domain.errors import ValidationError
from app.domain.identity import parse_phone
from app.domain.masking import mask_phone
from app.domain.name_search import search_form
from app.domain.tiers import Band, Compliance, CreditGrade, TierPolicy, composite_score, parse_choice, tier_for
from app.keys import FieldCipher
from app.services.customers.records import MAX_NAME, MAX_TEXT, checked_text

#: At most this many phones on one record (a form's worth; an import brings two).
MAX_PHONES = 5


@dataclass(frozen=True)
class CustomerChanges:
    """What to change; ``None`` (or an empty tuple) leaves it as it is."""

    name: str | None = None
    address: str | None = None
    occupation: str | None = None
    legal_representative: str | None = None
    contact_name: str | None = None
    consent_scope: str | Sequence[str] | None = None
    consent_date: date | None = None
    asset_band: str | None = None
    activity_band: str | None = None
    credit_grade: str | None = None
    compliance: str | None = None
    industry: str | None = None
    enterprise_size: str | None = None
    licence_expires_on: date | None = None
    add_phones: Sequence[str] = ()
    remove_phone_ids: Sequence[int] = ()


def _unmasked(value: str, field_name: str) -> str:
    if "*" in value:
        raise ValidationError(field=field_name, reason="masked_characters")
    return value


def apply_changes(session: Session, customer: Customer, changes: CustomerChanges, cipher: FieldCipher, *,
                  today: date, policy: TierPolicy) -> list[str]:
    """Check every changed value, then write them to ``customer`` (in ``session``'s transaction).
    Returns the names of the fields that changed, in the form's order; raises before writing
    anything when one value is refused."""
    updates: dict[str, object] = {}
    corporate = customer.kind == "corporate"

    def text(attribute: str, field_name: str, limit: int, value: str | None, *, masked: bool = False,
             required: bool = False) -> None:
        if value is None:
            return
        checked = checked_text(_unmasked(value, field_name) if masked else value, field_name, limit, required=required)
        if checked != getattr(customer, attribute):
            updates[attribute] = checked

    text("name", "customer name", MAX_NAME, changes.name, masked=True, required=True)
    text("address", "address", MAX_TEXT, changes.address, masked=True)
    text("occupation", "occupation", MAX_NAME, changes.occupation)
    text("legal_representative", "legal representative", MAX_NAME, changes.legal_representative)
    text("contact_name", "contact", MAX_NAME, changes.contact_name)
    if corporate:
        text("industry", "industry", MAX_NAME, changes.industry)
        if changes.enterprise_size is not None:
            size = parse_enterprise_size(changes.enterprise_size)
            if (size.value if size else None) != customer.enterprise_size:
                updates["enterprise_size"] = size.value if size else None
        if changes.licence_expires_on is not None and changes.licence_expires_on != customer.licence_expires_on:
            updates["licence_expires_on"] = changes.licence_expires_on
    _consent_updates(customer, changes, today, updates)
    _grade_updates(customer, changes, policy, updates)
    removed, added = _phone_changes(session, customer, changes, cipher)
    if (updates or removed or added) and ConsentScope.SERVICE not in stored_scope(
            str(updates.get("consent_scope", customer.consent_scope) or "")):
        # A record imported without consent: nothing more is collected until the customer agrees.
        raise ValidationError(field="consent", reason="consent_required")
    if removed:
        session.execute(delete(CustomerPhone).where(CustomerPhone.id.in_(removed)))
    session.add_all(added)
    if "name" in updates:
        unindex_name(session, customer.id, search_form(customer.name))
        index_names(session, [(customer.id, search_form(str(updates["name"])))])
    for attribute, value in updates.items():
        setattr(customer, attribute, value)
    changed = [_FIELD_NAMES[a] for a in _FIELD_NAMES if a in updates]
    if removed or added:
        changed.append("phone")
    return list(dict.fromkeys(changed))


#: Column → the field name the audit entry and the UI use (in the form's order).
_FIELD_NAMES = {
    "name": "customer name", "address": "address", "occupation": "occupation",
    "legal_representative": "legal representative", "contact_name": "contact", "industry": "industry",
    "enterprise_size": "enterprise size", "licence_expires_on": "licence expiry",
    "consent_scope": "consent scope", "consent_date": "consent date",
    "asset_band": "asset band", "activity_band": "activity band", "credit_grade": "credit grade",
    "compliance": "compliance", "tier": "tier",
}


def _consent_updates(customer: Customer, changes: CustomerChanges, today: date, updates: dict[str, object]) -> None:
    if changes.consent_scope is None and changes.consent_date is None:
        return
    scope = stored_scope(customer.consent_scope) if changes.consent_scope is None \
        else parse_consent_scope(changes.consent_scope)
    given_on = changes.consent_date or customer.consent_date
    check_collection_consent(scope, given_on, today=today)  # the service's consent stays: it is the record
    if scope_text(scope) != customer.consent_scope:
        updates["consent_scope"] = scope_text(scope)
        updates["consent"] = True
    if given_on != customer.consent_date:
        updates["consent_date"] = given_on


def _grade_updates(customer: Customer, changes: CustomerChanges, policy: TierPolicy,
                   updates: dict[str, object]) -> None:
    """Bands, grade and compliance; the score and tier follow them at once."""
    asset = Band(parse_choice(Band, changes.asset_band, field="asset band", default=Band(customer.asset_band)))
    activity = Band(parse_choice(Band, changes.activity_band, field="activity band",
                                 default=Band(customer.activity_band)))
    credit = CreditGrade(parse_choice(CreditGrade, changes.credit_grade, field="credit grade",
                                      default=CreditGrade(customer.credit_grade)))
    compliance = parse_choice(Compliance, changes.compliance, field="compliance",
                              default=Compliance(customer.compliance))
    for attribute, value in (("asset_band", asset.value), ("activity_band", activity.value),
                             ("credit_grade", credit.value), ("compliance", compliance.value)):
        if value != getattr(customer, attribute):
            updates[attribute] = value
    score = composite_score(asset, activity, credit)
    tier = tier_for(score, policy).value
    if score != customer.score:
        updates["score"] = score
    if tier != customer.tier:
        updates["tier"] = tier


def _phone_changes(session: Session, customer: Customer, changes: CustomerChanges,
                   cipher: FieldCipher) -> tuple[set[int], list[CustomerPhone]]:
    """The phones of this record to remove and the new rows to add (checked, not yet written)."""
    current = {p.id: p for p in session.scalars(select(CustomerPhone).where(CustomerPhone.customer_id == customer.id))}
    removed = set(changes.remove_phone_ids)
    if removed - current.keys():
        raise ValidationError(field="phone to remove", reason="not_listed")
    kept_indexes = {p.number_index for pid, p in current.items() if pid not in removed}
    added = []
    for raw in changes.add_phones:
        if not (raw or "").strip():
            continue
        phone = parse_phone(raw)
        index = cipher.index("phone", phone.number)
        if index in kept_indexes:
            continue
        kept_indexes.add(index)
        added.append(CustomerPhone(customer_id=customer.id, kind=phone.kind, number_cipher=cipher.encrypt(
            "phone", phone.number), number_index=index, number_masked=mask_phone(phone.number)))
    if len(kept_indexes) > MAX_PHONES:
        raise ValidationError(field="phone", reason="max_items", limit=MAX_PHONES)
    return removed, added
