"""``branchdesk-admin … --as USER``: the command runs with that user's permissions and name."""

from __future__ import annotations

import pytest

from app.db.engine import Database
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from tests.integration.test_cli import Cli


@pytest.fixture
def cli(demo_cli: Cli) -> Cli:
    return demo_cli


def _log(url: str, **filters: str):  # type: ignore[no-untyped-def]
    db = Database(url)
    try:
        return AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(**filters))
    finally:
        db.dispose()


def test_a_teller_acts_with_a_tellers_permissions(cli: Cli) -> None:
    ticket = cli.json("ticket", "issue", "--business", "loan", "--as", "teller1")
    assert cli.json("ticket", "call", "--counter", "1", "--as", "teller1")["number"] == ticket["number"]
    refused = cli.refused("settings", "set", "queue.elderly_age", "70", "--as", "teller1")
    assert "teller1" in refused and "may not" in refused, refused
    [denied] = _log(cli.url, action="permission_denied")
    assert denied.username == "teller1" and denied.detail == {"permission": "change_settings"}
    # The sign-in is audited as the admin CLI's.
    assert any(e.detail.get("via") == "admin_cli" for e in _log(cli.url, action="login", username="teller1"))


def test_the_audit_log_names_the_acting_supervisor(cli: Cli) -> None:
    cli.ok("settings", "set", "queue.elderly_age", "70", "--as", "supervisor")
    cli.ok("settings", "set", "queue.starvation_minutes", "25")  # no --as: the system account
    entries = {e.target_id: e.username for e in _log(cli.url, action="settings_change")}
    assert entries == {"queue.elderly_age": "supervisor", "queue.starvation_minutes": "system"}


def test_a_wrong_password_refuses_the_command(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRANCHDESK_PASSWORD", "wrong-password-1")
    assert "password" in cli.refused("ticket", "issue", "--business", "loan", "--as", "teller1").lower()
    assert cli.json("ticket", "list") == []


def test_every_command_signs_the_acting_user_in_first(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in (("ticket", "list"), ("counter", "list"), ("keys", "status")):
        cli.refused(*argv, "--as", "nobody")
        monkeypatch.setenv("BRANCHDESK_PASSWORD", "wrong-password-1")
        assert "password" in cli.refused(*argv, "--as", "teller1").lower(), argv
        monkeypatch.setenv("BRANCHDESK_PASSWORD", DEMO_PASSWORD)
    assert cli.json("ticket", "list", "--as", "teller1") == []


def _key_file_bytes() -> bytes:
    from app.keys import default_key_path

    return default_key_path(None).read_bytes()


def test_a_refused_key_rotation_writes_no_key(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("customers", "search", "张")  # the key file exists
    before = _key_file_bytes()
    assert "may not" in cli.refused("keys", "rotate", "--as", "teller1")
    monkeypatch.setenv("BRANCHDESK_PASSWORD", "wrong-password-1")
    cli.refused("keys", "rotate", "--as", "supervisor")
    cli.refused("keys", "prune", "--as", "supervisor")
    assert _key_file_bytes() == before
    monkeypatch.setenv("BRANCHDESK_PASSWORD", DEMO_PASSWORD)
    assert cli.run("keys", "rotate", "--as", "supervisor")[0] == 0
    assert _key_file_bytes() != before
