"""The Customers pane driven as a teller and a lobby manager would: search, open a profile,
reveal with a reason (audited, masked again), add a note, follow-ups due, import with progress."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from stdnum.cn import ric

from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.customers.records import AccountInput, CustomerInput
from tests.integration.customer_fixtures import AGREED

ID = "110101199003071" + "23"
ID = ID + ric.calc_check_digit(ID + "0")


def add_customer(window, db):  # type: ignore[no-untyped-def]
    supervisor = authenticate(db, "supervisor", DEMO_PASSWORD)
    service = window.customers_pane._ctx.services.customers
    return service.create(supervisor, CustomerInput(
        name="冼光耀", id_type="resident_id", id_number=ID, phones=("13812341234",), address="北京市东城区东四十条88号",
        accounts=(AccountInput("6222021234567890123"),), asset_band="high", activity_band="high",
        credit_grade="good", **AGREED))


def teller_with_a_customer(make_main_window, demo_db):  # type: ignore[no-untyped-def]
    """A teller's window on the Customers tab, and the id of 冼光耀 added by the supervisor."""
    db, _branch = demo_db
    window = make_main_window("teller1")
    pane = window.customers_pane
    window.tabs.setCurrentWidget(pane)
    return window, pane, add_customer(window, db)


def search(qtbot, pane, text: str) -> None:  # type: ignore[no-untyped-def]
    pane.search_edit.clear()
    pane.search_edit.insert(text)  # as typed (QTest.keyClicks cannot type Chinese); the pane debounces
    qtbot.waitUntil(lambda: pane.last_page is not None and pane.last_page.query == text, timeout=5000)


def test_search_open_profile_reveal_and_add_a_note(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)

    search(qtbot, pane, "冼")
    assert [(h.name, h.id_masked) for h in pane.model.rows()] == [("冼**", ID[:6] + "********" + ID[14:])]
    search(qtbot, pane, "13812341234")
    assert [h.id for h in pane.model.rows()] == [customer_id]
    search(qtbot, pane, "1234")  # the last four digits, as the customer reads them out
    assert customer_id in [h.id for h in pane.model.rows()]
    assert all(h.phone_masked.endswith("1234") for h in pane.model.rows())
    search(qtbot, pane, "没有这个人")
    assert pane.model.rowCount() == 0 and pane.status.text()

    search(qtbot, pane, "光耀")
    pane.results.selectRow(0)
    index = pane.model.index(0, 0)
    pane.results.activated.emit(index)  # Enter, or a double click
    view = pane.profile_view
    qtbot.waitUntil(lambda: view.profile is not None and view.profile.id == customer_id, timeout=5000)
    assert view.isVisible() and view.tier_badge.text().startswith(("钻石", "Diamond"))
    id_value = view.values[("id_number", 0)]
    assert id_value.label.text() == ID[:6] + "********" + ID[14:]

    window._ctx.settings.set("customers.reveal_seconds", 1)
    dialog = view.ask_reveal("id_number", None)
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.insert("客户办理挂失核对身份")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert id_value.label.text() == ID
    qtbot.waitUntil(lambda: id_value.label.text() != ID, timeout=3000)  # masked again
    [entry] = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(action="reveal"))
    assert entry.username == "teller1" and entry.detail["reason"] == "客户办理挂失核对身份"

    # The name is masked too (冼**) and revealed the same way, for addressing the customer.
    name_value = view.values[("name", 0)]
    assert name_value.label.text() == "冼**"
    dialog = view.ask_reveal("name", None)
    dialog.reason_edit.insert("称呼客户")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert name_value.label.text() == "冼光耀"
    qtbot.waitUntil(lambda: name_value.label.text() == "冼**", timeout=3000)

    view.note_edit.insert("客户希望下次电话预约")
    qtbot.mouseClick(view.add_note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.notes.count() == 1, timeout=5000)
    assert "客户希望下次电话预约" in view.notes.item(0).text() and view.note_edit.text() == ""


def test_paging_through_results(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    window = make_main_window("teller1")
    pane = window.customers_pane
    supervisor = authenticate(db, "supervisor", DEMO_PASSWORD)
    for n in range(8):
        body = f"44030519790101{n:03d}"
        pane._ctx.services.customers.create(supervisor, CustomerInput(name=f"冼{'甲乙丙丁戊己庚辛'[n]}", id_type="resident_id",
                                                             id_number=body + ric.calc_check_digit(body + "0"),
                                                             **AGREED))
    window._ctx.settings.set("customers.search_page_size", 5)
    search(qtbot, pane, "冼")
    first = [h.id for h in pane.model.rows()]
    assert len(first) == 5 and pane.next_button.isEnabled() and not pane.prev_button.isEnabled()
    qtbot.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.last_page.page == 1, timeout=5000)
    assert not set(first) & {h.id for h in pane.model.rows()} and pane.prev_button.isEnabled()


def test_lobby_manager_sees_follow_ups_due_and_no_reveal(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    window = make_main_window("lobby", counter=0)
    pane = window.customers_pane
    customer_id = add_customer(window, db)
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    pane._ctx.services.customers.add_follow_up(lobby, customer_id, "revisit", date.today(), "理财到期回访")
    pane.refresh_due()
    assert not pane.due_box.isHidden() and pane.due_list.count() == 1
    pane.open_profile(customer_id)
    qtbot.waitUntil(lambda: pane.profile_view.profile is not None, timeout=5000)
    assert pane.profile_view.values[("id_number", 0)].button.isHidden()
    assert pane.profile_view.follow_ups.count() == 1
    view = pane.profile_view
    view.follow_kind.setCurrentIndex(view.follow_kind.findData("birthday"))
    qtbot.mouseClick(view.add_follow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.follow_ups.count() == 2, timeout=5000)
    assert view.profile.open_follow_ups[-1].kind == "birthday"
    pane.profile_view.follow_ups.setCurrentRow(0)
    qtbot.mouseClick(pane.profile_view.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.profile_view.follow_ups.count() == 1, timeout=5000)
    assert pane.due_list.count() == 1  # the birthday care planned a week ahead is due within the 7-day window


def test_teller_sees_no_follow_ups_due_nor_import(make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1")
    assert window.customers_pane.due_box.isHidden() and window.customers_pane.import_button.isHidden()
    assert not make_main_window("supervisor", counter=0).customers_pane.import_button.isHidden()


def test_import_dialog_shows_progress_and_result(qtbot, make_main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    pane = window.customers_pane
    lines = ["name,id_type,id_number,phone,address"]
    for n in range(30):
        body = f"310104198501{n % 28 + 1:02d}{n:03d}"
        lines.append(f"客户{n},resident_id,{body}{ric.calc_check_digit(body + '0')},1390000{n:04d},上海市")
    lines.append("坏行,resident_id,123,1,上海市")
    path = tmp_path / "import.csv"
    path.write_bytes("\n".join(lines).encode("gbk"))
    dialog = pane.start_import(str(path))
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert (dialog.result.imported, dialog.result.rejected) == (30, 1)
    assert dialog.bar.value() == dialog.bar.maximum() and "30" in dialog.label.text()
    dialog.close()


def test_sections_of_other_areas_are_shown(qtbot, make_main_window, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.services.customers.views as views

    db, _branch = demo_db
    window = make_main_window("teller1")
    customer_id = add_customer(window, db)
    monkeypatch.setattr(views, "_SECTIONS", {})
    views.register_profile_section("complaints", lambda session, cid: [f"投诉 #{cid} 处理中"])
    pane = window.customers_pane
    pane.open_profile(customer_id)
    qtbot.waitUntil(lambda: pane.profile_view.profile is not None, timeout=5000)
    listing = pane.profile_view.section_lists["complaints"]
    assert listing.count() == 1 and listing.item(0).text() == f"投诉 #{customer_id} 处理中"


def test_a_ticket_with_a_known_customer_opens_their_profile_from_the_console(qtbot, make_main_window,
                                                                             demo_db) -> None:  # type: ignore[no-untyped-def]
    from app.services.actor import SYSTEM
    from tests.integration.customer_fixtures import person, resident_id

    db, branch = demo_db
    window = make_main_window("teller1")
    id_number = resident_id("110101", "19800512", "357")
    customer = window._ctx.services.customers.create(SYSTEM, person("柜台客", id_number, "13812345678"))
    window._ctx.services.queue.issue_ticket(SYSTEM, branch.id, "loan", resident_id=id_number)  # at the kiosk
    console = window.teller_console
    assert not console.customer_button.isEnabled()
    console.call_next()
    assert console.current is not None and console.current.customer_id == customer
    # Called: the profile is loaded in the Customers tab; the console stays in front.
    qtbot.waitUntil(lambda: window.customers_pane.profile_view.profile is not None, timeout=5000)
    assert window.customers_pane.profile_view.profile.id == customer
    assert window.tabs.currentWidget() is console
    assert console.customer_button.isEnabled()
    qtbot.mouseClick(console.customer_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.customers_pane


def test_results_tell_masked_names_apart_and_one_click_opens_the_profile(qtbot, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: gender and age band beside 冼**; a click, Enter or Ctrl+F as a teller expects;
    the profile in words, the address masked like the name, a reveal that names what it shows and
    counts down."""
    window, pane, customer_id = teller_with_a_customer(make_main_window, demo_db)
    search(qtbot, pane, "冼")
    [hit] = pane.model.rows()
    assert (hit.gender, hit.age_band) == ("male", 30)  # born 1990-03-07, today 2026
    assert pane.model.data(pane.model.index(0, 1)) in ("男 · 30–39", "male · 30–39")  # (as the suite's catalogue)
    assert pane.results.horizontalHeader().sectionResizeMode(2) == pane.results.horizontalHeader().ResizeMode.ResizeToContents

    pane.results.clicked.emit(pane.model.index(0, 0))
    view = pane.profile_view
    qtbot.waitUntil(lambda: view.profile is not None and view.profile.id == customer_id, timeout=5000)
    # Shown again while on screen (a double click, or a profile preloaded for a called ticket
    # before): the new rows appear once the event loop has run, as Qt shows a visible parent's
    # new children.
    view.profile = None
    pane.results.activated.emit(pane.model.index(0, 0))
    qtbot.waitUntil(lambda: view.profile is not None and view.values[("address", 0)].isVisibleTo(view),
                    timeout=5000)
    assert view.accounts_box.model.data(view.accounts_box.model.index(0, 0)) in ("借记卡", "Debit card")  # not debit_card
    assert view.accounts_box.model.data(view.accounts_box.model.index(0, 3)) in ("正常", "Active")  # not active
    address = view.values[("address", 0)]
    assert address.label.text() == "北京市东城区" + "*" * 7

    window._ctx.settings.set("customers.reveal_seconds", 2)
    dialog = view.ask_reveal("address", None)
    assert dialog.windowTitle() in ("查看完整地址", "Reveal: address")
    dialog.reason_edit.insert("邮寄对账单核对")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert address.label.text() == "北京市东城区东四十条88号"
    assert address.countdown.isVisibleTo(view) and "2" in address.countdown.text()
    qtbot.waitUntil(lambda: "1" in address.countdown.text(), timeout=3000)
    qtbot.waitUntil(lambda: address.label.text().endswith("*"), timeout=3000)
    assert not address.countdown.isVisibleTo(view)

    pane.results.setFocus()
    assert pane.find_shortcut.key() == QKeySequence(QKeySequence.StandardKey.Find)  # Ctrl+F
    pane.find_shortcut.activated.emit()  # (offscreen, the window never has the keyboard)
    assert pane.focusWidget() is pane.search_edit
