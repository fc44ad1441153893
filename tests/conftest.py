"""Suite-wide setup: Qt runs offscreen; no test touches the user's real settings or data."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TEXTTOSPEECH_ENGINE", "mock")

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
