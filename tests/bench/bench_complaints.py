"""Benchmark: the complaints register at a busy branch's size, on a temp SQLite file.

Run either way (not collected by default: file name bench_*.py):

    python tests/bench/bench_complaints.py
    python -m pytest tests/bench/bench_complaints.py -s

Seeds N complaints over a year (inserted directly, one transaction), then times what the
screens and reports do: the filtered list (all / overdue / due within 3 days), the
dashboard counts, one submission (reference number upsert + event), and the monthly
analysis as figures, PDF and CSV. Prints figures; never asserts on wall-clock time.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.db.models import Complaint, ComplaintSequence  # noqa: E402
from app.domain.complaints_vocab import BUSINESSES, CATEGORIES, CHANNELS, REASONS, SEVERITIES  # noqa: E402
from app.services.actor import SYSTEM  # noqa: E402
from app.services.bootstrap import prepare_database, seed_demo  # noqa: E402
from app.services.complaint_analysis import ComplaintAnalysis  # noqa: E402
from app.services.complaint_reads import ComplaintFilter, ComplaintReads  # noqa: E402
from app.services.complaints import ComplaintService  # noqa: E402

N = 5_000
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
STATES = ["received", "accepted", "investigating", "decided", "reply_sent", "closed", "closed", "closed"]


def timed(label: str, runs: int, work) -> None:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"{label:<34} p50 {statistics.median(samples):8.1f} ms   max {samples[-1]:8.1f} ms   ({runs} runs)")


def seed(db, branch_id: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    with db.write() as session:
        for n in range(1, N + 1):
            received = date(2026, 11, 23) - timedelta(days=rng.randrange(365))
            status = rng.choice(STATES)
            decided = received + timedelta(days=rng.randrange(1, 25)) if status not in STATES[:3] else None
            session.add(Complaint(
                branch_id=branch_id, reference=f"TS-{received.year}-{n:05d}", status=status,
                intake="in_person", channel=rng.choice(CHANNELS.codes()), business=rng.choice(BUSINESSES.codes()),
                reason=rng.choice(REASONS.codes()), category=rng.choice(CATEGORIES.codes()),
                severity=rng.choice(SEVERITIES.codes()), complainant_kind="individual", complainant_name="张三",
                complainant_contact="13812341234", request="要求", facts="事实", attachments="[]",
                received_on=received, clock_start=received, extensions=0, due_on=received + timedelta(days=15),
                decided_on=decided, created_at=NOW, updated_at=NOW))
        for year in (2025, 2026):
            session.add(ComplaintSequence(branch_id=branch_id, year=year, last_number=N))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = prepare_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        branch = seed_demo(db)
        start = time.perf_counter()
        seed(db, branch.id)
        print(f"seeded {N} complaints in {time.perf_counter() - start:.1f} s (SQLite)")
        reads = ComplaintReads(db, clock=lambda: NOW)
        service = ComplaintService(db, clock=lambda: NOW)
        analysis = ComplaintAnalysis(db, "银行", clock=lambda: NOW)
        timed("list all", 10, lambda: reads.list(SYSTEM, branch.id))
        timed("list overdue", 20, lambda: reads.list(SYSTEM, branch.id, ComplaintFilter(overdue=True)))
        timed("list due within 3 days", 20, lambda: reads.list(SYSTEM, branch.id, ComplaintFilter(due_within_days=3)))
        timed("dashboard counts", 50, lambda: reads.dashboard_counts(branch.id))
        from tests.integration.complaint_helpers import walk_in_entry

        timed("submit one", 20, lambda: service.submit(SYSTEM, branch.id, walk_in_entry()))
        timed("monthly analysis (figures)", 10, lambda: analysis.monthly(SYSTEM, branch.id, 2026, 10))
        timed("monthly analysis (PDF)", 5, lambda: analysis.pdf(SYSTEM, branch.id, 2026, 10))
        timed("monthly analysis (CSV)", 5, lambda: analysis.csv(SYSTEM, branch.id, 2026, 10))
        db.dispose()


def test_bench() -> None:
    main()


if __name__ == "__main__":
    main()
