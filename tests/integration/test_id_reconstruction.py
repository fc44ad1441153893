"""No combination of plaintext columns gives back a full ID, phone or account number (issue #16).

The attack that worked: the masked ID shows digits 1–6 and 15–18 and the customers table kept the
birth date (digits 7–14) in plaintext, so every resident ID was rebuilt from two columns. This
test plays it over every table and column of a database after a day's use: no plaintext value
holds a full secret, nor the hidden part of an ID number (its birth date, in any spelling)."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import inspect, select, table, column

from app.db.models import Customer, CustomerAccount, CustomerPhone
from app.domain.identity import birth_date_in
from app.services.bootstrap import seed_demo
from app.services.customers.service import CustomerService
from app.services.data_keys import open_cipher


def _secrets(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Every full value and every ID number's hidden birth date, decrypted with the key."""
    cipher = open_cipher(db)
    found: list[str] = []
    with db.read() as session:
        for token, id_type in session.execute(select(Customer.id_cipher, Customer.id_type)):
            number = cipher.decrypt("id_number", token)
            if id_type != "resident_id":
                continue
            found.append(number)
            birth = birth_date_in(number)
            assert birth is not None
            found += [number[6:14], birth.isoformat(), f"{birth.year}/{birth.month}/{birth.day}"]
        found += [cipher.decrypt("phone", t) for t in session.scalars(select(CustomerPhone.number_cipher))]
        found += [cipher.decrypt("account", t) for t in session.scalars(select(CustomerAccount.number_cipher))]
    return found


def _plaintext_values(db):  # type: ignore[no-untyped-def]
    """(table, column, text) of every value of every column that is not a ciphertext."""
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name) if not c["name"].endswith("_cipher")]
            rows = connection.execute(select(*[column(c) for c in columns]).select_from(table(name)))
            for row in rows:
                for col, value in zip(columns, row):
                    if value is None:
                        continue
                    if isinstance(value, (date, datetime)):
                        value = value.isoformat()
                    yield name, col, str(value)


def test_no_plaintext_column_rebuilds_an_id_phone_or_account(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    branch = seed_demo(db, customers=40)
    service = CustomerService(db, clock=clock)
    page = service.search(actors.supervisor, "张")
    for hit in page.items[:5]:  # a day's use: reveals audited
        service.reveal(actors.supervisor, hit.id, "id_number", "核对身份")
    secrets = _secrets(db)
    assert len(secrets) > 40 and branch
    pattern = re.compile("|".join(sorted(map(re.escape, secrets), key=len, reverse=True)))
    leaks = [(t, c, v) for t, c, v in _plaintext_values(db) if pattern.search(v)]
    assert leaks == []
