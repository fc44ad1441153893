"""Registering and changing a customer at the counter (issue #19), on both databases: consent,
the same checks as the import, audit entries naming fields and never values, the record's history."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.db.models import AuditEntry, Customer
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.services.audit import AuditAction
from app.services.customers.editing import CustomerChanges
from app.services.customers.keeping import CustomerRecords
from tests.integration.customer_fixtures import company, credit_code, person, resident_id

ID_A = resident_id("110101", "19900307", "123")


@pytest.fixture
def records(customers) -> CustomerRecords:  # type: ignore[no-untyped-def]
    return CustomerRecords(customers)


def audit_rows(db, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_registering_without_consent_to_the_service_is_refused_and_writes_nothing(  # type: ignore[no-untyped-def]
        db, customers, actors) -> None:
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Customer))
    for consent in ({"consent": False, "consent_scope": ""}, {"consent_scope": "marketing"},
                    {"consent_date": None}, {"consent_date": date(2099, 1, 1)}):
        with pytest.raises(ValidationError) as refused:
            customers.create(actors.teller1, person("王志强", ID_A, "13812341234", **consent))
        assert refused.value.params["field"] in ("consent", "consent date")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == before
    assert audit_rows(db, AuditAction.CUSTOMER_CREATE) == []


def test_a_registered_customer_keeps_what_the_consent_covers_and_is_audited_without_values(  # type: ignore[no-untyped-def]
        db, customers, actors) -> None:
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234",
                                                         consent_scope="service,营销"))
    profile = customers.profile(actors.teller1, customer_id)
    assert profile.consent and profile.consent_scope == ("service", "marketing")
    assert profile.consent_date == date(2026, 1, 5)
    [entry] = audit_rows(db, AuditAction.CUSTOMER_CREATE)
    assert entry.target_id == str(customer_id) and json.loads(entry.detail) == {"kind": "individual"}
    assert "王志强" not in entry.detail and ID_A not in entry.detail


def test_a_corporate_record_keeps_industry_size_and_licence_expiry(customers, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, company(
        "深圳市测试科技有限公司", credit_code(), legal_representative="李四", industry="软件和信息技术服务业",
        enterprise_size="小型", licence_expires_on=date(2030, 6, 30)))
    profile = customers.profile(actors.teller1, customer_id)
    assert (profile.industry, profile.enterprise_size, profile.licence_expires_on) == (
        "软件和信息技术服务业", "small", date(2030, 6, 30))
    with pytest.raises(ValidationError) as refused:
        customers.create(actors.teller1, company("另一家公司", credit_code("91440300MA5F00002"), enterprise_size="huge"))
    assert refused.value.params["field"] == "enterprise size"


def test_a_person_has_no_corporate_details(customers, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, industry="农业", enterprise_size="微型"))
    profile = customers.profile(actors.teller1, customer_id)
    assert profile.industry is None and profile.enterprise_size is None


def test_a_change_is_checked_like_a_registration_and_names_its_fields_in_the_audit(  # type: ignore[no-untyped-def]
        db, customers, records, actors) -> None:
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    [phone] = customers.profile(actors.teller1, customer_id).phones
    changed = records.change(actors.teller1, customer_id, CustomerChanges(
        address="北京市朝阳区建国路88号", occupation="教师", add_phones=("13900001111",),
        remove_phone_ids=(phone.id,), asset_band="high", activity_band="high", credit_grade="good"))
    assert changed == ["address", "occupation", "asset band", "activity band", "credit grade", "tier", "phone"]
    profile = customers.profile(actors.teller1, customer_id)
    assert [p.masked for p in profile.phones] == ["139****1111"]
    assert profile.occupation == "教师" and profile.tier != "normal"
    [entry] = audit_rows(db, AuditAction.CUSTOMER_CHANGE)
    assert json.loads(entry.detail) == {"fields": changed}
    for value in ("建国路", "教师", "13900001111", "1111"):
        assert value not in entry.detail
    # The new phone is encrypted and found like any other.
    assert [hit.id for hit in customers.search(actors.teller1, "13900001111").items] == [customer_id]
    with db.engine.connect() as connection:
        assert "13900001111" not in " ".join(str(r) for r in connection.execute(text("SELECT * FROM customer_phones")))


def test_a_refused_value_changes_nothing(db, customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    for changes, field in ((CustomerChanges(occupation="教师", add_phones=("12345",)), "phone"),
                           (CustomerChanges(name="王*强"), "customer name"),
                           (CustomerChanges(address="北京市***"), "address"),
                           (CustomerChanges(name="  "), "customer name"),
                           (CustomerChanges(occupation="x" * 101), "occupation"),
                           (CustomerChanges(consent_scope="marketing"), "consent"),
                           (CustomerChanges(remove_phone_ids=(999_999,)), "phone to remove"),
                           (CustomerChanges(occupation="教师", compliance="bad"), "compliance")):
        with pytest.raises(ValidationError) as refused:
            records.change(actors.teller1, customer_id, changes)
        assert refused.value.params["field"] == field, changes
    profile = customers.profile(actors.teller1, customer_id)
    assert profile.occupation is None and len(profile.phones) == 1
    assert audit_rows(db, AuditAction.CUSTOMER_CHANGE) == []


def test_saving_without_a_change_is_refused(customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    with pytest.raises(ValidationError) as refused:
        records.change(actors.teller1, customer_id, CustomerChanges(occupation="", add_phones=("138 1234 1234",)))
    assert refused.value.params["reason"] == "nothing_changed"


def test_a_new_name_is_found_and_the_old_one_no_longer(customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A))
    assert records.change(actors.teller1, customer_id, CustomerChanges(name="王智强")) == ["customer name"]
    assert [hit.id for hit in customers.search(actors.teller1, "王智强").items] == [customer_id]
    assert not customers.search(actors.teller1, "王志强").items


def test_a_record_imported_without_consent_takes_nothing_more_until_the_customer_agrees(  # type: ignore[no-untyped-def]
        db, customers, records, actors) -> None:
    customer_id = customers.create(actors.teller1, person("王志强", ID_A))
    with db.write() as session:  # as an import without the consent column leaves it
        session.execute(Customer.__table__.update().where(Customer.id == customer_id).values(
            consent=False, consent_date=None, consent_scope=None))
    with pytest.raises(ValidationError) as refused:
        records.change(actors.teller1, customer_id, CustomerChanges(add_phones=("13900001111",)))
    assert refused.value.params["field"] == "consent"
    changed = records.change(actors.teller1, customer_id, CustomerChanges(
        consent_scope=("service",), consent_date=date(2026, 3, 1), add_phones=("13900001111",)))
    assert changed == ["consent scope", "consent date", "phone"]


def test_withdrawing_marketing_consent_keeps_the_record(customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, consent_scope="service,marketing"))
    assert records.change(actors.teller1, customer_id, CustomerChanges(consent_scope="service")) == ["consent scope"]
    assert customers.profile(actors.teller1, customer_id).consent_scope == ("service",)


def test_at_most_five_phones(customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13800000000"))
    records.change(actors.teller1, customer_id, CustomerChanges(
        add_phones=tuple(f"1380000000{n}" for n in range(1, 5))))
    with pytest.raises(ValidationError) as refused:
        records.change(actors.teller1, customer_id, CustomerChanges(add_phones=("13800000009",)))
    assert refused.value.params["field"] == "phone"


def test_the_history_of_a_record_is_a_supervisors_and_lists_what_was_done(  # type: ignore[no-untyped-def]
        db, customers, records, actors) -> None:
    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    other = customers.create(actors.teller1, person("李四", resident_id("310104", "19851120", "246")))
    records.change(actors.teller1, customer_id, CustomerChanges(occupation="教师"))
    customers.reveal(actors.supervisor, customer_id, "name", "客户来电核实")
    history = records.history(actors.supervisor, customer_id)
    assert [e.action for e in history] == ["reveal", "customer_change", "customer_create"]
    assert {e.target_id for e in history} == {str(customer_id)}
    assert [e.action for e in records.history(actors.supervisor, other)] == ["customer_create"]
    with pytest.raises(PermissionDenied):
        records.history(actors.teller1, customer_id)
    with pytest.raises(NotFound):
        records.history(actors.supervisor, 999_999)


def test_changing_a_merged_record_is_refused(db, customers, records, actors) -> None:  # type: ignore[no-untyped-def]
    from app.services.customers.merge import CustomerMerge

    keep = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    drop = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    CustomerMerge(customers).merge(actors.supervisor, keep, drop, reason="同一客户重复建档")
    with pytest.raises(ValidationError) as refused:
        records.change(actors.teller1, drop, CustomerChanges(occupation="教师"))
    assert "merged" in str(refused.value)



def test_a_registered_customer_is_due_for_review_in_a_year_and_a_review_moves_it_on(  # type: ignore[no-untyped-def]
        db, customers, records, actors, branch, clock) -> None:
    from datetime import timedelta

    customer_id = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    today = customers.today()
    profile = customers.profile(actors.teller1, customer_id)
    assert profile.reviewed_on == today and profile.review_due_on is not None
    assert 365 <= (profile.review_due_on - today).days <= 366
    assert records.reviews_due(actors.lobby, branch.id) == []
    assert [hit.id for hit, _due in records.reviews_due(actors.lobby, branch.id, within_days=400)] == [customer_id]
    with db.write() as session:  # a year on, as if
        session.execute(Customer.__table__.update().where(Customer.id == customer_id).values(
            review_due_on=today - timedelta(days=3)))
    [(hit, due)] = records.reviews_due(actors.lobby, branch.id)
    assert hit.id == customer_id and due == today - timedelta(days=3)
    with pytest.raises(ValidationError):
        records.review(actors.teller1, customer_id, [])
    due = records.review(actors.teller1, customer_id, ["identity", "contact"])
    assert due == customers.profile(actors.teller1, customer_id).review_due_on and due > today
    assert records.reviews_due(actors.lobby, branch.id) == []
    [entry] = audit_rows(db, AuditAction.CUSTOMER_REVIEW)
    assert json.loads(entry.detail) == {"confirmed": ["identity", "contact"], "next": due.isoformat()}


def test_a_companys_review_falls_due_at_its_licence_expiry(customers, actors) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    expiry = customers.today() + timedelta(days=40)
    customer_id = customers.create(actors.teller1, company("深圳市测试科技有限公司", credit_code(),
                                                          licence_expires_on=expiry))
    assert customers.profile(actors.teller1, customer_id).review_due_on == expiry
