"""Customer search queries (name grams and blind indexes), the same on SQLite and PostgreSQL.

Why a gram table rather than the databases' own text search:

- PostgreSQL ``pg_trgm`` is a contrib extension that is not always installed: the PostgreSQL
  that ``pgserver`` ships (used by the tests and some small installs) has no ``pg_trgm``, and a
  bank's managed server may refuse extensions. In a ``C``/``C.UTF-8`` database it also treats
  CJK characters as non-word characters, so Chinese names would give no trigrams at all.
- SQLite FTS5 ``trigram`` answers substring queries of three or more characters only, and a
  Chinese query is mostly one or two characters (王, 志强); its virtual and shadow tables also
  sit outside the ORM schema that Alembic compares.
- Both need ≥ 3 characters; a CJK bigram table (app/domain/name_search.py) answers 1, 2 and
  more characters through one B-tree primary key ``(gram, customer_id)`` on both databases,
  returns matches already in id order (cheap paging), and is plain SQL anyone can inspect.

Exact lookups (ID number, phone, account/card, credit code) go through the keyed blind-index
columns (app/keys.py); several index values are passed while a key rotation is under way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Table, and_, exists, func, intersect, literal_column, select
from sqlalchemy.orm import Session

from app.db.models import Customer, CustomerAccount, CustomerNameGram, CustomerPhone


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _folded_name():  # type: ignore[no-untyped-def]
    return func.replace(func.lower(Customer.name), " ", "")


def exact_ids(session: Session, *, id_indexes: Sequence[str] = (), phone_indexes: Sequence[str] = (),
              account_indexes: Sequence[str] = ()) -> list[int]:
    """Customers whose ID number, any phone or any account has one of these blind indexes."""
    found: set[int] = set()
    if id_indexes:
        found.update(session.scalars(select(Customer.id).where(Customer.id_index.in_(id_indexes))))
    if phone_indexes:
        found.update(session.scalars(select(CustomerPhone.customer_id)
                                     .where(CustomerPhone.number_index.in_(phone_indexes))))
    if account_indexes:
        found.update(session.scalars(select(CustomerAccount.customer_id)
                                     .where(CustomerAccount.number_index.in_(account_indexes))))
    if not found:
        return []
    return list(session.scalars(select(Customer.id).where(Customer.id.in_(found), Customer.merged_into_id.is_(None))
                                .order_by(Customer.id)))


def _gram_ids(grams: Sequence[str]) -> Select:  # type: ignore[type-arg]
    """Ids of customers carrying every gram (INTERSECT of primary-key range scans)."""
    selects = [select(CustomerNameGram.customer_id).where(CustomerNameGram.gram == g) for g in grams]
    if len(selects) == 1:
        return selects[0]
    return select(literal_column("customer_id")).select_from(intersect(*selects).subquery())


def prefix_ids(session: Session, gram: str, form: str, *, offset: int, limit: int) -> list[int]:
    """Names starting with ``form`` (case-folded, no spaces), in id order."""
    query = (select(CustomerNameGram.customer_id)
             .join(Customer, Customer.id == CustomerNameGram.customer_id)
             .where(CustomerNameGram.gram == gram, Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
    return list(session.scalars(query.order_by(CustomerNameGram.customer_id).offset(offset).limit(limit)))


def prefix_count(session: Session, gram: str, form: str) -> int:
    query = (select(func.count()).select_from(CustomerNameGram)
             .join(Customer, Customer.id == CustomerNameGram.customer_id)
             .where(CustomerNameGram.gram == gram, Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
    return session.scalar(query) or 0


def inner_ids(session: Session, grams: Sequence[str], prefix: str, form: str, *, offset: int,
              limit: int) -> list[int]:
    """Names containing ``form`` but not starting with it, in id order."""
    query = (select(Customer.id).where(Customer.id.in_(_gram_ids(grams)), Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like("%" + _escape_like(form) + "%", escape="\\"),
                            ~_folded_name().like(_escape_like(form) + "%", escape="\\"))
    else:
        starts = exists().where(and_(CustomerNameGram.gram == prefix, CustomerNameGram.customer_id == Customer.id))
        query = query.where(~starts)
    return list(session.scalars(query.order_by(Customer.id).offset(offset).limit(limit)))


def allocate_customer_ids(session: Session, count: int) -> list[int]:
    """Ids for ``count`` new customers, so a batch is inserted with plain executemany (no
    per-row RETURNING). PostgreSQL: the column's sequence. SQLite: the write session holds
    the database's write lock (BEGIN IMMEDIATE), so max(id)+1… cannot be taken by anyone else."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(
            select(func.nextval(func.pg_get_serial_sequence("customers", "id")))
            .select_from(func.generate_series(1, count))))
    start = (session.scalar(select(func.max(Customer.id))) or 0) + 1
    return list(range(start, start + count))


def bulk_insert(session: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows (tuples in the order of ``names``) in the session's transaction through
    the driver's fastest path: PostgreSQL ``COPY … FROM STDIN``, SQLite ``executemany``. Values
    go through the columns' own bind processors (dates, booleans, UTC datetimes), so they are
    stored exactly as an ORM insert would store them."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    processors = [(i, p) for i, p in enumerate(table.columns[n].type._cached_bind_processor(dialect)
                                               for n in names) if p is not None]
    if processors:
        # A bulk import repeats the same few values in these columns (its timestamp, birth
        # dates, True/False): each is converted once.
        memos: list[tuple[int, Any, dict[Any, Any]]] = [(i, process, {}) for i, process in processors]
        converted = []
        for row in rows:
            values = list(row)
            for i, process, memo in memos:
                value = values[i]
                try:
                    values[i] = memo[value]
                except KeyError:
                    values[i] = memo[value] = process(value)
            converted.append(values)
        rows = converted
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    if dialect.name == "postgresql":
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        raw.executemany(sql, rows)


#: Page cache of a SQLite connection that bulk-inserts customers (KiB, as PRAGMA cache_size takes
#: negative numbers). The name-gram index takes inserts all over its B-tree; with SQLite's default
#: 2 MB cache a million-customer import spends its time re-reading pages.
SQLITE_BULK_CACHE_KIB = 131_072


def widen_cache_for_bulk(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
