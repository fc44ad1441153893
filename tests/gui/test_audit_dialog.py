"""The supervisor's audit log dialog: filters by user, action and date, exports CSV."""

from __future__ import annotations

import csv
import re
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


#: A stored code shown as it is: snake_case, or JSON's braces and quotes.
CODE_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b|[{}\"]")


def test_the_log_reads_in_words_not_codes(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: actions, targets and details in words; whole numbers as integers. (The GUI tests
    run with the English source texts; the Chinese catalogue holds each, tests/unit/test_translations.)"""
    db, branch = demo_db
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller2", "wrong")
    window = make_main_window("supervisor", counter=0)
    services = window._ctx.services
    supervisor = window._ctx.actor
    services.branch_settings.change(supervisor, branch.id, {"queue.recalls_before_no_show": 3})
    window.open_matrix_editor().save()
    dialog = window.open_audit_log()
    texts = [str(dialog.model.data(dialog.model.index(row, column)))
             for row in range(dialog.model.rowCount()) for column in range(1, dialog.model.columnCount())]
    shown = "\n".join(texts)
    assert "Sign-in failed" in shown and "Setting changed" in shown and "Counter services changed" in shown
    assert "wrong password" in shown and "个人贷款 0" in shown, shown  # a reason; a business type by name
    assert not [text for text in texts if CODE_LIKE.search(text)], [t for t in texts if CODE_LIKE.search(t)]
    assert ".0" not in shown
    assert [dialog.action_combo.itemText(i) for i in range(dialog.action_combo.count())][:3] == [
        "All actions", "Signed in", "Sign-in failed"]
    dialog.close()
