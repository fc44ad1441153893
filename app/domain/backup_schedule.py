"""The daily backup's rules, free of files and clocks: is one due, which old ones go.

Backup files are named ``<stem>-<label>-YYYYMMDD-HHMMSS.sqlite3`` (app/db/migrate.py,
local time of the workstation). Only files with the scheduled label are pruned: a backup
someone made by hand, or the one taken before a migration or a restore, stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

DAILY_LABEL = "daily"

_STAMP = re.compile(r"-(?P<label>[A-Za-z0-9_.]+)-(?P<stamp>\d{8}-\d{6})\.sqlite3$")


def backup_time(name: str, label: str = DAILY_LABEL) -> datetime | None:
    """When the backup file ``name`` was taken, if it is one with ``label``; else None."""
    match = _STAMP.search(name)
    if match is None or match.group("label") != label:
        return None
    try:
        return datetime.strptime(match.group("stamp"), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def is_due(names: Iterable[str], now: datetime) -> bool:
    """A daily backup is due when none was taken yet on ``now``'s calendar day."""
    return not any(taken.date() == now.date() for taken in _taken(names))


def to_prune(names: Iterable[str], now: datetime, keep_days: int) -> list[str]:
    """Daily backups older than ``keep_days`` days (by calendar day); the newest one always stays."""
    taken = sorted(((t, n) for n in names if (t := backup_time(n)) is not None), reverse=True)
    oldest_kept = now.date() - timedelta(days=max(keep_days, 1) - 1)
    return sorted(name for when, name in taken[1:] if when.date() < oldest_kept)


def _taken(names: Iterable[str]) -> list[datetime]:
    return [t for n in names if (t := backup_time(n)) is not None]
