"""Schema migrations (Alembic), applied at start; the SQLite file is backed up first."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db.audit_protection import create_missing_protection
from app.db.engine import Database

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def head_revision(db: Database | None = None) -> str | None:
    """The newest revision this version knows (no database needed to say it)."""
    config = alembic_config(db) if db is not None else Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(path: Path, backup_dir: Path, label: str) -> Path:
    """Consistent copy through SQLite's online backup API (safe while others use the file)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{path.stem}-{label}-{stamp}.sqlite3"
    copy_sqlite(str(path), target)
    return target


def copy_sqlite(source: str, target: Path, *, uri: bool = False) -> None:
    """Copy a database page by page with SQLite's online backup API (``source`` may be a URI)."""
    origin = sqlite3.connect(source, uri=uri)
    try:
        dest = sqlite3.connect(target)
        try:
            origin.backup(dest)
        finally:
            dest.close()
    finally:
        origin.close()


def upgrade(db: Database, backup_dir: Path | None = None) -> str | None:
    """Bring the schema to head. Returns the backup path when one was made.

    An existing SQLite database that is behind is backed up before it is touched."""
    head = head_revision(db)
    current = current_revision(db)
    backup: Path | None = None
    if current == head:
        _restore_audit_protection(db)
        return None
    path = db.sqlite_path
    if path is not None and path.exists() and current is not None:
        backup = backup_sqlite(path, backup_dir or path.parent / "backups", f"before-{head}")
    config = alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    _restore_audit_protection(db)
    return str(backup) if backup else None


def _restore_audit_protection(db: Database) -> None:
    """Put back the audit log's append-only triggers if someone dropped them (a finding: logged)."""
    with db.engine.begin() as connection:
        restored = create_missing_protection(connection)
    if restored:
        log.warning("the audit log's protecting triggers %s were missing and have been re-created; run "
                    "'branchdesk-admin audit verify'", ", ".join(restored))
