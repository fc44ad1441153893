"""``branchdesk-admin backup [--out DIR]`` and ``restore FILE`` for SQLite installs."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import Context, emit, signs_in_itself
from app.db.engine import Database
from app.keys import default_key_path
from app.services.audit_seal import database_key, forget_head, head_file_beside
from app.services.registry import Services
from app.services.bootstrap import prepare_database
from app.services.workstation_keys import start_with_key


def cmd_backup(ctx: Context) -> int:
    service = ctx.services.backup
    out = Path(ctx.args.out) if ctx.args.out else service.default_dir(ctx.settings.get("backup.dir"))
    path = service.backup(ctx.actor, out)
    emit(ctx.args, {"file": str(path), "bytes": path.stat().st_size}, f"backup written to {path}")
    return 0


@signs_in_itself
def cmd_restore(ctx: Context) -> int:
    # Not ctx.db: that would migrate the database that is about to be replaced. The --as user
    # signs in on it as it is and needs the backup permission (the service checks and audits).
    db = Database(ctx.database_url(), create=False)  # restoring onto a misspelled path creates nothing
    try:
        service = Services(db, ctx.settings).backup
        previous = service.restore(ctx.sign_in(db), Path(ctx.args.file),
                                   safety_dir=service.default_dir(ctx.settings.get("backup.dir")))
    finally:
        db.dispose()
    # The restored log ends earlier than the head this workstation kept: the head starts again.
    forget_head(head_file_beside(default_key_path(ctx.settings.get("customers.key_file"))), database_key(db.url))
    restored = prepare_database(db.url)  # an older backup is brought to this version's schema
    start_with_key(restored, ctx.settings.get("customers.key_file"))
    restored.dispose()
    emit(ctx.args, {"restored": ctx.args.file, "previous": str(previous)},
         f"restored {ctx.args.file}; the replaced database was kept as {previous}")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = areas.add_parser("backup", parents=[common], help="consistent copy of the SQLite database (safe while in use)")
    p.add_argument("--out", metavar="DIR", help="folder for the backup (default: settings backup.dir, else "
                                                "'backups' next to the database)")
    p.set_defaults(handler=cmd_backup)
    p = areas.add_parser("restore", parents=[common],
                         help="replace the SQLite database by a backup (close the other workstations first)")
    p.add_argument("file", help="backup file to restore")
    p.set_defaults(handler=cmd_restore)
