"""``branchdesk-admin appointment …`` on both databases: output masked (text and ``--json``), the
day's list checked against the ``--as`` user's permissions and branch, refusals audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.db.engine import Database
from app.domain.roles import PERMISSIONS, Permission, Role
from app.services.actor import SYSTEM
from app.services.auth import add_user
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branches import create_branch
from tests.integration.test_cli import Cli
from tests.integration.test_cli_acting_user import _log

NAME, PHONE = "王五", "13912345678"


@pytest.fixture
def cli(demo_cli: Cli) -> Cli:
    return demo_cli


def book(cli: Cli, *extra: str) -> dict:  # type: ignore[type-arg]
    start = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(minutes=2)  # today's list shows it
    return cli.json("appointment", "book", "--business", "loan", "--name", NAME, "--phone", "139 1234 5678",
                    "--at", start.strftime("%Y-%m-%dT%H:%M"), *extra)


def test_book_and_list_print_masked_values_only(cli: Cli) -> None:
    booked = book(cli)
    assert (booked["customer_name_masked"], booked["phone_masked"]) == ("王*", "139****5678")
    assert not {"customer_name", "phone"} & set(booked)
    [listed] = cli.json("appointment", "list")
    assert listed == booked
    outputs = [cli.ok("appointment", "list"), cli.ok("appointment", "list", "--json"),
               cli.ok("appointment", "book", "--business", "loan", "--name", NAME, "--phone", PHONE,
                      "--at", (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))]
    assert "139****5678" in outputs[0] and "王*" in outputs[0]
    for out in outputs:
        assert PHONE not in out and NAME not in out, out


def test_the_list_checks_the_acting_users_permission(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    booked = book(cli, "--as", "lobby")
    assert [b["code"] for b in cli.json("appointment", "list", "--as", "teller1")] == [booked["code"]]
    monkeypatch.setitem(PERMISSIONS, Role.TELLER, PERMISSIONS[Role.TELLER] - {Permission.VIEW_CUSTOMERS})
    refused = cli.refused("appointment", "list", "--as", "teller1")
    assert "teller1" in refused and "may not" in refused, refused
    [denied] = _log(cli.url, action="permission_denied")
    assert (denied.username, denied.detail) == ("teller1", {"permission": "view_customers"})


def test_the_list_refuses_staff_of_another_branch(cli: Cli) -> None:
    book(cli)
    db = Database(cli.url)
    try:
        create_branch(db, SYSTEM, code="SH002", name="浦东支行", counters=1)
        add_user(db, SYSTEM, username="pd_teller", display_name="浦东柜员", password=DEMO_PASSWORD, role="teller",
                 branch_code="SH002")
    finally:
        db.dispose()
    refused = cli.refused("appointment", "list", "--branch", "DEMO", "--as", "pd_teller")
    assert "work for another branch" in refused, refused
    assert cli.json("appointment", "list", "--branch", "SH002", "--as", "pd_teller") == []
