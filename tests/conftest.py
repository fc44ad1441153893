"""Suite-wide setup: Qt runs offscreen; no test touches the user's real settings or data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings as hypothesis_settings

import app.services.auth as auth
from app.db.engine import Database
from app.db.migrate import copy_sqlite
from app.services.bootstrap import prepare_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TEXTTOSPEECH_ENGINE", "mock")

# The same examples on every run, so CI is never red by chance; HYPOTHESIS_PROFILE=explore searches anew.
hypothesis_settings.register_profile("suite", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

#: Environment variables that would steer the app away from the test's temp dirs.
_STEERING_ENV = ("BRANCHDESK_DATABASE_URL", "BRANCHDESK_BRANCH", "BRANCHDESK_COUNTER", "BRANCHDESK_LANG",
                 "BRANCHDESK_DATA_KEY")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Config, data and log dirs point into a temp dir; no BRANCHDESK_* override leaks in.

    Uses its own temp dir (not ``tmp_path``) so a test's ``tmp_path`` stays empty for it."""
    root = tmp_path_factory.mktemp("branchdesk-home")
    dirs = {
        "BRANCHDESK_CONFIG_DIR": str(root / "config"),
        "BRANCHDESK_DATA_DIR": str(root / "data"),
        "BRANCHDESK_LOG_DIR": str(root / "log"),
    }
    for name, value in dirs.items():
        monkeypatch.setenv(name, value)
    for name in _STEERING_ENV:
        monkeypatch.delenv(name, raising=False)
    return dirs


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the business types and checklist templates seeded, made once.

    Tests that need a ready database copy it (``prepared_sqlite``): running the seven migrations
    again costs about a second a test. The migrations themselves are tested from empty files
    in tests/integration/test_migrations.py."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    prepare_database(f"sqlite:///{path}").dispose()
    return path


def prepared_sqlite(template: Path, target: Path) -> Database:
    """A database at ``target`` that is a copy of the template, brought up to date like the app does."""
    copy_sqlite(str(template), target)
    return prepare_database(f"sqlite:///{target}")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at production strength costs ~0.1 s a hash; seeding eight demo users per test
    would dominate the suite. Same code path, cheaper parameters."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
