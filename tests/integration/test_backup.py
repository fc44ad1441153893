"""Backups of SQLite installs: consistent under concurrent writes, verified restore, the daily schedule."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.db.models import Ticket
from app.domain.errors import PermissionDenied
from app.services.actor import SYSTEM
from app.services.audit import AuditFilter, AuditLog
from app.services.backup import BackupNeedsSqlite, BackupService, NotABackup
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo
from app.services.queue import QueueService
from tests.integration.test_cli import Cli


@pytest.fixture
def live(tmp_path):  # type: ignore[no-untyped-def]
    db = prepare_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    branch = seed_demo(db)
    yield db, branch
    db.dispose()


def _tickets(path) -> list[str]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [f"{prefix}{number:03d}" for prefix, number in
                connection.execute("SELECT prefix, number FROM tickets ORDER BY id")]
    finally:
        connection.close()


def test_backup_while_another_thread_issues_tickets(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, branch = live
    queue = QueueService(db)
    issued: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set() and len(issued) < 900:  # the prefix has 999 numbers a day
                issued.append(queue.issue_ticket(SYSTEM, branch.id, "deposit_withdrawal").number)
                stop.wait(0.002)  # a busy branch, not a tight loop that starves the backup
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    service = BackupService(db)
    copies = []
    try:
        while len(issued) < 10 and thread.is_alive():
            threading.Event().wait(0.01)
        for _ in range(3):
            copies.append(service.backup(SYSTEM, tmp_path / "backups"))
            before = len(issued)
            while len(issued) < before + 5 and thread.is_alive():
                threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    assert len(issued) < 900, "the backups were not taken while the writer was still writing"
    seen = []
    for copy in copies:
        numbers = _tickets(copy)
        # A consistent prefix of what was committed: no gaps, no half-written ticket.
        assert numbers == issued[:len(numbers)] and len(numbers) >= 10
        seen.append(len(numbers))
    assert seen == sorted(seen)
    assert len(AuditLog(db).entries(SYSTEM, AuditFilter(action="backup"))) == 3


def test_restore_is_verified_and_audited(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, branch = live
    queue = QueueService(db)
    first = queue.issue_ticket(SYSTEM, branch.id, "loan").number
    service = BackupService(db)
    copy = service.backup(SYSTEM, tmp_path / "b")
    queue.issue_ticket(SYSTEM, branch.id, "loan")  # after the backup: gone after the restore
    previous = service.restore(SYSTEM, copy, safety_dir=tmp_path / "safety")
    assert _tickets(db.sqlite_path) == [first]
    assert len(_tickets(previous)) == 2  # the replaced database was kept
    with db.read() as session:  # the same Database object keeps working after the restore
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    [entry] = AuditLog(db).entries(SYSTEM, AuditFilter(action="restore"))
    assert entry.target_id == copy.name and entry.detail["previous"] == str(previous)
    assert AuditLog(db).verify(SYSTEM) is None


def test_restore_refuses_what_is_not_a_branchdesk_database(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, branch = live
    service = BackupService(db)
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("hello")
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE x (a)")
    connection.commit()
    connection.close()
    corrupt = tmp_path / "corrupt.sqlite3"
    good = service.backup(SYSTEM, tmp_path / "b")
    data = bytearray(good.read_bytes())
    data[4096 * 2: 4096 * 2 + 200] = b"\xff" * 200  # scribble over a page of the table b-trees
    corrupt.write_bytes(bytes(data))
    for bad, words in ((text_file, "not a SQLite"), (other, "tables are missing"), (tmp_path / "none", ""),
                       (corrupt, "")):
        with pytest.raises(NotABackup) as caught:
            service.restore(SYSTEM, bad)
        assert words in caught.value.message
    assert _tickets(db.sqlite_path) == []  # untouched


def test_only_a_supervisor_backs_up_and_postgresql_is_refused(db, actors, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = BackupService(db)
    for who in (actors.teller1, actors.lobby):
        with pytest.raises(PermissionDenied):
            service.backup(who, tmp_path)
        with pytest.raises(PermissionDenied):
            service.restore(who, tmp_path / "x.sqlite3")
    if db.is_sqlite:
        assert service.backup(actors.supervisor, tmp_path).exists()
    else:
        with pytest.raises(BackupNeedsSqlite):
            service.backup(actors.supervisor, tmp_path)


def test_scheduled_backup_once_a_day_and_pruned(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _branch = live
    out = tmp_path / "daily"
    out.mkdir()
    now = datetime.now()
    old = [out / f"live-daily-{(now - timedelta(days=d)).strftime('%Y%m%d')}-010000.sqlite3" for d in (1, 5, 9)]
    manual = out / f"live-manual-{(now - timedelta(days=30)).strftime('%Y%m%d')}-010000.sqlite3"
    for path in (*old, manual):
        path.write_bytes(b"")
    service = BackupService(db)
    result = service.run_scheduled(out, keep_days=5, now=now)
    assert result.created is not None and result.created.exists()
    assert set(result.pruned) == {old[1], old[2]}
    assert old[0].exists() and manual.exists()
    assert service.run_scheduled(out, keep_days=5, now=now).created is None  # already done today


def test_cli_backup_and_restore(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)
    cli.ok("demo")
    cli.ok("ticket", "issue", "--business", "loan")
    made = cli.json("backup", "--out", str(tmp_path / "out"))
    cli.ok("ticket", "issue", "--business", "loan")
    restored = cli.json("restore", made["file"])
    assert restored["restored"] == made["file"]
    assert [t["number"] for t in cli.json("ticket", "list")] == ["C001"]
    (tmp_path / "junk.sqlite3").write_text("junk")
    assert "not a BranchDesk database backup" in cli.refused("restore", str(tmp_path / "junk.sqlite3"))
    assert cli.json("audit", "list", "--action", "restore")[0]["target_id"] == made["file"].rsplit("/", 1)[-1]


def test_cli_restore_as_a_user_needs_the_backup_permission(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BRANCHDESK_PASSWORD", DEMO_PASSWORD)
    cli = Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)
    cli.ok("demo")
    made = cli.json("backup", "--out", str(tmp_path / "out"))
    cli.ok("ticket", "issue", "--business", "loan")
    assert "may not" in cli.refused("restore", made["file"], "--as", "teller1")
    assert [t["number"] for t in cli.json("ticket", "list")] == ["C001"]  # not rolled back
    assert cli.json("audit", "list", "--action", "permission_denied")[0]["username"] == "teller1"
    monkeypatch.setenv("BRANCHDESK_PASSWORD", "wrong-password-1")
    assert "password" in cli.refused("restore", made["file"], "--as", "supervisor").lower()
    monkeypatch.setenv("BRANCHDESK_PASSWORD", DEMO_PASSWORD)
    cli.ok("restore", made["file"], "--as", "supervisor")
    assert cli.json("ticket", "list") == []
    assert cli.json("audit", "list", "--action", "restore")[0]["username"] == "supervisor"


def test_restore_refuses_a_backup_whose_audit_triggers_were_dropped(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _branch = live
    service = BackupService(db)
    copy = service.backup(SYSTEM, tmp_path / "backups")
    connection = sqlite3.connect(copy)
    connection.execute("DROP TRIGGER audit_entries_no_update")  # to edit the log in the backup, then restore it
    connection.commit()
    connection.close()
    with pytest.raises(NotABackup, match="protecting triggers are missing"):
        service.restore(SYSTEM, copy, safety_dir=tmp_path / "safety")


def test_cli_restore_then_verify_is_intact(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The restored log ends before the head this workstation kept: the head starts again from it."""
    cli = Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)
    cli.ok("demo")
    made = cli.json("backup", "--out", str(tmp_path / "backups"))
    cli.ok("audit", "export", "--out", str(tmp_path / "a.csv"))  # sealed entries after the backup
    cli.ok("restore", made["file"])
    assert cli.json("audit", "verify")["intact"] is True
