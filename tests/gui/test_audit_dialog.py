"""The supervisor's audit log dialog: filters by user, action and date, exports CSV."""

from __future__ import annotations

import csv
import io

import pytest

from app.domain.errors import AuthenticationFailed
from app.services.auth import authenticate
from ui.audit_dialog import AuditDialog


def test_supervisor_filters_and_exports(qtbot, make_main_window, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller2", "wrong")
    window = make_main_window("supervisor", counter=0)
    assert window.audit_action.isVisible()
    window.audit_action.trigger()
    dialog = window.findChild(AuditDialog)
    assert dialog is not None and dialog.isVisible()
    actions = {row.action for row in dialog.model.rows()}
    assert {"user_create", "login", "login_failed"} <= actions

    dialog.user_field.setText("teller2")
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("login_failed"))
    dialog.search_button.click()
    [failed] = dialog.model.rows()
    assert (failed.username, failed.detail["reason"]) == ("teller2", "wrong password")
    assert dialog.model.data(dialog.model.index(0, 1)) == "teller2"

    # A date range before anything happened shows nothing.
    dialog.since_edit.setDate(dialog.since_edit.date().addYears(-10))
    dialog.until_edit.setDate(dialog.since_edit.date())
    dialog.search_button.click()
    assert dialog.model.rowCount() == 0
    dialog.since_edit.setDate(dialog.today)
    dialog.until_edit.setDate(dialog.today)

    out = tmp_path / "audit.csv"
    assert dialog.export_to(out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["username"], r["action"]) for r in rows] == [("teller2", "login_failed")]
    dialog.user_field.setText("supervisor")
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("export"))
    dialog.search_button.click()
    assert dialog.model.rowCount() == 1  # the export is on record


def test_the_entry_is_hidden_from_tellers(make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    assert not window.audit_action.isVisible()
