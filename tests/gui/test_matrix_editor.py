"""The counter–service matrix editor: a supervisor changes what a counter serves; its next call follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.domain.errors import PermissionDenied
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService
from app.settings import Settings
from app.services.registry import Services
from ui.context import AppContext
from ui.queue.matrix_editor import MatrixEditor

LEFT = Qt.MouseButton.LeftButton


def click_check(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, LEFT, pos=QPoint(box.width() // 2, box.height() // 2))


def test_supervisor_edits_the_matrix_and_the_next_call_follows(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("supervisor", counter=0)
    assert window.matrix_action.isVisible()
    window.matrix_action.trigger()
    editor = window.findChild(MatrixEditor)
    assert editor is not None and editor.isVisible()
    assert not editor.save_button.isEnabled()  # nothing changed yet

    editor.counter_combo.setCurrentIndex(editor.counter_combo.findData(2))
    assert all(box.isChecked() for box in editor.serves.values())  # a new counter serves everything
    for code, box in editor.serves.items():
        if code not in ("loan", "deposit_withdrawal"):
            click_check(qtbot, box)
    assert not editor.ranks["wealth"].isEnabled()
    editor.ranks["deposit_withdrawal"].setValue(1)  # loans first, then deposits
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, LEFT)
    assert "Saved" in editor.message.text()
    assert not editor.save_button.isEnabled()
    assert CounterDesk(db).matrix(branch.id, 2) == [MatrixEntry("loan", 0), MatrixEntry("deposit_withdrawal", 1)]

    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    queue = QueueService(db)
    for code in ("wealth", "deposit_withdrawal", "loan"):
        queue.issue_ticket(lobby, branch.id, code)
    teller = make_main_window("teller2", counter=2)
    console = teller.teller_console
    assert [t.number for t in console.preview_box.model.rows()] == ["C001", "B001"]
    teller.activateWindow()
    qtbot.keyClick(teller, Qt.Key.Key_F1)
    assert console.current.number == "C001"  # issued last, but loans rank first here
    qtbot.keyClick(teller, Qt.Key.Key_F3)
    qtbot.keyClick(teller, Qt.Key.Key_F3)
    qtbot.keyClick(teller, Qt.Key.Key_F1)
    assert console.current.number == "B001"
    assert [t.number for t in console.preview_box.model.rows()] == []  # D001 is not for counter 2


def test_equal_ranks_are_served_together_by_arrival(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("supervisor", counter=0)
    editor = window.open_matrix_editor()
    editor.counter_combo.setCurrentIndex(editor.counter_combo.findData(3))
    for code in editor.serves:
        editor.set_entry(code, code in ("wealth", "remittance"), 0)
    assert editor.save()
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    queue = QueueService(db)
    for code in ("remittance", "wealth", "remittance"):
        queue.issue_ticket(lobby, branch.id, code)
    assert [t.number for t in queue.counter_preview(branch.id, 3)] == ["F001", "D001", "F002"]


def test_reverting_and_switching_counters_reload_the_stored_matrix(qtbot, make_main_window):
    window = make_main_window("supervisor", counter=0)
    editor = window.open_matrix_editor()
    click_check(qtbot, editor.serves["loan"])
    assert not editor.serves["loan"].isChecked() and editor.revert_button.isEnabled()
    qtbot.mouseClick(editor.revert_button, LEFT)
    assert editor.serves["loan"].isChecked() and not editor.save_button.isEnabled()


def test_unchecking_everything_warns_before_saving(qtbot, make_main_window):
    window = make_main_window("supervisor", counter=0)
    editor = window.open_matrix_editor()
    for box in editor.serves.values():
        box.setChecked(False)
    assert "only call tickets transferred" in editor.message.text()


def test_teller_has_no_menu_entry_and_the_service_refuses_anyway(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    assert not window.matrix_action.isVisible()
    teller = authenticate(db, "teller1", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        CounterDesk(db).set_matrix(teller, branch.id, 1, [MatrixEntry("loan", 0)])

    # Even with the dialog in hand (it is never offered), saving is refused in words.
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=teller)
    editor = MatrixEditor(context)
    qtbot.addWidget(editor)
    editor.set_entry("wealth", False)
    assert not editor.save()
    assert editor.message.text() == "teller1 (teller) may not edit the counter services."
    assert len(CounterDesk(db).matrix(branch.id, 1)) == len(editor.serves)
