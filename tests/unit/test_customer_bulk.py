"""The bulk import's lean row path stores exactly what the ordinary path (prepare) stores."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.keys import FieldCipher, KeyRing
from app.domain.tiers import TierPolicy
from app.services.customers.bulk import RowPreparer, as_record, row_input
from app.services.customers.records import CUSTOMER_COLUMNS, PHONE_COLUMNS, Row, as_row, prepare
from app.services.customers.demo import generate

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
CIPHER = FieldCipher(KeyRing.generate())
ENCRYPTED = {CUSTOMER_COLUMNS.index("id_cipher"): "id_number"}


def preparer() -> RowPreparer:
    return RowPreparer(CIPHER, today=TODAY, now=NOW, branch_id=3, policy=TierPolicy())


def readable(row: Row | str | None) -> object:
    """The row with its ciphertexts decrypted (each encryption draws a fresh nonce)."""
    if not isinstance(row, tuple):
        return row
    customer, phones, accounts, grams, number = row
    customer = tuple(CIPHER.decrypt("id_number", v) if i in ENCRYPTED else v for i, v in enumerate(customer))
    phones = tuple((p[0], CIPHER.decrypt("phone", p[1]), *p[2:]) for p in phones)
    accounts = tuple((a[0], CIPHER.decrypt("account", a[1]), *a[2:]) for a in accounts)
    return customer, phones, accounts, grams, number


def csv_row(**values: str) -> dict[str, str]:
    base = {"name": "", "id_type": "", "id_number": "", "phone": "", "address": "", "phone2": "", "occupation": "",
            "consent": "", "consent_date": "", "legal_representative": "", "contact_name": "", "account_number": "",
            "account_type": "", "account_opened": "", "asset_band": "", "activity_band": "", "credit_grade": "",
            "compliance": ""}
    return base | values


def demo_rows(count: int) -> list[dict[str, str]]:
    rows = []
    for c in generate(count, seed=5, corporate_share=0.2):
        account = c.accounts[0] if c.accounts else None
        rows.append(csv_row(
            name=c.name, id_type=c.id_type, id_number=c.id_number, phone=c.phones[0], address=c.address,
            occupation=c.occupation, consent="yes" if c.consent else "", legal_representative=c.legal_representative,
            contact_name=c.contact_name, consent_date=str(c.consent_date or ""),
            account_number=account.number if account else "", account_opened=str(account.opened_on) if account else "",
            asset_band=c.asset_band, activity_band=c.activity_band, credit_grade=c.credit_grade,
            compliance=c.compliance))
    return rows


def ordinary(row: dict[str, str]) -> Row | str | None:
    return preparer()._ordinary(row)


def test_row_tuples_follow_the_prepared_dicts() -> None:
    [row] = demo_rows(1)
    p = prepare(row_input(row), CIPHER, today=TODAY, now=NOW, branch_id=3)
    assert tuple(p.customer) == CUSTOMER_COLUMNS
    assert all(tuple(phone) == PHONE_COLUMNS for phone in p.phones)
    assert readable(as_row(p)) == readable(preparer()(row))


def test_generated_rows_take_the_lean_path_and_store_the_same_values() -> None:
    lean = preparer()
    for row in demo_rows(300):
        assert readable(lean._lean(row)) == readable(ordinary(row))


@pytest.mark.parametrize("changes", [
    {"phone": "010-12345678", "phone2": "+86 138 1234 1234"},     # landline, mobile with prefix
    {"phone2": "13812341234", "phone": "13812341234"},              # the same phone twice
    {"name": "  Ｊｏｈｎ　 Smith  ", "address": "  ", "occupation": "教师"},  # full-width, spaces
    {"consent": "同意", "consent_date": "2024/05/06"},
    {"consent": "否", "consent_date": "2024-05-06"},                # a date without consent is not stored
    {"asset_band": "高", "activity_band": " Middle ", "credit_grade": "风险", "compliance": "关注"},
    {"account_number": "6222 0212 3456 7890 123", "account_type": "credit_card"},
])
def test_unusual_valid_rows_are_stored_the_same(changes: dict[str, str]) -> None:
    row = demo_rows(1)[0] | changes
    assert readable(preparer()(row)) == readable(ordinary(row))


@pytest.mark.parametrize("changes", [
    {"name": ""}, {"id_type": "passport"}, {"id_number": "123"}, {"phone": "12345"}, {"consent": "maybe"},
    {"consent_date": "2024-13-01"}, {"asset_band": "huge"}, {"account_number": "12"},
    {"account_opened": "yesterday", "account_number": "6222021234567890123"}, {"name": "张\x01三"},
    {"address": "x" * 501},
])
def test_rejected_rows_give_the_ordinary_message(changes: dict[str, str]) -> None:
    row = demo_rows(1)[0] | changes
    message = preparer()(row)
    assert isinstance(message, str) and message == ordinary(row)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "id_number", "phone", "phone2", "consent", "consent_date",
                                        "asset_band", "address", "account_number", "account_opened"]),
                       st.text(max_size=24)))
def test_fuzzed_rows_give_the_same_outcome(changes: dict[str, str]) -> None:
    row = demo_rows(1)[0] | changes
    assert readable(preparer()(row)) == readable(ordinary(row))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab,"\n ', max_size=5), max_size=5), min_size=1, max_size=6))
def test_records_are_read_as_the_dict_reader_reads_them(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([["name", "phone", "name2"], *rows])
    expected = [(r.line_num, dict(row)) for r in [csv.DictReader(io.StringIO(out.getvalue(), newline=""))]
                for row in r]
    reader = csv.reader(io.StringIO(out.getvalue(), newline=""))
    header = next(reader)
    assert [(reader.line_num, as_record(header, values)) for values in reader if values] == expected
