"""Customer search queries: the name index (gram rows on PostgreSQL, FTS5 on SQLite) and blind indexes.

Why a gram table on PostgreSQL rather than its own text search (and why not FTS5 ``trigram``):

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

On SQLite the same pieces live in an FTS5 table instead (``customer_name_fts``, migration
0008): one row per customer whose tokens are the characters of the name's search form, each
written as its code point in hex (so the ``ascii`` tokenizer keeps every character, CJK,
Latin, digit or ``·`` alike, as one token). A phrase query of those tokens is a substring
match of any length, ``^`` anchors it at the start (prefix), and rows come back in rowid =
customer id order. A bulk import then writes one row per customer into FTS5's segment
buffers rather than ~7 gram rows into a B-tree (the largest single cost of a SQLite import).
The table sits outside the ORM schema; :func:`is_managed_elsewhere` keeps Alembic's model
comparison off it. PostgreSQL keeps the gram table (no FTS5 there; see above).

Exact lookups (ID number, phone, account/card, credit code) go through the keyed blind-index
columns (app/keys.py); several index values are passed while a key rotation is under way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    Engine,
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    delete,
    exists,
    func,
    intersect,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from app.db.models import Customer, CustomerAccount, CustomerNameGram, CustomerPhone
from app.db.models.customers import phone_tail
from app.domain.name_search import form_grams

#: SQLite's name index (FTS5; see the module docstring). Its shadow tables share the prefix.
NAME_FTS = "customer_name_fts"  # (migration 0008 keeps its own copy of the table and token format)
NAME_FTS_DDL = f"CREATE VIRTUAL TABLE {NAME_FTS} USING fts5(tokens, tokenize='ascii', columnsize=0)"
#: For queries and inserts only: not in the models' metadata (Alembic does not manage it).
_fts = Table(NAME_FTS, MetaData(), Column("rowid", Integer), Column("tokens", String))


def is_managed_elsewhere(name: str) -> bool:
    """Tables outside the ORM models on purpose (Alembic's comparison skips them)."""
    return name == NAME_FTS or name.startswith(NAME_FTS + "_")


class _HexTokens(dict[int, str]):
    """str.translate table: a character → its code point in hex and a space (filled as met)."""

    def __missing__(self, code: int) -> str:
        token = self[code] = format(code, "x") + " "
        return token


_HEX_TOKENS = _HexTokens()


def fts_tokens(form: str) -> str:
    """A name's search form as FTS5 tokens: each character its code point in hex."""
    return form.translate(_HEX_TOKENS)[:-1]


def _phrase(form: str) -> str:
    return '"' + fts_tokens(form) + '"'


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_ids(match: str) -> Select:  # type: ignore[type-arg]
    """Live customers whose name index matches an FTS5 query, in id order."""
    return (select(Customer.id).select_from(_fts.join(Customer, Customer.id == _fts.c.rowid))
            .where(text(f"{NAME_FTS} MATCH :match").bindparams(match=match), Customer.merged_into_id.is_(None))
            .order_by(_fts.c.rowid))


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


def phone_tail_ids(session: Session, tail: str, *, prefix: str = "", offset: int, limit: int) -> list[int]:
    """Customers with a phone ending in ``tail`` (four digits), and starting with ``prefix`` (the
    three digits the mask keeps) when given: read off the masked numbers and their index."""
    query = select(CustomerPhone.customer_id).where(phone_tail(CustomerPhone.number_masked) == tail)
    if prefix:
        query = query.where(CustomerPhone.number_masked.startswith(prefix, autoescape=True))
    return list(session.scalars(
        select(Customer.id).where(Customer.id.in_(query), Customer.merged_into_id.is_(None))
        .order_by(Customer.id).offset(offset).limit(limit)))


def _gram_ids(grams: Sequence[str]) -> Select:  # type: ignore[type-arg]
    """Ids of customers carrying every gram (INTERSECT of primary-key range scans)."""
    selects = [select(CustomerNameGram.customer_id).where(CustomerNameGram.gram == g) for g in grams]
    if len(selects) == 1:
        return selects[0]
    return select(literal_column("customer_id")).select_from(intersect(*selects).subquery())


def prefix_ids(session: Session, gram: str, form: str, *, offset: int, limit: int) -> list[int]:
    """Names starting with ``form`` (case-folded, no spaces), in id order."""
    if _sqlite(session):
        query = _fts_ids("^" + _phrase(form[:2]))
        if len(form) > 2:
            query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
        return list(session.scalars(query.offset(offset).limit(limit)))
    query = (select(CustomerNameGram.customer_id)
             .join(Customer, Customer.id == CustomerNameGram.customer_id)
             .where(CustomerNameGram.gram == gram, Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
    return list(session.scalars(query.order_by(CustomerNameGram.customer_id).offset(offset).limit(limit)))


def prefix_count(session: Session, gram: str, form: str) -> int:
    if _sqlite(session):
        query = _fts_ids("^" + _phrase(form[:2])).order_by(None)
        if len(form) > 2:
            query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = (select(func.count()).select_from(CustomerNameGram)
             .join(Customer, Customer.id == CustomerNameGram.customer_id)
             .where(CustomerNameGram.gram == gram, Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like(_escape_like(form) + "%", escape="\\"))
    return session.scalar(query) or 0


def inner_ids(session: Session, grams: Sequence[str], prefix: str, form: str, *, offset: int,
              limit: int) -> list[int]:
    """Names containing ``form`` but not starting with it, in id order."""
    if _sqlite(session):
        if len(form) > 2:
            query = _fts_ids(" AND ".join(_phrase(g) for g in grams)).where(
                _folded_name().like("%" + _escape_like(form) + "%", escape="\\"),
                ~_folded_name().like(_escape_like(form) + "%", escape="\\"))
        else:
            query = _fts_ids(f"{_phrase(form)} NOT ^{_phrase(form)}")
        return list(session.scalars(query.offset(offset).limit(limit)))
    query = (select(Customer.id).where(Customer.id.in_(_gram_ids(grams)), Customer.merged_into_id.is_(None)))
    if len(form) > 2:
        query = query.where(_folded_name().like("%" + _escape_like(form) + "%", escape="\\"),
                            ~_folded_name().like(_escape_like(form) + "%", escape="\\"))
    else:
        starts = exists().where(and_(CustomerNameGram.gram == prefix, CustomerNameGram.customer_id == Customer.id))
        query = query.where(~starts)
    return list(session.scalars(query.order_by(Customer.id).offset(offset).limit(limit)))


def index_names(session: Session, names: Sequence[tuple[int, str]]) -> None:
    """Put (customer id, search form of the name) into the name index."""
    if _sqlite(session):
        bulk_insert(session, _fts, ["rowid", "tokens"], [(cid, fts_tokens(form)) for cid, form in names])
    else:
        bulk_insert(session, CustomerNameGram.__table__, ["gram", "customer_id"],
                    [(g, cid) for cid, form in names for g in form_grams(form)])


def unindex_name(session: Session, customer_id: int, form: str) -> None:
    """Take a customer out of the name index (``form``: the search form it was indexed under)."""
    if _sqlite(session):
        session.execute(delete(_fts).where(_fts.c.rowid == customer_id))
    else:
        session.execute(delete(CustomerNameGram).where(CustomerNameGram.gram.in_(form_grams(form)),
                                                       CustomerNameGram.customer_id == customer_id))


def name_index_size(session: Session) -> int:
    """Entries in the name index (gram rows, or FTS5 rows on SQLite)."""
    source = _fts if _sqlite(session) else CustomerNameGram.__table__
    return session.scalar(select(func.count()).select_from(source)) or 0


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
        # Column by column (zip is C speed), and a bulk import repeats the same few values in
        # these columns (its timestamp, birth dates, True/False): each is converted once.
        columns = list(zip(*rows))
        for i, process in processors:
            columns[i] = _converted(columns[i], process)
        rows = list(zip(*columns))
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


def _converted(values: Sequence[Any], process: Callable[[Any], Any]) -> list[Any]:
    memo: dict[Any, Any] = {}
    try:
        return [memo[v] if v in memo else memo.setdefault(v, process(v)) for v in values]
    except TypeError:  # an unhashable value
        return [process(v) for v in values]


def stored_id_indexes(session: Session, wanted: Sequence[str]) -> set[str]:
    """Which of these ID-number blind indexes are already stored (duplicate check of an import
    batch): plain driver queries, as SQLAlchemy's expanding IN renders thousands of parameters
    per call."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    found: set[str] = set()
    if session.get_bind().dialect.name == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute("SELECT id_index FROM customers WHERE id_index = ANY(%s)", (list(wanted),))
            found.update(row[0] for row in cursor)
        return found
    cursor = raw.cursor()
    try:
        for start in range(0, len(wanted), 5000):
            part = wanted[start:start + 5000]
            cursor.execute(f"SELECT id_index FROM customers WHERE id_index IN ({', '.join('?' * len(part))})", part)
            found.update(row[0] for row in cursor)
    finally:
        cursor.close()
    return found


#: Page cache of a SQLite connection that bulk-inserts customers (KiB, as PRAGMA cache_size takes
#: negative numbers). The blind-index B-trees (ID number, phone, card) take inserts all over; with
#: SQLite's default 2 MB cache a million-customer import spends its time re-reading pages.
SQLITE_BULK_CACHE_KIB = 131_072


def widen_cache_for_bulk(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")


def release_bulk_caches(engine: Engine) -> None:
    """After an import: close the pooled SQLite connections it widened (each may hold up to
    SQLITE_BULK_CACHE_KIB of pages), so the workstation gets its memory back. Connections in use
    elsewhere are untouched; the pool opens fresh ones with the normal cache on demand."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
