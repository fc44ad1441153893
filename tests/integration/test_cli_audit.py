"""``branchdesk-admin audit verify|list|export`` on both databases."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import text

from app.db.engine import Database
from app.domain.errors import AuthenticationFailed
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from tests.integration.test_audit import _without_append_only_triggers
from tests.integration.test_cli import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


@pytest.fixture
def signed_in(cli):  # type: ignore[no-untyped-def]
    """The demo branch, two sign-ins and a failure on record."""
    cli.ok("demo")
    db = Database(cli.url)
    authenticate(db, "teller1", DEMO_PASSWORD)
    authenticate(db, "lobby", DEMO_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller1", "wrong")
    yield db
    db.dispose()


def test_list_filters_by_user_action_and_date(cli, signed_in) -> None:  # type: ignore[no-untyped-def]
    rows = cli.json("audit", "list", "--user", "teller1")
    assert [r["action"] for r in rows] == ["login_failed", "login"]
    assert [r["username"] for r in cli.json("audit", "list", "--action", "login")] == ["lobby", "teller1"]
    assert cli.json("audit", "list", "--since", "2000-01-01", "--until", "2000-01-02") == []
    assert len(cli.json("audit", "list", "--action", "login", "--since", "2000-01-01")) == 2
    text_out = cli.ok("audit", "list", "--user", "teller1")
    assert "login_failed" in text_out and "wrong password" in text_out
    table = list(csv.reader(io.StringIO(cli.ok("audit", "list", "--user", "teller1", "--csv"))))
    assert table[0][:5] == ["id", "at", "branch_id", "username", "action"] and len(table) == 3
    assert "since" in cli.refused("audit", "list", "--since", "yesterday")


def test_export_writes_csv_and_is_audited(cli, signed_in, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "audit.csv"
    assert cli.json("audit", "export", "--action", "login", "--out", str(out)) == {"file": str(out), "rows": 2}
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["username"] for r in rows] == ["teller1", "lobby"]  # oldest first
    assert json.loads(rows[0]["detail"]) == {"via": "sign_in"}
    [export] = cli.json("audit", "list", "--action", "export")
    assert export["target_type"] == "audit_log" and export["detail"]["rows"] == 2


def test_verify_names_the_first_broken_entry(cli, signed_in) -> None:  # type: ignore[no-untyped-def]
    verdict = cli.json("audit", "verify")
    assert verdict["intact"] is True and verdict["entries"] == verdict["sealed"] + verdict["unsealed_tail"]
    db = signed_in
    with db.engine.begin() as connection:
        second = connection.execute(text("SELECT id FROM audit_entries ORDER BY id LIMIT 1 OFFSET 1")).scalar_one()
        _without_append_only_triggers(db, connection, "UPDATE audit_entries SET detail = 'forged' WHERE id = :id",
                                      {"id": second})
    code, out, err = cli.run("audit", "verify")
    assert code == 3 and out == ""
    assert err.startswith(f"branchdesk-admin: audit chain broken at entry {second}: ") and "changed" in err
