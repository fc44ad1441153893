"""``branchdesk-admin customers duplicates|merge``: a supervisor folds a customer an import
brought in twice into the record kept, through the CLI, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from app.db.engine import Database
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from tests.integration.customer_fixtures import resident_id
from tests.integration.test_cli import Cli

PHONE = "13987654321"


def _log(url: str, **filters: str):  # type: ignore[no-untyped-def]
    db = Database(url)
    try:
        return AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(**filters))
    finally:
        db.dispose()


def _imported_twice(cli: Cli, tmp_path: Path) -> tuple[int, int]:
    """One person imported twice, the second time under a mistyped ID number: same name and phone."""
    source = tmp_path / "customers.csv"
    source.write_text("name,id_type,id_number,phone,address,account_number,asset_band\n"
                      f"司马重复,resident_id,{resident_id('110101', '19800101', '123')},{PHONE},北京市,,\n"
                      f"司马重复,resident_id,{resident_id('110101', '19800110', '123')},{PHONE},北京市,,\n",
                      encoding="utf-8")
    code, out, _progress = cli.run("customers", "import", str(source), "--json")  # progress goes to stderr
    assert code == 0 and json.loads(out)["imported"] == 2
    first, second = sorted(hit["id"] for hit in cli.json("customers", "search", PHONE)["results"])
    return first, second


def test_a_supervisor_merges_a_duplicate_from_an_import(demo_cli: Cli, tmp_path: Path) -> None:
    cli = demo_cli
    keep, drop = _imported_twice(cli, tmp_path)
    [duplicate] = cli.json("customers", "duplicates", str(keep), "--as", "teller1")
    assert (duplicate["id"], duplicate["reason"]) == (drop, "same name and phone")
    assert "19800110" not in str(duplicate) and duplicate["name"] != "司马重复"  # masked, as every list

    refused = cli.refused("customers", "merge", str(keep), str(drop), "--reason", "重复导入", "--as", "teller1")
    assert "teller1" in refused and "may not" in refused, refused
    [denied] = _log(cli.url, action="permission_denied", username="teller1")
    assert denied.detail == {"permission": "merge_customers"}
    assert len(cli.json("customers", "search", PHONE)["results"]) == 2  # nothing changed

    merged = cli.json("customers", "merge", str(keep), str(drop), "--reason", "重复导入", "--as", "supervisor")
    assert (merged["kept"], merged["merged"]) == (keep, drop)
    assert merged["moved"]["phones"] == 0  # the shared phone was already the kept record's
    assert [hit["id"] for hit in cli.json("customers", "search", PHONE)["results"]] == [keep]
    assert cli.json("customers", "duplicates", str(keep)) == []
    [entry] = _log(cli.url, action="merge")
    assert entry.username == "supervisor" and entry.target_id == str(keep)
    assert (entry.detail["kept"], entry.detail["merged"], entry.detail["reason"]) == (keep, drop, "重复导入")

    assert "merged" in cli.refused("customers", "merge", str(keep), str(drop), "--reason", "again", "--as",
                                   "supervisor")
    assert len(_log(cli.url, action="merge")) == 1


def test_the_text_form_and_refused_reasons(demo_cli: Cli, tmp_path: Path) -> None:
    cli = demo_cli
    keep, drop = _imported_twice(cli, tmp_path)
    assert f"{drop:>8}" in cli.ok("customers", "duplicates", str(keep))
    for reason in ("   ", "重复\x00导入", "理" * 501):
        cli.refused("customers", "merge", str(keep), str(drop), "--reason", reason, "--as", "supervisor")
    cli.refused("customers", "merge", str(keep), str(keep), "--reason", "重复导入")
    assert _log(cli.url, action="merge") == []
    text = cli.ok("customers", "merge", str(keep), str(drop), "--reason", "重复导入")  # the system account
    assert text.startswith(f"merged customer {drop} into {keep}: ")
    [entry] = _log(cli.url, action="merge")
    assert entry.username == "system"
