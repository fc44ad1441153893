"""The audit log's hash chain: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

#: The "previous hash" of the very first entry.
GENESIS = "0" * 64


def canonical_detail(detail: Mapping[str, Any] | None) -> str:
    """JSON that is byte-identical for equal mappings (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def normalise_time(at: datetime) -> datetime:
    """UTC, whole microseconds dropped to milliseconds: what both databases give back unchanged."""
    at = at.astimezone(timezone.utc)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class ChainFields:
    at: datetime
    branch_id: int | None
    user_id: int | None
    username: str
    action: str
    target_type: str | None
    target_id: str | None
    detail: str


def entry_hash(prev_hash: str, fields: ChainFields) -> str:
    payload = json.dumps([
        prev_hash, normalise_time(fields.at).isoformat(), fields.branch_id, fields.user_id, fields.username,
        fields.action, fields.target_type, fields.target_id, fields.detail,
    ], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


PREVIOUS_MISMATCH = "previous hash does not match (an entry before it was removed or changed)"
CONTENT_MISMATCH = "content does not match its hash (the entry was changed)"


def link_problem(expected_prev: str, prev_hash: str, stored_hash: str, fields: ChainFields) -> str | None:
    """Why one entry does not fit the chain after ``expected_prev``; None when it does."""
    if prev_hash != expected_prev:
        return PREVIOUS_MISMATCH
    if entry_hash(prev_hash, fields) != stored_hash:
        return CONTENT_MISMATCH
    return None


def find_break(entries: Iterable[tuple[int, str, str, ChainFields]]) -> ChainBreak | None:
    """First entry, in id order, whose links or content do not match; None when intact.

    ``entries`` yields ``(id, prev_hash, hash, fields)``."""
    expected_prev = GENESIS
    for entry_id, prev_hash, stored_hash, fields in entries:
        problem = link_problem(expected_prev, prev_hash, stored_hash, fields)
        if problem:
            return ChainBreak(entry_id, problem)
        expected_prev = stored_hash
    return None
