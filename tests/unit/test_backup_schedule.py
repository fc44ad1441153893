"""Daily backup rules: due once a calendar day; older than N days pruned, the newest kept."""

from __future__ import annotations

from datetime import datetime

from app.domain.backup_schedule import backup_time, is_due, to_prune


def name(stamp: str, label: str = "daily") -> str:
    return f"branchdesk-{label}-{stamp}.sqlite3"


def test_backup_time_reads_only_its_label() -> None:
    assert backup_time(name("20261123-083000")) == datetime(2026, 11, 23, 8, 30)
    assert backup_time(name("20261123-083000", "manual")) is None
    assert backup_time(name("20261123-083000", "before-0007")) is None
    assert backup_time("branchdesk-daily-20261399-000000.sqlite3") is None
    assert backup_time("notes.txt") is None


def test_due_once_per_calendar_day() -> None:
    now = datetime(2026, 11, 23, 9, 0)
    assert is_due([], now)
    assert is_due([name("20261122-235959")], now)
    assert not is_due([name("20261123-000001")], now)
    assert is_due([name("20261123-000001", "manual")], now)  # a manual backup does not replace the daily one


def test_prune_keeps_n_days_and_the_newest() -> None:
    now = datetime(2026, 11, 23, 9, 0)
    files = [name(f"202611{day:02d}-080000") for day in range(10, 24)] + [name("20261101-080000", "manual")]
    pruned = to_prune(files, now, keep_days=3)
    assert pruned == [name(f"202611{day:02d}-080000") for day in range(10, 21)]  # 21, 22, 23 stay
    assert to_prune(files, now, keep_days=30) == []
    # However old, the newest daily backup is never removed.
    assert to_prune([name("20250101-080000")], now, keep_days=1) == []
    assert to_prune([name("20250101-080000"), name("20250102-080000")], now, keep_days=1) == [name("20250101-080000")]
