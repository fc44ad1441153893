"""Complaints through the real widgets: recorded from a ticket at the counter, the acknowledgement
printed to PDF, then moved through to closed by the lobby manager and the supervisor."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain.business_day import business_day, utcnow
from app.domain.complaints import ComplaintAction
from app.domain.errors import ValidationError
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.complaints import ComplaintService
from app.services.queue import QueueService
from tests.gui.live import settle
from tests.integration.complaint_helpers import walk_in_entry
from tests.unit.printing.pdfcheck import all_text, read
from ui.complaints.complaints_pane import NEAR_DUE_COLOUR, OVERDUE_COLOUR
from ui.errors import describe

LEFT = Qt.MouseButton.LeftButton
A = ComplaintAction


def pick(combo, data) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def step(qtbot, pane, action: ComplaintAction, text: str = "", choice=None) -> None:  # type: ignore[no-untyped-def]
    button = pane.action_buttons[action]
    assert button.isVisible(), f"{action} not offered"
    qtbot.mouseClick(button, LEFT)
    dialog = pane.step_dialog
    assert dialog is not None and dialog.isVisible()
    if choice is not None:
        pick(dialog.choice, choice)
    dialog.text_edit.setPlainText(text)
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert pane.message.severity != "error", pane.message.text()


def test_record_from_a_ticket_print_and_move_to_closed(qtbot, make_main_window, demo_db, tmp_path):
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    QueueService(db).issue_ticket(lobby, branch.id, "deposit_withdrawal")

    # The teller serves the ticket, then records the customer's complaint about it.
    window = make_main_window("teller1", counter=1)
    console, pane = window.teller_console, window.complaints_pane
    assert pane is not None
    qtbot.mouseClick(console.call_button, LEFT)
    qtbot.mouseClick(console.serve_button, LEFT)
    qtbot.mouseClick(console.complaint_button, LEFT)
    assert window.tabs.currentWidget() is pane
    form = pane.entry_dialog
    assert form is not None and form.isVisible()
    assert form.subject_counter.currentText() in ("1号窗口", "Counter 1") and form.subject_user.currentText() == "张伟"
    assert "B001" in form.subject_note.text()

    # An incomplete entry is kept as a draft; submitting marks every missing field, next to it.
    form.name.setText("王小明")  # QTest types Latin-1 only
    qtbot.mouseClick(form.draft_button, LEFT)
    assert form.message.text() == "Draft saved." and form.complaint_id is not None
    assert [r.status for r in pane.model.rows()] == ["draft"]
    qtbot.mouseClick(form.submit_button, LEFT)
    assert form.isVisible()
    marked = ["business", "reason", "category", "complainant_contact", "request", "facts"]
    assert form.fields.marked() == marked and form.fields.message("business") == "required"
    assert form.message.text() == "Fill in the marked fields (6)." and form.focusWidget() is form.business

    pick(form.business, "rmb_savings")
    assert form.fields.marked() == marked[1:]  # filled: its message goes at once
    pick(form.reason, "service_attitude")
    pick(form.category, "service")
    qtbot.keyClicks(form.contact, "139abc12345678")  # letters never reach a phone field
    assert form.contact.text() == "13912345678"
    form.request.setPlainText("要求道歉")
    assert form.fields.marked() == ["facts"] and form.message.text()
    form.facts.setPlainText("柜员办理取款时态度生硬。")
    assert form.fields.marked() == [] and form.message.text() == ""  # no stale line
    form.contact.setText("1391234567")  # one digit short
    qtbot.mouseClick(form.submit_button, LEFT)
    assert form.fields.marked() == ["complainant_contact"] and form.focusWidget() is form.contact
    assert "mobile number (11 digits)" in form.fields.message("complainant_contact")
    form.contact.setText("13912345678")
    form.request.setPlainText("要求道歉")
    form.facts.setPlainText("柜员办理取款时态度生硬。")
    form.attachments.setPlainText("身份证复印件\n取款凭条")
    with qtbot.waitSignal(form.submitted, timeout=2000) as submitted:
        qtbot.mouseClick(form.submit_button, LEFT)
    assert submitted.args[0].startswith("TS-") and submitted.args[0].endswith("-0001")
    reference = submitted.args[0]
    assert pane.current is not None and pane.current.row.reference == reference
    assert pane.current.ticket_number == "B001"

    # A teller records but does not handle: no step buttons, yet the acknowledgement prints.
    assert not any(button.isVisible() for button in pane.action_buttons.values())
    qtbot.mouseClick(pane.ack_button, LEFT)
    preview = pane.preview
    assert preview is not None and preview.isVisible()
    saved = preview.save_to(tmp_path / "ack")
    text = all_text(read(saved.read_bytes()))
    assert "投诉受理回执" in text and reference in text and "王小明" in text and "139****5678" in text
    assert "取款凭条" in text

    # The supervisor handles it (and alone may extend).
    boss = make_main_window("supervisor", counter=0)
    spane = boss.complaints_pane
    boss.tabs.setCurrentWidget(spane)
    settle(qtbot, spane)
    spane.select(pane.current.row.id)
    step(qtbot, spane, A.ACCEPT)
    supervisor_id = authenticate(db, "supervisor", DEMO_PASSWORD).user_id
    step(qtbot, spane, A.ASSIGN, "主管亲自处理", choice=supervisor_id)
    step(qtbot, spane, A.INVESTIGATE, "调取监控")
    step(qtbot, spane, A.EXTEND, "需要调取总行录像")
    assert spane.current.row.status == "extended" and spane.current.row.handler_name == "王主管"
    step(qtbot, spane, A.DECIDE, "经核实，柜员服务用语不当，已批评教育。")
    assert spane.reply_button.isVisible()
    qtbot.mouseClick(spane.reply_button, LEFT)
    assert "已批评教育" in all_text(read(spane.preview.pdf_bytes))
    step(qtbot, spane, A.SEND_REPLY, "书面答复已交客户", choice="written")
    step(qtbot, spane, A.CLOSE, "客户表示满意", choice=True)
    view = spane.current
    assert view.row.status == "closed" and view.fields["satisfied"] is True
    assert [e.action for e in view.events] == ["save_draft", "submit", "accept", "assign", "investigate", "extend",
                                               "decide", "send_reply", "close"]
    assert spane.timeline.rowCount() == 9
    assert list(spane.action_buttons) and [a for a, b in spane.action_buttons.items() if b.isVisible()] == [
        A.REQUEST_REVIEW]

    # The teller's list follows the other workstation's steps.
    qtbot.waitUntil(lambda: pane.model.rows()[0].status == "closed", timeout=3000)


def test_filters_and_highlighting(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    service = ComplaintService(db)
    today = business_day(utcnow(), branch.timezone)
    overdue = service.submit(lobby, branch.id, walk_in_entry(), received_on=today - timedelta(days=20))
    near = service.submit(lobby, branch.id, walk_in_entry(category="product"), received_on=today - timedelta(days=13))
    fresh = service.submit(lobby, branch.id, walk_in_entry())
    window = make_main_window("lobby", counter=0)
    pane = window.complaints_pane
    window.tabs.setCurrentWidget(pane)
    settle(qtbot, pane)
    assert "Complaints" in [window.tabs.tabText(i) for i in range(window.tabs.count())]
    rows = {r.reference: i for i, r in enumerate(pane.model.rows())}
    colour = lambda ref: pane.model.data(pane.model.index(rows[ref], 0), Qt.ItemDataRole.BackgroundRole)  # noqa: E731
    assert colour(overdue) == OVERDUE_COLOUR and colour(near) == NEAR_DUE_COLOUR and colour(fresh) is None
    pane.overdue_filter.setChecked(True)
    assert [r.reference for r in pane.model.rows()] == [overdue]
    pane.overdue_filter.setChecked(False)
    pane.due_soon_filter.setChecked(True)
    assert [r.reference for r in pane.model.rows()] == [near]
    pane.due_soon_filter.setChecked(False)
    pick(pane.category_filter, "product")
    assert [r.reference for r in pane.model.rows()] == [near]
    pick(pane.category_filter, None)
    pick(pane.status_filter, "closed")
    assert pane.model.rowCount() == 0
    pick(pane.status_filter, None)
    assert pane.model.rowCount() == 3
    # The lobby manager handles but may not extend: the button is hidden.
    pane.select(pane.model.rows()[0].id)
    assert pane.action_buttons[A.ACCEPT].isVisible() and not pane.action_buttons[A.EXTEND].isVisible()
    step_dialog = pane.start_step(A.WITHDRAW)
    assert not step_dialog.ok_button.isEnabled()  # a withdrawal needs its reason
    step_dialog.reject()
    assert isinstance(step_dialog, QDialog)


def test_personal_values_are_shown_masked_and_revealed_through_the_dialog(qtbot, make_main_window, demo_db):
    """The service hands the pane masked values; Reveal asks a reason, shows the full value for a
    while (audited), then masks it again. The lobby manager is offered no Reveal."""
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    ComplaintService(db).submit(lobby, branch.id, walk_in_entry(
        agent_name="李四", agent_contact="13900001111", agent_authorisation="授权委托书一份"))
    window = make_main_window("teller1", counter=1)
    pane = window.complaints_pane
    window.tabs.setCurrentWidget(pane)
    settle(qtbot, pane)
    column = [pane.model.headerData(c, Qt.Orientation.Horizontal) for c in range(pane.model.columnCount())].index(
        "Complainant")
    assert pane.model.data(pane.model.index(0, column)) == "张*"
    pane.select(pane.model.rows()[0].id)
    values = pane.personal.values
    shown = {field: value.label.text() for field, value in values.items()}
    assert shown == {"complainant_name": "张*", "complainant_id_number": "110101********037X",
                     "complainant_contact": "138****1234", "agent_name": "李*", "agent_contact": "139****1111"}
    full = ("张三", "11010119900307037X", "13812341234", "李四", "13900001111")
    assert not any(value in pane.detail.text() for value in full)

    window._ctx.settings.set("customers.reveal_seconds", 1)
    id_value = values["complainant_id_number"]
    qtbot.waitUntil(id_value.button.isVisible, timeout=2000)  # new widgets in a shown pane appear next loop
    qtbot.mouseClick(id_value.button, LEFT)
    dialog = pane.personal.reveal_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok_button.isEnabled()
    dialog.reason_edit.insert("客户要求核对登记的证件号码")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert id_value.label.text() == "11010119900307037X"
    pane.show_now()  # a re-read with nothing changed keeps the revealed value up
    assert pane.personal.values["complainant_id_number"] is id_value
    qtbot.waitUntil(lambda: id_value.label.text() == "110101********037X", timeout=3000)  # masked again
    [entry] = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(action="reveal"))
    assert entry.username == "teller1" and entry.target_type == "complaint"
    assert entry.detail == {"field": "complainant_id_number", "reason": "客户要求核对登记的证件号码"}

    lobby_window = make_main_window("lobby", counter=0)
    lobby_pane = lobby_window.complaints_pane
    lobby_window.tabs.setCurrentWidget(lobby_pane)
    settle(qtbot, lobby_pane)
    lobby_pane.select(lobby_pane.model.rows()[0].id)
    assert lobby_pane.personal.values["complainant_contact"].label.text() == "138****1234"
    assert not any(value.button.isVisibleTo(lobby_pane) for value in lobby_pane.personal.values.values())
