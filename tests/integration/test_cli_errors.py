"""The admin CLI answers every failure with one line and a documented exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import app.cli.main as cli_main
from tests.integration.test_cli import Cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)
    cli.ok("demo")
    return cli


@pytest.mark.parametrize("url, says", [("bogus://x", "'bogus' is not supported"), ("not a url", "not a URL")])
def test_an_unusable_database_url_is_named(capsys: pytest.CaptureFixture[str], url: str, says: str) -> None:
    assert says in Cli(url, capsys).refused("ticket", "list")


def test_missing_files_and_folders_are_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "No such file or directory" in cli.refused("customers", "import", str(tmp_path / "nope.csv"))
    assert "Is a directory" in cli.refused("customers", "import", str(tmp_path))
    assert "does not exist" in cli.refused("report", "daily", "--out", str(tmp_path / "no" / "r.pdf"))
    assert not (tmp_path / "no").exists()


def test_an_unexpected_error_is_one_line_with_a_reference(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_ctx: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_main, "cmd_business_list", broken)
    line = cli.refused("business", "list", code=1)
    assert "unexpected error (RuntimeError, reference " in line and "details in" in line


def test_output_piped_into_head_ends_quietly(cli: Cli) -> None:
    shell = (f"{sys.executable} -m app.cli.main business list --database {cli.url} --json"
             " | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}")
    for _ in range(3):  # the pipe breaks only when head has gone before the last write
        result = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), result.stderr


@pytest.mark.parametrize("command", [("ticket", "list"), ("counter", "list"), ("customers", "search", "张")])
def test_a_misspelled_sqlite_path_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  command: tuple[str, ...]) -> None:
    wrong = tmp_path / "wrong" / "dir" / "x.sqlite3"
    cli = Cli(f"sqlite:///{wrong}", capsys)
    assert f"There is no database at {wrong}" in cli.refused(*command)
    assert cli.json("db", "current")["current"] is None  # says there is nothing, creates nothing
    assert not (tmp_path / "wrong").exists()


def test_db_upgrade_and_demo_still_create_the_database_they_are_pointed_at(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    Cli(f"sqlite:///{tmp_path / 'new' / 'a.sqlite3'}", capsys).ok("db", "upgrade")
    Cli(f"sqlite:///{tmp_path / 'b.sqlite3'}", capsys).ok("demo")
    assert (tmp_path / "new" / "a.sqlite3").is_file() and (tmp_path / "b.sqlite3").is_file()
