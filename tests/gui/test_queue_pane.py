"""The lobby side of the queue (sign-in, issuing, the live waiting list, slips), clicked through the
real widgets. The counter side is in test_teller_console.py."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.tickets import TicketStatus
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.registry import Services
from app.settings import Settings
from tests.gui.live import settle
from ui.login_dialog import LoginDialog


def test_login_rejects_wrong_password_then_accepts(qtbot, demo_db):
    db, branch = demo_db
    dialog = LoginDialog(Services(db, Settings()).accounts, branch.name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "teller1")
    qtbot.keyClicks(dialog.password, "wrong-password")
    dialog.try_login()
    assert dialog.actor is None
    assert dialog.error.text()
    assert dialog.password.text() == ""

    qtbot.keyClicks(dialog.password, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "teller1"


def test_issue_ticket_appears_in_the_waiting_list(qtbot, make_main_window):
    window = make_main_window("lobby", counter=0)
    pane = window.queue_pane
    pane.business_combo.setCurrentIndex(pane.business_combo.findData("loan"))
    qtbot.mouseClick(pane.issue_button, Qt.MouseButton.LeftButton)
    assert "C001" in pane.issued_label.text()
    assert [t.number for t in pane.waiting_model.rows()] == ["C001"]
    assert pane.waiting_model.rows()[0].status is TicketStatus.WAITING


def test_waiting_list_follows_another_workstation(qtbot, make_main_window, demo_db):
    """A ticket issued elsewhere (another connection) appears within a second, unprompted."""
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    pane = window.queue_pane
    window.tabs.setCurrentWidget(pane)  # (a hidden pane does not read)
    settle(qtbot, pane)
    assert pane.waiting_model.rowCount() == 0

    from app.services.queue import QueueService
    from app.db.engine import Database

    other = Database(db.url)  # a separate engine: as another PC would
    try:
        lobby = authenticate(other, "lobby", DEMO_PASSWORD)
        QueueService(other).issue_ticket(lobby, branch.id, "wealth")
        qtbot.waitUntil(lambda: pane.waiting_model.rowCount() == 1, timeout=1000)
        QueueService(other).call_next(authenticate(other, "teller3", DEMO_PASSWORD), branch.id, 3)
        qtbot.waitUntil(lambda: pane.waiting_model.rowCount() == 0, timeout=1000)
    finally:
        other.dispose()


def test_lobby_manager_sees_no_counter_controls(qtbot, make_main_window):
    window = make_main_window("lobby", counter=0)
    pane = window.queue_pane
    assert pane.issue_box.isVisible()
    assert window.teller_console is None
    assert "Counter" not in [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert not window.evaluator_action.isVisible()


def test_teller_at_a_counter_pc_starts_on_the_counter_tab(qtbot, make_main_window):
    window = make_main_window("teller1", counter=1)
    assert window.tabs.currentWidget() is window.teller_console
    assert not hasattr(window.queue_pane, "counter_box")


def test_slip_preview_and_print_failure_is_reported(qtbot, make_main_window):
    window = make_main_window("lobby", counter=0)
    pane = window.queue_pane
    pane._ctx.settings.set("printing.slip_printer", "No Such Printer")
    assert not pane.print_slip_button.isEnabled()
    pane.business_combo.setCurrentIndex(pane.business_combo.findData("remittance"))
    pane.issue_ticket()

    qtbot.mouseClick(pane.preview_slip_button, Qt.MouseButton.LeftButton)
    assert pane.preview is not None and pane.preview.kind == "slip"

    job = pane.print_last_slip()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert "No Such Printer" in pane.message.text()
