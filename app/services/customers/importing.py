"""CSV import and masked export of customers.

Import: UTF-8 (with or without BOM) or GBK/GB18030, detected by trying UTF-8 first (a GBK file
of Chinese text is practically never valid UTF-8). A header row names the columns; at least
``name,id_type,id_number,phone,address``, plus the optional ``OPTIONAL_COLUMNS``. Valid rows are
inserted in batches, each batch one transaction with its own audit entry (``import_batch``:
the file, the lines and the customer ids it stored), so an import that dies halfway leaves
nothing stored that the audit log does not account for; the ``import`` entry at the end sums
the whole file up. Every rejected row is written to the error file with its line number and
reason (never its values: the error file must not become another copy of ID numbers) — rows
whose fields do not match the header, and quotes that are never closed, included
(app/domain/csv_records.py). Blank lines are skipped, counted neither way. Duplicate ID
numbers — within the file or already stored — are rejected.
"""

from __future__ import annotations

import csv
import gc
import io
import logging
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.db.customer_sql import release_bulk_caches, stored_id_indexes
from app.db.models import Customer, CustomerPhone
from app.domain.cell_safety import neutralise, safe_row
from app.domain.csv_records import CsvRecords, Record
from app.domain.errors import DomainError, ValidationError
from app.domain.roles import Permission
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record, record_in, require
from app.domain.tiers import TierPolicy
from app.keys import FieldCipher, KeyRing
from app.output_files import replacing
from app.services.customers.bulk import RowPreparer, as_record
from app.services.customers.records import CUSTOMER_COLUMNS, Row, insert_rows
from app.services.customers.service import CustomerService, display_name
from app.services.customers.import_workers import worker_pool

REQUIRED_COLUMNS = ("name", "id_type", "id_number", "phone", "address")
OPTIONAL_COLUMNS = ("phone2", "occupation", "consent", "consent_date", "legal_representative", "contact_name",
                    "account_number", "account_type", "account_opened", "asset_band", "activity_band",
                    "credit_grade", "compliance")
EXPORT_COLUMNS = ("id", "kind", "name", "id_type", "id_number", "phone", "tier", "compliance", "score")
#: (rows processed, rows in the file) → False to cancel after the current batch.
Progress = Callable[[int, int], bool | None]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    rejected: int
    skipped_blank: int
    batches: int
    cancelled: bool
    error_file: str | None
    encoding: str


def decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise ValidationError(field="file", reason="encoding") from None


CHUNK_ROWS = 2000


_WORKER_CIPHERS: dict[str, FieldCipher] = {}


def prepare_chunk(chunk: list[Record], header: list[str], ring: KeyRing, today: date,
                  now: datetime, branch_id: int | None, policy: TierPolicy) -> list[tuple[int, Row | str | None]]:
    """Runs in a worker process: the cipher is built once per process and key ring. Rows come
    as the CSV reader's lists and results go back as plain tuples (cheap to pickle both ways)."""
    cipher = _WORKER_CIPHERS.get(ring.to_env_value())
    if cipher is None:
        cipher = _WORKER_CIPHERS.setdefault(ring.to_env_value(), FieldCipher(ring))
    preparer = RowPreparer(cipher, today=today, now=now, branch_id=branch_id, policy=policy)
    return [(line, values if isinstance(values, str) else preparer(as_record(header, values)))
            for line, values in chunk]


def _chunks(rows: Iterator[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_ID_TYPE, _ID_INDEX = CUSTOMER_COLUMNS.index("id_type"), CUSTOMER_COLUMNS.index("id_index")


@dataclass
class _Tally:
    """What an import has done so far (still true when it stops halfway)."""

    imported: int = 0
    blank: int = 0
    batches: int = 0
    processed: int = 0
    cancelled: bool = False


@dataclass(frozen=True)
class _Run:
    """Who imports which file: what each batch's audit entry names."""

    actor: Actor
    file: str
    #: Ties the batch entries of one import to each other and to its closing ``import`` entry.
    run_id: str


def id_runs(ids: list[int]) -> list[list[int]]:
    """Ascending ids as ``[first, last]`` runs of consecutive ids (a batch's ids are one run
    unless another writer took ids in between): an audit entry names every id compactly."""
    runs: list[list[int]] = []
    for cid in sorted(ids):
        if runs and cid == runs[-1][1] + 1:
            runs[-1][1] = cid
        else:
            runs.append([cid, cid])
    return runs


class CustomerImport:
    def __init__(self, customers: CustomerService, batch_size: int = 1000, workers: int = 1) -> None:
        """``workers`` > 1 validates and encrypts in that many processes (large files)."""
        self.customers = customers
        self.db = customers.db
        self.batch_size = max(1, batch_size)
        self.workers = max(1, workers)

    def import_file(self, actor: Actor, path: Path, *, error_path: Path | None = None,
                    progress: Progress | None = None) -> ImportResult:
        require(self.db, actor, Permission.IMPORT_CUSTOMERS, clock=self.customers.clock)
        text, encoding = decode(Path(path).read_bytes())
        error_path = error_path or Path(path).with_name(Path(path).stem + ".errors.csv")
        records = CsvRecords(text)
        header = [h.strip().lower() for h in records.header]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ValidationError(field="file", reason="missing_columns", columns=tuple(missing))
        total = max(0, text.count("\n") - 1)
        errors: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        run = _Run(actor, Path(path).name, uuid.uuid4().hex[:12])
        outcomes = self._outcomes(iter(records), header, actor.branch_id)
        # The automatic cycle collector would walk every batch's hundreds of thousands of young
        # tuples again and again (a quarter of this process's time on a large file); what the
        # import allocates is freed by reference counting. Left as it was afterwards (the GUI
        # keeps it off and collects on its own thread: ui/gc_guard.py).
        collecting = gc.isenabled()
        gc.disable()
        tally = _Tally()
        try:
            self._import_rows(run, outcomes, errors, seen, progress, total, tally)
        except DomainError as error:
            # A file unreadable halfway (a malformed line): the batches already committed stay,
            # and are audited and reported like any other import's, with the failure.
            try:
                self._report(run, error_path, errors, tally, failure=error.message)
            except DomainError:  # the database itself went away: the first error is the one to show
                log.warning("could not audit the failed import of %s", Path(path).name, exc_info=True)
            raise
        finally:
            if collecting:
                gc.enable()
            release_bulk_caches(self.db.engine)
        written = self._report(run, error_path, errors, tally)
        if progress is not None and not tally.cancelled:
            progress(tally.processed, total)
        return ImportResult(imported=tally.imported, rejected=len(errors), skipped_blank=tally.blank,
                            batches=tally.batches, cancelled=tally.cancelled, error_file=written, encoding=encoding)

    def _report(self, run: _Run, error_path: Path, errors: list[tuple[int, str]], tally: _Tally,
                failure: str | None = None) -> str | None:
        """The error file (rejected rows, if any) and the audit entry; returns the error file's path."""
        errors.sort()
        written = None
        if errors:
            with replacing(error_path, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["line", "reason"])
                writer.writerows(safe_row(error) for error in errors)
            written = str(error_path)
        detail: dict[str, object] = {"file": run.file, "run": run.run_id, "imported": tally.imported,
                                     "rejected": len(errors), "batches": tally.batches, "cancelled": tally.cancelled}
        if failure is not None:
            detail["failed"] = failure
        record(self.db, run.actor, AuditAction.IMPORT, clock=self.customers.clock, target_type="customers",
               detail=detail)
        return written

    def _import_rows(self, run: _Run, outcomes: Generator[tuple[int, Row | str | None], None, None],
                     errors: list[tuple[int, str]], seen: dict[str, int], progress: Progress | None,
                     total: int, tally: _Tally) -> None:
        """Checks for duplicates and inserts batch by batch, counting into ``tally`` as it goes."""
        pending: list[tuple[int, Row]] = []
        try:
            for line, outcome in outcomes:
                tally.processed += 1
                if outcome is None:
                    tally.blank += 1
                    continue
                if isinstance(outcome, str):
                    errors.append((line, outcome))
                    continue
                first = seen.setdefault(outcome[4], line)
                if first != line:
                    errors.append((line, f"ID number: duplicate of line {first}"))
                    continue
                pending.append((line, outcome))
                if len(pending) >= self.batch_size:
                    tally.imported += self._flush(run, tally.batches + 1, pending, errors)
                    tally.batches += 1
                    pending = []
                    if progress is not None and progress(tally.processed, total) is False:
                        tally.cancelled = True
                        break
        finally:
            outcomes.close()  # stops the worker processes, if any
        if pending and not tally.cancelled:
            tally.imported += self._flush(run, tally.batches + 1, pending, errors)
            tally.batches += 1

    def _outcomes(self, rows: Iterator[Record], header: list[str],
                  branch_id: int | None) -> Generator[tuple[int, Row | str | None], None, None]:
        """Each row checked and encrypted: a Row, an error message (also for a record the reader
        refused), or None for a blank row.

        With ``workers`` > 1 the rows go in chunks to worker processes (validation and encryption
        are pure-Python CPU work), results come back in file order, and this process inserts
        batches meanwhile."""
        service = self.customers
        args = (service.cipher.ring, service.today(), service.clock(), branch_id, service.policy)
        if self.workers <= 1:
            preparer = RowPreparer(service.cipher, today=args[1], now=args[2], branch_id=branch_id, policy=args[4])
            for line, values in rows:
                yield line, values if isinstance(values, str) else preparer(as_record(header, values))
            return
        pool = worker_pool(self.workers)  # ends with the import, or with this process
        try:
            inflight: deque[Future[list[tuple[int, Row | str | None]]]] = deque()
            # Enough chunks ahead that the workers prepare the next batch while this process
            # inserts the current one (else they idle through every insert).
            ahead = self.workers * 2 + -(-self.batch_size // CHUNK_ROWS)
            for chunk in _chunks(rows, CHUNK_ROWS):
                inflight.append(pool.submit(prepare_chunk, chunk, header, *args))
                if len(inflight) > ahead:
                    yield from inflight.popleft().result()
            while inflight:
                yield from inflight.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _flush(self, run: _Run, batch: int, pending: list[tuple[int, Row]], errors: list[tuple[int, str]]) -> int:
        """Insert one batch in one transaction, rejecting rows whose ID number is already stored;
        the batch's audit entry commits with it (last, so the audit chain's lock is held briefly)."""
        cipher = self.customers.cipher
        several = len(cipher.ring.keys) > 1  # mid-rotation: stored rows may carry an old key's index
        with self.db.write() as session:
            if several:
                lookups = {line: cipher.indexes(p[0][_ID_TYPE], p[4]) for line, p in pending}
            else:
                lookups = {line: (p[0][_ID_INDEX],) for line, p in pending}
            stored = stored_id_indexes(session, [k for keys in lookups.values() for k in keys])
            keep = []
            for line, p in pending:
                if stored and not stored.isdisjoint(lookups[line]):
                    errors.append((line, "ID number: a customer with this ID number already exists"))
                else:
                    keep.append(p)
            ids = insert_rows(session, keep)
            if ids:
                record_in(session, run.actor, AuditAction.IMPORT_BATCH, at=self.customers.clock(),
                          target_type="customers",
                          detail={"file": run.file, "run": run.run_id, "batch": batch, "imported": len(ids),
                                  "lines": [pending[0][0], pending[-1][0]], "customer_ids": id_runs(ids)})
                publish(session, TOPIC_CUSTOMERS, None)
        return len(keep)

    def export_rows(self, actor: Actor, *, batch: int = 5000) -> Iterator[dict[str, object]]:
        """Every live customer, masked as in the teller's lists; the export is audited once, up front."""
        require(self.db, actor, Permission.EXPORT_CUSTOMERS, clock=self.customers.clock)
        record(self.db, actor, AuditAction.EXPORT, clock=self.customers.clock, target_type="customers",
               detail={"masked": True})
        last = 0
        while True:
            with self.db.read() as session:
                rows = session.scalars(select(Customer).where(Customer.id > last, Customer.merged_into_id.is_(None))
                                       .order_by(Customer.id).limit(batch)).all()
                phones: dict[int, str] = {}
                if rows:
                    for cid, masked in session.execute(
                            select(CustomerPhone.customer_id, CustomerPhone.number_masked)
                            .where(CustomerPhone.customer_id.between(rows[0].id, rows[-1].id))
                            .order_by(CustomerPhone.id)):
                        phones.setdefault(cid, masked)
            if not rows:
                return
            for c in rows:
                yield {"id": c.id, "kind": c.kind, "name": display_name(c.kind, c.name), "id_type": c.id_type,
                       "id_number": c.id_masked, "phone": phones.get(c.id, ""), "tier": c.tier,
                       "compliance": c.compliance, "score": c.score}
            last = rows[-1].id

    def export_csv(self, actor: Actor, out: io.TextIOBase) -> int:
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        count = 0
        for row in self.export_rows(actor):
            writer.writerow({key: neutralise(value) for key, value in row.items()})
            count += 1
        return count
