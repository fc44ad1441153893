"""CSV import (UTF-8, GBK, malformed rows, duplicates, blank lines), export and search via the admin CLI."""

from __future__ import annotations

import csv
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.db.customer_sql import name_index_size
from app.db.models import Customer
from app.keys import FieldCipher, KeyRing
from app.services.audit import AuditFilter, AuditLog
from app.services.customers.importing import CustomerImport
from app.services.customers.service import CustomerService
from tests.integration.customer_fixtures import credit_code, resident_id
from tests.integration.test_cli import Cli

HEADER = "name,id_type,id_number,phone,address,account_number,asset_band"
ID1, ID2, ID3 = resident_id(sequence="101"), resident_id(sequence="102"), resident_id(sequence="103")


def sample_rows() -> list[str]:
    return [
        HEADER,
        f"张三,resident_id,{ID1},13812341234,北京市东城区,6222021234567890123,high",
        "",
        f"李四,resident_id,{ID2[:-1]}{'0' if ID2[-1] != '0' else '1'},13900001111,上海市,,",  # wrong check char
        f"王五,resident_id,{ID3},12345,广州市,,",                                            # bad phone
        "赵六,passport,E12345678,13900002222,深圳市,,",                                      # unknown id type
        f"张三二,resident_id,{ID1},13700003333,北京市,,",                                      # duplicate of line 2
        "   ,  ,  ,  ,  ,,",                                                                # blank in all fields
        f"深圳某某科技有限公司,uscc,{credit_code()},0755-12345678,深圳市南山区,,middle",
        f"钱七,resident_id,{resident_id(sequence='105')},13600004444,杭州市,,huge",           # bad band
        f",resident_id,{resident_id(sequence='107')},13600005555,杭州市,,",                  # no name
        "",
    ]


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


@pytest.fixture
def importer(db, clock) -> CustomerImport:  # type: ignore[no-untyped-def]
    return CustomerImport(CustomerService(db, clock=clock, cipher=FieldCipher(KeyRing.generate())), batch_size=2)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_import_counts_and_error_file(importer, actors, tmp_path, encoding) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "customers.csv", sample_rows(), encoding)
    seen: list[tuple[int, int]] = []
    result = importer.import_file(actors.supervisor, source, progress=lambda done, total: seen.append((done, total)))
    assert (result.imported, result.rejected, result.skipped_blank) == (2, 6, 1)
    assert result.encoding == ("gbk" if encoding == "gbk" else "utf-8")
    assert seen[-1][0] == 9  # records read (the csv module skips the two empty lines itself)
    with open(result.error_file, encoding="utf-8-sig") as fh:
        errors = list(csv.DictReader(fh))
    assert [int(e["line"]) for e in errors] == [4, 5, 6, 7, 10, 11]
    reasons = [e["reason"] for e in errors]
    assert reasons[0] == "ID number: the check character does not match"
    assert reasons[1].startswith("phone:") and reasons[2].startswith("ID type:")
    assert reasons[3] == "ID number: duplicate of line 2"
    assert reasons[4].startswith("asset band:") and reasons[5] == "customer name: required"
    assert ID1 not in Path(result.error_file).read_text(encoding="utf-8-sig")
    # Importing the same file again rejects the stored ID numbers too.
    again = importer.import_file(actors.supervisor, source, error_path=tmp_path / "again.csv")
    assert (again.imported, again.rejected) == (0, 8)
    entries = AuditLog(importer.db).entries(actors.supervisor, AuditFilter(action="import"))
    assert [e.detail["imported"] for e in entries] == [0, 2]


def test_worker_processes_give_the_same_result(importer, actors, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    import app.services.customers.importing as module

    lines = sample_rows() + [f"客户{n},resident_id,{resident_id(sequence=f'{200 + n:03d}')},138{n:08d},某地,,"
                             for n in range(25)]
    parallel = CustomerImport(importer.customers, batch_size=4, workers=2)
    original = module.CHUNK_ROWS
    module.CHUNK_ROWS = 3  # many chunks in flight, results must still come back in file order
    try:
        result = parallel.import_file(actors.supervisor, write(tmp_path / "p.csv", lines))
    finally:
        module.CHUNK_ROWS = original
    assert (result.imported, result.rejected, result.skipped_blank) == (27, 6, 1)
    with open(result.error_file, encoding="utf-8-sig") as fh:
        assert [int(e["line"]) for e in csv.DictReader(fh)] == [4, 5, 6, 7, 10, 11]


def test_import_needs_the_permission_and_the_header(importer, actors, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        importer.import_file(actors.teller1, write(tmp_path / "a.csv", sample_rows()))
    with pytest.raises(ValidationError) as caught:
        importer.import_file(actors.supervisor, write(tmp_path / "b.csv", ["name,id_number", "张三,1"]))
    assert caught.value.params["reason"] == "missing_columns" and "id_type" in caught.value.params["columns"]
    assert "missing columns: " in caught.value.message and "id_type" in caught.value.message


def test_cancel_stops_after_a_whole_batch(importer, actors, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    lines = [HEADER] + [f"客户{n},resident_id,{resident_id(sequence=f'{n:03d}')},138{n:08d},某地,," for n in range(9)]
    result = importer.import_file(actors.supervisor, write(tmp_path / "c.csv", lines), progress=lambda d, t: False)
    assert result.cancelled and result.imported == 2 and result.batches == 1
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 2


_fields = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "'; DROP TABLE customers; --", "<script>alert(1)</script>", "\x00\x01\x1b",
                     "a" * 5000, "１３８１２３４１２３４", "=cmd|' /C calc'!A0", "\u202e反转", "𠀀𠀁"]),
    st.text(alphabet=string.digits + "Xx -", max_size=25),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_fields, st.sampled_from(["resident_id", "uscc", "", "x"]), _fields, _fields,
                               _fields), min_size=1, max_size=6))
def test_fuzzed_rows_give_clear_errors_never_a_crash_or_partial_batch(importer, actors, tmp_path_factory,
                                                                     rows) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "id_type", "id_number", "phone", "address"])
        writer.writerows(rows)
    with importer.db.read() as session:
        before = session.scalar(select(func.count()).select_from(Customer))
        indexed_before = name_index_size(session)
    result = importer.import_file(actors.supervisor, path)
    with importer.db.read() as session:
        after = session.scalar(select(func.count()).select_from(Customer))
        indexed_after = name_index_size(session)
    assert after - before == result.imported
    assert (indexed_after > indexed_before) == (result.imported > 0)
    assert result.imported + result.rejected + result.skipped_blank == len(rows)
    if result.error_file:
        for error in csv.DictReader(open(result.error_file, encoding="utf-8-sig")):
            assert error["reason"] and ":" in error["reason"]


def test_cli_import_search_export(db_url, capsys, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(db_url, capsys)
    cli.ok("db", "upgrade")  # only setup, `db upgrade` and `demo` create a database
    assert "keys create" in cli.refused("customers", "import", str(write(tmp_path / "g.csv", sample_rows(), "gbk")))
    cli.ok("keys", "create")  # nor does anything but setup or this make a key
    code, out, err = cli.run("customers", "import", str(write(tmp_path / "g.csv", sample_rows(), "gbk")),
                             "--errors", str(tmp_path / "errors.csv"), "--json")
    assert code == 0 and "rows" in err
    assert {k: json.loads(out)[k] for k in ("imported", "rejected", "encoding")} == {
        "imported": 2, "rejected": 6, "encoding": "gbk"}
    found = cli.json("customers", "search", "张")
    assert [(r["name"], r["id_number"], r["phone"]) for r in found["results"]] == [
        ("张*", ID1[:6] + "********" + ID1[14:], "138****1234")]
    assert cli.json("customers", "search", "13812341234")["mode"] == "exact"
    exported = cli.ok("customers", "export")
    assert ID1 not in exported and "张*" in exported and "深圳某某科技有限公司" in exported
    status = cli.json("keys", "status")
    code, out, err = cli.run("keys", "rotate", "--json", "--batch-size", "1")
    assert code == 0 and json.loads(out)["rows"] == 2 + 2 + 1
    # The old key encrypts no value any more but sealed the audit entries written before the
    # rotation: prune keeps it, so `audit verify` can still check them.
    assert cli.json("keys", "prune")["dropped"] == [] and status["current"] in cli.json("keys", "status")["registered"]
    assert cli.json("customers", "search", ID1)["results"][0]["name"] == "张*"


@pytest.mark.parametrize("collecting", [True, False])
def test_import_leaves_the_garbage_collector_as_it_found_it(importer, actors, tmp_path,
                                                            collecting) -> None:  # type: ignore[no-untyped-def]
    import gc

    source = write(tmp_path / "customers.csv", sample_rows())
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        assert importer.import_file(actors.supervisor, source).imported == 2
        assert gc.isenabled() == collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_a_file_that_breaks_halfway_keeps_audits_and_reports_the_batches_done(importer, actors, tmp_path, db,
                                                                               clock) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import ValidationError

    rows = [HEADER] + [f"客户{i},resident_id,{resident_id(sequence=f'{200 + i:03d}')},1381234{i:04d},北京市,,"
                       for i in range(5)]
    rows.insert(3, f"李四,resident_id,{ID2[:-1]}{'0' if ID2[-1] != '0' else '1'},13900001111,上海市,,")
    rows.append("坏行," + "x" * 200_000)  # larger than the csv module's field limit
    source = write(tmp_path / "broken.csv", rows)
    with pytest.raises(ValidationError) as failed:
        importer.import_file(actors.supervisor, source)
    assert failed.value.params["field"] == "file"
    with db.read() as session:
        stored = session.scalar(select(func.count()).select_from(Customer))
    assert stored == 4  # two whole batches of two; the fifth row waited for a batch that never came
    [entry] = AuditLog(db, clock=clock).entries(actors.supervisor, AuditFilter(action="import"))
    assert entry.detail["imported"] == 4 and entry.detail["rejected"] == 1 and "line" in entry.detail["failed"]
    assert (tmp_path / "broken.errors.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("4,")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite's per-connection page cache
def test_the_import_gives_its_page_cache_back(importer, actors, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        usual = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
    importer.import_file(actors.supervisor, write(tmp_path / "customers.csv", sample_rows()))
    with db.read() as session:  # the connection the pool hands out next
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == usual
