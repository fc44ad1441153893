"""What a workstation does with its data key when it starts (GUI and admin CLI alike)."""

from __future__ import annotations

from app.db.engine import Database
from app.services.appointments import has_plaintext, seal_plaintext
from app.services.data_keys import attach_audit_key, seal_pending


def start_with_key(db: Database, key_file: str = "") -> None:
    """Seal the audit entries this process writes (sign-ins first) when the workstation holds the
    database's key, and seal the appointments an upgrade to 0011 left in plaintext, so none stays
    readable until someone happens to open the booking list. Makes no key."""
    cipher = attach_audit_key(db, key_file)
    if cipher is None:
        return
    seal_pending(db)
    if has_plaintext(db):
        seal_plaintext(db, cipher)
