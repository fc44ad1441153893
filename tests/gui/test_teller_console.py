"""A teller's day at the counter, clicked and keyed through the real console on a temp SQLite file."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QPoint, Qt

from app.db.engine import Database
from app.domain.tickets import ServiceOutcome, TicketStatus, TransferPosition
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.counters import CounterDesk, CounterState, PauseReason
from app.services.queue import QueueService
from app.services.satisfaction import SatisfactionService
from ui.queue.ticket_card import format_duration

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def issue(demo_db):
    """Issue tickets as the lobby manager would, on the same database."""
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    queue = QueueService(db)

    def make(code: str = "deposit_withdrawal", priority: str = "normal") -> str:
        return queue.issue_ticket(lobby, branch.id, code, priority=priority).number
    return make


def click_option(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click a radio button on its indicator (its centre may lie beyond the label)."""
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def console_of(window):  # type: ignore[no-untyped-def]
    console = window.teller_console
    assert console is not None and window.tabs.currentWidget() is console
    return console


def preview_numbers(console) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.number for t in console.preview_box.model.rows()]


def test_teller_issues_calls_starts_and_finishes(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    pane, console = window.queue_pane, console_of(window)

    pane.business_combo.setCurrentIndex(pane.business_combo.findData("loan"))
    qtbot.mouseClick(pane.issue_button, LEFT)
    qtbot.waitUntil(lambda: preview_numbers(console) == ["C001"], timeout=2000)

    qtbot.mouseClick(console.call_button, LEFT)
    assert console.card.number.text() == "C001"
    assert "counter 1" in console.message.text()
    assert preview_numbers(console) == []
    assert not console.call_button.isEnabled()

    qtbot.mouseClick(console.serve_button, LEFT)
    assert console.current is not None and console.current.status is TicketStatus.SERVING
    assert console.serve_button.text() == "Finish (F3)"
    qtbot.mouseClick(console.serve_button, LEFT)
    assert console.current is None
    assert console.card.number.text() == "—"
    assert console.stats_box.served.text() == "1"

    finished = console._ctx.services.queue.list_tickets(branch.id, status=TicketStatus.FINISHED)
    assert [(t.number, t.outcome) for t in finished] == [("C001", ServiceOutcome.COMPLETED.value)]


def test_keyboard_f1_f3_f3_and_the_no_show_rule(qtbot, make_main_window, issue):
    window = make_main_window("teller2", counter=2)
    console = console_of(window)
    issue()
    issue()
    console.show_now()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is not None and console.current.status is TicketStatus.CALLED
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert console.current.status is TicketStatus.SERVING
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert console.current is None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert not console.no_show_button.isEnabled()  # the rule: recalled twice first
    qtbot.keyClick(window, Qt.Key.Key_F4)  # too early: says what to do
    assert console.current is not None
    assert console.message.text() == "Recall 2 more time(s) first (F2)." and console.message.severity == "error"
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert console.message.text() == f"{console.current.number} called again."
    assert console.no_show_button.toolTip() == "Recall 1 more time(s) first (F2)."
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert console.current.call_count == 3
    assert "(3×)" in console.card.status.text()
    assert console.no_show_button.isEnabled()
    number = console.current.number
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert console.current is None
    assert console.message.text() == f"{number} marked a no-show."  # not silence
    assert console.stats_box.no_shows.text() == "1"


def test_refused_action_shows_a_sentence(qtbot, make_main_window):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    console.recall()  # nothing called yet
    assert console.message.text() == "Counter 1 has no called ticket."


def test_console_follows_another_connection(qtbot, make_main_window, demo_db):
    """Tickets issued and called elsewhere (another engine, as another PC) show up unprompted."""
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    assert preview_numbers(console) == []

    other = Database(db.url)
    try:
        lobby = authenticate(other, "lobby", DEMO_PASSWORD)
        QueueService(other).issue_ticket(lobby, branch.id, "wealth")
        QueueService(other).issue_ticket(lobby, branch.id, "wealth")
        qtbot.waitUntil(lambda: preview_numbers(console) == ["D001", "D002"], timeout=2000)
        QueueService(other).call_next(authenticate(other, "teller3", DEMO_PASSWORD), branch.id, 3)
        qtbot.waitUntil(lambda: preview_numbers(console) == ["D002"], timeout=2000)
        # A call to this very counter made from another PC shows up here too.
        QueueService(other).call_next(authenticate(other, "supervisor", DEMO_PASSWORD), branch.id, 1)
        qtbot.waitUntil(lambda: console.card.number.text() == "D002", timeout=2000)
    finally:
        other.dispose()


def test_card_shows_priority_badge_and_ticking_timers(qtbot, make_main_window, issue):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue("deposit_withdrawal")
    issue("loan", priority="green")
    console.show_now()
    assert preview_numbers(console)[0] == "C001"  # the green channel goes first
    assert console.preview_box.model.rows()[0].estimated_wait_minutes is not None
    console.call_next()
    assert console.card.badge.isVisible() and console.card.badge.text() == "Green channel"
    assert console.card.service_time.text() == "—"
    console.start_or_finish()
    started = console.card.service_time.text()
    qtbot.waitUntil(lambda: console.card.service_time.text() not in ("—", started), timeout=3000)
    assert console.card.waiting_time.text() != "—"


def test_format_duration() -> None:
    """Issue #18: with units — "17:14" read like a time of day."""
    assert format_duration(0) == "0 min 00 s"
    assert format_duration(754) == "12 min 34 s"
    assert format_duration(3723) == "1 h 02 min"
    assert format_duration(-5) == "0 min 00 s"


def test_receipt_after_finish_previews_and_prints_to_pdf(qtbot, make_main_window, issue, tmp_path):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue("account_opening")
    console.call_next()
    console.start_or_finish()
    assert not console.receipt_button.isEnabled()
    console.start_or_finish()
    assert console.receipt_button.isEnabled()

    qtbot.mouseClick(console.receipt_button, LEFT)
    preview = console.preview
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


def test_transfer_via_dialog_keeps_the_number_and_the_visit(qtbot, make_main_window, issue, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue("deposit_withdrawal")
    issue("wealth")
    console.show_now()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    first = console.current
    assert first is not None and first.number == "B001"
    qtbot.keyClick(window, Qt.Key.Key_F5)
    dialog = console.active_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # no target chosen yet
    dialog.select_business("wealth")
    click_option(qtbot, dialog.position_buttons[TransferPosition.FRONT])
    qtbot.keyClicks(dialog.reason_edit, "needs a wealth adviser")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, LEFT)

    assert console.active_dialog is None
    assert console.current is None
    assert "B001 transferred" in console.message.text()
    waiting = console._ctx.services.queue.list_tickets(branch.id, status=TicketStatus.WAITING)
    moved = next(t for t in waiting if t.number == "B001")
    assert moved.business_code == "wealth" and moved.segment == 2
    assert moved.visit_id == first.id and moved.arrival_at == first.arrival_at
    assert moved.waiting_ahead == 0  # at the front of the wealth queue, before D001
    assert preview_numbers(console)[:2] == ["B001", "D001"]
    events = console._ctx.services.queue.events_of(first.id)
    assert events[-1].action == "transfer" and events[-1].reason == "needs a wealth adviser"


def test_transfer_to_a_named_counter(qtbot, make_main_window, issue, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue("remittance")
    console.call_next()
    dialog = console.transfer()
    assert dialog.counter_combo.findData(1) == -1  # not to itself
    dialog.select_counter(4)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert preview_numbers(console) == []  # it waits for counter 4 only
    preview_4 = console._ctx.services.queue.counter_preview(branch.id, 4)
    assert [(t.number, t.business_code) for t in preview_4] == [("F001", "remittance")]


def test_pause_and_resume_with_f6_refuses_calls_while_paused(qtbot, make_main_window, issue, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue()
    console.show_now()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    dialog = console.active_dialog
    assert dialog is not None
    click_option(qtbot, dialog.reason_buttons[PauseReason.CASH_HANDOVER])
    qtbot.keyClicks(dialog.note_edit, "back at 14:30")
    qtbot.mouseClick(dialog.ok_button, LEFT)

    status = CounterDesk(db).status(branch.id, 1)
    assert status.state is CounterState.PAUSED and status.state_reason == "cash_handover: back at 14:30"
    assert console.state_label.text() == "Paused — Cash handover: back at 14:30"
    assert not console.call_button.isEnabled()
    assert console.pause_button.text() == "Resume (F6)"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is None
    console.call_next()  # pressed anyway (e.g. from a stale screen): the service refuses
    assert console.current is None
    assert console.message.text() == "Counter 1 is paused; resume it first."

    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert console.active_dialog is None  # resuming asks nothing
    assert CounterDesk(db).status(branch.id, 1).state is CounterState.OPEN
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert console.current is not None and console.current.number == "B001"
    assert not console.pause_button.isEnabled()  # not while serving


def test_cancelled_dialog_changes_nothing(qtbot, make_main_window, issue):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue()
    console.show_now()
    dialog = console.toggle_pause()
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert console.active_dialog is None
    assert console.counter_status.state is CounterState.OPEN


def test_park_and_resume(qtbot, make_main_window, issue):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue()
    issue()
    console.show_now()
    console.call_next()
    console.start_or_finish()
    dialog = console.park()
    qtbot.keyClicks(dialog.reason_edit, "fetching the household register")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert console.current is None
    assert [t.number for t in console.parked_box.model.rows()] == ["B001"]
    assert console.parked_box.resume_button.isEnabled()

    console.call_next()
    assert console.current.number == "B002"
    assert not console.parked_box.resume_button.isEnabled()  # the counter is busy
    console.start_or_finish()
    console.start_or_finish()

    console.parked_box.select("B001")
    qtbot.mouseClick(console.parked_box.resume_button, LEFT)
    assert console.current is not None and console.current.number == "B001"
    assert console.current.status is TicketStatus.SERVING
    assert not console.parked_box.has_rows()


def test_put_back_in_queue(qtbot, make_main_window, issue):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue()
    issue()
    console.show_now()
    console.call_next()
    dialog = console.requeue()
    assert dialog.ok_button.isEnabled()  # the reason is optional here
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert console.current is None
    assert preview_numbers(console) == ["B001", "B002"]  # back at its old place


def test_call_a_specific_ticket_asks_a_reason(qtbot, make_main_window, issue):
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    for _ in range(3):
        issue()
    console.show_now()
    assert preview_numbers(console) == ["B001", "B002", "B003"]
    console.preview_box.select("B003")
    qtbot.mouseClick(console.preview_box.call_button, LEFT)
    dialog = console.active_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()  # a reason is required
    qtbot.keyClicks(dialog.reason_edit, "elderly customer, documents ready")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert console.current is not None and console.current.number == "B003"
    event = console._ctx.services.queue.events_of(console.current.id)[-1]
    assert event.action == "call" and event.reason == "out of order: elderly customer, documents ready"
    assert preview_numbers(console) == ["B001", "B002"]


def test_finish_with_outcome_and_note(qtbot, make_main_window, issue, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue("loss_report")
    console.call_next()
    dialog = console.finish_with_note()
    dialog.set_outcome(ServiceOutcome.DOCUMENTS_MISSING)
    qtbot.keyClicks(dialog.note_edit, "needs the written loss report within 5 days")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert console.current is None
    ticket = console._ctx.services.queue.get_ticket(branch.id, "E001")
    assert ticket.status is TicketStatus.FINISHED
    assert ticket.outcome == "documents_missing"
    assert ticket.note == "needs the written loss report within 5 days"


def test_teller_enters_the_customers_rating(qtbot, make_main_window, issue, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    issue()
    console.call_next()
    assert not console.rating_box.isVisible()
    console.start_or_finish()
    console.start_or_finish()
    assert console.rating_box.isVisible()
    qtbot.mouseClick(console.rating_buttons.buttons[4], LEFT)
    finished = console.last_finished
    assert SatisfactionService(db).rating_of(finished.id) == 4
    assert not console.rating_box.isVisible()
    assert console.stats_box.average_rating.text() == "4.0"

    console.rate(5)  # a second rating of the same service is refused, in words
    assert console.message.text() == "This service has already been rated."


def test_counter_choice_when_the_workstation_has_no_counter(qtbot, make_main_window, issue):
    window = make_main_window("supervisor", counter=0)
    console = window.teller_console
    assert window.tabs.currentWidget() is window.queue_pane  # not a counter PC
    assert console.counter_combo.isEnabled()
    console.counter_combo.setCurrentIndex(console.counter_combo.findData(5))
    issue()
    console.show_now()
    console.call_next()
    assert console.current is not None and console.current.counter_number == 5


def test_f_keys_work_from_any_tab_and_bring_the_console_forward(qtbot, make_main_window, issue) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: on the Queue or Checklist tab F1 used to do nothing and say nothing."""
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    number = issue()
    for tab in (window.queue_pane, window.checklist_pane):
        window.tabs.setCurrentWidget(tab)
        window.activateWindow()
        if console.current is None:
            qtbot.keyClick(window, Qt.Key.Key_F1)
            assert window.tabs.currentWidget() is console
            assert console.current is not None and console.current.number == number
        else:
            qtbot.keyClick(window, Qt.Key.Key_F3)  # start, from the checklist tab
            assert window.tabs.currentWidget() is console
            assert console.current.status is TicketStatus.SERVING
    window.lock()  # a locked workstation takes no F-key
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert console.current.status is TicketStatus.SERVING


def test_a_teller_starts_at_the_console_even_on_a_pc_without_a_counter(make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1", counter=0)
    assert window.tabs.currentWidget() is window.teller_console


def test_the_card_says_how_to_resume_while_paused(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: "press F1" stayed up while the counter was paused."""
    window = make_main_window("teller1", counter=1)
    console = console_of(window)
    assert console.card.status.text() == "Press F1 to call the next customer."
    dialog = console.toggle_pause()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert console.card.status.text() == "The counter is not open: press F6 to resume."
    console.toggle_pause()  # F6 resumes
    assert console.card.status.text() == "Press F1 to call the next customer."
