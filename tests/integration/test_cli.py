"""``branchdesk-admin``: the same use cases as the GUI, for setup scripts and kiosk hardware.

Called in-process (``main(argv)``) on both databases; one real subprocess proves the
installed entry point starts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli.main import main
from app.db.engine import Database
from app.db.migrate import current_revision, head_revision


class Cli:
    """Runs ``main`` with ``--database URL`` appended; returns (exit code, stdout, stderr)."""

    def __init__(self, url: str | None, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *argv: str) -> tuple[int, str, str]:
        args = list(argv) + (["--database", self.url] if self.url else [])
        self.capsys.readouterr()
        code = main(args)
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert (code, err) == (0, ""), f"{argv}: exit {code}, stderr {err!r}"
        return out

    def json(self, *argv: str):  # type: ignore[no-untyped-def]
        return json.loads(self.ok(*argv, "--json"))

    def refused(self, *argv: str, code: int = 2) -> str:
        got, out, err = self.run(*argv)
        assert got == code, (got, out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("branchdesk-admin: "), err
        return lines[0]


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_admin_session_from_empty_database_to_served_ticket(cli) -> None:  # type: ignore[no-untyped-def]
    probe = Database(cli.url)
    head = head_revision(probe)
    probe.dispose()

    assert cli.json("db", "current") == {"current": None, "head": head, "up_to_date": False}
    assert cli.json("db", "upgrade") == {"from": None, "to": head}
    assert cli.json("db", "current") == {"current": head, "head": head, "up_to_date": True}
    assert "up to date" not in cli.ok("db", "current")  # text form: "current X, head X"

    demo = cli.json("demo")
    assert (demo["code"], demo["timezone"]) == ("DEMO", "Asia/Shanghai")
    assert cli.json("demo") == demo  # idempotent

    types = cli.json("business", "list")
    assert len(types) == 10
    assert {t["prefix"] for t in types} >= {"A", "C"} and len({t["prefix"] for t in types}) == 10
    assert next(t for t in types if t["code"] == "loan")["prefix"] == "C"

    issued = cli.json("ticket", "issue", "--business", "loan")
    assert (issued["number"], issued["status"], issued["business_code"]) == ("C001", "waiting", "loan")
    assert issued["waiting_ahead"] == 0

    called = cli.json("ticket", "call", "--counter", "1")
    assert (called["id"], called["number"], called["status"]) == (issued["id"], "C001", "called")
    assert (called["counter_number"], called["call_count"]) == (1, 1)

    code, out, err = cli.run("ticket", "call", "--counter", "2", "--json")
    assert (code, out.strip(), err) == (0, "null", "")
    assert cli.ok("ticket", "call", "--counter", "2").strip() == "nobody is waiting"

    finished = cli.ok("ticket", "finish", "--counter", "1")
    assert finished.startswith("C001") and "finished" in finished

    assert cli.json("ticket", "list", "--status", "waiting") == []
    listed = cli.json("ticket", "list")
    assert [(t["number"], t["status"]) for t in listed] == [("C001", "finished")]
    assert cli.json("ticket", "list", "--date", "2001-01-01") == []


def test_refusals_are_one_line_on_stderr_with_exit_code_2(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("demo")
    assert "no_such_business" in cli.refused("ticket", "issue", "--business", "no_such_business", "--json")
    assert "Counter 1 has no called ticket" in cli.refused("ticket", "finish", "--counter", "1")
    assert "Counter 99" in cli.refused("ticket", "call", "--counter", "99")
    assert "NOPE" in cli.refused("ticket", "list", "--branch", "NOPE")
    cli.ok("ticket", "issue", "--business", "wealth")
    cli.ok("ticket", "call", "--counter", "3")
    assert "counter_busy" not in cli.refused("ticket", "call", "--counter", "3")  # a sentence, not a code


def test_several_branches_need_branch(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("demo")
    added = cli.json("branch", "add", "--code", "SH002", "--name", "浦东支行", "--counters", "2")
    assert added["code"] == "SH002"
    assert "--branch" in cli.refused("ticket", "issue", "--business", "loan")
    assert cli.json("ticket", "issue", "--business", "loan", "--branch", "SH002")["number"] == "C001"
    assert cli.json("ticket", "issue", "--business", "loan", "--branch", "DEMO")["number"] == "C001"
    assert "already exists" in cli.refused("branch", "add", "--code", "SH002", "--name", "again")


def test_user_add_reads_the_password_from_stdin(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    from app.services.auth import authenticate

    cli.ok("demo")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Secret#2026\n"))
    created = cli.json("user", "add", "--username", "newbie", "--name", "新人", "--role", "teller",
                       "--branch", "DEMO")
    assert created["username"] == "newbie"
    db = Database(cli.url)
    try:
        assert authenticate(db, "newbie", "Secret#2026").role == "teller"
    finally:
        db.dispose()
    assert "password" in cli.refused("user", "add", "--username", "short", "--name", "x", "--role", "teller",
                                     "--password", "short")


def test_database_from_environment_and_default_sqlite_file(capsys, monkeypatch, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(None, capsys)
    # Nothing configured: the SQLite file in the data dir.
    head = cli.json("db", "upgrade")["to"]
    default_file = Path(isolated_settings["BRANCHDESK_DATA_DIR"]) / "branchdesk.sqlite3"
    assert default_file.exists()
    # The environment wins over the default.
    other = Path(isolated_settings["BRANCHDESK_DATA_DIR"]) / "elsewhere.sqlite3"
    monkeypatch.setenv("BRANCHDESK_DATABASE_URL", f"sqlite:///{other}")
    assert cli.json("db", "current")["current"] is None
    cli.ok("db", "upgrade")
    db = Database(f"sqlite:///{other}")
    try:
        assert current_revision(db) == head
    finally:
        db.dispose()


def test_unreachable_database_is_exit_code_1(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(f"postgresql://nobody@/nothing?host={tmp_path}", capsys)
    line = cli.refused("db", "current", code=1)
    assert "database unavailable" in line


def test_installed_entry_point_reports_its_version() -> None:
    script = Path(sys.executable).parent / "branchdesk-admin"
    if not script.exists():
        found = shutil.which("branchdesk-admin")
        assert found, "branchdesk-admin is not installed (pip install -e .)"
        script = Path(found)
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"branchdesk {__version__}"
