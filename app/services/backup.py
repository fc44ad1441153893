"""Backups of a SQLite install: on demand, daily on schedule, and restore.

A backup is SQLite's online backup API (app/db/migrate.py ``backup_sqlite``): consistent
while workstations keep writing (WAL readers do not block writers). A restore first
checks that the file is a sound BranchDesk database (``PRAGMA integrity_check``, our
tables, a schema revision this version knows), keeps a copy of the current database,
copies the backup in through the same API and checks the result again.

PostgreSQL installs back up with ``pg_dump`` on the server (see README); these calls
refuse them with a clear message.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError

from app.db.audit_protection import missing_in_sqlite_file
from app.db.engine import Database
from app.db.migrate import alembic_config, backup_sqlite, copy_sqlite
from app.domain.backup_schedule import DAILY_LABEL, is_due, to_prune
from app.domain.business_day import utcnow
from app.domain.errors import DomainError
from app.domain.roles import Permission
from app.services.actor import SYSTEM, Actor
from app.services.audit import AuditAction, record, require
from app.services.audit_seal import AuditSealer, database_key, forget_head

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

REQUIRED_TABLES = frozenset({"alembic_version", "branches", "users", "tickets", "audit_entries"})
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupNeedsSqlite(DomainError):
    code = "backup_sqlite_only"
    template = "This database is on a PostgreSQL server: back it up there with pg_dump (see the README)."


class NotABackup(DomainError):
    code = "not_a_backup"
    template = "{file} is not a BranchDesk database backup: {reason}."


class BackupFailed(DomainError):
    code = "backup_failed"
    template = "The backup could not be completed: {reason}."


@dataclass(frozen=True)
class ScheduledResult:
    created: Path | None
    pruned: tuple[Path, ...]


def check_backup_file(path: Path) -> str:
    """The schema revision of a sound BranchDesk SQLite file; NotABackup otherwise."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as error:
        raise NotABackup(file=str(path), reason="unreadable", detail=error.strerror or type(error).__name__) from None
    if header != SQLITE_HEADER:
        raise NotABackup(file=str(path), reason="not_sqlite")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise NotABackup(file=str(path), reason="integrity_failed", detail=verdict)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not REQUIRED_TABLES <= tables:
            raise NotABackup(file=str(path), reason="tables_missing")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise NotABackup(file=str(path), reason="unreadable", detail=str(error)) from None
    finally:
        connection.close()
    if row is None:
        raise NotABackup(file=str(path), reason="no_schema_revision")
    missing = missing_in_sqlite_file(str(path))
    if missing:  # someone dropped them to edit the log: restoring it would bring the edit in
        raise NotABackup(file=str(path), reason="triggers_missing", names=tuple(missing))
    return str(row[0])


def integrity_ok(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()


class BackupService:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    @property
    def local_file(self) -> bool:
        """An SQLite install: backed up by this workstation (PostgreSQL on the server, by pg_dump)."""
        return self.db.sqlite_path is not None

    def _sqlite_path(self) -> Path:
        path = self.db.sqlite_path
        if path is None:
            raise BackupNeedsSqlite()
        return path

    def default_dir(self, configured: str = "") -> Path:
        return Path(configured) if configured else self._sqlite_path().parent / "backups"

    def backup(self, actor: Actor, out_dir: Path | None = None, *, label: str = "manual") -> Path:
        """A consistent copy of the live database, checked, in ``out_dir``; audited."""
        require(self.db, actor, Permission.MANAGE_BACKUPS, clock=self.clock)
        source = self._sqlite_path()
        try:
            target = backup_sqlite(source, out_dir or self.default_dir(), label)
        except (OSError, sqlite3.Error) as error:
            raise BackupFailed(reason="system_error", detail=str(error)) from None
        if not integrity_ok(target):
            raise BackupFailed(reason="copy_integrity", file=str(target))
        record(self.db, actor, AuditAction.BACKUP, clock=self.clock, target_type="file", target_id=target.name,
               detail={"file": str(target), "bytes": target.stat().st_size, "label": label})
        return target

    def restore(self, actor: Actor, backup_file: Path, *, safety_dir: Path | None = None) -> Path:
        """Replace the database by ``backup_file``. Returns the copy kept of the database it replaced.

        Other workstations must be closed first (their connections would see the file change
        under them); this process's own connections are dropped."""
        require(self.db, actor, Permission.MANAGE_BACKUPS, clock=self.clock)
        target = self._sqlite_path()
        revision = check_backup_file(backup_file)
        try:
            ScriptDirectory.from_config(alembic_config(self.db)).get_revision(revision)
        except CommandError:
            raise NotABackup(file=str(backup_file), reason="unknown_revision", revision=revision) from None
        safety = backup_sqlite(target, safety_dir or self.default_dir(), "before-restore")
        self.db.dispose()
        copy_sqlite(f"file:{backup_file}?mode=ro", target, uri=True)
        if not integrity_ok(target):
            raise BackupFailed(reason="restore_integrity", file=str(safety))
        sealer = self.db.audit_sealer
        if isinstance(sealer, AuditSealer):  # the restored log ends before the head kept: start it again
            forget_head(sealer.head_file, database_key(self.db.url))
        record(self.db, actor, AuditAction.RESTORE, clock=self.clock, target_type="file", target_id=backup_file.name,
               detail={"file": str(backup_file), "revision": revision, "previous": str(safety)})
        return safety

    def run_scheduled(self, out_dir: Path, keep_days: int, now: datetime | None = None) -> ScheduledResult:
        """The daily backup if none was taken today (local time), then prune the old daily ones.

        A system task: it runs as SYSTEM whoever is signed in at the workstation."""
        now = now or datetime.now()
        out_dir.mkdir(parents=True, exist_ok=True)
        names = [p.name for p in out_dir.glob("*.sqlite3")]
        created = self.backup(SYSTEM, out_dir, label=DAILY_LABEL) if is_due(names, now) else None
        names = [p.name for p in out_dir.glob("*.sqlite3")]
        pruned = []
        for name in to_prune(names, now, keep_days):
            try:
                (out_dir / name).unlink()
                pruned.append(out_dir / name)
            except OSError:
                log.warning("could not remove old backup %s", out_dir / name, exc_info=True)
        return ScheduledResult(created, tuple(pruned))
