"""Surviving outages: a PostgreSQL server that goes away and comes back under a running
service, and a SQLite writer killed with SIGKILL in the middle of its work."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.domain.errors import DatabaseUnavailable
from app.services.actor import SYSTEM
from app.services.audit import AuditLog
from app.services.bootstrap import prepare_database, seed_demo
from app.events import make_watcher
from app.services.counters import CounterDesk
from app.services.queue import QueueService
from tests.integration.test_events import Recorder

#: The change watcher is back within this long of the server (app/events.py RECONNECT_DELAY_MAX_S).
RECONNECT_WITHIN_S = 2.0

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_pg():  # type: ignore[no-untyped-def]
    """A PostgreSQL server of this test alone (stopping the shared one would break the others)."""
    datadir = Path(tempfile.mkdtemp(prefix="branchdesk-outage-pg-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(datadir, cleanup_mode="stop")
    yield server
    server.cleanup()
    shutil.rmtree(datadir, ignore_errors=True)


def _stop(server) -> None:  # type: ignore[no-untyped-def]
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


class ConnectionTimes(Recorder):
    """The watcher's reports, with an event for a lost connection too."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = threading.Event()

    def on_connection(self, connected: bool) -> None:
        super().on_connection(connected)
        (self.connected if connected else self.lost).set()
        if connected:
            self.lost.clear()
        else:
            self.connected.clear()


def test_postgresql_stopped_and_restarted_under_a_running_service(own_pg) -> None:  # type: ignore[no-untyped-def]
    admin = own_pg.get_uri()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute('CREATE DATABASE "outage"')
    url = make_url(admin).set(drivername="postgresql+psycopg", database="outage").render_as_string(
        hide_password=False)
    db = prepare_database(url)
    try:
        branch = seed_demo(db)
        queue = QueueService(db)
        assert queue.issue_ticket(SYSTEM, branch.id, "loan").number == "C001"
        states = ConnectionTimes()
        watcher = make_watcher(db, states.on_change, states.on_connection, branch_id=branch.id)
        watcher.start()
        assert states.connected.wait(5), "the change watcher did not connect"

        _stop(own_pg)
        assert states.lost.wait(5), "the change watcher did not notice the server going away"
        # Reads, writes, and a refused call whose audit entry cannot be written: all clean errors.
        with pytest.raises(DatabaseUnavailable) as caught:
            queue.issue_ticket(SYSTEM, branch.id, "loan")
        assert caught.value.code == "database_unavailable"
        with pytest.raises(DatabaseUnavailable):
            queue.list_tickets(branch.id)
        with pytest.raises(DatabaseUnavailable):
            CounterDesk(db).pause(SYSTEM, branch.id, 1, "break")
        with pytest.raises(DatabaseUnavailable):
            AuditLog(db).verify(SYSTEM)

        # Down for a while: the watcher keeps retrying (its back-off grows to the cap) and never
        # claims to be connected meanwhile.
        assert not states.connected.wait(4)
        own_pg.ensure_postgres_running()  # returns once the server accepts connections
        back = time.monotonic()
        reconnected = states.connected.wait(RECONNECT_WITHIN_S)
        print(f"change watcher reconnected {time.monotonic() - back:.2f} s after the server was back")
        assert reconnected, f"the change watcher was not back within {RECONNECT_WITHIN_S} s of the server"
        assert states.connection_states == [True, False, True]
        # The very next call works on a fresh connection; nothing of the failed calls was half-done.
        assert queue.issue_ticket(SYSTEM, branch.id, "loan").number == "C002"
        assert [t.number for t in queue.list_tickets(branch.id)] == ["C001", "C002"]
        assert AuditLog(db).verify(SYSTEM) is None
        watcher.stop()
    finally:
        db.dispose()


def test_kill_9_of_a_sqlite_writer_loses_no_committed_ticket(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    db = prepare_database(url)
    branch = seed_demo(db)
    db.dispose()
    rng = random.Random(20261123)
    reported: list[str] = []
    code = ("import sys; from tests.integration._workers import issue_until_killed; "
            "issue_until_killed(sys.argv[1], int(sys.argv[2]), 'deposit_withdrawal')")
    for _round in range(20):
        writer = subprocess.Popen([sys.executable, "-c", code, url, str(branch.id)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "READY"
        for _ in range(rng.randint(1, 12)):
            line = writer.stdout.readline().split()
            assert line[0] == "ISSUED", line
            reported.append(line[1])
        writer.send_signal(signal.SIGKILL)  # mid-transaction, mid-commit or in between: wherever it is
        rest = writer.stdout.read()  # what it had printed before it died also committed
        reported.extend(line.split()[1] for line in rest.splitlines() if line.startswith("ISSUED "))
        writer.wait(30)
        assert writer.returncode == -signal.SIGKILL

    connection = sqlite3.connect(tmp_path / "crash.sqlite3")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [f"{p}{n:03d}" for p, n in connection.execute("SELECT prefix, number FROM tickets")]
    finally:
        connection.close()
    assert len(stored) == len(set(stored))
    missing = set(reported) - set(stored)
    assert not missing, f"committed tickets lost: {sorted(missing)}"
    assert len(reported) >= 20


def test_a_postgresql_connection_bounds_how_long_a_lost_server_can_block(pg_url) -> None:  # type: ignore[no-untyped-def]
    """The pooled connections carry libpq's keepalives and TCP_USER_TIMEOUT (app/db/engine.py):
    a statement on a connection whose server vanished fails within PG_LOST_SERVER_S."""
    from app.db.engine import PG_LOST_SERVER_S, Database

    db = Database(pg_url)
    try:
        with db.engine.connect() as connection:
            parameters = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
        assert parameters["tcp_user_timeout"] == str(PG_LOST_SERVER_S * 1000)
        assert parameters["keepalives"] == "1" and int(parameters["keepalives_idle"]) <= 10
    finally:
        db.dispose()
