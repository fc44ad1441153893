"""Benchmark: checklist templates and runs on a temp SQLite file.

Not collected by default (file name bench_*.py). Run either way:

    python -m pytest tests/bench/bench_checklists.py -s
    python tests/bench/bench_checklists.py

Prints median and p95 in ms for: parsing + validating all shipped templates, completing one step
(a write transaction re-reading the run), and the finish guard on a 12-step run. Never asserts on
wall-clock time. Target: a step < 30 ms, so the pane never lags behind the teller.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select

from app.db.models import Ticket
from app.domain.checklist_templates import parse_template
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo
from app.services.checklist_state import require_checklist_complete
from app.services.checklist_templates import template_files
from app.services.checklists import ChecklistService
from app.services.queue import QueueService

RUNS = 30


def _timed(fn: Callable[[], object], times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{name:<44} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   (n={len(ordered)})")


def run_benchmark() -> None:
    files = template_files()
    texts = [(path.read_text(encoding="utf-8"), path.name) for path in files]
    _report(f"parse + validate {len(files)} templates", _timed(lambda: [parse_template(t, n) for t, n in texts], 50))

    with tempfile.TemporaryDirectory() as tmp:
        db = prepare_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        branch = seed_demo(db)
        lobby, teller = (authenticate(db, name, DEMO_PASSWORD) for name in ("lobby", "teller1"))
        queue, checklists = QueueService(db), ChecklistService(db)
        step_times: list[float] = []
        guard_times: list[float] = []
        answers = {"assessment_date": None, "customer_risk": "C4", "product_code": "WM-1", "product_risk": "R3",
                   "amount": "50000", "recording_id": "SL000001", "staff_qualification": "AFP-1"}
        for _ in range(RUNS):
            queue.issue_ticket(lobby, branch.id, "wealth")
            ticket = queue.call_next(teller, branch.id, 1)
            queue.start(teller, branch.id, 1)
            run = checklists.start_run(teller, ticket.id, facts={"customer_age": 40})
            today = queue.clock().date().isoformat()
            while run.current_step is not None:
                step_id = run.current_step
                value = today if step_id == "assessment_date" else answers.get(step_id)
                started = time.perf_counter()
                run = checklists.complete_step(teller, run.id, step_id, value)
                step_times.append((time.perf_counter() - started) * 1000)
            with db.read() as session:
                row = session.scalar(select(Ticket).where(Ticket.id == ticket.id))
                guard_times.extend(_timed(lambda: require_checklist_complete(session, row), 5))
            queue.finish(teller, branch.id, 1)
        _report("complete one step (write + re-read run)", step_times)
        _report("finish guard on a complete wealth run", guard_times)
        db.dispose()


def test_checklist_benchmark() -> None:
    run_benchmark()


if __name__ == "__main__":
    run_benchmark()
