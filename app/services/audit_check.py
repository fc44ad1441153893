"""Checking the whole audit log: its links, its seals and the head kept outside the database.

Separate from app/services/audit.py (appending and browsing) because the rules are many and
each has a test: see app/services/audit_seal.py for what the seals and the head protect against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.audit_chain import GENESIS, ChainBreak, ChainFields, link_problem
from app.services.audit_seal import AuditSealer, Head

SEAL_MISMATCH = "its seal does not match (the entry was changed, renumbered or re-hashed without the key)"
SEAL_REMOVED = "it is not sealed although later entries are (its seal was removed)"
NO_KEY = "the entries are sealed, and this workstation has no data key to check the seals"
ORPHAN_SEALS = "there are seals whose entries are gone (entries were removed or renumbered)"
HEAD_MISSING = "the newest entry this workstation recorded is missing or changed (entries were removed)"


@dataclass(frozen=True)
class SealedRow:
    entry_id: int
    prev_hash: str
    hash: str
    fields: ChainFields
    seal: str | None


@dataclass(frozen=True)
class ChainReport:
    broken: ChainBreak | None
    entries: int = 0
    sealed: int = 0
    #: Newest entries not sealed yet (written by a workstation without the data key).
    unsealed_tail: int = 0
    #: The head this workstation kept outside the database, when it kept one.
    head: Head | None = None


def check_log(rows: Iterable[SealedRow], sealer: AuditSealer | None, url: str) -> ChainReport:
    """The first problem, in id order, or an intact report with the counts."""
    recorded = sealer.recorded_head(url) if sealer is not None else None
    if isinstance(recorded, str):
        return ChainReport(broken=ChainBreak(0, recorded))
    expected_prev, entries, sealed, head_found = GENESIS, 0, 0, False
    first_unsealed: int | None = None
    for row in rows:
        problem = link_problem(expected_prev, row.prev_hash, row.hash, row.fields)
        if problem:
            return ChainReport(broken=ChainBreak(row.entry_id, problem))
        if row.seal is None:
            first_unsealed = first_unsealed or row.entry_id
        else:
            if first_unsealed is not None:
                return ChainReport(broken=ChainBreak(first_unsealed, SEAL_REMOVED))
            if sealer is None:
                return ChainReport(broken=ChainBreak(row.entry_id, NO_KEY))
            if not sealer.valid(row.entry_id, row.hash, row.seal):
                return ChainReport(broken=ChainBreak(row.entry_id, SEAL_MISMATCH))
            sealed += 1
        if recorded is not None and row.entry_id == recorded.entry_id:
            if row.hash != recorded.hash or row.seal is None:
                return ChainReport(broken=ChainBreak(row.entry_id, HEAD_MISSING))
            head_found = True
        expected_prev = row.hash
        entries += 1
    if recorded is not None and not head_found:
        return ChainReport(broken=ChainBreak(recorded.entry_id, HEAD_MISSING))
    return ChainReport(broken=None, entries=entries, sealed=sealed, unsealed_tail=entries - sealed, head=recorded)
