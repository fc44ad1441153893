"""Registering and changing customers from the Customers pane (issue #19): a teller registers a
person with consent, a refused field is marked under it, a phone is changed, a supervisor reads
the record's history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from stdnum.cn import ric, uscc

from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from tests.gui.test_customers_pane import search, teller_with_a_customer

BODY = "11010119850412" + "35"
NEW_ID = BODY + "1" + ric.calc_check_digit(BODY + "1" + "0")


def open_profile(qtbot, pane, customer_id: int) -> None:  # type: ignore[no-untyped-def]
    pane.open_profile(customer_id)
    qtbot.waitUntil(lambda: pane.profile_view.profile is not None and pane.profile_view.profile.id == customer_id,
                    timeout=5000)


def test_a_teller_registers_a_person_with_consent(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    assert pane.register_button.isVisible()
    qtbot.mouseClick(pane.register_button, Qt.MouseButton.LeftButton)
    dialog = pane.record_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.industry_edit.isVisible() and dialog.occupation_edit.isVisible()  # a person's fields

    dialog.name_edit.insert("冼新客")
    qtbot.keyClicks(dialog.id_edit, NEW_ID)
    qtbot.keyClicks(dialog.phone_edit, "13912345678")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # No consent ticked: refused, the consent marked, the form stays open, nothing written.
    assert dialog.isVisible()
    assert dialog.findChild(type(dialog.hint), "consentMessage").isVisible()
    assert dialog.message.severity == "error"

    dialog.scope_checks[next(iter(dialog.scope_checks))].setChecked(True)  # keep the data for the service
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.created_id is not None
    qtbot.waitUntil(lambda: pane.profile_view.profile is not None
                    and pane.profile_view.profile.id == dialog.created_id, timeout=5000)
    profile = pane.profile_view.profile
    assert profile.consent and profile.consent_scope == ("service",)
    assert [p.masked for p in profile.phones] == ["139****5678"]
    search(qtbot, pane, "13912345678")
    assert [h.id for h in pane.model.rows()] == [dialog.created_id]


def test_a_bad_id_number_is_marked_under_its_field(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    dialog = pane.open_register()
    dialog.name_edit.insert("冼新客")
    qtbot.keyClicks(dialog.id_edit, NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"))  # wrong check digit
    for check in dialog.scope_checks.values():
        check.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    label = dialog.findChild(type(dialog.hint), "ID numberMessage")
    assert dialog.isVisible() and label.isVisible() and label.text()


def test_a_company_shows_its_own_fields_and_keeps_them(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    dialog = pane.open_register()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("uscc"))
    assert dialog.industry_edit.isVisible() and not dialog.occupation_edit.isVisible()
    body = "91110000MA01ABCD2"
    dialog.name_edit.insert("北京测试科技有限公司")
    qtbot.keyClicks(dialog.id_edit, body + uscc.calc_check_digit(body))
    dialog.legal_edit.insert("李四")
    dialog.industry_edit.insert("软件和信息技术服务业")
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("small"))
    dialog.licence_check.setChecked(True)
    dialog.scope_checks[next(iter(dialog.scope_checks))].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.created_id is not None, dialog.message.text()
    open_profile(qtbot, pane, dialog.created_id)
    profile = pane.profile_view.profile
    assert (profile.industry, profile.enterprise_size, profile.legal_representative) == (
        "软件和信息技术服务业", "small", "李四")
    assert profile.licence_expires_on is not None


def test_a_teller_changes_a_phone_and_the_profile_says_what_was_saved(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, demo_db) -> None:
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    open_profile(qtbot, pane, customer_id)
    view = pane.profile_view
    assert view.edit_button.isVisible() and not view.history_button.isVisible()  # history: a supervisor's
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.record_dialog
    [old] = view.profile.phones
    assert dialog.name_edit.text() == "" and dialog.name_edit.placeholderText() == view.profile.name  # masked: a hint
    dialog.remove_checks[old.id].setChecked(True)
    qtbot.keyClicks(dialog.phone_edit, "13700001111")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.changed_fields == ["phone"]
    qtbot.waitUntil(lambda: [p.masked for p in view.profile.phones] == ["137****1111"], timeout=5000)
    qtbot.waitUntil(lambda: view.message.text() != "", timeout=3000)
    assert view.message.severity != "error"


def test_saving_an_unchanged_form_says_nothing_was_changed(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    open_profile(qtbot, pane, customer_id)
    dialog = pane.profile_view.open_editor()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.severity == "error" and dialog.message.text()


def test_a_supervisor_reads_the_history_of_a_record(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    teller_window, teller_pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    open_profile(qtbot, teller_pane, customer_id)
    dialog = teller_pane.profile_view.open_editor()
    dialog.occupation_edit.setText("教师")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.changed_fields == ["occupation"]

    window = make_main_window("supervisor", counter=3)
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    open_profile(qtbot, pane, customer_id)
    assert pane.profile_view.history_button.isVisible()
    history = pane.profile_view.open_history()
    actions = [history.model.row_at(r).action for r in range(history.model.rowCount())]
    assert actions == ["customer_change", "customer_create"]
    shown = " ".join(history.model.data(history.model.index(r, c)) or ""
                     for r in range(history.model.rowCount()) for c in range(4))
    assert "教师" not in shown  # field names, never values


def test_a_teller_adds_an_account_and_closes_another_with_a_reason(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, demo_db) -> None:
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    open_profile(qtbot, pane, customer_id)
    box = pane.profile_view.accounts_box
    assert box.add_button.isVisible() and not box.close_button.isEnabled()  # nothing selected yet
    dialog = box.open_add()
    qtbot.keyClicks(dialog.number_edit, "123")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.findChild(type(dialog.hint), "account numberMessage").isVisible()
    dialog.number_edit.setText("6217001234567890")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: box.model.rowCount() == 2, timeout=5000)

    box.table.selectRow(0)  # the debit card the customer came with
    closing = box.ask_close()
    assert not closing.ok_button.isEnabled()  # a reason first
    closing.reason_edit.setText("客户申请销户")
    qtbot.mouseClick(closing.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.model.rows()[0].status == "closed", timeout=5000)
    closed = box.model.rows()[0]
    assert closed.close_reason == "客户申请销户"
    assert "客户申请销户" in box.model.data(box.model.index(0, 3))
    box.table.selectRow(0)
    assert not box.close_button.isEnabled() and not box.status_button.isEnabled()  # closed is final


def test_a_supervisor_merges_a_duplicate_after_confirming_twice(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.test_customers_pane import add_customer

    db, _branch = demo_db
    window = make_main_window("supervisor", counter=3)
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    first, second = add_customer(window, db), add_customer(window, db)  # the same person twice
    open_profile(qtbot, pane, second)
    view = pane.profile_view
    assert view.duplicates_button.isVisible()
    dialog = view.open_duplicates()
    assert [d.customer_id for d in dialog.model.rows()] == [first]
    assert dialog.other is not None and dialog.other.id == first  # side by side at once
    assert not dialog.merge_button.isEnabled()
    dialog.keep_other.setChecked(True)  # the older record stays
    dialog.reason_edit.setText("同一客户重复建档")
    assert not dialog.merge_button.isEnabled()  # first confirmation still missing
    dialog.final_check.setChecked(True)
    assert dialog.merge_button.isEnabled()

    question = dialog.ask_merge()
    assert str(first) in question.text() and str(second) in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()  # second thoughts: nothing merged
    assert dialog.isVisible() and dialog.kept_id is None
    assert view._ctx.services.customer_merge.duplicates_of(view._ctx.actor, second)

    question = dialog.ask_merge()
    question.findChild(type(dialog.merge_button), "mergeForGood").click()
    assert dialog.kept_id == first and not dialog.isVisible()
    qtbot.waitUntil(lambda: view.profile is not None and view.profile.id == first, timeout=5000)
    assert "同一客户" not in view.message.text() and view.message.text()
    assert view._ctx.services.customer_merge.duplicates_of(view._ctx.actor, first) == []


def test_a_teller_does_not_see_the_merge(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    open_profile(qtbot, pane, customer_id)
    assert not pane.profile_view.duplicates_button.isVisible()


def test_a_lobby_manager_gives_a_customer_to_a_manager_who_then_sees_them(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, demo_db) -> None:
    db, _branch = demo_db
    lobby_window = make_main_window("lobby", counter=0)
    from tests.gui.test_customers_pane import add_customer

    customer_id = add_customer(lobby_window, db)
    pane = lobby_window.customers_pane
    lobby_window.tabs.setCurrentWidget(pane)
    open_profile(qtbot, pane, customer_id)
    view = pane.profile_view
    assert view.assign_button.isVisible()
    dialog = view.open_assign()
    names = [dialog.manager_combo.itemText(i) for i in range(dialog.manager_combo.count())]
    assert any("孙经理" in name for name in names) and any("钱经理" in name for name in names)
    dialog.manager_combo.setCurrentIndex(next(i for i, name in enumerate(names) if "孙经理" in name))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.profile.manager_name == "孙经理", timeout=5000)

    window = make_main_window("manager1", counter=0)
    assert window.tabs.currentWidget() is window.customers_pane  # a manager starts at their customers
    own = window.customers_pane
    assert own.own_box.isVisible()
    assert [own.own_list.item(i).data(256) for i in range(own.own_list.count())] == [customer_id]
    assert window.teller_console is None  # no counter work
    open_profile(qtbot, own, customer_id)
    assert own.profile_view._can_reveal(own.profile_view.profile)  # their own customer


def test_a_review_is_recorded_from_the_profile_and_leaves_the_due_list(  # type: ignore[no-untyped-def]
        qtbot, make_main_window, demo_db) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from app.db.models import Customer

    db, _branch = demo_db
    window = make_main_window("lobby", counter=0)
    from tests.gui.test_customers_pane import add_customer

    customer_id = add_customer(window, db)
    with db.write() as session:  # a year on
        session.execute(update(Customer).where(Customer.id == customer_id).values(
            review_due_on=window._ctx.services.customers.today() - timedelta(days=1)))
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    pane.refresh_reviews()
    assert pane.reviews_box.isVisible()
    assert customer_id in [pane.reviews_list.item(i).data(256) for i in range(pane.reviews_list.count())]
    open_profile(qtbot, pane, customer_id)
    view = pane.profile_view
    dialog = view.open_review()
    assert "licence" not in dialog.checks  # a person: occupation instead
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # nothing ticked: refused, marked
    dialog.checks["identity"].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.next_due is not None
    qtbot.waitUntil(lambda: view.profile.review_due_on == dialog.next_due, timeout=5000)
    qtbot.waitUntil(lambda: customer_id not in [pane.reviews_list.item(i).data(256)
                                                for i in range(pane.reviews_list.count())], timeout=5000)


def test_a_manager_is_told_when_their_customer_takes_a_ticket(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    from app.services.queue import QueueService
    from tests.gui.test_customers_pane import ID, add_customer

    db, branch = demo_db
    window = make_main_window("manager1", counter=0)
    customer_id = add_customer(window, db)
    manager = window._ctx.actor
    window._ctx.services.relationship_managers.assign(authenticate(db, "lobby", DEMO_PASSWORD), customer_id,
                                                      manager.user_id)
    box = window.customers_pane.arrivals
    assert box is not None and box.isVisible() and box.list.count() == 0
    with qtbot.waitSignal(box.arrived, timeout=5000):  # the kiosk, another PC: through the change notice
        QueueService(db).issue_ticket(authenticate(db, "lobby", DEMO_PASSWORD), branch.id, "wealth", resident_id=ID)
    assert box.list.count() == 1 and "冼**" in box.list.item(0).text()
    box.list.itemActivated.emit(box.list.item(0))
    qtbot.waitUntil(lambda: window.customers_pane.profile_view.profile is not None
                    and window.customers_pane.profile_view.profile.id == customer_id, timeout=5000)
