"""Bundle tests build the PyInstaller app (about a minute, 2 cores): run in CI (``CI=true``)
or on request (``BRANCHDESK_BUNDLE_TESTS=1``); skipped otherwise. Outside CI they are also
skipped when PyInstaller is not installed; in CI a missing PyInstaller is an error."""

from __future__ import annotations

import importlib.util
import os

import pytest


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _requested() -> bool:
    return os.environ.get("BRANCHDESK_BUNDLE_TESTS") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    bundle_items = [item for item in items if item.get_closest_marker("bundle")]
    if not bundle_items:
        return
    reason = None
    if not (_in_ci() or _requested()):
        reason = "builds the PyInstaller bundle: set BRANCHDESK_BUNDLE_TESTS=1 (CI sets CI=true)"
    elif not _in_ci() and importlib.util.find_spec("PyInstaller") is None:
        reason = 'PyInstaller is not installed: pip install -e ".[packaging]"'
    if reason:
        for item in bundle_items:
            item.add_marker(pytest.mark.skip(reason=reason))
