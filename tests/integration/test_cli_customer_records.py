"""``branchdesk-admin customers add|edit|history``: a customer registered, changed and traced through
the CLI, on both databases; every refusal is one line, exit code 2, and writes nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry, Customer
from tests.integration.customer_fixtures import resident_id
from tests.integration.test_cli import Cli

ID_NUMBER = resident_id("110101", "19850612", "987")
PHONE = "13812341234"
CONSENT = ("--consent-scope", "service,营销", "--consent-date", "2026-01-05")


def _counts(url: str) -> tuple[int, int]:
    """Customers, and audit entries about customers."""
    db = Database(url)
    try:
        with db.read() as session:
            return (session.scalar(select(func.count()).select_from(Customer)) or 0,
                    session.scalar(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.target_type == "customer")) or 0)
    finally:
        db.dispose()


def _refused(cli: Cli, *argv: str) -> str:
    code, out, err = cli.run(*argv)
    assert "Traceback" not in err, err
    assert code == 2, (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("branchdesk-admin: "), err
    return lines[0]


def _ok(cli: Cli, *argv: str) -> str:
    code, out, err = cli.run(*argv)
    assert (code, err) == (0, ""), (argv, code, err)
    return out


def _json(cli: Cli, *argv: str):  # type: ignore[no-untyped-def]
    return json.loads(_ok(cli, *argv, "--json"))


def _register(cli: Cli) -> int:
    added = _json(cli, "customers", "add", "--name", "欧阳登记", "--id-number", ID_NUMBER, "--phone", PHONE,
                  "--address", "北京市东城区", *CONSENT, "--as", "teller1")
    assert set(added) == {"id"} and isinstance(added["id"], int)
    return int(added["id"])


def test_add_needs_consent_and_a_valid_date_and_writes_nothing_when_refused(demo_cli: Cli) -> None:
    cli = demo_cli
    before = _counts(cli.url)
    no_consent = _refused(cli, "customers", "add", "--name", "欧阳登记", "--id-number", ID_NUMBER,
                          "--phone", PHONE, "--consent-date", "2026-01-05", "--as", "teller1")
    assert no_consent.startswith("branchdesk-admin: consent: "), no_consent
    blank_scope = _refused(cli, "customers", "add", "--name", "欧阳登记", "--id-number", ID_NUMBER,
                           "--consent-scope", " ", "--consent-date", "2026-01-05", "--as", "teller1")
    assert blank_scope.startswith("branchdesk-admin: consent: "), blank_scope
    no_date = _refused(cli, "customers", "add", "--name", "欧阳登记", "--id-number", ID_NUMBER,
                       "--consent-scope", "service", "--as", "teller1")
    assert no_date.startswith("branchdesk-admin: consent date: "), no_date
    bad_date = _refused(cli, "customers", "add", "--name", "欧阳登记", "--id-number", ID_NUMBER,
                        "--consent-scope", "service", "--consent-date", "2026-13-40", "--as", "teller1")
    assert bad_date == "branchdesk-admin: --consent-date: a date (YYYY-MM-DD)", bad_date
    # The same sentence as the other CLI date options.
    assert _refused(cli, "report", "daily", "--date", "2026-13-40", "--out", "r.csv") == \
        "branchdesk-admin: --date: a date (YYYY-MM-DD)"
    assert "licence-expires" in _refused(cli, "customers", "add", "--name", "某公司", "--id-type", "uscc",
                                         "--id-number", "x", *CONSENT, "--licence-expires", "soon")
    assert _counts(cli.url) == before

    customer_id = _register(cli)
    assert _counts(cli.url) == (before[0] + 1, before[1] + 1)
    [hit] = _json(cli, "customers", "search", PHONE)["results"]
    assert hit["id"] == customer_id and hit["name"] != "欧阳登记"  # masked, as every list
    assert "registered customer" in _ok(cli, "customers", "add", "--name", "司徒文本",
                                        "--id-number", resident_id("110101", "19850613", "987"), *CONSENT)


def test_edit_names_what_changed_and_refuses_before_writing(demo_cli: Cli) -> None:
    cli = demo_cli
    customer_id = _register(cli)
    cid = str(customer_id)
    edited = _json(cli, "customers", "edit", cid, "--occupation", "教师", "--add-phone", "13900001111",
                   "--as", "teller1")
    assert edited == {"id": customer_id, "changed": ["occupation", "phone"]}

    before = _counts(cli.url)
    unknown = _refused(cli, "customers", "edit", cid, "--occupation", "医生", "--remove-phone", "137****0000",
                       "--as", "teller1")
    assert unknown.startswith("branchdesk-admin: phone to remove: "), unknown
    nothing = _refused(cli, "customers", "edit", cid, "--as", "teller1")
    assert "nothing was changed" in nothing, nothing
    same = _refused(cli, "customers", "edit", cid, "--occupation", "教师", "--as", "teller1")
    assert "nothing was changed" in same, same
    assert "--consent-date" in _refused(cli, "customers", "edit", cid, "--consent-date", "yesterday",
                                        "--as", "teller1")
    assert _counts(cli.url) == before
    assert [hit["id"] for hit in _json(cli, "customers", "search", "1111")["results"]] == [customer_id]

    text = _ok(cli, "customers", "edit", cid, "--remove-phone", "139****1111", "--occupation", "医生",
               "--as", "teller1")
    assert text.strip() == "changed: occupation, phone"
    assert _json(cli, "customers", "search", "1111")["results"] == []  # the removed phone finds nothing


def test_history_is_a_supervisors_view_newest_first(demo_cli: Cli) -> None:
    cli = demo_cli
    customer_id = _register(cli)
    _json(cli, "customers", "edit", str(customer_id), "--occupation", "教师", "--as", "teller1")

    history = _json(cli, "customers", "history", str(customer_id), "--as", "supervisor")
    assert [e["action"] for e in history][:2] == ["customer_change", "customer_create"]
    change, create = history[0], history[1]
    assert set(change) == {"at", "username", "action", "detail"}
    assert change["username"] == create["username"] == "teller1"
    assert change["detail"] == {"fields": ["occupation"]} and "教师" not in str(history)
    assert change["at"] >= create["at"] and "T" in change["at"]
    lines = _ok(cli, "customers", "history", str(customer_id), "--as", "supervisor").splitlines()
    assert "customer_change" in lines[0] and "customer_create" in lines[1] and "teller1" in lines[0]

    denied = _refused(cli, "customers", "history", str(customer_id), "--as", "teller1")
    assert "teller1" in denied and "may not" in denied, denied
    assert "does not exist" in _refused(cli, "customers", "history", "999999", "--as", "supervisor")


def test_tiers_are_recomputed_by_a_supervisor_only(demo_cli: Cli) -> None:
    cli = demo_cli
    _register(cli)
    line = _refused(cli, "customers", "tiers", "--as", "teller1")
    assert "may not" in line
    moves = _json(cli, "customers", "tiers", "--as", "supervisor")
    assert moves["customers"] >= 1 and moves["up"] == moves["down"] == 0 and moves["moves"] == []
    assert "moved up" in _ok(cli, "customers", "tiers", "--as", "supervisor")


def test_a_segment_is_counted_and_its_export_refused_leaves_no_file(demo_cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli = demo_cli
    _register(cli)  # consent covers marketing (CONSENT: service,营销)
    counted = _json(cli, "customers", "segment", "--tier", "normal", "--as", "lobby")
    assert counted["customers"] >= 1
    target = tmp_path / "contact.csv"
    line = _refused(cli, "customers", "segment", "--export", str(target), "--as", "teller1")
    assert "may not" in line and not target.exists()
    done = _json(cli, "customers", "segment", "--export", str(target), "--as", "supervisor")
    assert done["exported"] >= 1 and target.read_text(encoding="utf-8-sig").startswith("customer,name,phone,tier")
    assert PHONE not in target.read_text(encoding="utf-8-sig")
    assert "dormant days" in _refused(cli, "customers", "segment", "--dormant-days", "0", "--as", "lobby")
