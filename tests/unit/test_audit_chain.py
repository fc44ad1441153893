from __future__ import annotations

from datetime import datetime, timezone

from app.domain.audit_chain import GENESIS, ChainFields, canonical_detail, entry_hash, find_break

AT = datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=timezone.utc)


def _fields(action: str = "reveal", detail: str = "{}") -> ChainFields:
    return ChainFields(at=AT, branch_id=1, user_id=3, username="teller1", action=action,
                       target_type="customer", target_id="9", detail=detail)


def _chain(*fields: ChainFields) -> list[tuple[int, str, str, ChainFields]]:
    rows, prev = [], GENESIS
    for n, f in enumerate(fields, start=1):
        h = entry_hash(prev, f)
        rows.append((n, prev, h, f))
        prev = h
    return rows


def test_canonical_detail_is_order_independent_and_keeps_chinese() -> None:
    assert canonical_detail({"b": 1, "a": "原因"}) == canonical_detail({"a": "原因", "b": 1}) == '{"a":"原因","b":1}'
    assert canonical_detail(None) == "{}"


def test_hash_covers_content_and_link() -> None:
    base = entry_hash(GENESIS, _fields())
    assert entry_hash(GENESIS, _fields(action="override")) != base
    assert entry_hash("1" * 64, _fields()) != base
    # Microseconds below a millisecond are not kept by every database: they do not count.
    assert entry_hash(GENESIS, ChainFields(**{**_fields().__dict__, "at": AT.replace(microsecond=123000)})) == base


def test_find_break() -> None:
    rows = _chain(_fields(), _fields("login"), _fields("export"))
    assert find_break(rows) is None
    edited = list(rows)
    edited[1] = (2, rows[1][1], rows[1][2], _fields("logout"))
    assert find_break(edited).entry_id == 2
    assert find_break([rows[0], rows[2]]).entry_id == 3
