"""A branch's shared settings reach a running workstation at its next sign-in."""

from __future__ import annotations

from app.services.actor import SYSTEM
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branch_settings import BranchSettings
from app.settings import Settings
from app.services.registry import Services
from ui.workstation_start import open_workstation_window
from ui.session import WorkstationSession


def test_the_next_sign_in_follows_the_branch_policy(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    settings = Settings(tmp_path / "settings.toml", environ={})
    settings.set("security.idle_lock_minutes", 0)
    settings.set("security.max_failed_logins", 5)  # this PC's file
    settings.set("workstation.counter", 1)
    session = WorkstationSession(Services(db, settings), branch, "zh_CN", "counter", open_workstation_window)
    session._begin(authenticate(db, "teller1", DEMO_PASSWORD))
    qtbot.addWidget(session.window)
    assert session.window._ctx.services.queue.policy.recalls_before_no_show == 2

    # Meanwhile a supervisor (here at head office) sets the branch's policy on another PC.
    BranchSettings(db).change(SYSTEM, branch.id, {"security.max_failed_logins": 3, "queue.recalls_before_no_show": 3})
    session.window.switch_user_action.trigger()
    dialog = session.login_dialog
    assert dialog is not None and dialog._accounts.policy.max_failed_logins == 3
    dialog.username.setText("teller2")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.try_login()
    qtbot.addWidget(session.window)
    try:
        assert session.actor.username == "teller2"
        assert session.window._ctx.services.queue.policy.recalls_before_no_show == 3
    finally:
        session.end()
