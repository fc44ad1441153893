"""Workstation settings: declared defaults, the TOML file, environment overrides."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs
import pytest

from app.settings import APP_NAME, SPECS, Settings, SettingsError, config_dir, data_dir, log_dir


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "settings.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_suite_isolation_is_in_place(isolated_settings) -> None:  # type: ignore[no-untyped-def]
    for name in ("BRANCHDESK_DATABASE_URL", "BRANCHDESK_BRANCH", "BRANCHDESK_COUNTER", "BRANCHDESK_LANG"):
        assert name not in os.environ
    assert config_dir() == Path(isolated_settings["BRANCHDESK_CONFIG_DIR"])
    assert data_dir() == Path(isolated_settings["BRANCHDESK_DATA_DIR"])
    assert log_dir() == Path(isolated_settings["BRANCHDESK_LOG_DIR"])
    assert Settings().path == config_dir() / "settings.toml"


def test_dirs_default_to_platformdirs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("BRANCHDESK_CONFIG_DIR", "BRANCHDESK_DATA_DIR", "BRANCHDESK_LOG_DIR"):
        monkeypatch.delenv(name)
    assert config_dir() == Path(platformdirs.user_config_dir(APP_NAME, APP_NAME))
    assert data_dir() == Path(platformdirs.user_data_dir(APP_NAME, APP_NAME))
    assert log_dir() == Path(platformdirs.user_log_dir(APP_NAME, APP_NAME))


def test_specs_are_consistent() -> None:
    keys = [spec.key for spec in SPECS]
    assert len(keys) == len(set(keys))
    envs = [spec.env for spec in SPECS if spec.env]
    assert len(envs) == len(set(envs)) and all(e.startswith("BRANCHDESK_") for e in envs)
    for spec in SPECS:
        assert spec.key.count(".") == 1, spec.key
        assert isinstance(spec.default, spec.type), spec.key
        assert not spec.choices or spec.default in spec.choices, spec.key
        assert spec.help, spec.key


def test_defaults_without_a_file(path: Path) -> None:
    settings = Settings(path, environ={})
    assert not settings.exists
    for spec in SPECS:
        assert settings.get(spec.key) == spec.default
    assert settings.get("database.url") == ""
    assert settings.get("workstation.counter") == 0
    assert settings.get("ui.language") == "zh_CN"
    assert settings.get("branch.timezone") == "Asia/Shanghai"
    assert settings.get("printing.slip_width_mm") == 80


def test_values_from_the_toml_file(path: Path) -> None:
    write(path, """
[workstation]
branch = "SH001"
counter = 3
role = "lobby"

[ui]
language = "en"

[printing]
slip_width_mm = 58
bank_name = "示范银行"

[unknown_section]
whatever = 1
""")
    settings = Settings(path, environ={})
    assert settings.exists
    assert settings.get("workstation.branch") == "SH001"
    assert settings.get("workstation.counter") == 3
    assert settings.get("workstation.role") == "lobby"
    assert settings.get("ui.language") == "en"
    assert settings.get("printing.slip_width_mm") == 58
    assert settings.get("printing.bank_name") == "示范银行"
    assert settings.get("queue.wait_alert_minutes") == 20  # not in the file: default


def test_environment_wins_over_the_file(path: Path) -> None:
    write(path, '[workstation]\nbranch = "SH001"\ncounter = 3\n[ui]\nlanguage = "en"\n')
    env = {"BRANCHDESK_BRANCH": "BJ009", "BRANCHDESK_COUNTER": " 5 ", "BRANCHDESK_LANG": "zh_CN"}
    settings = Settings(path, environ=env)
    assert settings.get("workstation.branch") == "BJ009"
    assert settings.get("workstation.counter") == 5
    assert settings.get("ui.language") == "zh_CN"


def test_empty_environment_variable_does_not_override(path: Path) -> None:
    write(path, "[workstation]\ncounter = 3\n")
    assert Settings(path, environ={"BRANCHDESK_COUNTER": ""}).get("workstation.counter") == 3


def test_process_environment_is_used_by_default(path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BRANCHDESK_COUNTER", "4")
    assert Settings(path).get("workstation.counter") == 4


def test_bad_int_in_environment_names_key_and_variable(path: Path) -> None:
    settings = Settings(path, environ={"BRANCHDESK_COUNTER": "three"})
    with pytest.raises(SettingsError) as caught:
        settings.get("workstation.counter")
    message = str(caught.value)
    assert "workstation.counter" in message and "BRANCHDESK_COUNTER" in message and "'three'" in message


def test_bad_value_in_file_names_key_and_file(path: Path) -> None:
    write(path, '[workstation]\ncounter = "three"\n[ui]\nlanguage = "fr"\n')
    settings = Settings(path, environ={})
    with pytest.raises(SettingsError, match="workstation.counter") as caught:
        settings.get("workstation.counter")
    assert str(path) in str(caught.value)
    with pytest.raises(SettingsError, match="ui.language"):
        settings.get("ui.language")


def test_choice_outside_the_list_in_environment(path: Path) -> None:
    with pytest.raises(SettingsError, match="ui.language"):
        Settings(path, environ={"BRANCHDESK_LANG": "fr"}).get("ui.language")


def test_set_checks_and_converts(path: Path) -> None:
    settings = Settings(path, environ={})
    settings.set("workstation.counter", "7")
    assert settings.get("workstation.counter") == 7
    with pytest.raises(SettingsError):
        settings.set("printing.slip_width_mm", 75)
    with pytest.raises(SettingsError):
        settings.set("workstation.counter", "x")
    with pytest.raises(KeyError):
        settings.set("no.such_key", 1)
    with pytest.raises(KeyError):
        settings.get("no.such_key")


def test_save_round_trips(path: Path) -> None:
    settings = Settings(path, environ={})
    settings.set("workstation.branch", "SH001")
    settings.set("workstation.counter", 2)
    settings.set("ui.language", "en")
    settings.set("printing.slip_notice", "请留意叫号屏幕。")
    settings.set("database.url", "postgresql://branchdesk@db.example/branchdesk")
    settings.save()
    assert path.exists()
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]  # no temp file left behind

    again = Settings(path, environ={})
    for key in ("workstation.branch", "workstation.counter", "ui.language", "printing.slip_notice", "database.url"):
        assert again.get(key) == settings.get(key)
    with path.open("rb") as fh:
        stored = tomllib.load(fh)
    assert stored["workstation"] == {"branch": "SH001", "counter": 2}
    assert stored["printing"]["slip_notice"] == "请留意叫号屏幕。"
    # Saving again keeps values read from the file.
    again.set("workstation.counter", 9)
    again.save()
    third = Settings(path, environ={})
    assert (third.get("workstation.branch"), third.get("workstation.counter")) == ("SH001", 9)


def test_environment_overrides_are_not_saved(path: Path) -> None:
    settings = Settings(path, environ={"BRANCHDESK_BRANCH": "FROM_ENV"})
    settings.set("workstation.counter", 1)
    settings.save()
    assert "FROM_ENV" not in path.read_text(encoding="utf-8")


def test_database_url_defaults_to_sqlite_in_the_data_dir(path: Path, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(path, environ={})
    expected = Path(isolated_settings["BRANCHDESK_DATA_DIR"]) / "branchdesk.sqlite3"
    assert settings.database_url() == f"sqlite:///{expected}"


def test_database_url_from_file_then_environment(path: Path) -> None:
    write(path, '[database]\nurl = "postgresql://file@host/db"\n')
    assert Settings(path, environ={}).database_url() == "postgresql://file@host/db"
    env = {"BRANCHDESK_DATABASE_URL": "postgresql://env@host/db"}
    assert Settings(path, environ=env).database_url() == "postgresql://env@host/db"


def test_a_branch_value_comes_after_the_environment_and_before_the_file(path: Path) -> None:
    write(path, "[complaints]\ndecide_days = 20\n[queue]\nelderly_age = 70\n[printing]\nslip_width_mm = 58\n")
    settings = Settings(path, environ={})
    settings.use_branch_values({"complaints.decide_days": 10, "printing.slip_width_mm": 80, "no.such": 1})
    assert settings.get("complaints.decide_days") == 10 and settings.source("complaints.decide_days") == "branch"
    assert settings.get("queue.elderly_age") == 70 and settings.source("queue.elderly_age") == "file"
    assert settings.get("queue.starvation_minutes") == 30 and settings.source("queue.starvation_minutes") == "default"
    # A workstation setting (the slip printer's paper) is never taken from the branch.
    assert settings.get("printing.slip_width_mm") == 58 and settings.source("printing.slip_width_mm") == "file"
    settings.use_branch_values({})
    assert settings.get("complaints.decide_days") == 20


def test_policy_is_branch_wide_and_the_workstation_keeps_its_own_setup() -> None:
    from app.settings import branch_specs

    shared = {s.key for s in branch_specs()}
    assert {"complaints.decide_days", "queue.starvation_minutes", "security.max_failed_logins",
            "customers.tier_gold_score", "display.notice"} <= shared
    assert not shared & {"database.url", "workstation.counter", "workstation.role", "ui.language",
                         "printing.slip_printer", "printing.slip_width_mm", "customers.key_file", "backup.dir"}


def test_every_branch_wide_number_declares_bounds_around_its_default() -> None:
    from app.settings import branch_specs

    for spec in branch_specs():
        if spec.type in (int, float):
            assert spec.minimum is not None and spec.maximum is not None, spec.key
            assert spec.minimum <= spec.default <= spec.maximum, spec.key


def test_a_group_the_branch_sets_part_of_never_mixes_with_this_pcs_file(path: Path) -> None:
    """The file's deadlines (20 / 25 / 30) with the branch's decide_days 28 would not lengthen."""
    write(path, "[complaints]\ndecide_days = 20\nextended_days = 25\nmax_days = 30\nreview_days = 40\n")
    settings = Settings(path, environ={})
    settings.use_branch_values({"complaints.decide_days": 28})
    assert [settings.get(f"complaints.{k}_days") for k in ("decide", "extended", "max")] == [28, 30, 60]
    assert settings.source("complaints.extended_days") == "default"
    assert settings.get("complaints.review_days") == 40  # not in a group: the file still applies
    settings.use_branch_values({})
    assert settings.get("complaints.extended_days") == 25


@pytest.mark.parametrize(("word", "value"), [("yes", True), ("ON", True), ("1", True), ("no", False), ("off", False)])
def test_yes_no_words(path: Path, word: str, value: bool) -> None:
    assert Settings(path, environ={}).get("security.password_letters_and_digits") is True
    write(path, f'[security]\npassword_letters_and_digits = "{word}"\n')
    assert Settings(path, environ={}).get("security.password_letters_and_digits") is value


def test_a_word_that_is_not_yes_or_no_is_refused(path: Path) -> None:
    write(path, '[security]\npassword_letters_and_digits = "ture"\n')
    with pytest.raises(SettingsError, match="password_letters_and_digits"):
        Settings(path, environ={}).get("security.password_letters_and_digits")
