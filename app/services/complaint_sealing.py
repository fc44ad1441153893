"""Encryption at rest of a complaint's sensitive personal fields (PIPL: ID numbers, phone numbers).

The complainant's ID number and contact and the agent's contact are stored AES-GCM encrypted
with the workstation's data key (app/keys.py, the key customers use); nothing searches them,
so they need no blind index.

Every view a service returns carries the personal fields masked (:data:`MASKERS`); the full
value of one comes only from the audited ``ComplaintReads.reveal``. Printouts decrypt inside
app/services/complaint_documents.py and the builders mask what the document shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from app.db.engine import Database
from app.db.models import Complaint
from app.domain.complaint_entry import ComplaintEntry
from app.domain.errors import ValidationError
from app.domain.masking import MASK_CHAR, mask_id_number, mask_name, mask_phone
from app.keys import FieldCipher
from app.services.data_keys import open_cipher

#: Complaint columns sealed at rest (key rotation re-encrypts them too: app/services/key_rotation.py).
SEALED_FIELDS = ("complainant_id_number", "complainant_contact", "agent_contact")

#: Personal fields and how views show them; these are the fields ``reveal`` gives in full.
MASKERS: dict[str, Callable[[str | None], str]] = {
    "complainant_name": mask_name, "complainant_id_number": mask_id_number, "complainant_contact": mask_phone,
    "agent_name": mask_name, "agent_contact": mask_phone,
}
REVEAL_FIELDS = tuple(MASKERS)


def aead_field(name: str) -> str:
    """The associated data binding a sealed value to its column (a value moved to another fails)."""
    return f"complaint.{name}"


class ComplaintSealer:
    """Seals and opens the fields; loads the data key on first use (as CustomerService does)."""

    def __init__(self, cipher: FieldCipher | None = None, key_file: str = "", *, db: Database | None = None) -> None:
        """``db``: the database whose recorded keys the workstation's key must match (data_keys.py)."""
        self._cipher = cipher
        self._key_file = key_file
        self._db = db
        self._lock = threading.Lock()

    @property
    def cipher(self) -> FieldCipher:
        with self._lock:
            if self._cipher is None:
                if self._db is None:
                    raise RuntimeError("a ComplaintSealer without a cipher needs the database to check its key")
                self._cipher = open_cipher(self._db, self._key_file)
            return self._cipher

    def prepare_for(self, entry: object) -> None:
        """Read and check the key before a write transaction when ``entry`` has a value to seal: the
        first use records the key (app/services/data_keys.py), which must not wait on our own lock."""
        if any(getattr(entry, name, None) for name in SEALED_FIELDS):
            self.cipher  # noqa: B018

    def seal(self, complaint: Complaint) -> None:
        for name in SEALED_FIELDS:
            value = getattr(complaint, name)
            if value:
                setattr(complaint, name, self.cipher.encrypt(aead_field(name), value))

    def open(self, name: str, token: str | None) -> str | None:
        return self.cipher.decrypt(aead_field(name), token) if token else token

    def plain(self, complaint: Complaint, name: str) -> str | None:
        """The stored value of a column in full (opened when sealed): for reveal and printing only."""
        value = getattr(complaint, name)
        return self.open(name, value) if name in SEALED_FIELDS else value

    def masked(self, complaint: Complaint, name: str) -> str | None:
        """A personal field as every view shows it."""
        value = self.plain(complaint, name)
        return MASKERS[name](value) if value else value

    def keep_unchanged(self, complaint: Complaint, entry: ComplaintEntry) -> ComplaintEntry:
        """A draft completed from its masked view: a personal field still showing its masked value
        keeps the stored value; any other value holding the mask character is refused by name."""
        changes: dict[str, str | None] = {}
        for name in MASKERS:
            value = getattr(entry, name)
            if not value or MASK_CHAR not in value:
                continue
            stored = self.plain(complaint, name) if getattr(complaint, name) else None
            if stored is None or MASKERS[name](stored) != value:
                raise ValidationError(field=name, reason="masked_characters")
            changes[name] = stored
        return replace(entry, **changes) if changes else entry
