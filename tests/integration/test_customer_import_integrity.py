"""The import on both databases: malformed CSV rows are refused at their own line, invisible
characters are refused, and every committed batch carries its audit entry (even when the
import dies halfway)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import Customer
from app.keys import FieldCipher, KeyRing
from app.services.audit import AuditFilter, AuditLog
from app.services.customers.importing import CustomerImport, id_runs
from app.services.customers.service import CustomerService
from tests.integration.customer_fixtures import resident_id

HEADER = "name,id_type,id_number,phone,address,account_number,asset_band"


def customer_line(n: int, address: str = "北京市") -> str:
    return f"客户{n},resident_id,{resident_id(sequence=f'{n:03d}')},1381234{n:04d},{address},,"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def errors_of(result) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    if not result.error_file:
        return []
    with open(result.error_file, encoding="utf-8-sig") as fh:
        return [(int(row["line"]), row["reason"]) for row in csv.DictReader(fh)]


def stored_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return list(session.scalars(select(Customer.name).order_by(Customer.id)))


@pytest.fixture
def importer(db, clock) -> CustomerImport:  # type: ignore[no-untyped-def]
    return CustomerImport(CustomerService(db, clock=clock, cipher=FieldCipher(KeyRing.generate())), batch_size=2)


def test_rows_with_too_few_or_too_many_fields_are_rejected_with_their_line(importer, actors, db,
                                                                          tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER, customer_line(1), customer_line(2).rsplit(",", 2)[0],  # no account_number, asset_band
             customer_line(3) + ",extra", customer_line(4).split(",", 1)[0] + ",resident_id", customer_line(5)]
    result = importer.import_file(actors.supervisor, write(tmp_path / "widths.csv", lines))
    assert errors_of(result) == [(3, "file: fewer fields than the header"), (4, "file: more fields than the header"),
                                 (5, "file: fewer fields than the header")]
    assert (result.imported, result.rejected) == (2, 3)
    assert stored_names(db) == ["客户1", "客户5"]


@pytest.mark.parametrize("later_quote", [False, True])
def test_an_unclosed_quote_is_reported_where_it_opened_and_swallows_nothing(importer, actors, db, tmp_path,
                                                                           later_quote) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER, customer_line(1), customer_line(2, address='"北京市东城区'), customer_line(3),
             customer_line(4, address='"上海市,浦东新区"' if later_quote else "上海市"), customer_line(5)]
    result = importer.import_file(actors.supervisor, write(tmp_path / "quote.csv", lines))
    assert errors_of(result) == [(3, "file: a quote opened on this line is not closed")]
    assert stored_names(db) == ["客户1", "客户3", "客户4", "客户5"]
    assert (result.imported, result.rejected, result.skipped_blank) == (4, 1, 0)


def test_a_quote_still_open_at_the_end_of_the_file_is_reported_at_its_line(importer, actors, db,
                                                                         tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER, customer_line(1), customer_line(2, address='"北京市'), customer_line(3), ""]
    result = importer.import_file(actors.supervisor, write(tmp_path / "end.csv", lines))
    assert errors_of(result) == [(3, "file: a quote opened on this line is not closed")]
    assert stored_names(db) == ["客户1", "客户3"]


def test_an_address_with_a_line_break_is_still_one_row(importer, actors, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER, customer_line(1, address='"北京市\n东城区"'), customer_line(2)]
    result = importer.import_file(actors.supervisor, write(tmp_path / "cell.csv", lines))
    assert (result.imported, result.rejected) == (2, 0)


def test_an_imported_name_with_a_bidi_override_is_rejected(importer, actors, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER, customer_line(1).replace("客户1", "客户\u202e1"), customer_line(2).replace("北京市", "北京\u200b市")]
    result = importer.import_file(actors.supervisor, write(tmp_path / "bidi.csv", lines))
    assert errors_of(result) == [(2, "customer name: contains invisible formatting characters"),
                                 (3, "address: contains invisible formatting characters")]
    assert stored_names(db) == []


def batch_entries(db, actors, clock) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return [e.detail for e in AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="import_batch"))]


def covered_ids(details: list[dict]) -> list[int]:  # type: ignore[type-arg]
    return sorted(cid for d in details for first, last in d["customer_ids"] for cid in range(first, last + 1))


def test_every_committed_batch_is_audited_even_when_the_import_dies_halfway(importer, actors, db, clock,
                                                                            tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER] + [customer_line(n) for n in range(1, 10)]
    done: list[int] = []

    def crash_after_two_batches(processed: int, total: int) -> None:
        done.append(processed)
        if len(done) == 2:
            raise RuntimeError("the process dies here")  # neither a DomainError nor a cancel: no summary

    with pytest.raises(RuntimeError):
        importer.import_file(actors.supervisor, write(tmp_path / "crash.csv", lines), progress=crash_after_two_batches)
    with db.read() as session:
        stored = sorted(session.scalars(select(Customer.id)))
    assert len(stored) == 4
    details = batch_entries(db, actors, clock)
    assert covered_ids(details) == stored
    assert sorted((d["batch"], d["imported"], tuple(d["lines"])) for d in details) == [(1, 2, (2, 3)), (2, 2, (4, 5))]
    assert {d["file"] for d in details} == {"crash.csv"} and len({d["run"] for d in details}) == 1
    assert AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="import")) == []


def test_a_whole_import_is_covered_by_its_batches_and_summed_up_once(importer, actors, db, clock,
                                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER] + [customer_line(n) for n in range(1, 6)] + [customer_line(1)]  # the last: a duplicate
    result = importer.import_file(actors.supervisor, write(tmp_path / "all.csv", lines))
    assert (result.imported, result.rejected, result.batches) == (5, 1, 3)
    with db.read() as session:
        stored = sorted(session.scalars(select(Customer.id)))
    details = batch_entries(db, actors, clock)
    assert covered_ids(details) == stored and sum(d["imported"] for d in details) == 5
    [summary] = AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="import"))
    assert summary.detail["batches"] == 3 and summary.detail["run"] == details[0]["run"]


def test_id_runs_are_compact_and_complete() -> None:
    assert id_runs([5, 3, 4, 9, 10, 12]) == [[3, 5], [9, 10], [12, 12]]
    assert id_runs([]) == []


def test_the_cli_reports_a_file_broken_halfway_on_a_line_of_its_own(demo_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [HEADER] + [customer_line(n) for n in range(1, 4)] + ["坏行," + "x" * 200_000]
    code, _out, err = demo_cli.run("customers", "import", str(write(tmp_path / "broken.csv", rows)),
                                   "--batch-size", "2")
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("branchdesk-admin: file: line 5: "), err  # not after the progress
