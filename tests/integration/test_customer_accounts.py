"""A customer's accounts kept at the counter (issue #19), on both databases: added (one customer
per number), status changed, closed with a reason; audited on the customer without the number."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.db.models import AuditEntry
from app.domain.errors import Conflict, NotFound, ValidationError
from app.services.audit import AuditAction
from app.services.customers.accounts import CustomerAccounts
from app.services.customers.records import AccountInput
from tests.integration.customer_fixtures import person, resident_id

NUMBER = "6222021234567890123"


@pytest.fixture
def accounts(customers) -> CustomerAccounts:  # type: ignore[no-untyped-def]
    return CustomerAccounts(customers)


@pytest.fixture
def wang(customers, actors) -> int:  # type: ignore[no-untyped-def]
    return customers.create(actors.teller1, person("王志强", resident_id(), "13812341234"))


def changes(db) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    import json

    with db.read() as session:
        return [json.loads(e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.CUSTOMER_CHANGE).order_by(AuditEntry.id))]


def test_an_account_is_added_closed_with_a_reason_and_then_changes_no_more(  # type: ignore[no-untyped-def]
        db, customers, accounts, actors, wang) -> None:
    account_id = accounts.add(actors.teller1, wang, AccountInput(NUMBER, "debit_card", date(2026, 12, 1)))
    [view] = customers.profile(actors.teller1, wang).accounts
    assert (view.id, view.masked, view.status, view.opened_on) == (account_id, "622202*********0123", "active",
                                                                   date(2026, 12, 1))
    accounts.set_status(actors.teller1, account_id, "frozen")
    accounts.close(actors.teller1, account_id, "客户申请销户")
    [view] = customers.profile(actors.teller1, wang).accounts
    assert view.status == "closed" and view.close_reason == "客户申请销户" and view.closed_on is not None
    for step in (lambda: accounts.set_status(actors.teller1, account_id, "active"),
                 lambda: accounts.close(actors.teller1, account_id, "再销一次")):
        with pytest.raises(ValidationError) as refused:
            step()
        assert refused.value.params["reason"] == "account_closed"
    assert [(c["item_id"], c["status"]) for c in changes(db)] == [
        (account_id, "active"), (account_id, "frozen"), (account_id, "closed")]
    assert all(c["fields"] == ["account"] for c in changes(db))
    assert not any(NUMBER[-4:] in str(c) for c in changes(db))
    with db.engine.connect() as connection:
        assert NUMBER not in " ".join(str(r) for r in connection.execute(text("SELECT * FROM customer_accounts")))


def test_an_account_number_belongs_to_one_customer(customers, accounts, actors, wang) -> None:  # type: ignore[no-untyped-def]
    other = customers.create(actors.teller1, person("李四", resident_id("310104", "19851120", "246")))
    accounts.add(actors.teller1, wang, AccountInput(NUMBER))
    with pytest.raises(Conflict) as refused:
        accounts.add(actors.teller1, other, AccountInput("6222 0212 3456 7890 123"))
    assert refused.value.params["customer"] == wang
    assert customers.profile(actors.teller1, other).accounts == ()


@pytest.mark.parametrize(("call", "field"), [
    (lambda a, actor, c: a.add(actor, c, AccountInput("12345")), "account number"),
    (lambda a, actor, c: a.add(actor, c, AccountInput(NUMBER, kind="gold_bar")), "account type"),
])
def test_a_bad_account_is_refused_naming_the_field(accounts, customers, actors, wang, call, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        call(accounts, actors.teller1, wang)
    assert refused.value.params["field"] == field
    assert customers.profile(actors.teller1, wang).accounts == ()


def test_status_and_closing_are_checked(accounts, actors, wang) -> None:  # type: ignore[no-untyped-def]
    account_id = accounts.add(actors.teller1, wang, AccountInput(NUMBER))
    with pytest.raises(ValidationError) as refused:
        accounts.set_status(actors.teller1, account_id, "closed")  # closing needs its reason
    assert refused.value.params["field"] == "account status"
    with pytest.raises(ValidationError) as refused:
        accounts.set_status(actors.teller1, account_id, "active")
    assert refused.value.params["reason"] == "nothing_changed"
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(ValidationError):
            accounts.close(actors.teller1, account_id, reason)
    with pytest.raises(NotFound):
        accounts.close(actors.teller1, 999_999, "销户")
