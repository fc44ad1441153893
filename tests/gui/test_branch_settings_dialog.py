"""Tools ▸ Branch settings…: a supervisor edits the branch's shared policy."""

from __future__ import annotations

from app.services.branch_settings import BranchSettings
from app.settings import branch_specs
from ui.branch_settings_dialog import BranchSettingsDialog
from ui.setting_texts import setting_labels, unit_suffix


def test_every_branch_setting_has_a_name_and_its_unit_a_suffix(qapp) -> None:  # type: ignore[no-untyped-def]
    assert set(setting_labels()) == {s.key for s in branch_specs()}
    assert all(unit_suffix(s.unit) for s in branch_specs() if s.unit not in ("", "ratio"))


def _dialog(qtbot, window) -> BranchSettingsDialog:  # type: ignore[no-untyped-def]
    window.branch_settings_action.trigger()
    dialog = window.findChild(BranchSettingsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    return dialog


def test_a_supervisor_saves_the_branch_policy(qtbot, demo_db, make_main_window) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    window = make_main_window("supervisor", counter=0)
    assert window.branch_settings_action.isVisible()
    dialog = _dialog(qtbot, window)
    assert dialog.value("complaints.decide_days") == 15 and not dialog.save_button.isEnabled()
    assert dialog.sources["complaints.decide_days"].text() == "default"

    dialog.set_value("complaints.decide_days", 10)
    dialog.set_value("security.password_letters_and_digits", False)
    dialog.set_value("complaints.reference_prefix", "TSX")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_button.click()
    assert sorted(saved.args[0]) == ["complaints.decide_days", "complaints.reference_prefix",
                                     "security.password_letters_and_digits"]
    assert BranchSettings(db).values(branch.id) == {"complaints.decide_days": 10, "complaints.reference_prefix": "TSX",
                                                    "security.password_letters_and_digits": False}
    assert dialog.sources["complaints.decide_days"].text() == "set for the branch"
    assert "3" in dialog.message.text() and not dialog.save_button.isEnabled()
    # This session keeps what it was built with until the next sign-in.
    assert window._ctx.settings.get("complaints.decide_days") == 15


def test_saving_a_new_idle_lock_leaves_this_session_as_it_is(qtbot, demo_db, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    before = window.idle_watcher.timeout_ms
    dialog = _dialog(qtbot, window)
    dialog.set_value("security.idle_lock_minutes", 0)
    assert dialog.save()
    window.lock()
    window.unlock()
    assert window.idle_watcher.timeout_ms == before and window._ctx.settings.get("security.idle_lock_minutes") == 5


def test_a_refused_change_names_the_rule_and_stores_nothing(qtbot, demo_db, make_main_window) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    dialog = _dialog(qtbot, make_main_window("supervisor", counter=0))
    dialog.set_value("complaints.decide_days", 40)  # longer than the 30 days after an extension
    dialog.set_value("queue.elderly_age", 70)
    assert dialog.save() is False
    assert dialog.message.text().startswith("Complaint deadlines: must be 0 < decide")
    assert BranchSettings(db).values(branch.id) == {}
    assert dialog.save_button.isEnabled()  # the edits stay, to be corrected


def test_a_teller_has_no_branch_settings(make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    assert not window.branch_settings_action.isVisible()
