"""Benchmark: importing 1,000,000 customers and searching them, on SQLite and PostgreSQL.

Run either way (not collected by default: file name bench_*.py):

    python tests/bench/bench_customers.py [COUNT]        # COUNT defaults to 1,000,000
    BENCH_CUSTOMERS=200000 python -m pytest tests/bench/bench_customers.py -s

Starts its own PostgreSQL (pgserver, fresh temp dir) and uses a temp SQLite file. Prints
figures; never asserts on wall-clock time.

1. Import: a generated CSV (app/services/customers/demo.py: valid ID numbers, mobiles, a
   third with a card) through the real import path — CSV parsing, validation, AES-GCM
   encryption and blind indexes of ID/phone/card, the name index (FTS5 row on SQLite, name
   grams on PostgreSQL), per-batch duplicate check, one transaction per batch of
   IMPORT_BATCH rows (default 50,000, ``BENCH_IMPORT_BATCH``; the app's setting
   ``customers.import_batch_size`` defaults to 1,000: a larger batch writes each page of
   the random-keyed blind-index B-trees fewer times per row, and holds the write lock
   longer). WORKERS processes (default: CPU count, ``BENCH_IMPORT_WORKERS``) turn the CSV
   reader's lists into row tuples (app/services/customers/bulk.py) while the main process
   inserts them. Reported: rows/s (target ≥ 20,000 on SQLite). ``BENCH_DATABASES=sqlite``
   measures one database only.
2. Search over the imported customers through CustomerService.search (first page of 50,
   masked hits built): exact ID number, exact phone, name prefix (surname + first given
   character), name substring (a given-name bigram such as 志强, and a single given-name
   character). Reported: p50 / p95 in ms (targets: exact < 50 ms, substring < 150 ms p95).
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.db.engine import Database
from app.keys import FieldCipher, KeyRing
from app.services.actor import SYSTEM
from app.services.customers.importing import CustomerImport
from app.services.customers.service import CustomerService
from app.services.customers.demo import generate
from tests.bench.bench_queue import postgres_database, postgres_server, sqlite_database

IMPORT_BATCH = int(os.environ.get("BENCH_IMPORT_BATCH", "50000"))
SAMPLES = 200
#: Which databases to measure (``BENCH_DATABASES=sqlite`` while iterating on the SQLite path).
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").lower().split(",")
#: Processes validating and encrypting rows while the main process inserts.
WORKERS = int(os.environ.get("BENCH_IMPORT_WORKERS", str(os.cpu_count() or 1)))


def write_csv(path: Path, count: int) -> list[dict[str, str]]:
    """The file, and a sample of its rows to search for."""
    sample: list[dict[str, str]] = []
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "id_type", "id_number", "phone", "address", "occupation", "account_number",
                         "asset_band", "activity_band", "credit_grade"])
        for n, c in enumerate(generate(count, seed=11)):
            account = c.accounts[0].number if c.accounts else ""
            writer.writerow([c.name, c.id_type, c.id_number, c.phones[0], c.address, c.occupation, account,
                             c.asset_band, c.activity_band, c.credit_grade])
            if c.id_type == "resident_id" and (len(sample) < SAMPLES * 5 and rng.random() < SAMPLES * 10 / count):
                sample.append({"name": c.name, "id": c.id_number, "phone": c.phones[0]})
    return sample


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def timed(search: Callable[[str], object], queries: list[str]) -> tuple[float, float]:
    took = []
    for q in queries:
        start = time.perf_counter()
        search(q)
        took.append(time.perf_counter() - start)
    return percentiles(took)


def bench(db: Database, label: str, source: Path, count: int, sample: list[dict[str, str]]) -> None:
    service = CustomerService(db, cipher=FieldCipher(KeyRing.generate()))
    importer = CustomerImport(service, batch_size=IMPORT_BATCH, workers=WORKERS)
    start = time.perf_counter()
    result = importer.import_file(SYSTEM, source, error_path=source.with_suffix(f".{label}.errors.csv"))
    took = time.perf_counter() - start
    print(f"{label:<10} import {result.imported:,} rows ({result.rejected:,} rejected, duplicates of generated IDs) "
          f"in {took:,.1f} s: {result.imported / took:,.0f} rows/s (batches of {IMPORT_BATCH:,}, {WORKERS} workers)")
    if db.is_sqlite:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    rng = random.Random(3)
    picks = rng.sample(sample, min(SAMPLES, len(sample)))
    given = [p["name"][-2:] for p in picks if len(p["name"]) >= 3]
    queries = {
        "exact ID": [p["id"] for p in picks],
        "exact phone": [p["phone"] for p in picks],
        "name prefix (2 chars)": [p["name"][:2] for p in picks],
        "name prefix (surname)": [p["name"][:1] for p in picks],
        "substring (bigram)": given,
        "substring (1 char)": [p["name"][-1] for p in picks],
        "substring (3 chars)": [p["name"] for p in picks if len(p["name"]) >= 3],
        "no result": ["不存在的名字" + str(n) for n in range(len(picks))],
    }
    search = lambda q: service.search(SYSTEM, q, page_size=50)  # noqa: E731
    for name, batch in queries.items():
        search(batch[0])  # warm
        p50, p95 = timed(search, batch)
        print(f"{label:<10} search {name:<24} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(batch)} queries)")


def run(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="branchdesk-bench-customers-"))
    try:
        source = folder / "customers.csv"
        start = time.perf_counter()
        sample = write_csv(source, count)
        print(f"generated {count:,} customers ({source.stat().st_size / 1e6:,.0f} MB CSV) "
              f"in {time.perf_counter() - start:,.1f} s")
        if "sqlite" in DATABASES:
            with sqlite_database() as db:
                bench(db, "SQLite", source, count, sample)
        if "postgresql" in DATABASES:
            with postgres_server() as admin_uri, postgres_database(admin_uri) as db:
                bench(db, "PostgreSQL", source, count, sample)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_bench_customers() -> None:
    print()
    run(int(os.environ.get("BENCH_CUSTOMERS", "1000000")))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
