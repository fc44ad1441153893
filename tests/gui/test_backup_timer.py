"""The GUI app's scheduled daily backup: taken at start when due, once a day, old ones pruned."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.settings import Settings
from app.services.registry import Services
from ui.backup_timer import ScheduledBackups


def test_daily_backup_at_start_then_not_again_today(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    settings = Settings(tmp_path / "settings.toml", environ={})
    settings.set("backup.dir", str(tmp_path / "daily"))
    settings.set("backup.keep_days", 2)
    (tmp_path / "daily").mkdir()
    stale = tmp_path / "daily" / f"gui-daily-{(datetime.now() - timedelta(days=10)).strftime('%Y%m%d')}-080000.sqlite3"
    stale.write_bytes(b"")
    backups = ScheduledBackups(Services(db, settings), interval_ms=50)
    try:
        with qtbot.waitSignal(backups.done, timeout=10_000) as first:
            backups.start()
        assert first.args[0].created is not None and first.args[0].created.parent == tmp_path / "daily"
        assert first.args[0].pruned == (stale,) and not stale.exists()
        with qtbot.waitSignal(backups.done, timeout=10_000) as second:  # the next timer tick
            pass
        assert second.args[0].created is None
        assert len(list((tmp_path / "daily").glob("gui-daily-*.sqlite3"))) == 1
    finally:
        backups.stop()
