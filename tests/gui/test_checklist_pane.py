"""A teller works an account-opening checklist in the real pane: started from the teller console,
one optional step skipped with a reason, one required step overridden by a supervisor who signs in
on the spot (a wrong password first), finishing refused while steps are open, then the ticket
finishes and the record opens in the print preview."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from app.domain.checklist_runs import StepStatus
from app.domain.checklist_templates import StepKind
from app.domain.tickets import TicketStatus
from app.services.audit import AuditAction, AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService

LEFT = Qt.MouseButton.LeftButton


def type_into(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a teller would; Chinese arrives through the input method, i.e. as committed text."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def fill_dialog(qtbot, dialog, **texts: str) -> None:  # type: ignore[no-untyped-def]
    for name, text in texts.items():
        edit = getattr(dialog, name)
        edit.clear()
        type_into(qtbot, edit, text)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, LEFT)


def complete_next(qtbot, pane, text: str = "") -> str:  # type: ignore[no-untyped-def]
    """Fill the next step's widget as a teller would and press Complete; the step's id."""
    editor = pane.editor
    step = editor.step
    assert step is not None
    if step.kind in (StepKind.TICK, StepKind.DOCUMENT, StepKind.SIGNATURE):
        assert not editor.complete_button.isEnabled()  # nothing ticked yet
        qtbot.mouseClick(editor.check, LEFT, pos=QPoint(8, editor.check.height() // 2))
        assert editor.check.isChecked()
    elif step.kind in (StepKind.TEXT, StepKind.NUMBER):
        type_into(qtbot, editor.text_edit, text)
    elif step.kind is StepKind.CHOICE:
        editor.choice_combo.setCurrentIndex(editor.choice_combo.findData(text))
    qtbot.mouseClick(editor.complete_button, LEFT)
    return step.id


def test_teller_completes_an_account_opening_run_with_a_skip_and_an_override(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    number = QueueService(db).issue_ticket(lobby, branch.id, "account_opening").number
    window = make_main_window("teller1", counter=1)
    console, pane = window.teller_console, window.checklist_pane
    assert pane is not None and window.tabs.indexOf(pane) >= 0

    qtbot.mouseClick(console.call_button, LEFT)
    qtbot.mouseClick(console.serve_button, LEFT)
    assert console.current.status is TicketStatus.SERVING
    assert console.checklist_button.isEnabled()
    qtbot.mouseClick(console.checklist_button, LEFT)
    assert window.tabs.currentWidget() is pane
    assert pane.run is not None and pane.run.ticket_number == number
    assert number in pane.ticket_label.text()
    assert pane.editor.step.id == "id_original"
    assert "开户资料归档" in pane.blockers_label.text()  # what blocks finishing, in Chinese
    assert pane.model.rowCount() == len(pane.run.template.steps)

    assert complete_next(qtbot, pane) == "id_original"
    assert pane.editor.step.id == "id_online_check"
    assert not pane.editor.skip_button.isEnabled()  # required: only a supervisor may let it go

    # The online ID check system is down: a supervisor overrides — a wrong password is refused first.
    qtbot.mouseClick(pane.editor.override_button, LEFT)
    fill_dialog(qtbot, pane.active_dialog, username_edit="supervisor", password_edit="not-the-password",
                reason_edit="联网核查系统故障，已人工核验证件")
    assert "用户名或密码" in pane.message.text() or "password" in pane.message.text().lower()
    assert pane.editor.step.id == "id_online_check"
    qtbot.mouseClick(pane.editor.override_button, LEFT)
    fill_dialog(qtbot, pane.active_dialog, username_edit="supervisor", password_edit=DEMO_PASSWORD,
                reason_edit="联网核查系统故障，已人工核验证件")
    assert pane.run.results["id_online_check"].status is StepStatus.OVERRIDDEN
    assert pane.editor.step.id == "face_match"

    # Finishing now is refused with a sentence naming the open step.
    window.tabs.setCurrentWidget(console)
    qtbot.mouseClick(console.serve_button, LEFT)
    assert console.current is not None and console.current.status is TicketStatus.SERVING
    face_match = pane.run.template.step("face_match")  # the sentence's language follows the UI's
    assert face_match.title_en in console.message.text() or face_match.title_zh in console.message.text()
    window.tabs.setCurrentWidget(pane)

    answers = {"purpose": "工资代发", "due_diligence": "low", "account_class": "I"}
    while pane.editor.step is not None and pane.editor.step.id != "elderly_care":
        step_id = pane.editor.step.id
        assert complete_next(qtbot, pane, answers.get(step_id, "")) == step_id
        assert pane.run.results[step_id].status is StepStatus.DONE, pane.message.text()

    # The customer's age is unknown, so the elderly-care step applies; it is optional: skip it.
    assert pane.editor.skip_button.isEnabled() and not pane.editor.override_button.isEnabled()
    qtbot.mouseClick(pane.editor.skip_button, LEFT)
    fill_dialog(qtbot, pane.active_dialog, reason_edit="客户出示证件为45岁")
    assert pane.run.results["elderly_care"].status is StepStatus.SKIPPED
    assert pane.run.results["elderly_care"].reason == "客户出示证件为45岁"

    while pane.editor.step is not None:
        complete_next(qtbot, pane)
    assert pane.run.complete
    assert "可以" in pane.blockers_label.text() or "can be finished" in pane.blockers_label.text()
    assert pane.progress.value() == pane.progress.maximum() == pane.run.total

    assert pane.print_button.isEnabled()
    qtbot.mouseClick(pane.print_button, LEFT)
    assert pane.preview is not None and pane.preview.isVisible()
    qtbot.waitUntil(lambda: pane.preview.page_count() >= 1, timeout=5000)
    pane.preview.close()

    window.tabs.setCurrentWidget(console)
    qtbot.mouseClick(console.serve_button, LEFT)
    assert console.current is None
    assert console.last_finished is not None and console.last_finished.number == number
    assert console.last_finished.status is TicketStatus.FINISHED

    supervisor = authenticate(db, "supervisor", DEMO_PASSWORD)
    [override] = AuditLog(db).entries(supervisor, AuditFilter(action=AuditAction.OVERRIDE.value))
    assert override.detail["steps"] == ["id_online_check"] and override.detail["teller"] == "teller1"


def test_supervisor_imports_a_template_after_seeing_the_diff(qtbot, make_main_window, demo_db, tmp_path):
    from app.services.checklist_templates import TemplateStore, templates_dir
    from ui.checklists.templates_dialog import TemplatesDialog

    db, _ = demo_db
    teller = make_main_window("teller1", counter=1)
    assert not teller.templates_action.isVisible()
    window = make_main_window("supervisor", counter=0)
    assert window.templates_action.isVisible()
    window.templates_action.trigger()
    dialog = window.findChild(TemplatesDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.model.rowCount() == 10 and not dialog.import_button.isEnabled()

    original = (templates_dir() / "loan.toml").read_text(encoding="utf-8")
    broken = tmp_path / "loan.toml"
    broken.write_text(original.replace('id = "interview"\nkind = "tick"', 'id = "interview"\nkind = "chat"'),
                      encoding="utf-8")
    assert dialog.load_file(broken) is None
    assert "loan.toml" in dialog.message.text() and "interview" in dialog.message.text()
    assert not dialog.import_button.isEnabled()

    changed = tmp_path / "loan_v2.toml"
    changed.write_text(original.replace("version = 1", "version = 2").replace("min = 1000", "min = 5000"),
                       encoding="utf-8")
    assert dialog.load_file(changed) is not None
    assert dialog.diff_view.toPlainText().splitlines() == ["~ version: 1 → 2", "~ step amount: minimum: 1000 → 5000"]
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert not dialog.import_button.isEnabled()
    assert dialog.model.rowCount() == 11
    assert TemplateStore(db).template("loan").step("amount").minimum == 5000
    dialog.close()
