"""Benchmark: what security costs — sign-in, the audit chain, backups (SQLite).

Run either way (not collected by default: file name bench_*.py):

    python tests/bench/bench_security.py [ENTRIES]
    python -m pytest tests/bench/bench_security.py -s

Uses a temp SQLite file; prints figures, never asserts on wall-clock time.

1. Sign-in at production Argon2 strength: ms per successful and per failed attempt (each
   also writes an audit entry and updates the counters).
2. Appending ENTRIES (default 5,000) audit entries one transaction each, then
   ``audit verify`` over the whole chain: entries per second.
3. Online backup of the resulting file while a thread keeps issuing tickets: seconds, MB.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from app.domain.errors import AuthenticationFailed
from app.services.actor import SYSTEM
from app.services.audit import AuditAction, AuditLog, record
from app.services.auth import authenticate
from app.services.backup import BackupService
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo
from app.services.queue import QueueService


def run(entries: int = 5000) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-security-") as tmp:
        db = prepare_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        branch = seed_demo(db)
        rounds = 10
        start = time.perf_counter()
        for _ in range(rounds):
            authenticate(db, "teller1", DEMO_PASSWORD)
        ok_ms = (time.perf_counter() - start) / rounds * 1000
        start = time.perf_counter()
        for _ in range(rounds):
            try:
                authenticate(db, "teller2", "wrong")
            except AuthenticationFailed:
                pass
            authenticate(db, "teller2", DEMO_PASSWORD)  # reset the counter: no lockout in the bench
        fail_ms = (time.perf_counter() - start) / rounds * 1000 - ok_ms
        print(f"sign-in: {ok_ms:.1f} ms successful, {fail_ms:.1f} ms failed (Argon2id, audited)")

        start = time.perf_counter()
        for n in range(entries):
            record(db, SYSTEM, AuditAction.REVEAL, target_type="customer", target_id=n, detail={"field": "phone"})
        append_s = time.perf_counter() - start
        start = time.perf_counter()
        assert AuditLog(db).verify(SYSTEM) is None
        verify_s = time.perf_counter() - start
        print(f"audit: {entries / append_s:,.0f} appends/s (one transaction each); "
              f"verify {entries / verify_s:,.0f} entries/s ({verify_s:.2f} s for {entries:,})")

        queue = QueueService(db)
        stop = threading.Event()

        def writer() -> None:
            while not stop.is_set():
                queue.issue_ticket(SYSTEM, branch.id, "deposit_withdrawal")
                stop.wait(0.005)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            start = time.perf_counter()
            copy = BackupService(db).backup(SYSTEM, Path(tmp) / "backups")
            backup_s = time.perf_counter() - start
        finally:
            stop.set()
            thread.join()
        print(f"backup under writes: {backup_s:.2f} s for {copy.stat().st_size / 1e6:.1f} MB (incl. integrity check)")
        db.dispose()


def test_bench_security() -> None:
    run(1000)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
