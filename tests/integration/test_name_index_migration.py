"""Migration 0008: SQLite's name index moves from gram rows to FTS5 and back, existing customers included."""

from __future__ import annotations

from datetime import date, datetime, timezone

from alembic import command
from sqlalchemy import func, inspect, select, update

from app.db.customer_sql import NAME_FTS, bulk_insert
from app.db.engine import Database
from app.db.migrate import alembic_config
from app.db.models import Customer, CustomerNameGram
from app.domain.name_search import name_grams
from app.keys import FieldCipher, KeyRing
from app.services.actor import SYSTEM
from app.services.customers.records import CUSTOMER_COLUMNS, CustomerInput, as_row, prepare
from app.services.customers.service import CustomerService
from tests.integration.customer_fixtures import resident_id

NAMES = ("王志强", "李王芳", "欧阳娜娜", "John Smith", "王志强")  # the last one is merged into the first
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def migrate_to(db: Database, revision: str, *, down: bool = False) -> None:
    config = alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def seed_as_0007(db: Database, cipher: FieldCipher) -> list[int]:
    """Customers and their gram rows as the code before 0008 stored them."""
    rows = [as_row(prepare(CustomerInput(name=name, id_type="resident_id",
                                         id_number=resident_id(sequence=f"{100 + n}")), cipher,
                           today=date(2026, 11, 23), now=NOW, branch_id=None)) for n, name in enumerate(NAMES)]
    ids = list(range(1, len(rows) + 1))
    with db.write() as session:
        # The columns of 0007's table (those added later, from 0016 on, are not there yet).
        columns = CUSTOMER_COLUMNS[:CUSTOMER_COLUMNS.index("consent_scope")]
        bulk_insert(session, Customer.__table__, ["id", *columns],
                    [(i, *r[0][:len(columns)]) for i, r in zip(ids, rows)])
        bulk_insert(session, CustomerNameGram.__table__, ["gram", "customer_id"],
                    [(g, i) for i, name in zip(ids[:-1], NAMES) for g in name_grams(name)])
        session.execute(update(Customer).where(Customer.id == ids[-1]).values(merged_into_id=ids[0]))
    return ids


def test_existing_customers_stay_findable_across_0008_and_back(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    db = Database(sqlite_url)
    try:
        migrate_to(db, "0007")
        cipher = FieldCipher(KeyRing.generate())
        ids = seed_as_0007(db, cipher)
        migrate_to(db, "0008")
        assert NAME_FTS in inspect(db.engine).get_table_names()
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(CustomerNameGram)) == 0
        migrate_to(db, "head")  # today's code searches today's tables
        service = CustomerService(db, cipher=cipher)
        found = {q: [h.id for h in service.search(SYSTEM, q).items]
                 for q in ("王", "志强", "王志强", "阳娜", "smith", "n s", "张")}
        assert found == {"王": [ids[0], ids[1]], "志强": [ids[0]], "王志强": [ids[0]], "阳娜": [ids[2]],
                         "smith": [ids[3]], "n s": [ids[3]], "张": []}

        migrate_to(db, "0007", down=True)
        assert NAME_FTS not in inspect(db.engine).get_table_names()
        with db.read() as session:
            grams = set(session.execute(select(CustomerNameGram.gram, CustomerNameGram.customer_id)))
        assert grams == {(g, i) for i, name in zip(ids[:-1], NAMES) for g in name_grams(name)}
    finally:
        db.dispose()
