"""Issue #18: every window fits the screens a branch has — a counter PC's 1024×768 and the lobby
monitors' 1920×1080 — in Chinese and in English, with no text cut where Qt can tell
(tests/gui/fit_check.py). The kiosk's printer failure, the English calling display's tiles and
the lockout message were cut before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.services.registry import Services
from app.settings import Settings
from tests.gui.fit_check import cut_texts
from tests.gui.live import settle
from tests.gui.visible_texts import visible_texts
from tests.ui_language import ui_language
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.printing.fonts import install_app_font

SMALL, LARGE = (1024, 768), (1920, 1080)
LANGUAGES = ("zh_CN", "en")


@pytest.fixture
def language(request, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The UI's language, its catalogue installed as ui.i18n installs it (English: none)."""
    chosen: str = request.param
    font = QFont(qapp.font())
    install_app_font(qapp)  # the embedded CJK font, as ui/workstation_start.py installs it
    with ui_language(chosen):
        yield chosen
    qapp.setFont(font)


@pytest.fixture
def context_for(demo_db):  # type: ignore[no-untyped-def]
    db, branch = demo_db

    def make(username: str | None, language: str, counter: int = 0) -> AppContext:
        actor = authenticate(db, username, DEMO_PASSWORD) if username else None
        return AppContext(Services(db, Settings(), zone=branch.timezone), branch, language=language, actor=actor,
                          counter_number=counter)
    return make


@pytest.fixture
def bridge(demo_db) -> Iterator[EventBridge]:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    started = EventBridge(db, branch.id, sqlite_poll_ms=50)
    started.start()
    yield started
    started.stop()


def shown_at(qtbot, window: QWidget, size: tuple[int, int]) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    settle(qtbot, window)
    qtbot.wait(20)  # (rows added to a shown window appear once the event loop has run)
    return window


def save_grab(window: QWidget, name: str) -> None:
    """With FIT_GRABS=<folder> set, each window checked is saved there as a PNG, to look at."""
    folder = os.environ.get("FIT_GRABS")
    if folder:
        window.grab().save(str(Path(folder) / f"{len(os.listdir(folder)):02d}_{name}_{QLocale().name()}.png"))


def assert_fits(window: QWidget, size: tuple[int, int]) -> None:
    save_grab(window, f"{type(window).__name__}_{size[0]}")
    cut = cut_texts(window, *size)
    assert cut == [], f"{type(window).__name__} at {size[0]}×{size[1]}:\n" + "\n".join(cut)


def a_busy_morning(db, branch) -> None:  # type: ignore[no-untyped-def]
    """Tickets waiting in every queue and three counters calling: full tiles, a hero, a history."""
    queue = QueueService(db)
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    for code in ("account_opening", "deposit_withdrawal", "loan", "wealth", "remittance") * 3:
        queue.issue_ticket(lobby, branch.id, code)
    for counter in (1, 2, 3):
        queue.call_next(authenticate(db, f"teller{counter}", DEMO_PASSWORD), branch.id, counter)


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["1024x768", "1920x1080"])
def test_the_lobby_screens_fit(qtbot, language, size, context_for, bridge, demo_db) -> None:  # type: ignore[no-untyped-def]
    from ui.dashboard.dashboard_window import DashboardWindow
    from ui.display.announcer import Announcer
    from ui.display.calling_display import CallingDisplay
    from ui.kiosk.kiosk_window import KioskWindow
    from ui.printing.print_job import PrintQueue

    a_busy_morning(*demo_db)
    announcer = Announcer(language, engine="mock", gap_ms=0)
    display = shown_at(qtbot, CallingDisplay(context_for("lobby", language), bridge, announcer), size)
    qtbot.waitUntil(lambda: display.hero_text()[0] != "—", timeout=5000)
    assert_fits(display, size)
    display.close()
    announcer.deleteLater()

    context = context_for("lobby", language)
    context.settings.set("printing.slip_printer", "No Such Printer")  # the longest message it shows
    queue = PrintQueue()
    kiosk = shown_at(qtbot, KioskWindow(context, print_queue=queue), size)
    assert_fits(kiosk, size)  # the choice of business types
    with qtbot.waitSignal(kiosk.slip_printed, timeout=5000):
        kiosk.issue("account_opening")
    qtbot.wait(20)
    assert_fits(kiosk, size)  # the number, the wait and the red printer failure
    kiosk.close()
    queue.wait_for_done(5000)

    dashboard = shown_at(qtbot, DashboardWindow(context_for("lobby", language), bridge), size)
    assert_fits(dashboard, size)
    if language == "en":  # counters in English words too (the counters table said 1号窗口)
        assert not [s.text for s in visible_texts(dashboard) if "号窗口" in s.text]
    dashboard.close()
    dashboard.worker.wait()


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_a_counter_pcs_windows_fit_1024x768(qtbot, language, context_for, bridge) -> None:  # type: ignore[no-untyped-def]
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow

    for username, counter in (("teller1", 1), ("supervisor", 0)):
        window = shown_at(qtbot, MainWindow(context_for(username, language, counter), bridge), SMALL)
        problems = []
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            settle(qtbot, window)
            qtbot.wait(20)  # (a layout follows new texts once the event loop has run)
            problems += [f"tab {window.tabs.tabText(index)}: {p}" for p in cut_texts(window, *SMALL)]
            save_grab(window, f"{username}_tab{index}")
        assert problems == [], f"{username}'s window:\n" + "\n".join(problems)
        window.close()
    services = context_for(None, language).services
    login = shown_at(qtbot, LoginDialog(services.accounts, "BranchDesk 示范支行"), SMALL)
    login.username.setText("teller2")
    for _ in range(6):  # wrong until the account locks: the longest message the dialog shows
        login.password.setText("wrong")
        login.try_login()
    assert login.error.text()
    qtbot.wait(20)
    assert_fits(login, SMALL)
    login.close()


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_the_customer_record_forms_fit_a_counter_pc(qtbot, language, context_for, bridge, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Issue #19's forms: registering a company (its longest form) and changing a person's record."""
    from ui.customers.customers_pane import CustomersPane
    from ui.customers.record_dialog import CustomerRecordDialog

    context = context_for("supervisor", language)
    pane = shown_at(qtbot, CustomersPane(context), SMALL)
    new = pane.open_register()
    new.kind_combo.setCurrentIndex(new.kind_combo.findData("uscc"))
    qtbot.wait(20)
    assert new.height() <= SMALL[1] and new.width() <= SMALL[0], new.size()
    assert_fits(new, (new.width(), new.height()))
    new.reject()
    from tests.integration.customer_fixtures import person, resident_id

    customers = context.services.customers
    some = customers.create(context.actor, person("冼光耀", resident_id(), "13812341234"))  # type: ignore[arg-type]
    customers_profile = customers.profile(context.actor, some)  # type: ignore[arg-type]
    pane.open_profile(some)
    qtbot.waitUntil(lambda: pane.profile_view.profile is not None, timeout=5000)
    qtbot.wait(20)
    assert_fits(pane, SMALL)  # the profile beside the results, with its record and account buttons
    from PySide6.QtWidgets import QScrollArea

    [profile_scroll] = pane.findChildren(QScrollArea)
    assert not profile_scroll.horizontalScrollBar().isVisible()  # a supervisor's buttons once widened it
    change = CustomerRecordDialog(context, customers_profile, pane)
    change.open()
    qtbot.wait(20)
    assert change.height() <= SMALL[1], change.size()
    assert_fits(change, (change.width(), change.height()))
    change.reject()
    customers.create(context.actor, person("冼光耀", resident_id(), "13812341234"))  # type: ignore[arg-type]
    merge = pane.profile_view.open_duplicates()
    qtbot.wait(20)
    assert merge.width() <= SMALL[0] and merge.height() <= SMALL[1], merge.size()
    assert_fits(merge, (merge.width(), merge.height()))
    merge.reject()
    pane.close()
