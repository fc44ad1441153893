"""First-run setup against both databases: a PostgreSQL URL passes "Test connection" and is
set up like the local file (schema, branch, first supervisor)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from app.services.auth import authenticate
from app.services.bootstrap import prepare_database
from app.services.branches import get_branch
from app.services.first_run import FirstRunSetup, check_connection
from app.settings import Settings

PASSWORD = "Sup3rvisor!"


def test_setup_on_an_empty_database(db_url: str) -> None:
    flow = FirstRunSetup()
    if db_url.startswith("postgresql"):
        result = flow.test_connection(db_url)
        assert result.ok, result
        assert result.code == "ok" and result.server_version
        flow.choices.database_url = db_url
    else:
        flow.local_database_url = lambda: db_url  # type: ignore[method-assign]
    c = flow.choices
    c.branch_code, c.branch_name, c.counters, c.role, c.counter = "0202", "浦东支行", 2, "counter", 2
    c.bank_name = "东方银行"
    c.supervisor.username, c.supervisor.display_name = "li.zg", "李主管"
    c.supervisor.password = c.supervisor.password_again = PASSWORD
    flow.check_database()
    assert flow.needs_supervisor and flow.state.branches == ()
    flow.apply()

    settings = Settings()
    assert settings.get("workstation.branch") == "0202"
    db = prepare_database(db_url)
    try:
        assert get_branch(db, "0202").name == "浦东支行"
        assert authenticate(db, "li.zg", PASSWORD).role.value == "supervisor"
        # Setup is where the data key is made (no use case makes one), recorded and sealing the log.
        from app.keys import KeyRing, default_key_path
        from app.services.data_keys import registered_keys

        ring = KeyRing.read(default_key_path())
        assert registered_keys(db) == {ring.current: ring.fingerprint(ring.current)}
    finally:
        db.dispose()

    again = FirstRunSetup()
    if db_url.startswith("postgresql"):
        assert again.choices.database_url == db_url
    else:
        again.local_database_url = lambda: db_url  # type: ignore[method-assign]
    again.check_database()
    assert not again.needs_supervisor
    assert [b.code for b in again.state.branches] == ["0202"]


def test_wrong_database_name_is_reported(pg_url: str) -> None:
    url = make_url(pg_url).set(database="no_such_database_here").render_as_string(hide_password=False)
    result = check_connection(url)
    assert (result.ok, result.code, result.database) == (False, "no_database", "no_such_database_here")
