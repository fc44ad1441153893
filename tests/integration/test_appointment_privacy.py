"""An appointment's personal data on both databases: encrypted at rest, masked in every result,
a full value only through an audited reveal, the day's list behind a permission, rows from before
revision 0011 sealed on the first keyed use, and key rotation covering the new columns."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.db.models import Appointment, BusinessType
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.masking import mask_name, mask_phone
from app.domain.roles import PERMISSIONS, Permission, Role
from app.keys import FieldCipher
from app.services.data_keys import create_data_key
from app.services.appointments import AppointmentService, has_plaintext
from app.services.audit import AuditFilter, AuditLog
from app.services.key_rotation import keys_in_use, rotate
from app.services.queue import QueueService

NAME, PHONE = "欧阳娜娜", "13912345678"
#: What must not be found in the stored row: the full values, and what the masks hide.
SECRETS = (NAME, NAME[1:], PHONE, PHONE[3:7])


def raw_rows(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Every stored cell of the appointments table, as text, read with plain SQL."""
    with db.engine.connect() as connection:
        return [str(cell) for row in connection.execute(text("SELECT * FROM appointments")) for cell in row]


def leaks(db) -> list[str]:  # type: ignore[no-untyped-def]
    """The secrets found in any text cell but the booking code and the phone's blind index (random
    digits and hex, which may hold four of the phone's digits by chance). Times and numbers are
    left out for the same reason: a timestamp's microseconds may read ...1234..."""
    with db.engine.connect() as connection:
        allowed = {str(v) for row in connection.execute(text("SELECT code, phone_index FROM appointments"))
                   for v in row}
        cells = [cell for row in connection.execute(text("SELECT * FROM appointments")) for cell in row
                 if isinstance(cell, str)]
    return [s for cell in cells if cell not in allowed for s in SECRETS if s in cell]


def audit(db, actors, **filters):  # type: ignore[no-untyped-def]
    return AuditLog(db).entries(actors.supervisor, AuditFilter(**filters))


@pytest.fixture
def cipher(db, branch) -> FieldCipher:  # type: ignore[no-untyped-def]
    """The branch's key, made as setup makes it (and recorded in the database)."""
    return create_data_key(db)


@pytest.fixture
def booking(queue, cipher) -> AppointmentService:  # type: ignore[no-untyped-def]
    return AppointmentService(queue, cipher=cipher)


@pytest.fixture
def made(booking, clock, branch, actors):  # type: ignore[no-untyped-def]
    return booking.book(actors.lobby, branch.id, business_code="wealth", customer_name=NAME, phone=PHONE,
                        slot_start=clock.now + timedelta(hours=1))


# -- at rest and in results ------------------------------------------------------------------

def test_the_database_holds_no_plaintext_name_or_phone(db, made, cipher) -> None:  # type: ignore[no-untyped-def]
    assert raw_rows(db) and leaks(db) == []
    with db.read() as session:
        row = session.get(Appointment, made.id)
        assert (row.legacy_name, row.legacy_phone) == (None, None)
        assert (row.name_masked, row.phone_masked) == ("欧***", "139****5678")
        # The blind index is the customers' one for the same number: a look-up by phone finds both.
        assert row.phone_index == cipher.index("phone", PHONE)
    if db.is_sqlite:  # nor does any byte of the file: the plaintext was never written
        path = db.sqlite_path
        stored = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert PHONE.encode() not in stored and NAME.encode() not in stored


def test_results_carry_masked_values_only(booking, made, branch, actors) -> None:  # type: ignore[no-untyped-def]
    listed = booking.for_day(actors.lobby, branch.id)
    cancelled = booking.cancel(actors.lobby, branch.id, made.code)
    for view in (made, *listed, cancelled):
        assert (view.customer_name_masked, view.phone_masked) == ("欧***", "139****5678")
        assert not any(s in str(view) for s in SECRETS)


def test_the_kiosk_checks_in_by_code_without_a_key(db, clock, made, branch, actors, tmp_path) -> None:  # type: ignore[no-untyped-def]
    absent = tmp_path / "no.key"
    kiosk = AppointmentService(QueueService(db, clock=clock, key_file=str(absent)), key_file=str(absent))
    clock.advance(minutes=50)
    assert kiosk.check_in(actors.lobby, branch.id, made.code).priority.value == "appointment"
    assert not absent.exists()  # it never looked for one


# -- the day's list ---------------------------------------------------------------------------

def test_the_list_without_its_permission_is_refused_and_audited(booking, made, branch, actors, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(PERMISSIONS, Role.LOBBY_MANAGER, PERMISSIONS[Role.LOBBY_MANAGER] - {Permission.VIEW_CUSTOMERS})
    with pytest.raises(PermissionDenied) as caught:
        booking.for_day(actors.lobby, branch.id)
    assert caught.value.params == {"user": "lobby", "role": "lobby_manager", "action": "view_customers"}
    [denied] = audit(booking.db, actors, action="permission_denied")
    assert (denied.username, denied.detail) == ("lobby", {"permission": "view_customers"})
    assert [a.code for a in booking.for_day(actors.teller1, branch.id)] == [made.code]


def test_another_branchs_staff_cannot_list_or_reveal(booking, made, branch, other_branch) -> None:  # type: ignore[no-untyped-def]
    for attempt in (lambda: booking.for_day(other_branch.teller, branch.id),
                    lambda: booking.reveal(other_branch.teller, branch.id, made.id, "phone", "回电")):
        with pytest.raises(PermissionDenied) as caught:
            attempt()
        assert caught.value.params["action"] == "work for another branch"
    # Its own branch id with our booking's id: not found, nothing shown.
    with pytest.raises(NotFound):
        booking.reveal(other_branch.teller, other_branch.branch.id, made.id, "phone", "回电")


# -- reveal -----------------------------------------------------------------------------------

def test_reveal_gives_the_full_value_and_audits_who_what_and_why(booking, made, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    assert booking.reveal(actors.teller1, branch.id, made.id, "phone", "  回电 确认\n预约 ") == PHONE
    assert booking.reveal(actors.supervisor, branch.id, made.id, "customer_name", "核对姓名") == NAME
    entries = audit(booking.db, actors, action="reveal")
    assert [(e.username, e.target_type, e.target_id, e.branch_id, e.detail, e.at) for e in reversed(entries)] == [
        ("teller1", "appointment", str(made.id), branch.id,
         {"field": "phone", "reason": "回电 确认 预约"}, clock.now),
        ("supervisor", "appointment", str(made.id), branch.id,
         {"field": "customer_name", "reason": "核对姓名"}, clock.now)]
    assert not any(s in str(e.detail) for e in entries for s in (PHONE, NAME))


def test_reveal_without_the_permission_is_refused_and_audited(booking, made, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied) as caught:  # the lobby manager's role has no REVEAL_SENSITIVE
        booking.reveal(actors.lobby, branch.id, made.id, "phone", "回电")
    assert caught.value.params["action"] == "reveal_sensitive"
    [denied] = audit(booking.db, actors, action="permission_denied")
    assert (denied.username, denied.detail) == ("lobby", {"permission": "reveal_sensitive"})
    assert audit(booking.db, actors, action="reveal") == []


@pytest.mark.parametrize(("field", "reason", "refused"), [
    ("phone", "", "reason"), ("phone", "   ", "reason"), ("phone", "x", "reason"), ("phone", "原" * 501, "reason"),
    ("slot", "回电", "field"), ("code", "回电", "field")])
def test_reveal_needs_a_known_field_and_a_reason(booking, made, branch, actors, field, reason, refused) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        booking.reveal(actors.teller1, branch.id, made.id, field, reason)
    assert caught.value.params["field"] == refused
    assert booking.reveal(actors.teller1, branch.id, made.id, "phone", "原" * 500) == PHONE
    assert len(audit(booking.db, actors, action="reveal")) == 1


def test_reveal_of_an_unknown_booking_is_not_found_and_not_audited(booking, made, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        booking.reveal(actors.teller1, branch.id, made.id + 1000, "phone", "回电")
    assert audit(booking.db, actors, action="reveal") == []


# -- rows from before 0011, and key rotation ---------------------------------------------------

def plaintext_booking(db, branch, clock, code: str = "424242") -> int:  # type: ignore[no-untyped-def]
    """A row as an upgrade leaves one: plaintext, its masked forms filled by the migration."""
    with db.write() as session:
        bt = session.scalar(select(BusinessType).where(BusinessType.code == "loan"))
        row = Appointment(branch_id=branch.id, business_type_id=bt.id, code=code, legacy_name=NAME,
                          legacy_phone=PHONE, name_masked=mask_name(NAME), phone_masked=mask_phone(PHONE),
                          slot_start=clock.now - timedelta(days=3), slot_end=clock.now - timedelta(days=3, minutes=-30),
                          status="booked", created_at=clock.now - timedelta(days=4))
        session.add(row)
        session.flush()
        return row.id


def test_plaintext_left_by_the_upgrade_is_sealed_on_the_first_keyed_use(db, queue, cipher, branch, clock, actors) -> None:  # type: ignore[no-untyped-def]
    old = plaintext_booking(db, branch, clock)
    assert has_plaintext(db) and PHONE in raw_rows(db)
    kiosk = AppointmentService(queue, key_file="/nonexistent/no.key")
    with pytest.raises(NotFound):  # check-in neither needs nor opens the key
        kiosk.check_in(actors.lobby, branch.id, "000000")
    assert has_plaintext(db)
    service = AppointmentService(queue, cipher=cipher)
    assert service.for_day(actors.lobby, branch.id) == []  # the first list seals, past rows included
    assert not has_plaintext(db) and leaks(db) == []
    with db.read() as session:
        assert session.get(Appointment, old).phone_index == cipher.index("phone", PHONE)
    assert service.reveal(actors.teller1, branch.id, old, "phone", "回电") == PHONE
    assert service.reveal(actors.teller1, branch.id, old, "customer_name", "回电") == NAME


def test_key_rotation_and_keys_in_use_cover_appointments(db, booking, made, cipher, queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert keys_in_use(db).get(cipher.current) == 2  # the name and the phone
    rotated = FieldCipher(cipher.ring.rotated())
    rotate(db, actors.supervisor, rotated, batch=1)
    in_use = keys_in_use(db)
    assert cipher.current not in in_use and in_use[rotated.current] == 2
    only_new = AppointmentService(queue, cipher=FieldCipher(rotated.ring.without({cipher.current})))
    assert only_new.reveal(actors.teller1, branch.id, made.id, "phone", "回电") == PHONE
    assert only_new.reveal(actors.teller1, branch.id, made.id, "customer_name", "回电") == NAME
    with db.read() as session:
        assert session.get(Appointment, made.id).phone_index == rotated.index("phone", PHONE)
