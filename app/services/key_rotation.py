"""Re-encrypting personal fields under a new data key, in batches, every record readable throughout.

``rotate`` re-encrypts (and re-indexes) every value not yet under the cipher's current key,
one batch per transaction. Until it finishes, rows under the old key decrypt with the old key
(it stays in the key ring) and exact search passes the blind indexes of every key, so a
rotation can run while the branch works. ``keys_in_use`` tells when an old key can be pruned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.key_sql import key_id_of
from app.db.models import Appointment, AuditSeal, Complaint, Customer, CustomerAccount, CustomerPhone
from app.domain.appointments import NAME_FIELD, PHONE_FIELD
from app.domain.business_day import utcnow
from app.domain.roles import Permission
from app.keys import FieldCipher
from app.services.actor import Actor
from app.services.audit import AuditAction, record, require
from app.services.complaint_sealing import SEALED_FIELDS, aead_field
from app.services.data_keys import check_ring

#: (model, cipher column, index column or None, field name for AEAD, index kind or None = model's id_type)
ENCRYPTED_COLUMNS = (
    (Customer, "id_cipher", "id_index", "id_number", None),
    (CustomerPhone, "number_cipher", "number_index", "phone", "phone"),
    (CustomerAccount, "number_cipher", "number_index", "account", "account"),
    # A complaint's sealed fields: optional, never searched (no blind index).
    *((Complaint, name, None, aead_field(name), None) for name in SEALED_FIELDS),
    # An appointment's customer name (never searched) and phone (blind index, as customers' phones).
    (Appointment, "name_cipher", None, NAME_FIELD, None),
    (Appointment, "phone_cipher", "phone_index", PHONE_FIELD, "phone"),
)


@dataclass(frozen=True)
class RotationResult:
    key_id: str
    rows: int
    batches: int


def keys_in_use(db: Database) -> dict[str, int]:
    """How many encrypted values each key id still holds."""
    counts: dict[str, int] = {}
    with db.read() as session:
        for model, cipher_col, *_ in ENCRYPTED_COLUMNS:
            column = getattr(model, cipher_col)
            key_id = key_id_of(column)
            for kid, n in session.execute(select(key_id, func.count()).where(column.is_not(None))
                                          .group_by(key_id)):
                counts[kid] = counts.get(kid, 0) + n
    return counts


def seals_per_key(db: Database) -> dict[str, int]:
    """How many audit entries each key id sealed (app/services/audit_seal.py). Verify checks a seal
    with the key that made it, so ``keys prune`` keeps such a key although no value uses it."""
    seal_key = key_id_of(AuditSeal.seal)
    with db.read() as session:
        return {kid: n for kid, n in session.execute(select(seal_key, func.count()).group_by(seal_key))}


def rotate(db: Database, actor: Actor, cipher: FieldCipher, *, batch: int = 1000,
           progress: Callable[[int], None] | None = None, clock: Callable = utcnow) -> RotationResult:  # type: ignore[type-arg]
    require(db, actor, Permission.CHANGE_SETTINGS, clock=clock)
    check_ring(db, cipher.ring, "the rotated key ring")  # the old keys must be this database's; records the new one
    current = cipher.current + ":"
    total = batches = 0
    for model, cipher_col, index_col, field_name, kind in ENCRYPTED_COLUMNS:
        column = getattr(model, cipher_col)
        last_id = 0
        while True:
            with db.write() as session:
                rows = session.scalars(select(model).where(model.id > last_id, column.is_not(None),
                                                           ~column.startswith(current))
                                       .order_by(model.id).limit(batch)).all()
                for row in rows:
                    value = cipher.decrypt(field_name, getattr(row, cipher_col))
                    setattr(row, cipher_col, cipher.encrypt(field_name, value))
                    if index_col is not None:
                        setattr(row, index_col, cipher.index(kind or row.id_type, value))
            if not rows:
                break
            last_id = rows[-1].id
            total += len(rows)
            batches += 1
            if progress is not None:
                progress(total)
    record(db, actor, AuditAction.KEY_ROTATION, clock=clock, detail={"key": cipher.current, "rows": total})
    return RotationResult(cipher.current, total, batches)
