"""``branchdesk-admin checklists …``: validate (exit code, file/step/reason), list --json, import with a diff,
the blank form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.checklist_templates import templates_dir
from tests.integration.test_cli import Cli
from tests.unit.printing.pdfcheck import all_text, read


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


@pytest.fixture
def offline(capsys: pytest.CaptureFixture[str]) -> Cli:
    """For commands that need no database."""
    return Cli(None, capsys)


def test_validate_accepts_the_shipped_templates(offline) -> None:  # type: ignore[no-untyped-def]
    out = offline.ok("checklists", "validate")
    assert out.strip().endswith("10 of 10 template file(s) valid")
    report = json.loads(offline.ok("checklists", "validate", "--json"))
    assert all(entry["valid"] for entry in report) and {e["business_type"] for e in report} >= {"wealth", "loan"}


def test_validate_names_the_file_step_and_reason_and_fails(offline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = (templates_dir() / "loss_report.toml").read_text(encoding="utf-8")
    (tmp_path / "loss_report.toml").write_text(good, encoding="utf-8")
    (tmp_path / "broken.toml").write_text(good.replace('id = "stop_payment"\nkind = "tick"',
                                                       'id = "stop_payment"\nkind = "stamp"'), encoding="utf-8")
    (tmp_path / "stranger.toml").write_text(good.replace('"loss_report"', '"gold_bars"'), encoding="utf-8")
    code, out, _ = offline.run("checklists", "validate", str(tmp_path))
    assert code == 2
    assert "broken.toml: step stop_payment: kind must be one of tick, text" in out
    assert "stranger.toml: step -: business_type 'gold_bars' is not a business type" in out
    assert "1 of 3 template file(s) valid" in out
    code, out, _ = offline.run("checklists", "validate", str(tmp_path / "loss_report.toml"))
    assert code == 0
    code, _, err = offline.run("checklists", "validate", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in err


def test_list_import_and_blank_form(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli.ok("db", "upgrade")  # only setup, `db upgrade` and `demo` create a database
    listed = json.loads(cli.ok("checklists", "list", "--json"))
    wealth = next(entry for entry in listed if entry["business_type"] == "wealth")
    assert wealth["version"] == 1 and wealth["step_count"] == 12
    assert {entry["business_type"] for entry in listed} >= {"account_opening", "deposit_withdrawal", "ebanking"}
    changed = (templates_dir() / "wealth.toml").read_text(encoding="utf-8").replace("version = 1", "version = 2")
    changed = changed.replace('title_zh = "产品代码"', 'title_zh = "理财产品代码"')
    path = tmp_path / "wealth.toml"
    path.write_text(changed, encoding="utf-8")
    preview = json.loads(cli.ok("checklists", "import", str(path), "--json"))
    assert preview["imported"] is False
    assert preview["diff"] == ["~ version: 1 → 2", "~ step product_code: title_zh: 产品代码 → 理财产品代码"]
    out = cli.ok("checklists", "import", str(path), "--yes")
    assert "imported wealth version 2" in out
    code, _, err = cli.run("checklists", "import", str(path), "--yes")
    assert code == 2 and "not newer than version 2" in err
    listed = json.loads(cli.ok("checklists", "list", "--json", "--all"))
    assert [(e["version"], e["active"]) for e in listed if e["business_type"] == "wealth"] == [(1, False), (2, True)]
    cli.ok("demo")
    pdf = tmp_path / "blank.pdf"
    cli.ok("checklists", "blank", "--business", "wealth", "--output", str(pdf))
    assert "理财产品代码" in all_text(read(pdf.read_bytes()))
