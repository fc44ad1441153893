"""A teller changes their own password; a supervisor unlocks and resets a locked account."""

from __future__ import annotations

import pytest

from app.domain.errors import AuthenticationFailed
from app.services.auth import AccountLocked, AuthPolicy, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from ui.password_dialog import ChangePasswordDialog, ResetPasswordDialog


def test_teller_changes_own_password(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    window = make_main_window("teller1")
    dialog = window.open_change_password()
    assert isinstance(dialog, ChangePasswordDialog) and dialog.isVisible()
    dialog.current.setText(DEMO_PASSWORD)
    dialog.new.setText("lettersonly")
    dialog.again.setText("lettersonly")
    dialog.save()
    assert dialog.isVisible() and dialog.message.text()  # the policy refused it, in words
    dialog.new.setText("Changed2026")
    dialog.again.setText("Changed2027")
    dialog.save()
    assert dialog.isVisible()
    dialog.again.setText("Changed2026")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        dialog.save()
    assert authenticate(db, "teller1", "Changed2026").username == "teller1"


def test_supervisor_unlocks_and_resets(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    for error in (AuthenticationFailed, AccountLocked):
        with pytest.raises(error):
            authenticate(db, "teller4", "wrong", policy=AuthPolicy(max_failed_logins=2))
    assert not make_main_window("teller1").reset_password_action.isVisible()
    window = make_main_window("supervisor", counter=0)
    assert window.reset_password_action.isVisible()
    dialog = window.open_reset_password()
    assert isinstance(dialog, ResetPasswordDialog)
    dialog.username.setText("teller4")
    dialog.unlock()
    assert "teller4" in dialog.message.text()
    authenticate(db, "teller4", DEMO_PASSWORD)
    dialog.new.setText("Reset2026pw")
    dialog.reset()
    assert authenticate(db, "teller4", "Reset2026pw").username == "teller4"
    dialog.username.setText("nobody")
    dialog.unlock()
    assert "nobody" in dialog.message.text()
