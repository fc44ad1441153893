"""Customers on both databases: encryption at rest, one-box search, reveal, merge, follow-ups, tier priority."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.db.models import Customer, Ticket
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.priority import PriorityClass
from app.keys import FieldCipher
from app.services.audit import AuditAction, AuditFilter, AuditLog
from app.services.customers.merge import CustomerMerge
from app.services.data_keys import create_data_key
from app.services.customers.service import CustomerService
from app.services.key_rotation import keys_in_use, rotate
from tests.integration.customer_fixtures import company, credit_code, link_ticket, person, resident_id

ID_A = resident_id("110101", "19900307", "123")
ID_B = resident_id("310104", "19851120", "246")
ID_OLD = resident_id("330106", "19500101", "111")  # 75 years old on the test day


@pytest.fixture
def cipher(db, branch) -> FieldCipher:  # type: ignore[no-untyped-def]
    """The branch's key, made as setup makes it (and recorded in the database)."""
    return create_data_key(db)


@pytest.fixture
def customers(db, clock, cipher) -> CustomerService:  # type: ignore[no-untyped-def]
    return CustomerService(db, clock=clock, cipher=cipher)


@pytest.fixture
def people(customers, actors):  # type: ignore[no-untyped-def]
    t = actors.teller1
    return {
        "wang": customers.create(t, person("王志强", ID_A, "13812341234", account="6222021234567890123")),
        "li": customers.create(t, person("李王芳", ID_B, "010-62345678")),
        "ouyang": customers.create(t, person("欧阳娜娜", resident_id("440305", "20000101", "123"), "13900001111",
                                             asset_band="high", activity_band="high", credit_grade="good")),
        "corp": customers.create(t, company("深圳市第3分公司科技有限公司", credit_code(), "0755-12345678")),
    }


def names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.name for hit in page.items]


def test_sensitive_fields_are_not_in_the_raw_table(db, customers, people) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        dump = " ".join(str(row) for table in ("customers", "customer_phones", "customer_accounts")
                        for row in connection.execute(text(f"SELECT * FROM {table}")))
    for plain in (ID_A, ID_B, "13812341234", "62345678", "6222021234567890123"):
        assert plain not in dump
    assert "110101********1233"[:6] in dump  # the masked form is there for lists
    if db.sqlite_path is not None:
        db.dispose()
        raw = b"".join(p.read_bytes() for p in db.sqlite_path.parent.glob("bd.sqlite3*"))
        assert ID_A.encode() not in raw and b"13812341234" not in raw


@pytest.mark.parametrize("query, expected", [
    (ID_A, ["王**"]), (ID_A.lower(), ["王**"]), ("138 1234 1234", ["王**"]), ("+8613812341234", ["王**"]),
    ("01062345678", ["李**"]), ("6222-0212-3456-7890-123", ["王**"]), (credit_code(), ["深圳市第3分公司科技有限公司"]),
])
def test_exact_search_through_blind_indexes(customers, actors, people, query, expected) -> None:  # type: ignore[no-untyped-def]
    page = customers.search(actors.teller1, query)
    assert page.mode == "exact" and names(page) == expected


@pytest.mark.parametrize("query, expected", [
    ("1234", ["王**"]), ("****1234", ["王**"]), ("138 1234", ["王**"]), ("138****1234", ["王**"]),
    ("139 1234", []), ("1111", ["欧***"]), ("5678", ["李**", "深圳市第3分公司科技有限公司"]),
])
def test_a_phones_last_four_digits_or_first_three_and_last_four(customers, actors, people, query,  # type: ignore[no-untyped-def]
                                                                expected) -> None:
    """Issue #18: as a customer reads them out; from the masked numbers (no key involved)."""
    page = customers.search(actors.teller1, query)
    assert page.mode == "phone_tail" and names(page) == expected


@pytest.mark.parametrize("query, expected", [
    ("王", ["王**", "李**"]),          # prefix first, then containing
    ("王志", ["王**"]), ("王志强", ["王**"]), ("志强", ["王**"]), ("强", ["王**"]),
    ("欧阳", ["欧***"]), ("阳娜娜", ["欧***"]), ("王芳", ["李**"]),
    ("第3分", ["深圳市第3分公司科技有限公司"]), ("3分公司科技", ["深圳市第3分公司科技有限公司"]),
    ("科技", ["深圳市第3分公司科技有限公司"]),
    ("张", []), ("王志刚", []), ("12345", []), ("%", []), ("_", []),
])
def test_name_search_prefix_and_substring(customers, actors, people, query, expected) -> None:  # type: ignore[no-untyped-def]
    page = customers.search(actors.teller1, query)
    assert page.mode == "name" and names(page) == expected


def test_results_are_masked_and_paged(customers, actors, people) -> None:  # type: ignore[no-untyped-def]
    for n in range(7):
        customers.create(actors.teller1, person(f"王{n}号", resident_id("110101", "19700101", f"{n:03d}")))
    first = customers.search(actors.teller1, "王", page_size=4)
    second = customers.search(actors.teller1, "王", page=1, page_size=4)
    third = customers.search(actors.teller1, "王", page=2, page_size=4)
    assert first.has_more and second.has_more and not third.has_more
    ids = [h.id for p in (first, second, third) for h in p.items]
    assert len(ids) == len(set(ids)) == 9
    assert ids[-1] == people["li"]  # the only name containing 王 without starting with it comes last
    hit = first.items[0]
    assert hit.id_masked == ID_A[:6] + "********" + ID_A[14:] and hit.phone_masked == "138****1234"
    assert customers.search(actors.teller1, "   ").mode == "empty"


def test_reveal_needs_permission_and_reason_and_is_audited(db, customers, actors, people, clock) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        customers.reveal(actors.lobby, people["wang"], "id_number", "核对身份")
    with pytest.raises(ValidationError):
        customers.reveal(actors.teller1, people["wang"], "id_number", " ")
    assert customers.reveal(actors.teller1, people["wang"], "id_number", "核对身份") == ID_A
    profile = customers.profile(actors.teller1, people["wang"])
    assert customers.reveal(actors.teller1, people["wang"], "phone", "回拨客户",
                            item_id=profile.phones[0].id) == "13812341234"
    assert customers.reveal(actors.teller1, people["wang"], "account", "核对账户",
                            item_id=profile.accounts[0].id) == "6222021234567890123"
    with pytest.raises(NotFound):  # another customer's phone
        customers.reveal(actors.teller1, people["li"], "phone", "x y", item_id=profile.phones[0].id)
    assert profile.name == "王**" and customers.reveal(actors.teller1, people["wang"], "name", "称呼客户") == "王志强"
    log = AuditLog(db, clock=clock)
    reveals = log.entries(actors.supervisor, AuditFilter(action=AuditAction.REVEAL.value))
    assert [(e.username, e.target_id, e.detail["field"], e.detail["reason"]) for e in reversed(reveals)] == [
        ("teller1", str(people["wang"]), "id_number", "核对身份"),
        ("teller1", str(people["wang"]), "phone", "回拨客户"),
        ("teller1", str(people["wang"]), "account", "核对账户"),
        ("teller1", str(people["wang"]), "name", "称呼客户")]
    denied = log.entries(actors.supervisor, AuditFilter(action=AuditAction.PERMISSION_DENIED.value))
    assert denied[0].username == "lobby" and denied[0].detail == {"permission": "reveal_sensitive"}
    assert log.verify(actors.supervisor) is None


def test_corporate_check_failure_needs_a_supervisors_override(db, customers, actors, clock) -> None:  # type: ignore[no-untyped-def]
    good = credit_code("91310000MA1FL0BC3")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        customers.create(actors.teller1, company("上海某贸易有限公司", bad))
    assert caught.value.params["field"] == "credit code"
    with pytest.raises(PermissionDenied):
        customers.create(actors.teller1, company("上海某贸易有限公司", bad), override_reason="营业执照原件核对无误")
    cid = customers.create(actors.supervisor, company("上海某贸易有限公司", bad), override_reason="营业执照原件核对无误")
    [entry] = AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="override"))
    assert entry.target_id == str(cid) and entry.detail["reason"] == "营业执照原件核对无误"


def test_a_later_region_code_is_stored_with_a_warning(customers, actors) -> None:  # type: ignore[no-untyped-def]
    number = resident_id("330106", "19650101", "123")  # county code newer than 1965: stdnum refuses it
    cid = customers.create(actors.teller1, person("钱江", number))
    profile = customers.profile(actors.teller1, cid)
    assert profile.id_warning and profile.gender == "male"


def test_profile_history_notes_and_follow_ups(db, customers, queue, actors, branch, people, clock) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ID_A)  # Wang identified
    queue.call_next(actors.teller1, branch.id, 1)
    note = customers.add_note(actors.teller1, people["wang"], "客户咨询房贷提前还款")
    due = customers.add_follow_up(actors.lobby, people["wang"], "revisit", date(2026, 11, 23), "回访满意度")
    customers.add_follow_up(actors.lobby, people["wang"], "revisit", date(2026, 12, 30))
    profile = customers.profile(actors.teller1, people["wang"])
    assert [t.number for t in profile.tickets_today] == [ticket.number] and profile.tickets_past == ()
    assert profile.tickets_today[0].business and [n.id for n in profile.notes] == [note]
    assert profile.notes[0].author == "张伟"
    assert [f.due_on for f in profile.open_follow_ups] == [date(2026, 11, 23), date(2026, 12, 30)]
    assert [f.id for f in customers.follow_ups_due(actors.lobby, branch.id)] == [due]
    customers.complete_follow_up(actors.lobby, due)
    assert customers.follow_ups_due(actors.lobby, branch.id) == []


def test_duplicates_and_merge_keep_all_history(db, customers, queue, actors, branch, people, clock) -> None:  # type: ignore[no-untyped-def]
    twin = customers.create(actors.teller1, person("王志强", ID_A, "13800000000", account="6222029999999999999"))
    namesake = customers.create(actors.teller1, person("王志强", resident_id("110101", "19900307", "135"),
                                                       "13812341234"))
    merge = CustomerMerge(customers)
    found = merge.duplicates_of(actors.teller1, people["wang"])
    assert [(d.customer_id, d.reason) for d in found] == [(twin, "same ID number"),
                                                          (namesake, "same name and phone")]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    link_ticket(db, ticket.id, twin)
    customers.add_note(actors.teller1, twin, "旧档案备注")
    customers.add_follow_up(actors.lobby, twin, "revisit", date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        merge.merge(actors.teller1, people["wang"], twin, "重复建档")
    moved = merge.merge(actors.supervisor, people["wang"], twin, "重复建档")
    assert moved["tickets"] == moved["notes"] == moved["follow_ups"] == moved["accounts"] == moved["phones"] == 1
    profile = customers.profile(actors.teller1, people["wang"])
    assert [t.id for t in profile.tickets_today] == [ticket.id]
    assert [n.text for n in profile.notes] == ["旧档案备注"]
    assert len(profile.accounts) == 2 and len(profile.phones) == 2 and len(profile.open_follow_ups) == 1
    assert [h.id for h in customers.search(actors.teller1, ID_A).items] == [people["wang"]]
    assert [h.id for h in customers.search(actors.teller1, "13800000000").items] == [people["wang"]]
    [entry] = AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="merge"))
    assert entry.detail["merged"] == twin and entry.detail["kept"] == people["wang"]
    with db.read() as session:
        assert session.get(Customer, twin).merged_into_id == people["wang"]
        assert session.get(Ticket, ticket.id).customer_id == people["wang"]


def test_rotation_keeps_every_record_readable_and_findable(db, customers, actors, people, cipher) -> None:  # type: ignore[no-untyped-def]
    rotated = FieldCipher(cipher.ring.rotated())
    during = CustomerService(db, clock=customers.clock, cipher=rotated)
    # Before the rotation re-encrypts anything, the new ring still reads and finds the old rows.
    assert [h.id for h in during.search(actors.teller1, ID_A).items] == [people["wang"]]
    assert during.reveal(actors.teller1, people["wang"], "id_number", "核对身份") == ID_A
    result = rotate(db, actors.supervisor, rotated, batch=2)
    assert result.rows == 4 + 4 + 1 and result.batches >= 5
    assert keys_in_use(db) == {rotated.current: 9}
    only_new = FieldCipher(rotated.ring.without({cipher.current}))
    after = CustomerService(db, clock=customers.clock, cipher=only_new)
    for query, who in ((ID_A, "wang"), ("13812341234", "wang"), ("01062345678", "li"),
                       ("6222021234567890123", "wang"), (credit_code(), "corp")):
        assert [h.id for h in after.search(actors.teller1, query).items] == [people[who]]
    assert after.reveal(actors.teller1, people["li"], "id_number", "核对身份") == ID_B


def test_kiosk_id_number_gives_the_customers_tier_priority(db, queue, actors, branch, people, cipher,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BRANCHDESK_DATA_KEY", cipher.ring.to_env_value())
    ouyang = resident_id("440305", "20000101", "123")  # 钻石 by score (50 + 30 + 20)
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ouyang).priority is PriorityClass.VIP_DIAMOND
    plain = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ID_A)
    assert plain.priority is PriorityClass.NORMAL
    unknown = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=resident_id("110101", "19880808", "555"))
    with db.read() as session:  # the identified customer goes with the ticket to the counter
        assert session.get(Ticket, plain.id).customer_id == people["wang"]
        assert session.get(Ticket, unknown.id).customer_id is None
    # An elderly customer keeps the green channel whatever the tier.
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ID_OLD).priority is PriorityClass.GREEN


def test_other_areas_add_profile_sections(customers, actors, people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """How checklists and complaints plug their rows into the profile (see customer_views)."""
    import app.services.customers.views as views

    monkeypatch.setattr(views, "_SECTIONS", {})
    views.register_profile_section("complaints", lambda session, customer_id: [("C-1", customer_id)])
    profile = customers.profile(actors.teller1, people["wang"])
    assert profile.sections == {"complaints": (("C-1", people["wang"]),)}


def test_the_kiosk_reads_the_configured_key_file_once(db, actors, branch, people, cipher, tmp_path,
                                                      clock) -> None:  # type: ignore[no-untyped-def]
    from app.services.queue import QueueService

    ouyang = resident_id("440305", "20000101", "123")
    key_file = tmp_path / "keys" / "branch.key"
    queue = QueueService(db, clock=clock, key_file=str(key_file))
    # No key on this PC yet: the ticket is issued as asked, for nobody in particular.
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ouyang).priority is PriorityClass.NORMAL
    key_file.parent.mkdir()
    cipher.ring.write(key_file)
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ouyang).priority is PriorityClass.VIP_DIAMOND
    key_file.unlink()  # read once: later tickets do not read the file again
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ouyang).priority is PriorityClass.VIP_DIAMOND
