"""A teller's day at the counter, clicked through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.tickets import TicketStatus
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from ui.login_dialog import LoginDialog


def test_login_rejects_wrong_password_then_accepts(qtbot, demo_db):
    db, branch = demo_db
    dialog = LoginDialog(db, branch.name)
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


def test_teller_issues_calls_starts_and_finishes(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    pane = window.queue_pane

    pane.business_combo.setCurrentIndex(pane.business_combo.findData("loan"))
    qtbot.mouseClick(pane.issue_button, Qt.MouseButton.LeftButton)
    assert "C001" in pane.issued_label.text()
    assert [t.number for t in pane.waiting_model.rows()] == ["C001"]

    qtbot.mouseClick(pane.call_button, Qt.MouseButton.LeftButton)
    assert pane.current_number.text() == "C001"
    assert pane.waiting_model.rowCount() == 0
    assert not pane.call_button.isEnabled()

    qtbot.mouseClick(pane.serve_button, Qt.MouseButton.LeftButton)
    assert pane.current is not None and pane.current.status is TicketStatus.SERVING
    qtbot.mouseClick(pane.serve_button, Qt.MouseButton.LeftButton)
    assert pane.current is None
    assert pane.current_number.text() == "—"

    finished = pane._ctx.queue.list_tickets(branch.id, status=TicketStatus.FINISHED)
    assert [t.number for t in finished] == ["C001"]


def test_keyboard_f1_f3_f3_and_no_show(qtbot, make_main_window):
    window = make_main_window("teller2", counter=2)
    pane = window.queue_pane
    pane.issue_ticket()
    pane.issue_ticket()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert pane.current is not None and pane.current.status is TicketStatus.CALLED
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert pane.current.status is TicketStatus.SERVING
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert pane.current is None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.keyClick(window, Qt.Key.Key_F4)  # too early: the customer is recalled first
    assert pane.current is not None
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert pane.current.call_count == 3
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert pane.current is None


def test_waiting_list_follows_another_workstation(qtbot, make_main_window, demo_db):
    """A ticket issued elsewhere (another connection) appears within a second, unprompted."""
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    pane = window.queue_pane
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
    assert not pane.counter_box.isVisible()


def test_refused_action_shows_a_sentence(qtbot, make_main_window):
    window = make_main_window("teller1", counter=1)
    pane = window.queue_pane
    pane.recall()  # nothing called yet
    assert pane.message.text()
    assert "1" in pane.message.text()


def test_receipt_after_finish_previews_and_prints_to_pdf(qtbot, make_main_window, tmp_path):
    import io

    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    window = make_main_window("teller1", counter=1)
    pane = window.queue_pane
    pane.issue_ticket()
    pane.call_next()
    pane.start_or_finish()
    assert not pane.receipt_button.isEnabled()
    pane.start_or_finish()
    assert pane.receipt_button.isEnabled()

    qtbot.mouseClick(pane.receipt_button, Qt.MouseButton.LeftButton)
    preview = pane.preview
    assert preview is not None and preview.isVisible()
    assert preview.page_count() == 1
    text = PdfReader(io.BytesIO(preview.pdf_bytes)).pages[0].extract_text()
    assert "业务回单" in text and "A001" in text
    assert "张伟" not in text  # the teller's name is masked on paper

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "receipt-printed.pdf"
    printer.setOutputFileName(str(out))
    job = preview.print_to(printer)
    with qtbot.waitSignal(job.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args == [True]
    assert len(PdfReader(str(out)).pages) == 1


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
