"""``customers import --workers 2`` killed with SIGKILL: its worker processes go with it, and
every customer it had committed is covered by the audit entry of its batch (both databases)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry, Customer
from tests.integration.customer_fixtures import resident_id

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40_000
#: How long the workers may outlive their parent (they used to stay for minutes).
GONE_WITHIN_S = 5.0

try:
    import psutil
except ImportError:  # pragma: no cover - the /proc reading below does the same on Linux
    psutil = None


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent pid, …), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def identity(pid: int) -> float | None:
    """When the running process ``pid`` started (tells it from a later one with the same number);
    None once it has ended (a zombie has ended too: only its exit status waits to be collected)."""
    if psutil is not None:
        try:
            process = psutil.Process(pid)
            return None if process.status() == psutil.STATUS_ZOMBIE else process.create_time()
        except psutil.NoSuchProcess:
            return None
    stat = _proc_stat(pid)
    return None if stat is None or stat[0] == "Z" else float(stat[19])


def spawned_workers(pid: int) -> list[int]:
    """The multiprocessing workers started by process ``pid`` (not its resource tracker)."""
    if psutil is not None:
        try:
            children = psutil.Process(pid).children()
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "spawn_main" in " ".join(child.cmdline()):
                    found.append(child.pid)
            except psutil.NoSuchProcess:
                pass
        return found
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (_proc_stat(int(entry.name)) or ["", ""])[1] == str(pid):
            try:
                if b"spawn_main" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def alive(workers: dict[int, float | None]) -> list[int]:
    """Those of ``workers`` (pid → :func:`identity` when first seen) still running."""
    return [pid for pid, started in workers.items() if started is not None and identity(pid) == started]


def kill_and_expect_the_workers_gone(parent: subprocess.Popen, workers: dict) -> None:  # type: ignore[type-arg]
    """kill -9 the parent; its workers must be gone within GONE_WITHIN_S."""
    parent.send_signal(signal.SIGKILL)
    parent.wait(30)
    gone_by = time.monotonic() + GONE_WITHIN_S
    while alive(workers) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not alive(workers), f"workers {alive(workers)} outlived their parent by {GONE_WITHIN_S} s"


def write_customers(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("name,id_type,id_number,phone,address\n")
        for n in range(count):
            birth = (date(1950, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
            out.write(f"客户{n},resident_id,{resident_id(birth=birth, sequence=f'{n % 1000:03d}')},"
                      f"138{n:08d},北京市东城区\n")
    return path


def committed(db: Database, after_id: int) -> list[int]:
    with db.read() as session:
        return sorted(session.scalars(select(Customer.id).where(Customer.id > after_id)))


def batch_coverage(db: Database) -> list[int]:
    with db.read() as session:
        details = [json.loads(d) for d in session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "import_batch"))]
    return sorted(cid for d in details for first, last in d["customer_ids"] for cid in range(first, last + 1))


def test_workers_die_with_a_killed_import_and_its_batches_stay_audited(demo_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write_customers(tmp_path / "big.csv", ROWS)
    db = Database(demo_cli.url)
    with db.read() as session:
        before = session.scalar(select(func.max(Customer.id))) or 0
    with open(tmp_path / "import.err", "wb") as err:
        parent = subprocess.Popen(
            [sys.executable, "-m", "app.cli.main", "customers", "import", str(source), "--workers", "2",
             "--batch-size", "500", "--database", demo_cli.url],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    workers: dict[int, float | None] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and parent.poll() is None:
            for pid in spawned_workers(parent.pid):
                workers.setdefault(pid, identity(pid))
            if len(workers) >= 2 and committed(db, before):
                break
            time.sleep(0.1)
        assert parent.poll() is None, "the import ended before it could be killed: " + \
            (tmp_path / "import.err").read_text(errors="replace")
        assert len(workers) >= 2 and committed(db, before), "no worker or no batch committed within two minutes"
        kill_and_expect_the_workers_gone(parent, workers)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(30)
        for pid in alive(workers):  # only the workers this test started
            os.kill(pid, signal.SIGKILL)
    try:
        stored = committed(db, before)
        assert 0 < len(stored) < ROWS, "the import was to be killed halfway"
        assert batch_coverage(db) == stored, "committed customers without the audit entry of their batch"
    finally:
        db.dispose()


_POOL_PARENT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from app.services.customers.import_workers import start_worker

guard = sys.argv[1]
pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                           initargs=(os.getpid(), guard == "kernel", guard == "watchdog"))
for started in [pool.submit(time.sleep, 0.5) for _ in range(2)]:  # two at once: both workers start
    started.result()
print(" ".join(map(str, pool._processes)), flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("guard", ["kernel", "watchdog"])
def test_each_guard_alone_ends_the_workers_of_a_killed_parent(guard: str) -> None:
    """PR_SET_PDEATHSIG (Linux) and the portable watchdog thread, each on its own."""
    if guard == "kernel" and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    parent = subprocess.Popen([sys.executable, "-c", _POOL_PARENT, guard], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    workers: dict[int, float | None] = {}
    try:
        assert parent.stdout is not None
        workers = {int(pid): identity(int(pid)) for pid in parent.stdout.readline().split()}
        assert len(workers) == 2 and all(workers.values())
        kill_and_expect_the_workers_gone(parent, workers)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(30)
        for pid in alive(workers):
            os.kill(pid, signal.SIGKILL)


def test_ctrl_c_ends_an_import_with_workers_in_one_line(demo_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write_customers(tmp_path / "big.csv", ROWS)
    db = Database(demo_cli.url)
    try:
        with db.read() as session:
            before = session.scalar(select(func.max(Customer.id))) or 0
        # A session of its own, so that Ctrl-C reaches the import and its workers, as from a terminal.
        parent = subprocess.Popen(
            [sys.executable, "-m", "app.cli.main", "customers", "import", str(source), "--workers", "2",
             "--batch-size", "500", "--database", demo_cli.url],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and parent.poll() is None and not committed(db, before):
                time.sleep(0.1)
            assert parent.poll() is None, "the import ended before Ctrl-C"
            os.killpg(parent.pid, signal.SIGINT)
            _out, err = parent.communicate(timeout=60)
        finally:
            if parent.poll() is None:
                os.killpg(parent.pid, signal.SIGKILL)
                parent.wait(30)
        assert parent.returncode == 130 and "Traceback" not in err, err
        assert err.splitlines()[-1].startswith("branchdesk-admin: import interrupted"), err
        assert batch_coverage(db) == committed(db, before)
    finally:
        db.dispose()
