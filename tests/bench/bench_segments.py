"""Benchmark: counting a segment over 1,000,000 customers of one branch (issue #19).

    python tests/bench/bench_segments.py [COUNT]          # COUNT defaults to 1,000,000
    BENCH_DATABASES=sqlite,postgresql python tests/bench/bench_segments.py

The customers of tests/bench/bench_tiers.py (written straight into the table), then
app/services/customers/segments.Segments.count for a few filters, 20 times each. Prints p50 /
p95 in ms (target p95 < 500 ms); never asserts on wall-clock time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.db.engine import Database
from app.services.actor import SYSTEM
from app.services.branches import create_branch
from app.services.customers.segments import SegmentFilter, Segments
from app.services.customers.service import CustomerService
from tests.bench.bench_tiers import on_each_database, seed

RUNS = 20
FILTERS = {
    "everyone": SegmentFilter(),
    "gold and above": SegmentFilter(tiers=("gold", "platinum", "diamond")),
    "compliance watch or risk": SegmentFilter(compliance=("watch", "risk")),
    "dormant 180 days": SegmentFilter(dormant_days=180),
    "review due": SegmentFilter(review_due=True),
}


def bench(db: Database, label: str, count: int) -> None:
    branch = create_branch(db, SYSTEM, code="BENCH", name="基准支行")
    seed(db, branch.id, count)
    segments = Segments(CustomerService(db))
    for name, where in FILTERS.items():
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            found = segments.count(SYSTEM, branch.id, where)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{label}: {name}: {found:,} customers — p50 {statistics.median(times):.0f} ms, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms")


def run(count: int) -> None:
    on_each_database(bench, count)


def test_bench_segments() -> None:
    print()
    run(int(os.environ.get("BENCH_CUSTOMERS", "1000000")))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
