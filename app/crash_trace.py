"""A window that dies leaves a trace, and the next start says so.

Two parts, both plain Python (the GUI enables them in ``ui.main`` and ``ui.workstation_start``):

- :func:`trace_faults_into_log`: ``faulthandler`` writes the Python stack of every thread into
  the day's log file when the interpreter aborts (``Fatal Python error``, a segfault in Qt).
  Without it such a death leaves nothing in the log, only a line on a stderr nobody reads.
  ``app.logging_setup`` re-points it at the new file when the log rolls over at midnight.
- :class:`SessionMarker`: each GUI process keeps a small file ``session-<role>-<pid>.json``
  in the log folder while it runs, with its start and a heartbeat every half minute, and
  removes it on a clean exit. A marker left behind by a process that is gone is a session that
  ended abnormally; the next start of that role logs when (the last heartbeat) and removes it.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

#: How often a running session marks that it is alive.
HEARTBEAT_SECONDS = 30
#: Where a process cannot be asked whether it still runs (Windows), a marker this much older
#: than its last heartbeat belongs to a session that is gone.
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


def trace_faults_into(stream: IO[str]) -> None:
    """Fatal errors of the interpreter write every thread's stack into ``stream``."""
    faulthandler.enable(file=stream, all_threads=True)


@dataclass(frozen=True)
class AbnormalEnd:
    """A session of this role that did not end cleanly."""

    role: str
    pid: int
    started: datetime
    last_seen: datetime
    version: str

    def describe(self) -> str:
        return (f"the previous {self.role} session (pid {self.pid}, BranchDesk {self.version}, started "
                f"{self.started:%Y-%m-%d %H:%M:%S}) ended abnormally after {self.last_seen:%Y-%m-%d %H:%M:%S}")


def _process_is_running(pid: int) -> bool | None:
    """True/False where the system can tell without side effects; None where it cannot."""
    if sys.platform == "win32":
        return None  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process has the number now
        return True
    return True


class SessionMarker:
    def __init__(self, directory: Path, role: str, version: str, *,
                 now: Callable[[], datetime] = datetime.now, pid: int | None = None) -> None:
        self.directory, self.role, self.version = directory, role, version
        self._now = now
        self.pid = os.getpid() if pid is None else pid
        self.started = now()
        self.path = directory / f"session-{role}-{self.pid}.json"

    def begin(self) -> list[AbnormalEnd]:
        """Note the sessions of this role that ended abnormally (and forget them); start ours."""
        ended = [end for end in (self._read(path) for path in self._others()) if end is not None]
        for end in ended:
            log.warning("%s; a fault trace, if any, is in the log file", end.describe())
        self.beat()
        return ended

    def beat(self) -> None:
        """Record that this session is alive (a timer calls this every HEARTBEAT_SECONDS)."""
        record = {"role": self.role, "pid": self.pid, "version": self.version,
                  "started": self.started.isoformat(), "last_seen": self._now().isoformat()}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(record), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            log.warning("could not write the session marker %s", self.path, exc_info=True)

    def end(self) -> None:
        """A clean exit: nothing to report next time."""
        self.path.unlink(missing_ok=True)

    def _others(self) -> list[Path]:
        return [path for path in sorted(self.directory.glob(f"session-{self.role}-*.json")) if path != self.path]

    def _read(self, path: Path) -> AbnormalEnd | None:
        """The session behind ``path`` if it is over without having ended cleanly."""
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            end = AbnormalEnd(role=str(record["role"]), pid=int(record["pid"]),
                              started=datetime.fromisoformat(record["started"]),
                              last_seen=datetime.fromisoformat(record["last_seen"]), version=str(record["version"]))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable session marker %s", path, exc_info=True)
            path.unlink(missing_ok=True)
            return None
        running = _process_is_running(end.pid)
        if running is None:
            running = self._now() - end.last_seen < STALE_AFTER
        if running:
            return None  # another window of the same role is open on this PC
        path.unlink(missing_ok=True)
        return end
