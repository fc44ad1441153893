"""The security audit log: append entries, browse them, verify the hash chain.

Use cases append with :func:`record_in` inside their own transaction, so the entry
commits with the change it describes (a reveal, an override, an import) or not at all.
Events with no surrounding change (a failed log-in, a denied call) use :func:`record`,
which commits on its own.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.audit_protection import missing_protection
from app.db.audit_sql import lock_chain_and_read_tail
from app.db.engine import Database
from app.db.models import AuditEntry, AuditSeal
from app.domain.audit_chain import ChainBreak, ChainFields, canonical_detail, entry_hash, normalise_time
from app.services.audit_check import ORPHAN_SEALS, ChainReport, SealedRow, check_log
from app.services.audit_seal import database_key
from app.domain.business_day import utcnow
from app.domain.cell_safety import safe_row
from app.domain.errors import PermissionDenied
from app.domain.roles import Permission, has_permission
from app.services.actor import SYSTEM, Actor
from app.services.queue_session import in_branch

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    UNLOCK = "unlock"
    PERMISSION_DENIED = "permission_denied"
    REVEAL = "reveal"
    OVERRIDE = "override"
    IMPORT = "import"
    #: One committed batch of an import, in the batch's own transaction (app/services/customers/importing.py).
    IMPORT_BATCH = "import_batch"
    EXPORT = "export"
    MERGE = "merge"
    #: A customer registered or changed at the counter (detail: the field names, never values).
    CUSTOMER_CREATE = "customer_create"
    CUSTOMER_CHANGE = "customer_change"
    #: A branch's tiers computed again from their inputs (detail: counts moved up and down).
    TIER_RECOMPUTE = "tier_recompute"
    #: A periodic review of a customer's record (detail: what was confirmed, the next due date).
    CUSTOMER_REVIEW = "customer_review"
    SETTINGS_CHANGE = "settings_change"
    MATRIX_CHANGE = "matrix_change"
    TEMPLATE_CHANGE = "template_change"
    USER_CREATE = "user_create"
    USER_CHANGE = "user_change"
    PASSWORD_RESET = "password_reset"
    BACKUP = "backup"
    RESTORE = "restore"
    KEY_ROTATION = "key_rotation"
    REPORT = "report"


def record_in(session: Session, actor: Actor, action: AuditAction | str, *, at: datetime,
              target_type: str | None = None, target_id: object = None,
              detail: Mapping[str, Any] | None = None, branch_id: int | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (which must be a write session)."""
    prev_hash = lock_chain_and_read_tail(session)
    fields = ChainFields(
        at=normalise_time(at), branch_id=branch_id if branch_id is not None else actor.branch_id,
        user_id=actor.user_id, username=actor.username, action=str(action), target_type=target_type,
        target_id=None if target_id is None else str(target_id), detail=canonical_detail(detail))
    entry = AuditEntry(at=fields.at, branch_id=fields.branch_id, user_id=fields.user_id, username=fields.username,
                       action=fields.action, target_type=fields.target_type, target_id=fields.target_id,
                       detail=fields.detail, prev_hash=prev_hash, hash=entry_hash(prev_hash, fields))
    session.add(entry)
    session.flush()
    sealer = session.info.get("audit_sealer")
    if sealer is not None:  # a workstation with the data key (app/services/audit_seal.py)
        sealer.seal_through(session, entry)
    return entry


def record(db: Database, actor: Actor, action: AuditAction | str, *, clock: Clock = utcnow,
           target_type: str | None = None, target_id: object = None,
           detail: Mapping[str, Any] | None = None, branch_id: int | None = None) -> None:
    """Append one entry in a transaction of its own."""
    with db.write() as session:
        record_in(session, actor, action, at=clock(), target_type=target_type, target_id=target_id,
                  detail=detail, branch_id=branch_id)


def audit_branch_refusal(db: Database, actor: Actor, branch_id: int, *, clock: Clock = utcnow,
                         permission: str | None = None) -> None:
    """The audit entry of a refusal to work for another branch (its own transaction)."""
    detail: dict[str, Any] = {"permission": permission or "work for another branch", "branch_id": branch_id,
                              "reason": "another branch"}
    try:
        record(db, actor, AuditAction.PERMISSION_DENIED, clock=clock, detail=detail)
    except Exception:  # noqa: BLE001 - the refusal matters more than its log entry
        log.exception("could not audit a refusal of branch %s to %s", branch_id, actor.username)


def require(db: Database, actor: Actor, permission: Permission, *, clock: Clock = utcnow,
            branch_id: int | None = None) -> None:
    """Refuse a use case the actor's role does not allow, and leave an audit entry saying so.

    The entry is written in its own transaction: the refused use case never opens one. If
    the database cannot take it (server down) the refusal still stands."""
    if has_permission(actor.role, permission):
        if branch_id is not None:
            _check_branch_now(db, actor, permission, branch_id, clock)
        return
    try:
        record(db, actor, AuditAction.PERMISSION_DENIED, clock=clock, detail={"permission": permission.value})
    except Exception:  # noqa: BLE001 - the denial matters more than its log entry
        log.exception("could not audit a denied %s by %s", permission.value, actor.username)
    raise PermissionDenied(user=actor.username, role=actor.role.value, action=permission.value)


def _check_branch_now(db: Database, actor: Actor, permission: Permission, branch_id: int, clock: Clock) -> None:
    if not in_branch(actor, branch_id):
        audit_branch_refusal(db, actor, branch_id, clock=clock, permission=permission.value)
        raise PermissionDenied(user=actor.username, role=actor.role.value, action="work for another branch")


@dataclass(frozen=True)
class AuditEntryView:
    id: int
    at: datetime
    branch_id: int | None
    username: str
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    #: Written by the application itself (setup, migrations, schedules), not by a person; a
    #: user may be called "system" too, so the missing user id decides.
    by_system: bool = False


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    branch_id: int | None = None
    #: One record's entries (e.g. "customer" and its id): its history.
    target_type: str | None = None
    target_id: str | None = None


EXPORT_COLUMNS = ("id", "at", "branch_id", "username", "action", "target_type", "target_id", "detail")


def entries_csv(entries: Iterable[AuditEntryView]) -> str:
    """Audit entries as CSV text; user names and details are typed by people, so no cell is a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in entries:
        writer.writerow(safe_row([row.id, row.at.isoformat(), row.branch_id or "", row.username, row.action,
                                  row.target_type or "", row.target_id or "",
                                  json.dumps(row.detail, ensure_ascii=False, sort_keys=True)]))
    return out.getvalue()


class AuditLog:
    """Reading the log is itself a supervisor's privilege."""

    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def entries(self, actor: Actor, where: AuditFilter = AuditFilter(), *, limit: int = 1000) -> list[AuditEntryView]:
        require(self.db, actor, Permission.VIEW_AUDIT, clock=self.clock)
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if where.username:
            query = query.where(AuditEntry.username == where.username)
        if where.action:
            query = query.where(AuditEntry.action == where.action)
        if where.since is not None:
            query = query.where(AuditEntry.at >= where.since)
        if where.until is not None:
            query = query.where(AuditEntry.at < where.until)
        if where.branch_id is not None:
            query = query.where(AuditEntry.branch_id == where.branch_id)
        if where.target_type is not None:
            query = query.where(AuditEntry.target_type == where.target_type)
        if where.target_id is not None:
            query = query.where(AuditEntry.target_id == where.target_id)
        with self.db.read() as session:
            rows = session.scalars(query).all()
        return [AuditEntryView(id=row.id, at=row.at, branch_id=row.branch_id, username=row.username,
                               action=row.action, target_type=row.target_type, target_id=row.target_id,
                               detail=json.loads(row.detail or "{}"),
                               by_system=row.user_id is None and row.username == SYSTEM.username) for row in rows]

    def export_csv(self, actor: Actor, where: AuditFilter = AuditFilter()) -> str:
        """The filtered entries as CSV (UTF-8 text); the export is itself audited."""
        rows = self.entries(actor, where, limit=1_000_000)
        text = entries_csv(reversed(rows))
        record(self.db, actor, AuditAction.EXPORT, clock=self.clock, target_type="audit_log",
               detail={"rows": len(rows), "username": where.username, "action": where.action})
        return text

    def verify(self, actor: Actor, *, batch: int = 5000) -> ChainBreak | None:
        """The first problem with the log (a broken link, a bad or missing seal, a missing head
        entry, a dropped trigger), or None when intact."""
        return self.verify_report(actor, batch=batch).broken

    def verify_report(self, actor: Actor, *, batch: int = 5000) -> ChainReport:
        """Walk the whole log in id order: links, seals (with this workstation's data key, when
        the database has one attached: app/services/audit_seal.py), the recorded head, the triggers."""
        require(self.db, actor, Permission.VIEW_AUDIT, clock=self.clock)
        report = check_log(self._chain(batch), self.db.audit_sealer, database_key(self.db.url))
        if report.broken is not None:  # the entry that shows the tampering comes first
            return report
        with self.db.read() as session:
            seals = session.scalar(select(func.count()).select_from(AuditSeal)) or 0
            missing = missing_protection(session.connection())
        if seals != report.sealed:  # a seal whose entry is gone (removed, or renumbered away)
            return replace(report, broken=ChainBreak(0, ORPHAN_SEALS))
        if missing:
            return replace(report, broken=ChainBreak(0, f"the protecting triggers {', '.join(missing)} are missing "
                                                        "(run 'branchdesk-admin db upgrade' to put them back)"))
        return report

    def _chain(self, batch: int) -> Iterator[SealedRow]:
        last_id = 0
        while True:
            with self.db.read() as session:
                rows = session.execute(select(AuditEntry, AuditSeal.seal)
                                       .outerjoin(AuditSeal, AuditSeal.entry_id == AuditEntry.id)
                                       .where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)).all()
            if not rows:
                return
            for row, seal in rows:
                yield SealedRow(row.id, row.prev_hash, row.hash, ChainFields(
                    at=row.at, branch_id=row.branch_id, user_id=row.user_id, username=row.username,
                    action=row.action, target_type=row.target_type, target_id=row.target_id, detail=row.detail), seal)
            last_id = rows[-1][0].id
