"""The database records the fingerprints of its data keys; a missing or wrong key is refused, never replaced."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete

from app.db.models import DataKey
from app.domain.errors import DataKeyMissing, DataKeyUnreadable, DataKeyWrong
from app.keys import KEY_ENV, KeyRing, default_key_path
from app.services.customers.service import CustomerService
from app.services.data_keys import create_data_key, registered_keys
from app.services.queue import QueueService
from tests.integration.customer_fixtures import person, resident_id
from tests.integration.test_cli import Cli

ID = resident_id(sequence="311")


def _service(db, clock, key_file: Path) -> CustomerService:  # type: ignore[no-untyped-def]
    return CustomerService(db, clock=clock, key_file=str(key_file))


@pytest.fixture
def key_file(db, branch) -> Path:  # type: ignore[no-untyped-def]
    """The workstation's key file, made as setup makes it."""
    create_data_key(db)
    return default_key_path()


@pytest.fixture
def stored(db, clock, actors, key_file):  # type: ignore[no-untyped-def]
    """A customer stored under the key setup made; returns that key ring."""
    _service(db, clock, key_file).create(actors.teller1, person("张三", ID, "13812341234"))
    return KeyRing.read(key_file)


def _finds(db, clock, actors, key_file: Path) -> bool:  # type: ignore[no-untyped-def]
    return bool(_service(db, clock, key_file).search(actors.teller1, ID).items)


def test_setup_records_the_new_keys_fingerprint(db, stored) -> None:  # type: ignore[no-untyped-def]
    assert registered_keys(db) == {stored.current: stored.fingerprint(stored.current)}
    assert len(stored.fingerprint(stored.current)) == 19  # four groups of four hex digits


def test_a_deleted_key_file_is_refused_and_not_made_again(db, clock, actors, key_file, stored) -> None:  # type: ignore[no-untyped-def]
    key_file.unlink()
    with pytest.raises(DataKeyMissing) as refused:
        _finds(db, clock, actors, key_file)
    assert str(key_file) in refused.value.message and stored.fingerprint(stored.current) in refused.value.message
    assert not key_file.exists()
    assert QueueService(db, clock=clock, key_file=str(key_file))._customer_cipher() is None  # the kiosk: nobody
    assert not key_file.exists()


def test_another_key_file_is_refused_with_both_fingerprints(db, clock, actors, key_file, stored) -> None:  # type: ignore[no-untyped-def]
    other = KeyRing.generate()
    other.write(key_file)
    with pytest.raises(DataKeyWrong) as refused:
        _finds(db, clock, actors, key_file)
    message = refused.value.message
    assert other.fingerprint(other.current) in message and stored.fingerprint(stored.current) in message
    assert registered_keys(db) == {stored.current: stored.fingerprint(stored.current)}  # nothing recorded


def test_a_valid_but_wrong_environment_key_is_refused(db, clock, actors, key_file, stored, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(KEY_ENV, KeyRing.generate().to_env_value())
    with pytest.raises(DataKeyWrong, match=KEY_ENV):
        _finds(db, clock, actors, key_file)
    monkeypatch.setenv(KEY_ENV, stored.to_env_value())  # the branch's key, as a shared install sets it
    assert _finds(db, clock, actors, key_file)


@pytest.mark.parametrize("damage", ["empty", "corrupt", "folder"])
def test_an_unusable_key_file_is_refused_in_one_sentence(db, clock, actors, key_file, stored, damage) -> None:  # type: ignore[no-untyped-def]
    key_file.unlink()
    if damage == "folder":
        key_file.mkdir()
    else:
        key_file.write_text("" if damage == "empty" else "{not json", encoding="utf-8")
    with pytest.raises(DataKeyUnreadable) as refused:
        _finds(db, clock, actors, key_file)
    assert str(key_file) in refused.value.message and "\n" not in refused.value.message


def test_a_database_from_before_the_registry_records_a_key_that_opens_its_data(db, clock, actors, key_file,  # type: ignore[no-untyped-def]
                                                                                stored) -> None:
    with db.write() as session:
        session.execute(delete(DataKey))
    wrong = KeyRing.generate()
    wrong.write(key_file.with_name("wrong.key"))
    with pytest.raises(DataKeyWrong):
        _finds(db, clock, actors, key_file.with_name("wrong.key"))
    assert registered_keys(db) == {}
    assert _finds(db, clock, actors, key_file)
    assert registered_keys(db) == {stored.current: stored.fingerprint(stored.current)}


def test_restore_on_a_new_pc_needs_the_key_file_copied_with_the_database(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old_pc, new_pc = tmp_path / "old", tmp_path / "new"
    monkeypatch.setenv("BRANCHDESK_CONFIG_DIR", str(old_pc / "config"))
    cli = Cli(f"sqlite:///{old_pc / 'branchdesk.sqlite3'}", capsys)
    cli.ok("demo")
    source = tmp_path / "in.csv"
    source.write_text(f"name,id_type,id_number,phone,address\n张三,resident_id,{ID},13812341234,北京\n",
                      encoding="utf-8")
    assert cli.run("customers", "import", str(source))[0] == 0
    backup = cli.json("backup", "--out", str(tmp_path / "backups"))["file"]

    new_pc.mkdir()
    shutil.copy(backup, new_pc / "branchdesk.sqlite3")  # the database alone
    monkeypatch.setenv("BRANCHDESK_CONFIG_DIR", str(new_pc / "config"))
    moved = Cli(f"sqlite:///{new_pc / 'branchdesk.sqlite3'}", capsys)
    refused = moved.refused("customers", "search", ID)
    assert "data key file" in refused and "missing" in refused
    assert not (new_pc / "config" / "data.key").exists()
    (new_pc / "config").mkdir(exist_ok=True)
    shutil.copy(old_pc / "config" / "data.key", new_pc / "config" / "data.key")  # and the branch's key copy
    assert moved.json("customers", "search", ID)["results"][0]["name"] == "张*"


def test_keys_status_shows_fingerprints_and_warns_of_loose_permissions(db_url, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(db_url, capsys)
    cli.ok("demo")
    cli.ok("customers", "search", "张")  # the first use makes and records the key
    status = cli.json("keys", "status")
    assert status["registered"] == status["fingerprints"] and status["warnings"] == []
    from app.keys import default_key_path

    os.chmod(default_key_path(""), 0o644)
    assert any("other users" in w for w in cli.json("keys", "status")["warnings"])
    rotated = cli.run("keys", "rotate", "--json")
    assert rotated[0] == 0
    status = cli.json("keys", "status")
    assert len(status["registered"]) == 2 and status["registered"] == status["fingerprints"]
    cli.ok("keys", "prune")
    # The old key no longer encrypts any value, but it sealed the audit entries written before the
    # rotation: prune keeps it, so `audit verify` can still check them.
    assert set(cli.json("keys", "status")["registered"]) == set(status["registered"])
    assert cli.json("audit", "verify")["intact"] is True


def test_no_use_case_makes_a_key_only_setup_or_keys_create(db_url, capsys) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(db_url, capsys)
    cli.ok("db", "upgrade")
    cli.ok("branch", "add", "--code", "SH009", "--name", "测试支行")
    assert "keys create" in cli.refused("customers", "search", "13812341234")  # exact search needs the key
    assert not default_key_path().exists()
    made = cli.json("keys", "create")
    assert made["created"] is True and default_key_path().exists()
    assert cli.json("keys", "create")["created"] is False  # a second time makes nothing
    assert cli.json("customers", "search", "13812341234")["results"] == []
    [entry] = cli.json("audit", "list", "--action", "key_rotation")
    assert entry["detail"]["fingerprint"] == made["fingerprint"]
