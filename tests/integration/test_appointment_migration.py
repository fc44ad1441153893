"""Migration 0011 on both databases: an appointment stored in plaintext at revision 0010 gets its
masked forms in the upgrade, and sealing with the key leaves no plaintext; downgrade keeps only
the masked forms (a migration never holds the key)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import inspect, text

from app.db.engine import Database
from app.domain.appointments import NAME_FIELD, PHONE_FIELD
from app.keys import KeyRing, default_key_path
from app.services.appointments import has_plaintext, seal_plaintext
from app.services.branches import seed_business_types
from app.services.data_keys import open_cipher
from tests.integration.test_name_index_migration import migrate_to

NAME, PHONE = "张三丰", "13912345678"
SLOT = datetime(2030, 5, 6, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
NEW_COLUMNS = {"name_cipher", "name_masked", "phone_cipher", "phone_index", "phone_masked"}


def seed_as_0010(db: Database) -> None:
    """A branch and one booking as the code before 0011 stored it."""
    seed_business_types(db)
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO branches (id, code, name, timezone, created_at) "
                                "VALUES (1, 'SH001', '静安支行', 'Asia/Shanghai', :at)"), {"at": SLOT})
        connection.execute(text(
            "INSERT INTO appointments (id, branch_id, business_type_id, code, customer_name, phone, slot_start, "
            "slot_end, status, created_at) SELECT 1, 1, id, '424242', :name, :phone, :start, :end, 'booked', :at "
            "FROM business_types WHERE code = 'loan'"),
            {"name": NAME, "phone": PHONE, "start": SLOT, "end": SLOT, "at": SLOT})


def stored(db: Database) -> dict[str, object]:
    with db.engine.connect() as connection:
        return dict(connection.execute(text("SELECT * FROM appointments")).mappings().one())


def holds_plaintext(row: dict[str, object]) -> bool:
    cells = [str(v) for k, v in row.items() if k not in ("code", "phone_index")]
    return any(secret in cell for cell in cells for secret in (NAME, NAME[1:], PHONE, PHONE[3:7]))


def test_a_plaintext_appointment_from_0010_ends_sealed(db_url) -> None:  # type: ignore[no-untyped-def]
    db = Database(db_url)
    try:
        migrate_to(db, "0010")
        seed_as_0010(db)
        assert holds_plaintext(stored(db))

        # Only this revision: the services, at head, are tested from there in test_appointment_privacy.py.
        migrate_to(db, "0011")
        row = stored(db)
        assert (row["name_masked"], row["phone_masked"]) == ("张**", "139****5678")
        assert has_plaintext(db)  # the migration has no key

        # The key as setup makes it; setup's sealing of its audit entries needs revision 0012.
        cipher = open_cipher(db, create=True)
        assert seal_plaintext(db, cipher) == 1
        row = stored(db)
        assert not has_plaintext(db) and not holds_plaintext(row)
        assert (row["customer_name"], row["phone"]) == (None, None)
        assert (row["name_masked"], row["phone_masked"]) == ("张**", "139****5678")
        assert row["phone_index"] == cipher.index("phone", PHONE)
        assert cipher.decrypt(PHONE_FIELD, row["phone_cipher"]) == PHONE
        assert cipher.decrypt(NAME_FIELD, row["name_cipher"]) == NAME
        assert seal_plaintext(db, cipher) == 0
    finally:
        db.dispose()


def test_downgrade_to_0010_keeps_the_masked_forms_only(db_url) -> None:  # type: ignore[no-untyped-def]
    db = Database(db_url)
    try:
        migrate_to(db, "0010")
        seed_as_0010(db)
        migrate_to(db, "0011")
        seal_plaintext(db, open_cipher(db, create=True))
        migrate_to(db, "0010", down=True)
        columns = {c["name"] for c in inspect(db.engine).get_columns("appointments")}
        assert not NEW_COLUMNS & columns
        row = stored(db)
        assert (row["customer_name"], row["phone"]) == ("张**", "139****5678")
        migrate_to(db, "0011")  # and up again
        assert stored(db)["name_masked"] == "张**"
    finally:
        db.dispose()


def test_a_workstation_with_the_key_seals_leftovers_when_it_starts(db_url) -> None:  # type: ignore[no-untyped-def]
    """Not left until someone opens the booking list: the start of the GUI or any CLI command does it."""
    from app.services.bootstrap import prepare_database
    from app.services.workstation_keys import start_with_key

    db = Database(db_url)
    try:
        migrate_to(db, "0010")
        seed_as_0010(db)
        KeyRing.generate().create(default_key_path())  # the workstation's key (nothing encrypted yet)
    finally:
        db.dispose()
    db = prepare_database(db_url)  # the upgrade: masked forms, plaintext still there
    try:
        assert has_plaintext(db)
        start_with_key(db)
        assert not has_plaintext(db) and not holds_plaintext(stored(db))
    finally:
        db.dispose()
