"""Sealing the audit log with the data key, and the sealed head kept outside the database.

The SHA-256 chain (app/domain/audit_chain.py) shows an edit only to someone who trusts the
database: whoever holds the file can edit a row and recompute every later hash with the app's
own function, delete the newest rows, or delete them all. Two things close that:

- **Seals.** Every entry gets a seal in ``audit_seals``: HMAC-SHA256 of its id and chain hash
  under a subkey of the workstation's data key (app/keys.py; the key never enters the
  database). Without the key nobody makes a seal that matches, so an edited, re-hashed or
  renumbered row, or a chain rewritten from the start, fails ``audit verify``. A workstation
  without the key (none should sign users in) leaves its entries unsealed; the next keyed start or
  append seals them, after checking they link to the last sealed entry.
- **The head.** After each sealed commit the workstation writes the newest entry's id and hash,
  itself sealed, to ``audit-head.json`` beside its key file — outside the database. Verify
  checks that entry is still there: deleting the newest rows, or all of them, is caught.

What someone with the database file but not the key can still do: remove entries newer than
the newest head any workstation of theirs kept, and forge entries while they stay unsealed (a
workstation without the key). Both are narrow: keyed workstations seal and move their head
with every entry they write."""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db.audit_sql import lock_chain_and_read_tail
from app.db.engine import Database
from app.db.models import AuditEntry, AuditSeal
from app.domain.audit_chain import GENESIS
from app.keys import KeyRing

log = logging.getLogger(__name__)

SEAL_PURPOSE = b"audit-seal"
HEAD_FILE_NAME = "audit-head.json"


@dataclass(frozen=True)
class Head:
    """The newest entry a workstation sealed: its id and chain hash."""

    entry_id: int
    hash: str


class AuditSealer:
    """Makes and checks seals with a key ring; keeps this workstation's head file."""

    def __init__(self, ring: KeyRing, head_file: Path) -> None:
        self.ring = ring
        self.head_file = head_file
        self._keys = {key_id: ring.derived(key_id, SEAL_PURPOSE) for key_id in ring.keys}

    def _mac(self, key_id: str, message: str) -> str:
        return hmac.new(self._keys[key_id], message.encode("utf-8"), "sha256").hexdigest()

    def seal(self, entry_id: int, entry_hash: str) -> str:
        return f"{self.ring.current}:{self._mac(self.ring.current, f'entry:{entry_id}:{entry_hash}')}"

    def valid(self, entry_id: int, entry_hash: str, seal: str) -> bool:
        key_id, _, mac = seal.partition(":")
        if key_id not in self._keys:
            return False
        return hmac.compare_digest(self._mac(key_id, f"entry:{entry_id}:{entry_hash}"), mac)

    # -- sealing appends ---------------------------------------------------------------
    def seal_through(self, session: Session, entry: AuditEntry) -> None:
        """Seal ``entry`` and the unsealed entries before it that link to the last sealed one.

        Runs in the appending transaction (the chain's append lock is held). An unsealed run
        whose links do not hold is left unsealed: verify reports it, sealing would hide it."""
        if self._seal_pending(session):
            self._keep_head_after_commit(session, Head(entry.id, entry.hash))

    def seal_pending(self, db: Database) -> None:
        """Seal what was appended without the key (a keyless workstation, the setup before its key
        existed, a log from before seals). Run where no session is open: at start, after setup.
        Nothing pending (the usual start) costs one read, no write."""
        with db.read() as session:
            newest = session.scalar(select(func.max(AuditEntry.id))) or 0
            sealed = session.scalar(select(func.max(AuditSeal.entry_id))) or 0
        if newest <= sealed:
            return
        with db.write() as session:
            lock_chain_and_read_tail(session)
            tail = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc())
                                   .limit(1)).first()
            if tail is not None and self._seal_pending(session):
                self._keep_head_after_commit(session, Head(tail[0], tail[1]))

    def _keep_head_after_commit(self, session: Session, head: Head) -> None:
        url = database_key(str(session.info.get("database_url", "")))
        event.listen(session, "after_commit", lambda _s: self.keep_head(url, head), once=True)

    def _seal_pending(self, session: Session) -> bool:
        """Seal the unsealed entries that link to the last sealed one; False when they do not link."""
        last_sealed = session.scalar(select(func.max(AuditSeal.entry_id))) or 0
        prev = GENESIS if not last_sealed else session.scalar(
            select(AuditEntry.hash).where(AuditEntry.id == last_sealed))
        pending = session.execute(select(AuditEntry.id, AuditEntry.prev_hash, AuditEntry.hash)
                                  .where(AuditEntry.id > last_sealed).order_by(AuditEntry.id)).all()
        for entry_id, prev_hash, entry_hash in pending:
            if prev_hash != prev:
                log.warning("audit entries after %s do not link to the last sealed entry: left unsealed", last_sealed)
                return False
            session.add(AuditSeal(entry_id=entry_id, seal=self.seal(entry_id, entry_hash)))
            prev = entry_hash
        session.flush()
        return True

    # -- the head outside the database ---------------------------------------------------
    def _head_mac(self, key_id: str, url: str, head: Head) -> str:
        return self._mac(key_id, f"head:{url}:{head.entry_id}:{head.hash}")

    def keep_head(self, url: str, head: Head) -> None:
        """Record ``head`` as this database's newest sealed entry, unless a newer one is recorded."""
        try:
            heads = self._read_heads()
            known = heads.get(url)
            if known and int(known.get("entry_id", 0)) >= head.entry_id:
                return
            heads[url] = {"entry_id": head.entry_id, "hash": head.hash,
                          "seal": f"{self.ring.current}:{self._head_mac(self.ring.current, url, head)}"}
            self.head_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.head_file.with_name(f"{self.head_file.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(heads, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.head_file)
        except OSError:  # the entry is committed and sealed; a head not moved only narrows verify
            log.warning("could not write the audit head file %s", self.head_file, exc_info=True)

    def _read_heads(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.head_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("the audit head file %s cannot be read; starting it again", self.head_file)
            return {}
        return data if isinstance(data, dict) else {}

    def recorded_head(self, url: str) -> Head | None | str:
        """This database's head as this workstation recorded it; None when it kept none; a reason
        (str) when the record is there but its seal does not match (the file was edited)."""
        known = self._read_heads().get(url)
        if not known:
            return None
        try:
            head = Head(int(known["entry_id"]), str(known["hash"]))  # type: ignore[call-overload]
            key_id, _, mac = str(known["seal"]).partition(":")
        except (KeyError, TypeError, ValueError):
            return "the audit head file is damaged"
        if key_id not in self._keys or not hmac.compare_digest(self._head_mac(key_id, url, head), mac):
            return "the audit head file was changed (its seal does not match)"
        return head


def database_key(url: str) -> str:
    """The name a database goes by in the head file: its URL without the password."""
    return make_url(url).render_as_string(hide_password=True)


def head_file_beside(key_file: Path) -> Path:
    return key_file.parent / HEAD_FILE_NAME


def forget_head(head_file: Path, url: str) -> None:
    """After a restore the log legitimately ends earlier: its head starts again from there."""
    try:
        heads = json.loads(head_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(heads, dict) and heads.pop(url, None) is not None:
        tmp = head_file.with_name(f"{head_file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(heads, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, head_file)


def attach(db: Database, ring: KeyRing, key_file: Path) -> AuditSealer:
    """From now on this process seals what it appends to ``db``'s log with ``ring``."""
    sealer = AuditSealer(ring, head_file_beside(key_file))
    db.audit_sealer = sealer
    return sealer
