"""The audit log against someone who holds the database file but not the data key (issue #16).

Each attack below passed ``audit verify`` while the log was an unkeyed SHA-256 chain: edit a row
and recompute the chain with the app's own function, delete the newest rows, delete them all,
renumber the last row, drop the protecting triggers. The seals (keyed with the data key, kept
outside the database) and the head kept beside the key file catch each one."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from app.db.audit_protection import missing_protection
from app.domain.audit_chain import GENESIS, ChainFields, entry_hash
from app.services.audit import AuditAction, AuditLog, record
from app.services.bootstrap import prepare_database
from app.services.data_keys import create_data_key, open_cipher
from app.services.key_rotation import seals_per_key


@pytest.fixture
def keyed(db):  # type: ignore[no-untyped-def]
    """The database with this workstation's data key attached (first use makes the key)."""
    create_data_key(db)
    return db


def _append(db, actors, clock, n: int = 5) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        record(db, actors.teller1, AuditAction.REVEAL, clock=clock, target_type="customer", target_id=i,
               detail={"field": "phone", "reason": f"核对 {i}"})


def _unprotected(db, connection) -> None:  # type: ignore[no-untyped-def]
    """What an intruder with the file does first: drop the append-only triggers."""
    for name in missing_protection_names(db):
        table = name.rsplit("_no_", 1)[0]
        connection.execute(text(f"DROP TRIGGER {name}" if db.is_sqlite else f"DROP TRIGGER {name} ON {table}"))


def missing_protection_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    from app.db.audit_protection import expected_triggers

    return list(expected_triggers(db.dialect))


def _rechain(connection) -> None:  # type: ignore[no-untyped-def]
    """Recompute every prev_hash/hash with the app's own chain function (no key needed)."""
    prev = GENESIS
    rows = connection.execute(text("SELECT id, at, branch_id, user_id, username, action, target_type, target_id, "
                                   "detail FROM audit_entries ORDER BY id")).all()
    for row in rows:
        at = row.at if not isinstance(row.at, str) else datetime.fromisoformat(row.at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        fields = ChainFields(at=at, branch_id=row.branch_id, user_id=row.user_id, username=row.username,
                             action=row.action, target_type=row.target_type, target_id=row.target_id,
                             detail=row.detail)
        digest = entry_hash(prev, fields)
        connection.execute(text("UPDATE audit_entries SET prev_hash = :p, hash = :h WHERE id = :id"),
                           {"p": prev, "h": digest, "id": row.id})
        prev = digest


def _ids(connection) -> list[int]:  # type: ignore[no-untyped-def]
    return list(connection.execute(text("SELECT id FROM audit_entries ORDER BY id")).scalars())


def test_every_entry_is_sealed_and_the_log_verifies(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock)
    report = AuditLog(keyed, clock).verify_report(actors.supervisor)
    assert report.broken is None and report.entries == report.sealed and report.unsealed_tail == 0
    assert report.head is not None and report.head.entry_id == max(_ids(keyed.engine.connect()))


def test_an_edit_with_the_chain_recomputed_is_caught(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock)
    with keyed.engine.begin() as connection:
        _unprotected(keyed, connection)
        third = _ids(connection)[2]
        connection.execute(text("UPDATE audit_entries SET username = 'someone' WHERE id = :id"), {"id": third})
        _rechain(connection)
    prepare_database(keyed.url).dispose()  # the triggers come back; the seals still tell
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and broken.entry_id == third and "seal does not match" in broken.reason


@pytest.mark.parametrize("keep", [3, 0], ids=["newest rows deleted", "every row deleted"])
def test_deleting_the_newest_rows_or_all_is_caught(keyed, actors, clock, keep: int) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock)
    with keyed.engine.begin() as connection:
        _unprotected(keyed, connection)
        ids = _ids(connection)
        gone = ids[keep:] if keep else ids
        connection.execute(text("DELETE FROM audit_seals WHERE entry_id >= :first"), {"first": gone[0]})
        connection.execute(text("DELETE FROM audit_entries WHERE id >= :first"), {"first": gone[0]})
    prepare_database(keyed.url).dispose()
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and "entries were removed" in broken.reason


def test_renumbering_the_last_row_is_caught(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock)
    with keyed.engine.begin() as connection:
        _unprotected(keyed, connection)
        last = _ids(connection)[-1]
        connection.execute(text("DELETE FROM audit_seals WHERE entry_id = :id"), {"id": last})
        connection.execute(text("UPDATE audit_entries SET id = :new WHERE id = :id"), {"new": last + 100, "id": last})
    prepare_database(keyed.url).dispose()
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and "removed" in broken.reason


def test_a_removed_seal_in_the_middle_is_caught(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock)
    with keyed.engine.begin() as connection:
        _unprotected(keyed, connection)
        second = _ids(connection)[1]
        connection.execute(text("DELETE FROM audit_seals WHERE entry_id = :id"), {"id": second})
    prepare_database(keyed.url).dispose()
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and broken.entry_id == second and "seal was removed" in broken.reason


def test_a_dropped_trigger_fails_verify_and_db_upgrade_puts_it_back(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock, 2)
    with keyed.engine.begin() as connection:
        _unprotected(keyed, connection)
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and "protecting triggers" in broken.reason and "audit_entries_no_" in broken.reason
    prepare_database(keyed.url).dispose()  # what `db upgrade` and every start run
    with keyed.engine.connect() as connection:
        assert missing_protection(connection) == []
    assert AuditLog(keyed, clock).verify(actors.supervisor) is None


def test_the_head_file_cannot_be_edited_to_hide_a_deletion(keyed, actors, clock, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    _append(keyed, actors, clock)
    head_file = Path(isolated_settings["BRANCHDESK_CONFIG_DIR"]) / "audit-head.json"
    heads = json.loads(head_file.read_text(encoding="utf-8"))
    [(url, head)] = heads.items()
    head["entry_id"] -= 2
    head_file.write_text(json.dumps(heads), encoding="utf-8")
    broken = AuditLog(keyed, clock).verify(actors.supervisor)
    assert broken is not None and "head file was changed" in broken.reason


def test_entries_from_before_the_key_are_sealed_by_the_next_keyed_append(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    db.audit_sealer = None  # a workstation without the key, or a log from before seals
    _append(db, actors, clock, 3)
    with db.engine.connect() as connection:
        unsealed = connection.execute(text("SELECT count(*) FROM audit_entries WHERE id NOT IN "
                                           "(SELECT entry_id FROM audit_seals)")).scalar_one()
    assert unsealed >= 3
    create_data_key(db)
    _append(db, actors, clock, 1)
    report = AuditLog(db, clock).verify_report(actors.supervisor)
    assert report.broken is None and report.sealed == report.entries and report.unsealed_tail == 0


def test_the_seals_are_counted_per_key_for_prune(keyed, actors, clock) -> None:  # type: ignore[no-untyped-def]
    _append(keyed, actors, clock, 2)
    current = keyed.audit_sealer.ring.current
    assert seals_per_key(keyed).get(current, 0) >= 2


def test_setup_seals_what_it_wrote_before_its_key_existed(demo_cli) -> None:  # type: ignore[no-untyped-def]
    """The demo (like first-run setup) creates branch and users before its key: sealed at once,
    not left open until the next keyed append."""
    verdict = demo_cli.json("audit", "verify")
    assert verdict["intact"] is True and verdict["entries"] == verdict["sealed"] > 0
    assert verdict["head_entry_id"] is not None
