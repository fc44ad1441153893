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


def find_break(entries: Iterable[tuple[int, str, str, ChainFields]]) -> ChainBreak | None:
    """First entry, in id order, whose links or content do not match; None when intact.

    ``entries`` yields ``(id, prev_hash, hash, fields)``."""
    expected_prev = GENESIS
    for entry_id, prev_hash, stored_hash, fields in entries:
        if prev_hash != expected_prev:
            return ChainBreak(entry_id, "previous hash does not match (an entry before it was removed or changed)")
        if entry_hash(prev_hash, fields) != stored_hash:
            return ChainBreak(entry_id, "content does not match its hash (the entry was changed)")
        expected_prev = stored_hash
    return None
