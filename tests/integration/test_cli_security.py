"""``branchdesk-admin user reset-password|unlock`` on both databases."""

from __future__ import annotations

import pytest

from app.db.engine import Database
from app.domain.errors import AuthenticationFailed
from app.services.auth import AccountLocked, AuthPolicy, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from tests.integration.test_cli import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_unlock_and_reset_password(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("demo")
    db = Database(cli.url)
    try:
        policy = AuthPolicy(max_failed_logins=2)
        for error in (AuthenticationFailed, AccountLocked):
            with pytest.raises(error):
                authenticate(db, "teller3", "wrong", policy=policy)
        assert cli.json("user", "unlock", "teller3") == {"username": "teller3", "was_locked": True}
        assert "was not locked" in cli.ok("user", "unlock", "teller3")
        authenticate(db, "teller3", DEMO_PASSWORD, policy=policy)

        assert "password" in cli.refused("user", "reset-password", "teller3", "--password", "onlyletters")
        assert "nobody" in cli.refused("user", "reset-password", "nobody", "--password", "Fresh2026pw")
        assert cli.json("user", "reset-password", "teller3", "--password", "Fresh2026pw")["reset"] is True
        assert authenticate(db, "teller3", "Fresh2026pw").username == "teller3"
    finally:
        db.dispose()
