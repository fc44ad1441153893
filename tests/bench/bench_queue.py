"""Benchmark: queue calling under load, and how fast the calling display sees a call.

Run either way (not collected by default: file name bench_*.py):

    python tests/bench/bench_queue.py
    python -m pytest tests/bench/bench_queue.py -s

Starts its own PostgreSQL (pgserver, in a fresh temp dir) and uses a temp SQLite file.
Prints figures; never asserts on wall-clock time.

1. call_next latency: 2,000 waiting tickets of mixed types and priorities, 12 counters,
   12 threads calling at once (call_next, then finish), each making CALLS_PER_COUNTER
   calls, so at least ~1,700 tickets wait throughout. Reported: p50 / p99 / max of call_next
   (and of finish) in ms, with every counter serving every type (each call weighs all
   waiting tickets) and with overlapping 3–5-type matrices. Target: p99 < 30 ms on PostgreSQL.
   Then the same twelve counters calling at random moments (each about once a second, a dozen
   times the pace of a busy branch) instead of all at once: what a teller waits for in use.
   The waiting tickets are inserted directly (one transaction) to keep the set-up short.
2. Commit → display: app.events.make_watcher on the database (what the display's
   EventBridge uses; the bridge then adds up to 80 ms of burst coalescing, not counted);
   on each notification it runs ``calls_since(branch, last_id)``. For ~50 calls, the time
   from the call's commit (SQLAlchemy ``after_commit``) to the watcher thread holding the
   new notice. Targets: PostgreSQL (LISTEN/NOTIFY) < 300 ms; SQLite (PRAGMA data_version
   polled every 250 ms) < 1 s.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg
import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import BusinessType, Ticket
from app.domain.business_day import business_day
from app.domain.priority import PriorityClass
from app.domain.tickets import TicketStatus, format_ticket_number
from app.events import make_watcher
from app.services.actor import SYSTEM
from app.services.bootstrap import prepare_database
from app.services.branches import create_branch, list_business_types
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService

COUNTERS = 12
WAITING = 2000
CALLS_PER_COUNTER = 25
NOTICE_CALLS = 50
#: The paced run: each counter calls PACED_CALLS_PER_COUNTER times, on average PACED_GAP_S apart.
PACED_CALLS_PER_COUNTER = 20
PACED_GAP_S = 1.0
NOTICE_TIMEOUT_S = 5.0
#: 10:00 in Shanghai on a business day; a fixed clock keeps every ticket on one business day.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
PRIORITY_MIX = ([PriorityClass.NORMAL] * 12 + [PriorityClass.VIP_GOLD] * 3 + [PriorityClass.VIP_PLATINUM] * 2
                + [PriorityClass.VIP_DIAMOND, PriorityClass.APPOINTMENT, PriorityClass.GREEN])


# -- databases -------------------------------------------------------------------------------

@contextmanager
def postgres_server() -> Iterator[str]:
    """A private PostgreSQL; yields the libpq URI of its maintenance database.

    Data dir from tempfile.mkdtemp, not pytest's basetemp: pgserver runs postgres as an
    unprivileged user when we are root, and another pytest session re-tightening
    /tmp/pytest-of-<user> would pull the directory from under the running server."""
    datadir = Path(tempfile.mkdtemp(prefix="branchdesk-bench-pg-"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pgserver asks platformdirs for a runtime dir
            import pgserver

            server = pgserver.get_server(datadir, cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(datadir, ignore_errors=True)


@contextmanager
def postgres_database(admin_uri: str) -> Iterator[Database]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_uri, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_uri).set(drivername="postgresql+psycopg", database=name)
    db = prepare_database(url.render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with psycopg.connect(admin_uri, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def sqlite_database() -> Iterator[Database]:
    folder = Path(tempfile.mkdtemp(prefix="branchdesk-bench-sqlite-"))
    db = prepare_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    try:
        yield db
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


# -- set-up ----------------------------------------------------------------------------------

def overlapping_matrices(codes: list[str]) -> dict[int, list[MatrixEntry]]:
    """3 to 5 types per counter, every type covered (as in test_concurrency_matrix.py)."""
    matrices = {}
    for i in range(COUNTERS):
        offsets = [0, 1, 3] + ([5] if i % 2 == 0 else []) + ([7] if i % 3 == 0 else [])
        matrices[i + 1] = [MatrixEntry(codes[(i + offset) % len(codes)], 0 if p == 0 else 1 + p // 2)
                           for p, offset in enumerate(offsets)]
    return matrices


def new_branch(db: Database, code: str, counters: int, matrices: dict[int, list[MatrixEntry]] | None = None) -> int:
    branch = create_branch(db, SYSTEM, code=code, name=f"基准支行 {code}", counters=counters)
    desk = CounterDesk(db, clock=lambda: NOW)
    for number, entries in (matrices or {}).items():
        desk.set_matrix(SYSTEM, branch.id, number, entries)
    return branch.id


def fill_queue(db: Database, branch_id: int, count: int, seed: int = 1) -> None:
    """``count`` waiting tickets of all types, mixed priorities, arrived over the last ~17 minutes."""
    rng = random.Random(seed)
    with db.write() as session:
        types = list(session.scalars(select(BusinessType).where(BusinessType.active)
                                     .order_by(BusinessType.sort_order)))
        day = business_day(NOW, "Asia/Shanghai")
        numbers: Tally[str] = Tally()
        for i in range(count):
            bt = types[i % len(types)]
            numbers[bt.prefix] += 1
            at = NOW - timedelta(seconds=(count - i) / 2)
            session.add(Ticket(branch_id=branch_id, business_type_id=bt.id, business_day=day, prefix=bt.prefix,
                               number=numbers[bt.prefix],
                               display_number=format_ticket_number(bt.prefix, numbers[bt.prefix]),
                               status=TicketStatus.WAITING.value, issued_at=at, call_count=0,
                               priority=rng.choice(PRIORITY_MIX).value, arrival_at=at, queued_at=at, segment=1))
    if not db.is_sqlite:
        # What autovacuum's auto-analyze does on a live server once a table has grown: without
        # statistics the planner guesses one waiting ticket and picks nested loops.
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE tickets")


# -- figures -----------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(label: str, ms: list[float]) -> str:
    return (f"{label:<46} p50 {percentile(ms, 50):7.1f} ms   p99 {percentile(ms, 99):7.1f} ms   "
            f"max {max(ms):7.1f} ms   mean {statistics.fmean(ms):6.1f} ms   (n={len(ms)})")


# -- 1. call_next under load -------------------------------------------------------------

def call_latency(db: Database, label: str, matrices: dict[int, list[MatrixEntry]] | None,
                 callers: int = COUNTERS) -> list[str]:
    """``callers`` threads at counters 1..callers calling at once; COUNTERS x CALLS_PER_COUNTER calls in all."""
    per_caller = CALLS_PER_COUNTER * COUNTERS // callers
    branch_id = new_branch(db, f"L{uuid.uuid4().hex[:6]}", COUNTERS, matrices)
    fill_queue(db, branch_id, WAITING)
    queue = QueueService(db, clock=lambda: NOW)
    queue.call_next(SYSTEM, branch_id, 1)  # warm up the pool and the statement cache
    queue.finish(SYSTEM, branch_id, 1)
    barrier = threading.Barrier(callers)
    calls: list[float] = []
    finishes: list[float] = []
    empty = 0
    errors: list[BaseException] = []
    lock = threading.Lock()

    def counter(number: int) -> None:
        nonlocal empty
        mine_calls, mine_finishes, nothing = [], [], 0
        try:
            barrier.wait(timeout=60)
            for _ in range(per_caller):
                started = time.perf_counter()
                ticket = queue.call_next(SYSTEM, branch_id, number)
                mine_calls.append((time.perf_counter() - started) * 1000)
                if ticket is None:
                    nothing += 1
                    continue
                started = time.perf_counter()
                queue.finish(SYSTEM, branch_id, number)
                mine_finishes.append((time.perf_counter() - started) * 1000)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        with lock:
            calls.extend(mine_calls)
            finishes.extend(mine_finishes)
            empty += nothing

    threads = [threading.Thread(target=counter, args=(n,)) for n in range(1, callers + 1)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    left = len(queue.list_tickets(branch_id, status=TicketStatus.WAITING))
    return [summary(f"{db.dialect} call_next, {label}", calls),
            summary(f"{db.dialect} finish, {label}", finishes),
            f"{'':<46} {len(calls)} calls in {wall:.1f} s by {callers} thread(s) "
            f"({len(calls) / wall:.0f}/s); {empty} found nothing; {left} still waiting"]


def paced_call_latency(db: Database, label: str, mean_gap_s: float = PACED_GAP_S) -> list[str]:
    """COUNTERS threads, each calling at random moments (exponential gaps, mean ``mean_gap_s``),
    finishing at once: the branch calls far more often than a real one (12 counters serving a
    customer every 3 minutes make one call every 15 s), yet calls do not all start together."""
    branch_id = new_branch(db, f"P{uuid.uuid4().hex[:6]}", COUNTERS)
    fill_queue(db, branch_id, WAITING)
    queue = QueueService(db, clock=lambda: NOW)
    queue.call_next(SYSTEM, branch_id, 1)
    queue.finish(SYSTEM, branch_id, 1)
    calls: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def counter(number: int) -> None:
        rng = random.Random(number)
        mine = []
        try:
            for _ in range(PACED_CALLS_PER_COUNTER):
                time.sleep(rng.expovariate(1 / mean_gap_s))
                started = time.perf_counter()
                ticket = queue.call_next(SYSTEM, branch_id, number)
                mine.append((time.perf_counter() - started) * 1000)
                if ticket is not None:
                    queue.finish(SYSTEM, branch_id, number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        with lock:
            calls.extend(mine)

    threads = [threading.Thread(target=counter, args=(n,)) for n in range(1, COUNTERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [summary(f"{db.dialect} call_next, {label}", calls)]


# -- 2. commit -> the display sees the call ----------------------------------------------------

def commit_to_notice(db: Database, poll_ms: int = 250) -> list[str]:
    branch_id = new_branch(db, f"N{uuid.uuid4().hex[:6]}", 2)
    queue = QueueService(db, clock=lambda: NOW)
    for i in range(NOTICE_CALLS):
        queue.issue_ticket(SYSTEM, branch_id, ("loan", "wealth", "deposit_withdrawal")[i % 3])

    seen: dict[str, float] = {}
    arrived = threading.Condition()
    last_id = queue.latest_call_event_id(branch_id)

    def on_change(_topic: str, _committed_at: float | None) -> None:  # on the watcher's thread, as the display's refresh would
        nonlocal last_id
        notices = queue.calls_since(branch_id, last_id)
        now = time.perf_counter()
        if notices:
            last_id = notices[-1].event_id
            with arrived:
                for notice in notices:
                    seen.setdefault(notice.number, now)
                arrived.notify_all()

    connected = threading.Event()
    watcher = make_watcher(db, on_change, lambda up: connected.set() if up else None, branch_id=branch_id,
                           sqlite_poll_ms=poll_ms)
    caller = threading.get_ident()
    committed: list[float] = []

    def after_commit(_session: Session) -> None:
        if threading.get_ident() == caller:
            committed.append(time.perf_counter())

    event.listen(Session, "after_commit", after_commit)
    watcher.start()
    latencies: list[float] = []
    missed = 0
    rng = random.Random(7)
    try:
        if not connected.wait(10):
            raise RuntimeError("the change watcher did not connect")
        time.sleep(0.3)  # let the watcher's on-connect refresh pass
        for _ in range(NOTICE_CALLS):
            committed.clear()
            ticket = queue.call_next(SYSTEM, branch_id, 1)
            assert ticket is not None
            commit_at = committed[-1]
            with arrived:
                if not arrived.wait_for(lambda: ticket.number in seen, timeout=NOTICE_TIMEOUT_S):
                    missed += 1
            if ticket.number in seen:
                latencies.append((seen[ticket.number] - commit_at) * 1000)
            queue.finish(SYSTEM, branch_id, 1)
            time.sleep(rng.uniform(0.05, 0.3))  # calls come at no particular phase of the poll
    finally:
        watcher.stop()
        event.remove(Session, "after_commit", after_commit)
    how = "LISTEN/NOTIFY" if not db.is_sqlite else f"data_version poll {poll_ms} ms"
    lines = [summary(f"{db.dialect} commit -> display ({how})", latencies)]
    if missed:
        lines.append(f"{'':<46} {missed} calls not seen within {NOTICE_TIMEOUT_S} s")
    return lines


# -- run ---------------------------------------------------------------------------------

def run(emit: Callable[[str], None] = print) -> None:
    started = time.perf_counter()
    with postgres_server() as admin_uri:
        for kind, open_db in (("postgresql", lambda: postgres_database(admin_uri)), ("sqlite", sqlite_database)):
            with open_db() as db:
                codes = [bt.code for bt in list_business_types(db)]
                emit(f"-- {kind}: {WAITING} waiting, {COUNTERS} counters x {CALLS_PER_COUNTER} calls")
                for line in call_latency(db, "all types", None):
                    emit(line)
                for line in call_latency(db, "3-5 types each", overlapping_matrices(codes)):
                    emit(line)
                # The same call with nobody else calling: what one workstation waits for, without
                # the other eleven threads' turns on this process's GIL and the machine's cores.
                for line in call_latency(db, "all types, 1 caller alone", None, callers=1):
                    emit(line)
                for line in paced_call_latency(db, f"12 counters, calls ~{PACED_GAP_S:.0f} s apart each"):
                    emit(line)
                emit(f"-- {kind}: commit -> display, {NOTICE_CALLS} calls")
                for line in commit_to_notice(db):
                    emit(line)
    emit(f"(bench took {time.perf_counter() - started:.0f} s)")


@pytest.mark.bench
def test_bench_queue() -> None:
    print()
    run()


if __name__ == "__main__":
    run()
