"""First-run setup flow (app/services/first_run.py) without widgets, on a temp SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

import app.services.auth as auth
from app.domain.errors import ValidationError
from app.services.auth import authenticate
from app.services.bootstrap import prepare_database
from app.services.branches import get_branch, list_counters
from app.services.first_run import FirstRunSetup, check_connection, display_url, inspect_database
from app.settings import Settings

PASSWORD = "Sup3rvisor!"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def fill(flow: FirstRunSetup, **overrides: object) -> FirstRunSetup:
    c = flow.choices
    c.language, c.branch_code, c.branch_name, c.counters = "en", "0101", "城东支行", 4
    c.bank_name = "东方银行"
    c.role, c.counter, c.slip_width_mm, c.slip_printer = "counter", 3, 58, "Kiosk-Thermal"
    c.supervisor.username, c.supervisor.display_name = "wang.zg", "王主管"
    c.supervisor.password = c.supervisor.password_again = PASSWORD
    for name, value in overrides.items():
        setattr(c, name, value)
    return flow


def problem_code(flow: FirstRunSetup) -> str:
    with pytest.raises(ValidationError) as caught:
        flow.check_all()
    return caught.value.code


def test_fresh_setup_writes_settings_database_branch_and_supervisor() -> None:
    flow = fill(FirstRunSetup())
    assert not flow.rerun and not flow.settings.exists
    flow.check_database()
    assert flow.needs_supervisor
    result = flow.apply()

    assert result.branch_created and result.supervisor_created
    settings = Settings()
    assert settings.exists
    assert settings.get("ui.language") == "en"
    assert settings.get("database.url") == ""
    assert settings.get("workstation.branch") == "0101"
    assert settings.get("workstation.role") == "counter"
    assert settings.get("workstation.counter") == 3
    assert settings.get("printing.slip_width_mm") == 58
    assert settings.get("printing.slip_printer") == "Kiosk-Thermal"
    db = prepare_database(settings.database_url())
    try:
        branch = get_branch(db, "0101")
        assert branch.name == "城东支行"
        assert [c.number for c in list_counters(db, branch.id)] == [1, 2, 3, 4]
        actor = authenticate(db, "wang.zg", PASSWORD)
        assert actor.role.value == "supervisor" and actor.branch_id == branch.id
    finally:
        db.dispose()


@pytest.mark.parametrize(("overrides", "supervisor", "code"), [
    ({"branch_code": " "}, {}, "branch_code"),
    ({"branch_code": "01 01"}, {}, "branch_code"),
    ({"branch_name": ""}, {}, "branch_name"),
    ({"bank_name": " "}, {}, "bank_name"),
    ({"bank_name": "银" * 41}, {}, "bank_name_long"),
    ({"counter": 5}, {}, "counter_number"),
    ({"role": "teller"}, {}, "role"),
    ({"slip_width_mm": 72}, {}, "slip_width"),
    ({"language": "fr"}, {}, "language"),
    ({}, {"username": "王"}, "username"),
    ({}, {"display_name": " "}, "display_name"),
    ({}, {"password": "short", "password_again": "short"}, "password_short"),
    ({}, {"password": "onlyletters", "password_again": "onlyletters"}, "password_weak"),
    ({}, {"password_again": PASSWORD + "x"}, "password_mismatch"),
])
def test_each_step_refuses_bad_input(overrides: dict, supervisor: dict, code: str) -> None:
    flow = fill(FirstRunSetup(), **overrides)
    for name, value in supervisor.items():
        setattr(flow.choices.supervisor, name, value)
    assert problem_code(flow) == code
    with pytest.raises(ValidationError):
        flow.apply()
    assert not Settings().exists
    assert not Path(flow.local_database_url().removeprefix("sqlite:///")).exists()


def test_untested_postgresql_url_is_refused_and_nothing_is_written() -> None:
    flow = fill(FirstRunSetup(), database_url="postgresql://branchdesk@db.example/branchdesk")
    assert problem_code(flow) == "connection_not_tested"
    with pytest.raises(ValidationError):
        flow.apply()
    assert not Settings().exists


def test_refused_connection_is_reported_with_host_and_port() -> None:
    flow = FirstRunSetup()
    result = flow.test_connection("postgresql://nobody@127.0.0.1:1/none")
    assert not result.ok
    assert (result.code, result.host, result.port, result.database) == ("refused", "127.0.0.1", 1, "none")
    assert "refused" in result.detail.lower()
    flow.choices.database_url = "postgresql://nobody@127.0.0.1:1/none"
    with pytest.raises(ValidationError):
        flow.check_database()


@pytest.mark.parametrize(("url", "code"), [
    ("", "bad_url"),
    ("not a url", "bad_url"),
    ("postgresql://u@host:port/db", "bad_url"),
    ("postgresql://u@host/", "bad_url"),
    ("mysql://u@host/db", "not_postgresql"),
    ("postgresql://u@no-such-host.invalid/db", "unknown_host"),
])
def test_connection_check_names_the_problem(url: str, code: str) -> None:
    result = check_connection(url, timeout_s=2)
    assert (result.ok, result.code) == (False, code)


def test_failed_step_leaves_no_settings_and_no_new_database_file() -> None:
    settings = Settings()
    settings.set("branch.timezone", "Mars/Olympus_Mons")  # create_branch refuses it, after migrating
    flow = fill(FirstRunSetup(settings))
    flow.check_database()
    with pytest.raises(ValidationError):
        flow.apply()
    assert not settings.path.exists()
    database = Path(flow.local_database_url().removeprefix("sqlite:///"))
    assert not list(database.parent.glob("branchdesk.sqlite3*"))


def test_inspecting_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    state = inspect_database(f"sqlite:///{tmp_path / 'nowhere' / 'x.sqlite3'}")
    assert state.users == 0 and state.branches == ()
    assert not (tmp_path / "nowhere").exists()


def test_rerun_keeps_users_and_the_existing_branch() -> None:
    fill(FirstRunSetup()).apply()

    again = FirstRunSetup()
    assert again.rerun
    assert again.choices.branch_code == "0101" and again.choices.counter == 3
    again.check_database()
    assert not again.needs_supervisor
    assert again.state.branch("0101").counters == 4
    again.choices.role = "kiosk"
    again.choices.supervisor.username = ""  # not asked: the database has users
    again.choices.branch_name = again.choices.bank_name = ""  # an existing branch keeps its names
    assert again.state.branch("0101").bank_name == "东方银行"
    result = again.apply()

    assert not result.branch_created and not result.supervisor_created
    settings = Settings()
    assert settings.get("workstation.role") == "kiosk"
    assert settings.get("workstation.counter") == 0
    db = prepare_database(settings.database_url())
    try:
        assert get_branch(db, "0101").name == "城东支行"
        authenticate(db, "wang.zg", PASSWORD)
    finally:
        db.dispose()


def test_counter_must_exist_in_an_existing_branch() -> None:
    fill(FirstRunSetup()).apply()
    again = FirstRunSetup()
    again.check_database()
    again.choices.counter = 5  # the branch has 4
    assert problem_code(again) == "counter_number"


def test_display_url_hides_the_password() -> None:
    assert display_url("postgresql://bd:secret@db/branchdesk") == "postgresql://bd:***@db/branchdesk"
    assert display_url("") == ""
