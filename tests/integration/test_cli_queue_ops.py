"""``branchdesk-admin`` queue operations, counters, appointments and printing, on both databases."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from stdnum.cn import ric

from tests.integration.test_cli import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    runner = Cli(db_url, capsys)
    runner.ok("demo")
    return runner


def resident_id(born: str) -> str:
    body = f"110101{born}123"
    return body + ric.calc_check_digit(body + "0")


def test_matrix_priority_and_transfer(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli.ok("counter", "matrix", "--counter", "2", "--set", "wealth=0,loan=1").strip() == "wealth=0, loan=1"
    assert [e["business_code"] for e in cli.json("counter", "matrix", "--counter", "2")] == ["wealth", "loan"]

    loan = cli.json("ticket", "issue", "--business", "loan")
    elderly = cli.json("ticket", "issue", "--business", "loan", "--id-number", resident_id("19400101"))
    assert elderly["priority"] == "green"
    wealth = cli.json("ticket", "issue", "--business", "wealth")

    assert cli.json("ticket", "call", "--counter", "2")["number"] == wealth["number"]  # matrix rank first
    moved = cli.json("ticket", "transfer", "--counter", "2", "--to-business", "loan", "--position", "front")
    assert (moved["number"], moved["business_code"], moved["segment"]) == (wealth["number"], "loan", 2)

    # Green channel before the earlier normal ticket; the front-transferred one is normal too.
    assert cli.json("ticket", "call", "--counter", "2")["number"] == elderly["number"]
    cli.ok("ticket", "finish", "--counter", "2", "--outcome", "documents_missing", "--note", "缺户口本")
    assert cli.json("ticket", "call", "--counter", "2")["number"] == wealth["number"]
    cli.ok("ticket", "finish", "--counter", "2")
    assert cli.json("ticket", "call", "--counter", "2")["number"] == loan["number"]


def test_bad_input_is_refused_with_the_field(cli) -> None:  # type: ignore[no-untyped-def]
    assert "ID number" in cli.refused("ticket", "issue", "--business", "loan", "--id-number", "110101194001011230")
    assert "--set" in cli.refused("counter", "matrix", "--counter", "1", "--set", "loan=first")
    assert "reason" in cli.refused("ticket", "call", "--counter", "1", "--ticket", "A001", "--reason", " ")
    assert "phone" in cli.refused("appointment", "book", "--business", "loan", "--name", "王五", "--phone", "12345",
                                  "--at", "2099-01-01T10:00")


def test_counter_pause_blocks_calls_until_resumed(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("ticket", "issue", "--business", "remittance")
    assert cli.json("counter", "pause", "--counter", "3", "--reason", "meeting")["state"] == "paused"
    assert "paused" in cli.refused("ticket", "call", "--counter", "3")
    states = {c["number"]: c["state"] for c in cli.json("counter", "list")}
    assert states[3] == "paused" and states[1] == "open"
    cli.ok("counter", "resume", "--counter", "3")
    assert cli.json("ticket", "call", "--counter", "3")["number"] == "F001"


def test_appointment_booked_then_checked_in_on_time(cli, db_url) -> None:  # type: ignore[no-untyped-def]
    start = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(minutes=10)
    booking = cli.json("appointment", "book", "--business", "account_opening", "--name", "王五",
                       "--phone", "139 1234 5678", "--at", start.strftime("%Y-%m-%dT%H:%M"))
    assert booking["phone_masked"] == "139****5678" and len(booking["code"]) == 6
    ticket = cli.json("appointment", "check-in", "--code", booking["code"])
    assert (ticket["number"], ticket["priority"]) == ("A001", "appointment")
    assert "already" in cli.refused("appointment", "check-in", "--code", booking["code"])
    assert [b["status"] for b in cli.json("appointment", "list")] == ["checked_in"]


def test_print_slip_reads_back(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli.ok("ticket", "issue", "--business", "loan")
    out = tmp_path / "slip.pdf"
    cli.ok("print", "slip", "--ticket", "c001", "--out", str(out), "--width", "58")
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert abs(float(page.mediabox.width) - 58 * 72 / 25.4) < 0.5
    assert "C001" in page.extract_text() and "个人贷款" in page.extract_text()
    assert "not finished" in cli.refused("print", "receipt", "--ticket", "C001", "--out", str(tmp_path / "r.pdf"))
