"""Benchmark: recomputing the tiers of 1,000,000 customers of one branch (issue #19).

    python tests/bench/bench_tiers.py [COUNT]            # COUNT defaults to 1,000,000
    BENCH_DATABASES=sqlite,postgresql python tests/bench/bench_tiers.py 200000

Customers are written straight into the table (random bands and grades, scores and tiers as
the old thresholds gave them; encryption is not what is measured here), then
app/services/customers/tiers.TierRecompute runs with new thresholds — the count of moves and
the one set-based UPDATE, in one transaction — and once more with nothing to change. Prints
figures (target on SQLite: < 60 s for 1,000,000); never asserts on wall-clock time.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert

from app.db.engine import Database
from app.db.models import Customer
from app.domain.tiers import Band, CreditGrade, TierPolicy, composite_score, tier_for
from app.services.actor import SYSTEM
from app.services.branches import create_branch
from app.services.customers.service import CustomerService
from app.services.customers.tiers import TierRecompute
from tests.bench.bench_queue import postgres_database, postgres_server, sqlite_database

DATABASES = os.environ.get("BENCH_DATABASES", "sqlite").lower().split(",")
CHUNK = 50_000


def seed(db: Database, branch_id: int, count: int) -> None:
    rng = random.Random(19)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    bands, grades = list(Band), list(CreditGrade)
    for start in range(0, count, CHUNK):
        rows = []
        for n in range(start, min(count, start + CHUNK)):
            asset, activity, credit = rng.choice(bands), rng.choice(bands), rng.choice(grades)
            score = composite_score(asset, activity, credit)
            rows.append(dict(id=n + 1, branch_id=branch_id, kind="individual", name=f"客户{n}", id_type="resident_id",
                             id_cipher="x", id_index=f"i{n}", id_masked="110101********0000", consent=True,
                             asset_band=asset.value, activity_band=activity.value, credit_grade=credit.value,
                             score=score, tier=tier_for(score).value, compliance="compliant", created_at=now))
        with db.write() as session:
            session.execute(insert(Customer), rows)


def bench(db: Database, label: str, count: int) -> None:
    branch = create_branch(db, SYSTEM, code="BENCH", name="基准支行")
    start = time.perf_counter()
    seed(db, branch.id, count)
    print(f"{label}: {count:,} customers written in {time.perf_counter() - start:,.1f} s")
    recompute = TierRecompute(CustomerService(db))
    for policy, what in ((TierPolicy(45, 70, 95), "new thresholds"), (TierPolicy(45, 70, 95), "nothing to change")):
        start = time.perf_counter()
        moves = recompute.run(SYSTEM, branch.id, policy)
        print(f"{label}: recompute ({what}) {time.perf_counter() - start:,.1f} s — {moves.customers:,} customers, "
              f"{moves.up:,} up, {moves.down:,} down, {moves.rescored:,} rewritten")


def on_each_database(measure: Callable[[Database, str, int], None], count: int) -> None:
    """Run ``measure(db, label, count)`` on a fresh database of each kind in BENCH_DATABASES."""
    if "sqlite" in DATABASES:
        with sqlite_database() as db:
            measure(db, "SQLite", count)
    if "postgresql" in DATABASES:
        with postgres_server() as admin_uri, postgres_database(admin_uri) as db:
            measure(db, "PostgreSQL", count)


def run(count: int) -> None:
    on_each_database(bench, count)


def test_bench_tiers() -> None:
    print()
    run(int(os.environ.get("BENCH_CUSTOMERS", "1000000")))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
