"""The audit log: appended by use cases, denied calls leave an entry, the chain exposes tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.domain.errors import PermissionDenied
from app.services.audit import AuditAction, AuditFilter, AuditLog, record
from app.services.counters import CounterDesk, MatrixEntry


def test_denied_call_is_refused_and_audited(db, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    desk = CounterDesk(db, clock)
    with pytest.raises(PermissionDenied):
        desk.set_matrix(actors.teller1, branch.id, 1, [MatrixEntry("loan", 0)])
    [entry] = AuditLog(db, clock).entries(actors.supervisor, AuditFilter(action="permission_denied"))
    assert (entry.username, entry.detail, entry.at) == ("teller1", {"permission": "edit_matrix"}, clock.now)
    assert entry.branch_id == branch.id


def test_matrix_change_is_audited_with_the_change(db, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    CounterDesk(db, clock).set_matrix(actors.supervisor, branch.id, 2, [MatrixEntry("loan", 0),
                                                                       MatrixEntry("deposit_withdrawal", 1)])
    [entry] = AuditLog(db, clock).entries(actors.supervisor, AuditFilter(action="matrix_change"))
    assert (entry.target_type, entry.target_id) == ("counter", "2")
    assert entry.detail == {"services": {"loan": 0, "deposit_withdrawal": 1}}


def test_only_a_supervisor_reads_the_log(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(db, clock)
    for who in (actors.teller1, actors.lobby):
        with pytest.raises(PermissionDenied):
            log.entries(who)
    denied = log.entries(actors.supervisor, AuditFilter(action="permission_denied"))
    assert [e.username for e in denied] == ["lobby", "teller1"]  # newest first


def test_filters_and_export(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    record(db, actors.teller1, AuditAction.REVEAL, clock=clock, target_type="customer", target_id=7,
           detail={"field": "phone", "reason": "客户要求核对"})
    record(db, actors.lobby, AuditAction.EXPORT, clock=clock, detail={"what": "customers"})
    log = AuditLog(db, clock)
    # newest first: the reveal, then the sign-in of the `actors` fixture
    assert [e.action for e in log.entries(actors.supervisor, AuditFilter(username="teller1"))] == ["reveal", "login"]
    csv_text = log.export_csv(actors.supervisor, AuditFilter(action="reveal"))
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("id,at,branch_id,username,action")
    assert len(lines) == 2 and "客户要求核对" in lines[1]
    # The export itself is on record.
    assert log.entries(actors.supervisor, AuditFilter(username="supervisor", action="export"))


def test_chain_verifies_and_detects_an_edited_row(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        record(db, actors.teller1, AuditAction.REVEAL, clock=clock, target_type="customer", target_id=n,
               detail={"field": "id_number", "reason": f"核对 {n}"})
    log = AuditLog(db, clock)
    assert log.verify(actors.supervisor) is None
    with db.engine.begin() as connection:
        third = connection.execute(text("SELECT id FROM audit_entries ORDER BY id LIMIT 1 OFFSET 2")).scalar_one()
        _without_append_only_triggers(db, connection, "UPDATE audit_entries SET username = 'someone' WHERE id = :id",
                                      {"id": third})
    broken = log.verify(actors.supervisor)
    assert broken is not None and broken.entry_id == third and "changed" in broken.reason


def test_chain_detects_a_deleted_row(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(4):
        record(db, actors.teller1, AuditAction.LOGIN, clock=clock, detail={"n": n})
    with db.engine.begin() as connection:
        ids = connection.execute(text("SELECT id FROM audit_entries ORDER BY id")).scalars().all()
        _without_append_only_triggers(db, connection, "DELETE FROM audit_seals WHERE entry_id = :id;"
                                      "DELETE FROM audit_entries WHERE id = :id", {"id": ids[1]})
    broken = AuditLog(db, clock).verify(actors.supervisor)
    assert broken is not None and broken.entry_id == ids[2] and "removed" in broken.reason


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries"])
def test_the_database_refuses_update_and_delete(db, actors, clock, statement) -> None:  # type: ignore[no-untyped-def]
    record(db, actors.teller1, AuditAction.LOGIN, clock=clock)
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))


def test_concurrent_appends_keep_one_chain(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    def append(n: int) -> None:
        record(db, actors.teller1, AuditAction.REVEAL, clock=clock, detail={"n": n})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(append, range(80)))
    log = AuditLog(db, clock)
    assert len(log.entries(actors.supervisor, AuditFilter(action="reveal"))) == 80
    assert log.verify(actors.supervisor) is None


def _without_append_only_triggers(db, connection, statement: str, params: dict) -> None:  # type: ignore[no-untyped-def]
    """What an intruder with direct database access would do (entries and seals unprotected)."""
    if db.is_sqlite:
        for table in ("audit_entries", "audit_seals"):
            connection.execute(text(f"DROP TRIGGER {table}_no_update"))
            connection.execute(text(f"DROP TRIGGER {table}_no_delete"))
    else:
        connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        connection.execute(text("ALTER TABLE audit_seals DISABLE TRIGGER USER"))
    for one in statement.split(";"):
        connection.execute(text(one), params)
