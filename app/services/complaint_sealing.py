"""Encryption at rest of a complaint's sensitive personal fields (PIPL: ID numbers, phone numbers).

The complainant's ID number and contact and the agent's contact are stored AES-GCM encrypted
with the workstation's data key (app/keys.py, the key customers use); nothing searches them,
so they need no blind index. Lists and printouts show them masked after decrypting.
"""

from __future__ import annotations

import threading

from app.db.models import Complaint
from app.keys import FieldCipher, load_cipher

#: Complaint columns sealed at rest (key rotation re-encrypts them too: app/services/key_rotation.py).
SEALED_FIELDS = ("complainant_id_number", "complainant_contact", "agent_contact")


def aead_field(name: str) -> str:
    """The associated data binding a sealed value to its column (a value moved to another fails)."""
    return f"complaint.{name}"


class ComplaintSealer:
    """Seals and opens the fields; loads the data key on first use (as CustomerService does)."""

    def __init__(self, cipher: FieldCipher | None = None, key_file: str = "") -> None:
        self._cipher = cipher
        self._key_file = key_file
        self._lock = threading.Lock()

    @property
    def cipher(self) -> FieldCipher:
        with self._lock:
            if self._cipher is None:
                self._cipher = load_cipher(self._key_file)
            return self._cipher

    def seal(self, complaint: Complaint) -> None:
        for name in SEALED_FIELDS:
            value = getattr(complaint, name)
            if value:
                setattr(complaint, name, self.cipher.encrypt(aead_field(name), value))

    def open(self, name: str, token: str | None) -> str | None:
        return self.cipher.decrypt(aead_field(name), token) if token else token
