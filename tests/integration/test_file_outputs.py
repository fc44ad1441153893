"""Files the admin CLI writes: whole or not at all, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.integration.customer_fixtures import credit_code
from tests.integration.test_cli import Cli

EVIL_COMPANY = '=HYPERLINK("http://evil.example","点此")'


@pytest.fixture
def cli(demo_cli: Cli) -> Cli:
    return demo_cli


def test_a_refused_export_leaves_the_old_file_untouched(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "customers.csv"
    target.write_text("last month's export\n", encoding="utf-8")
    cli.refused("customers", "export", "-o", str(target), "--as", "teller1")
    assert target.read_text(encoding="utf-8") == "last month's export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["customers.csv"]


def test_a_company_named_like_a_formula_is_exported_as_text(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,id_type,id_number,phone,address\n"
                      f"\"{EVIL_COMPANY.replace(chr(34), chr(34) * 2)}\",uscc,{credit_code()},0755-12345678,深圳市\n",
                      encoding="utf-8")
    assert cli.run("customers", "import", str(source))[0] == 0
    out = tmp_path / "out.csv"
    cli.ok("customers", "export", "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert "'" + EVIL_COMPANY in names and EVIL_COMPANY not in names


def test_a_user_name_typed_at_sign_in_is_exported_as_text(cli: Cli, tmp_path: Path) -> None:
    cli.refused("ticket", "issue", "--business", "loan", "--as", "@SUM(1+1)*cmd")  # no such user: a failed sign-in, audited
    out = tmp_path / "audit.csv"
    cli.ok("audit", "export", "--out", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert "'@SUM(1+1)*cmd" in text
    assert not any(line.startswith(("=", "+", "-", "@")) or ",@" in line or ",=" in line
                   for line in text.splitlines())
