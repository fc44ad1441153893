"""Which data keys a database's personal data needs, and refusing to work without them.

The keys live outside the database (app/keys.py). Before this registry, a workstation whose key
file was deleted, or pointed at the wrong file, or given a valid but wrong ``BRANCHDESK_DATA_KEY``
silently made a new key: ID search found nothing, customers imported again as duplicates, and
values written meanwhile sat under a key nobody kept. Now the database records the id and the
fingerprint (``KeyRing.fingerprint``) of every key its data is encrypted with, and
:func:`open_cipher` — the one way services get their cipher from the workstation's key —

- refuses (``DataKeyMissing``) when there is no key but the database holds encrypted data or
  knows its keys, and never makes a key then;
- refuses (``DataKeyWrong``) a key whose fingerprint differs from the recorded one, or a ring that
  lacks a recorded key;
- makes a new key only for a database with no encrypted data and no recorded key (first use);
- records the ring's keys on first use, after checking a stored value decrypts (databases from
  before this registry), and records a rotation's new key.
"""

from __future__ import annotations

import logging
import os
import stat
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from app.db.engine import Database
from app.db.models import DataKey
from app.domain.business_day import utcnow
from app.domain.errors import DataKeyMissing, DataKeyNotCreated, DataKeyUnreadable, DataKeyWrong, DomainError
from app.keys import KEY_ENV, DataKeyError, FieldCipher, KeyRing, default_key_path, load_keyring
from app.services import audit_seal

log = logging.getLogger(__name__)


def registered_keys(db: Database) -> dict[str, str]:
    """Key id → fingerprint of the keys this database's data needs."""
    with db.read() as session:
        rows = session.execute(select(DataKey.key_id, DataKey.fingerprint))
        return {key_id: fingerprint for key_id, fingerprint in rows}


def register(db: Database, ring: KeyRing, now: datetime | None = None) -> None:
    """Record the ring's keys (those not yet recorded)."""
    known = registered_keys(db)
    new = [key_id for key_id in ring.keys if key_id not in known]
    if not new:
        return
    with db.write() as session:
        for key_id in new:
            session.merge(DataKey(key_id=key_id, fingerprint=ring.fingerprint(key_id), registered_at=now or utcnow()))


def forget(db: Database, key_ids: set[str]) -> None:
    """Keys dropped by ``keys prune`` (no value uses them any more) are no longer needed."""
    if key_ids:
        with db.write() as session:
            session.execute(delete(DataKey).where(DataKey.key_id.in_(key_ids)))


def _sample_values(db: Database) -> list[tuple[str, str]]:
    """One stored ciphertext per encrypted column, with its field name: (field, token)."""
    from app.services.key_rotation import ENCRYPTED_COLUMNS  # it imports this module

    samples = []
    with db.read() as session:
        for model, cipher_col, _index, field_name, _kind in ENCRYPTED_COLUMNS:
            column = getattr(model, cipher_col)
            token = session.scalar(select(column).where(column.is_not(None)).limit(1))
            if token is not None:
                samples.append((field_name, token))
    return samples


def key_source(key_file: str = "") -> str:
    return KEY_ENV if os.environ.get(KEY_ENV) else str(default_key_path(key_file))


def loose_permissions(key_file: str = "") -> bool:
    """The key file can be read by the group or others (it should be 0600)."""
    if os.environ.get(KEY_ENV) or os.name == "nt":
        return False
    path = default_key_path(key_file)
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def check_ring(db: Database, ring: KeyRing, source: str) -> None:
    """Refuse a ring that is not the one the database's data needs; record what is new."""
    registered = registered_keys(db)
    for key_id, expected in registered.items():
        if key_id not in ring.keys:
            raise DataKeyWrong(source=source, found=ring.fingerprint(ring.current), expected=expected)
        if ring.fingerprint(key_id) != expected:
            raise DataKeyWrong(source=source, found=ring.fingerprint(key_id), expected=expected)
    if not registered:  # first use, or a database from before the registry: the data must open
        cipher = FieldCipher(ring)
        for field_name, token in _sample_values(db):
            try:
                cipher.decrypt(field_name, token)
            except DataKeyError:
                raise DataKeyWrong(source=source, found=ring.fingerprint(ring.current),
                                   expected=f"that of key {FieldCipher.key_id_of(token)}") from None
    register(db, ring)


def open_cipher(db: Database, key_file: str = "", *, create: bool = False) -> FieldCipher:
    """The workstation's cipher for ``db``, or a refusal that names the key and its fingerprint.

    ``create``: make a key when none exists and the database holds no encrypted data and knows no
    key. Only first-run setup, the demo and ``keys create`` pass it (:func:`create_data_key`): a
    use case never makes a key by itself, so a deleted key file is never silently replaced."""
    path: Path = default_key_path(key_file)
    source = key_source(key_file)
    if loose_permissions(key_file):
        log.warning("the data key file %s can be read by other users of this computer; it should be 0600", path)
    try:
        ring = load_keyring(path, create=False)
    except DataKeyError as error:
        if os.environ.get(KEY_ENV) or path.exists():  # there is key material, but it cannot be used
            raise DataKeyUnreadable(source=source, reason=error.reason, **error.params) from None
        registered = registered_keys(db)
        if registered or _sample_values(db):
            raise DataKeyMissing(path=str(path),
                                 expected=", ".join(registered.values()) or "unknown (not recorded yet)") from None
        if not create:
            raise DataKeyNotCreated(path=str(path)) from None
        ring = load_keyring(path, create=True)  # first use: nothing encrypted yet, nothing to lose
        log.info("created the data key %s (fingerprint %s)", path, ring.fingerprint(ring.current))
    check_ring(db, ring, source)
    audit_seal.attach(db, ring, path)  # the audit log is sealed with this key from now on
    return FieldCipher(ring)


def create_data_key(db: Database, key_file: str = "") -> FieldCipher:
    """First-run setup, the demo and ``keys create``: the database's key, made if there is none
    and the database holds nothing encrypted (else the usual refusals); returns its cipher."""
    cipher = open_cipher(db, key_file, create=True)
    seal_pending(db)  # what setup appended before its key existed is sealed now
    return cipher


def seal_pending(db: Database) -> None:
    """Seal the audit entries appended without the key, with the sealer open_cipher attached."""
    if isinstance(db.audit_sealer, audit_seal.AuditSealer):
        db.audit_sealer.seal_pending(db)


def attach_audit_key(db: Database, key_file: str = "") -> FieldCipher | None:
    """At start: seal the audit entries this process writes (sign-ins first of all) when the
    workstation holds this database's key. Makes no key; a refusal is logged, and shown when a
    use case that needs the key runs."""
    try:
        return open_cipher(db, key_file, create=False)
    except DomainError as refusal:
        log.info("audit entries from this process stay unsealed until a keyed workstation writes: %s",
                 refusal.code)
        return None
