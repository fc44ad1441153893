"""``branchdesk --self-test`` from source: every area once, and no data key left behind."""

from __future__ import annotations

import os
from pathlib import Path

from ui.self_test import run_self_test


def test_self_test_passes_and_leaves_no_data_key(qapp) -> None:  # type: ignore[no-untyped-def]
    ok, message = run_self_test(qapp, None, "zh_CN")
    assert ok, message
    assert "customers, complaint, checklist, dashboard and report ok" in message
    config = Path(os.environ["BRANCHDESK_CONFIG_DIR"])
    assert not (config / "data.key").exists()  # a throw-away key encrypted the test customers
