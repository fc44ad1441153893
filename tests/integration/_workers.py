"""Code run in child processes by the concurrency tests (spawn: importable, and light —
it imports the app, not pytest or the test modules)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def issue_in_process(url: str, branch_id: int, business_code: str, count: int, now_iso: str,
                     start: Any, results: Any) -> None:
    """Open an own Database on ``url``, wait at the barrier ``start``, issue ``count`` tickets.

    Puts ``(pid, [numbers...])`` or ``(pid, "error: ...")`` on the ``results`` queue."""
    import os

    from app.db.engine import Database
    from app.services.actor import SYSTEM
    from app.services.queue import QueueService

    now = datetime.fromisoformat(now_iso)
    db = Database(url)
    try:
        service = QueueService(db, clock=lambda: now)
        with db.read():  # connect before the start line, so the race is about issuing only
            pass
        start.wait(timeout=60)
        numbers = [service.issue_ticket(SYSTEM, branch_id, business_code).number for _ in range(count)]
        results.put((os.getpid(), numbers))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put((os.getpid(), f"error: {exc!r}"))
    finally:
        db.dispose()


def issue_until_killed(url: str, branch_id: int, business_code: str) -> None:
    """Issue tickets one after another for ever, printing each number once its transaction has
    committed; the parent kills the process with SIGKILL at an arbitrary moment."""
    import sys

    from app.db.engine import Database
    from app.services.actor import SYSTEM
    from app.services.queue import QueueService

    db = Database(url)
    service = QueueService(db)
    print("READY", flush=True)
    while True:
        number = service.issue_ticket(SYSTEM, branch_id, business_code).number
        sys.stdout.write(f"ISSUED {number}\n")
        sys.stdout.flush()
