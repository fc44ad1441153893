"""The bulk import's lean path from a CSV row to the compact row tuples that are inserted.

A million-row import spends its time in per-row Python work (worker processes) and in the
inserts (the main process), on a machine of two cores. So a row goes from the CSV straight to
plain tuples in column order — no ``CustomerInput``, no dicts, cipher functions bound once —
and tuples are what crosses the process boundary (pickling a dataclass of dicts cost as much
as preparing it) and what ``executemany``/``COPY`` take.

Same checks, same stored values as :func:`app.services.customer_records.prepare` (the one
path of the GUI and the demo seed): the lean path calls the same parsers and maskers, and any
row it does not pass cleanly — an error, or an unusual case — is prepared again the ordinary
way, which gives the canonical result or error message. tests/unit/test_customer_bulk.py
checks that both paths store the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from app.domain.errors import DomainError, ValidationError
from app.domain.identity import parse_phone, parse_resident_id, parse_uscc
from app.domain.masking import mask_id_number, mask_phone
from app.domain.tiers import Band, Compliance, CreditGrade, TierPolicy, composite_score, parse_choice, tier_for
from app.keys import FieldCipher
from app.services.customers.records import MAX_NAME, MAX_TEXT, AccountInput, CustomerInput, Row, checked_text, \
    as_row, prepare, prepare_account

_YES = {"1", "y", "yes", "true", "是", "同意"}
_NO = {"", "0", "n", "no", "false", "否", "不同意"}


def _date(value: str, field_name: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValidationError(field=field_name, reason="date_format") from None


def _consent(value: str) -> bool:
    text = (value or "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(field="consent", reason="yes_or_no")


def as_record(header: Sequence[str], values: list[str]) -> dict[str | None, Any]:
    """A CSV record as csv.DictReader gives it: extra fields as a list under None, missing ones None."""
    record: dict[str | None, Any] = dict(zip(header, values))
    if len(header) < len(values):
        record[None] = values[len(header):]
    elif len(header) > len(values):
        for key in header[len(values):]:
            record[key] = None
    return record


def row_input(row: dict[str, str]) -> CustomerInput:
    get = lambda key: (row.get(key) or "")  # noqa: E731
    accounts = ()
    if get("account_number").strip():
        accounts = (AccountInput(number=get("account_number"), kind=get("account_type") or "debit_card",
                                 opened_on=_date(get("account_opened"), "account opened")),)
    consent = _consent(get("consent"))
    return CustomerInput(
        name=get("name"), id_type=get("id_type"), id_number=get("id_number"), phones=(get("phone"), get("phone2")),
        address=get("address"), occupation=get("occupation"), consent=consent,
        consent_date=_date(get("consent_date"), "consent date"), legal_representative=get("legal_representative"),
        contact_name=get("contact_name"), asset_band=get("asset_band"), activity_band=get("activity_band"),
        credit_grade=get("credit_grade"), compliance=get("compliance"), accounts=accounts)


class _Unusual(Exception):
    """The lean path leaves this row to the ordinary one."""


class RowPreparer:
    """Prepares CSV rows (dicts by lower-case header) of one import, in one process."""

    def __init__(self, cipher: FieldCipher, *, today: date, now: datetime, branch_id: int | None,
                 policy: TierPolicy) -> None:
        self.cipher, self.today, self.now, self.branch_id, self.policy = cipher, today, now, branch_id, policy
        self._encrypt_id = cipher.encrypter("id_number")
        self._encrypt_phone = cipher.encrypter("phone")
        self._index_phone = cipher.indexer("phone")
        self._index_id = {"resident_id": cipher.indexer("resident_id"), "uscc": cipher.indexer("uscc")}
        self._grades: dict[tuple[str, str, str, str], tuple[str, str, str, int, str, str]] = {}

    def __call__(self, row: dict[str, str]) -> Row | str | None:
        """A row tuple, an error message, or None for a blank row."""
        if not any((v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)):
            return None
        if None not in row:
            try:
                return self._lean(row)
            except (DomainError, _Unusual):
                pass  # the ordinary path below gives the canonical message (checks run in its order)
        return self._ordinary(row)

    def _ordinary(self, row: dict[str, str]) -> Row | str:
        try:
            if None in row:
                raise ValidationError(field="file", reason="more_fields")
            p = prepare(row_input(row), self.cipher, today=self.today, now=self.now, branch_id=self.branch_id,
                        policy=self.policy)
        except DomainError as error:
            return error.message
        return as_row(p)

    def _lean(self, row: dict[str, str]) -> Row:
        get = row.get
        name = checked_text(get("name"), "customer name", MAX_NAME, required=True)
        if name is None:  # required=True raised already; for the type checker
            raise _Unusual
        id_type = (get("id_type") or "").strip().lower()
        if id_type == "resident_id":
            resident = parse_resident_id(get("id_number") or "", today=self.today)
            number, gender = resident.number, resident.gender
            warning = "; ".join(resident.warnings) or None
            masked, kind = mask_id_number(number), "individual"
        elif id_type == "uscc":
            code = parse_uscc(get("id_number") or "")
            if not code.check_ok:
                raise _Unusual
            number = masked = code.number
            kind, gender, warning = "corporate", None, None
        else:
            raise _Unusual
        grade = self._grade(get("asset_band") or "", get("activity_band") or "", get("credit_grade") or "",
                            get("compliance") or "")
        consent = _consent(get("consent") or "")
        consent_date = _date(get("consent_date") or "", "consent date")
        texts = [(checked_text(v, f, limit) if (v := get(key)) else None)
                 for key, f, limit in _TEXTS]
        phones = []
        seen = set()
        for raw in (get("phone") or "", get("phone2") or ""):
            if not raw.strip():
                continue
            phone = parse_phone(raw)
            number_ = phone.number
            if number_ in seen:
                continue
            seen.add(number_)
            phones.append((phone.kind, self._encrypt_phone(number_), self._index_phone(number_), mask_phone(number_)))
        accounts: tuple[tuple[Any, ...], ...] = ()
        if (get("account_number") or "").strip():
            opened = _date(get("account_opened") or "", "account opened")
            account = AccountInput(number=get("account_number") or "", kind=get("account_type") or "debit_card",
                                   opened_on=opened)
            accounts = (tuple(prepare_account(account, self.cipher).values()),)
        customer = (self.branch_id, kind, name, id_type, self._encrypt_id(number), self._index_id[id_type](number),
                    masked, warning, None, gender, texts[0], texts[1], texts[2], texts[3], consent,
                    consent_date if consent else None, *grade, self.now, None,
                    "service" if consent else None, None, None, None)
        return customer, tuple(phones), accounts, name.casefold().replace(" ", ""), number

    def _grade(self, asset: str, activity: str, credit: str, compliance: str) -> tuple[str, str, str, int, str, str]:
        """Bands, credit grade, score, tier and compliance of these four inputs (a handful of
        distinct spellings in a whole file: computed once each)."""
        key = (asset, activity, credit, compliance)
        grade = self._grades.get(key)
        if grade is None:
            a = Band(parse_choice(Band, asset, field="asset band", default=Band.LOW))
            b = Band(parse_choice(Band, activity, field="activity band", default=Band.LOW))
            c = CreditGrade(parse_choice(CreditGrade, credit, field="credit grade", default=CreditGrade.FAIR))
            d = parse_choice(Compliance, compliance, field="compliance", default=Compliance.COMPLIANT)
            score = composite_score(a, b, c)
            grade = (a.value, b.value, c.value, score, tier_for(score, self.policy).value, d.value)
            if len(self._grades) < 1000:
                self._grades[key] = grade
        return grade


#: Optional text columns: (CSV column, field name in errors, length limit), in CUSTOMER_COLUMNS order.
_TEXTS = (("address", "address", MAX_TEXT), ("occupation", "occupation", MAX_NAME),
          ("legal_representative", "legal representative", MAX_NAME), ("contact_name", "contact", MAX_NAME))
