"""The data-encryption key of personal fields, kept outside the database, and what it does.

Sensitive fields (ID numbers, phone numbers, account/card numbers) are stored encrypted with
AES-256-GCM (authenticated: a changed byte fails to decrypt rather than decrypting to rubbish).
Exact-match search works through a *blind index*: a keyed HMAC-SHA256 of the canonical value,
stored beside the ciphertext, so the database can find ``= hmac(value)`` without ever holding
the value or an unkeyed hash of it (ID numbers are too few to resist a dictionary).

Where the key lives (never in the database):

- ``BRANCHDESK_DATA_KEY`` — for shared PostgreSQL installs, where every workstation must hold
  the same key: ``<id>:<base64 of 32 bytes>``, several comma-separated while rotating (the first
  is current, the others can still decrypt). A bare base64 value is key id ``env``.
- otherwise a key file, by default ``data.key`` in the config directory (setting
  ``customers.key_file``), created on first use with permissions 0600. Back it up with the
  database: without it the encrypted fields cannot be read.

Ciphertexts are ``<key id>:<base64(nonce ‖ ciphertext+tag)>`` with the field name as associated
data, so a value copied into another column does not decrypt there. Each key id derives two
subkeys with HKDF (encryption, blind index). Rotation (``branchdesk-admin keys rotate``) adds a
new current key, re-encrypts and re-indexes in batches, and keeps the old keys able to decrypt
until ``keys prune`` drops those no row uses any more.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.domain.reasons import english_params

KEY_ENV = "BRANCHDESK_DATA_KEY"
KEY_FILE_NAME = "data.key"
_NONCE = 12
_INDEX_BYTES = 16  # 128-bit blind index: hex(32); collisions are out of reach for any bank's customer base


class DataKeyError(ValueError):
    """The key material is missing, malformed, or cannot decrypt a stored value.

    ``reason`` is a code of app/domain/reasons.py and ``params`` fill its sentence (``str()``
    is the English one), so a DataKeyUnreadable passes both on to be translated."""

    def __init__(self, reason: str, **params: Any) -> None:
        self.reason, self.params = reason, params
        super().__init__(english_params({**params, "reason": reason})["reason"])


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"branchdesk/" + purpose).derive(master)


@dataclass
class KeyRing:
    """Key ids → 32-byte master keys; ``current`` encrypts, all of them decrypt."""

    current: str
    keys: dict[str, bytes] = field(default_factory=dict)

    @staticmethod
    def new_key_id() -> str:
        return "k" + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)

    @classmethod
    def generate(cls) -> KeyRing:
        key_id = cls.new_key_id()
        return cls(current=key_id, keys={key_id: secrets.token_bytes(32)})

    def rotated(self) -> KeyRing:
        """A copy with a fresh current key; the old keys stay for decryption."""
        key_id = self.new_key_id()
        while key_id in self.keys:
            key_id = self.new_key_id() + secrets.token_hex(1)
        return KeyRing(current=key_id, keys={key_id: secrets.token_bytes(32), **self.keys})

    def fingerprint(self, key_id: str) -> str:
        """A short public name of the key's material ('3f2a-9c1e-…'): recorded in the database, so
        a missing or wrong key is recognised, and safe to print (it reveals nothing of the key)."""
        digest = _derive(self.keys[key_id], b"fingerprint").hex()[:16]
        return "-".join(digest[i:i + 4] for i in range(0, 16, 4))

    def derived(self, key_id: str, purpose: bytes) -> bytes:
        """A 32-byte subkey of one key for another use (the audit log's seals: b"audit-seal")."""
        return _derive(self.keys[key_id], purpose)

    def without(self, key_ids: set[str]) -> KeyRing:
        if self.current in key_ids:
            raise DataKeyError("current_key_kept")
        return KeyRing(current=self.current, keys={k: v for k, v in self.keys.items() if k not in key_ids})

    # -- environment ------------------------------------------------------------------
    @classmethod
    def from_env_value(cls, value: str) -> KeyRing:
        entries = [part.strip() for part in value.split(",") if part.strip()]
        if not entries:
            raise DataKeyError("key_variable_empty", variable=KEY_ENV)
        keys: dict[str, bytes] = {}
        for entry in entries:
            key_id, _, material = entry.rpartition(":")
            keys[key_id or "env"] = _decode_key(material, KEY_ENV)
        first = entries[0].rpartition(":")[0] or "env"
        return cls(current=first, keys=keys)

    def to_env_value(self) -> str:
        order = [self.current] + [k for k in self.keys if k != self.current]
        return ",".join(f"{k}:{base64.b64encode(self.keys[k]).decode()}" for k in order)

    # -- file -------------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> KeyRing:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ring = cls(current=data["current"],
                       keys={k: _decode_key(v, str(path)) for k, v in data["keys"].items()})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataKeyError("key_file_unreadable", path=str(path), detail=str(exc)) from exc
        if ring.current not in ring.keys:
            raise DataKeyError("current_key_missing", path=str(path), key=ring.current)
        return ring

    def write(self, path: Path) -> None:
        """Write atomically with owner-only permissions (0600), also when replacing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"current": self.current,
                           "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()}}, indent=1)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def create(self, path: Path) -> None:
        """Write a new key file only if none exists yet — atomically (a hard link never replaces),
        so two workstations or threads starting at once cannot each make their own key."""
        tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.new")
        self.write(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)


def _decode_key(material: str, source: str) -> bytes:
    try:
        key = base64.b64decode(material.strip(), validate=True)
    except ValueError as exc:
        raise DataKeyError("key_not_base64", origin=source) from exc
    if len(key) != 32:
        raise DataKeyError("key_length", origin=source)
    return key


def default_key_path(configured: str = "") -> Path:
    from app.settings import config_dir

    return Path(configured) if configured else config_dir() / KEY_FILE_NAME


def load_keyring(path: Path | None = None, environ: dict[str, str] | None = None, *, create: bool = True) -> KeyRing:
    """The environment's key ring if set, else the key file (created on first use)."""
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return KeyRing.from_env_value(env[KEY_ENV])
    path = path or default_key_path()
    if path.exists():
        return KeyRing.read(path)
    if not create:
        raise DataKeyError("no_data_key", variable=KEY_ENV, path=str(path))
    ring = KeyRing.generate()
    ring.create(path)
    return KeyRing.read(path)  # another process may have created it first: everyone uses that one


class FieldCipher:
    """Encrypts, decrypts and blind-indexes field values with a key ring."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._aead = {k: AESGCM(_derive(v, b"enc")) for k, v in ring.keys.items()}
        self._mac = {k: _derive(v, b"index") for k, v in ring.keys.items()}

    @property
    def current(self) -> str:
        return self.ring.current

    def encrypt(self, field_name: str, value: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead[self.ring.current].encrypt(nonce, value.encode("utf-8"), field_name.encode())
        return f"{self.ring.current}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, field_name: str, token: str) -> str:
        key_id, _, body = token.partition(":")
        aead = self._aead.get(key_id)
        if aead is None:
            raise DataKeyError("key_not_held", key=key_id)
        raw = base64.b64decode(body)
        try:
            return aead.decrypt(raw[:_NONCE], raw[_NONCE:], field_name.encode()).decode("utf-8")
        except Exception as exc:  # InvalidTag: tampered, or the wrong field
            raise DataKeyError("not_authentic", column=field_name) from exc

    def index(self, kind: str, canonical: str) -> str:
        """Blind index under the current key."""
        return self._index(self.ring.current, kind, canonical)

    def indexes(self, kind: str, canonical: str) -> list[str]:
        """Blind indexes under every key: a search finds rows not yet re-indexed by a rotation."""
        return [self._index(k, kind, canonical) for k in self.ring.keys]

    def _index(self, key_id: str, kind: str, canonical: str) -> str:
        message = kind.encode() + b"\x00" + canonical.encode("utf-8")
        return hmac.digest(self._mac[key_id], message, "sha256")[:_INDEX_BYTES].hex()

    def encrypter(self, field_name: str) -> Callable[[str], str]:
        """``encrypt`` for one field, with its key and associated data bound once (bulk import):
        the same format, a fresh random nonce per value."""
        seal = self._aead[self.ring.current].encrypt
        data = field_name.encode()
        prefix = self.ring.current + ":"
        urandom, b64 = os.urandom, binascii.b2a_base64

        def encrypt(value: str) -> str:
            nonce = urandom(_NONCE)
            return prefix + b64(nonce + seal(nonce, value.encode("utf-8"), data), newline=False).decode("ascii")

        return encrypt

    def indexer(self, kind: str) -> Callable[[str], str]:
        """``index`` for one kind under the current key, with key and prefix bound once (bulk import)."""
        key = self._mac[self.ring.current]
        prefix = kind.encode() + b"\x00"
        digest = hmac.digest

        def index(canonical: str) -> str:
            return digest(key, prefix + canonical.encode("utf-8"), "sha256")[:_INDEX_BYTES].hex()

        return index

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.partition(":")[0]


def load_cipher(key_file: str = "", *, create: bool = True) -> FieldCipher:
    """The workstation's cipher: ``BRANCHDESK_DATA_KEY``, else the key file (setting ``customers.key_file``)."""
    return FieldCipher(load_keyring(default_key_path(key_file), create=create))
