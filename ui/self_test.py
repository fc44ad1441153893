"""``branchdesk --self-test``: start headless, drive the real panes once, exit 0 when all is well.

It works on a throw-away SQLite database unless ``--database`` names one, so running it
on a counter PC never leaves test tickets in the branch's queue.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCollator, QCoreApplication, QDeadlineTimer, QLocale, QStringDecoder, QTranslator
from PySide6.QtWidgets import QApplication

from app.domain.tickets import TicketStatus
from app.printing.fonts import FONT_RESOURCE
from app.resources import resource_path
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo
from app.services.branches import BranchView
from app.services.registry import Services
from app.services.self_check import AreaFailure, check_areas, with_throwaway_key
from app.settings import Settings
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.binding_check import versions
from ui.main_window import MainWindow
from ui.printing.fonts import UI_FONT_FAMILY, app_font_family


class SelfTestFailure(RuntimeError):
    pass


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestFailure(what)


def _wait_for(predicate, timeout_s: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not deadline.hasExpired():
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def run_self_test(app: QApplication, database_url: str | None, language: str) -> tuple[bool, str]:
    started = time.perf_counter()
    try:
        resources_note = f"{_resource_check()}; {_locale_data_check()}"
    except SelfTestFailure as failure:
        return False, f"BranchDesk self-test FAILED: {failure}"
    with tempfile.TemporaryDirectory(prefix="branchdesk-selftest-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'selftest.sqlite3'}"
        db = prepare_database(url)
        bridge: EventBridge | None = None
        window: MainWindow | None = None
        try:
            branch = seed_demo(db, customers=0)  # customers with a throw-away key: app/services/self_check.py
            services = with_throwaway_key(Services(db, Settings(), zone=branch.timezone))
            actor = services.accounts.sign_in("teller1", DEMO_PASSWORD)
            context = AppContext(services, branch, language, actor=actor, counter_number=1)
            bridge = EventBridge(db, branch.id)
            bridge.start()
            window = MainWindow(context, bridge)
            window.show()
            _check(_wait_for(lambda: bridge.connected, 5), "change watcher did not connect")
            pane = window.queue_pane
            pane.issue_ticket()
            _check(pane.waiting_model.rowCount() >= 1, "issued ticket not in the waiting list")
            number = pane.waiting_model.rows()[-1].number
            console = window.teller_console
            _check(console is not None, "the teller console is missing")
            _check(_wait_for(lambda: any(t.number == number for t in console.preview_box.model.rows()), 5),
                   "issued ticket not in the counter's preview")
            console.call_next()
            _check(console.current is not None and console.current.status is TicketStatus.CALLED,
                   "call next failed")
            console.start_or_finish()
            _check(console.current is not None and console.current.status is TicketStatus.SERVING, "start failed")
            console.start_or_finish()
            _check(console.current is None, "finish failed")
            finished = context.services.queue.list_tickets(branch.id, status=TicketStatus.FINISHED)
            _check(any(t.number == number for t in finished), "finished ticket not recorded")
            pdf_note = _print_check(context, number)
            _close(window)
            window = None
            areas_note = _areas_check(services, branch, bridge, language)
        except (SelfTestFailure, AreaFailure) as failure:
            return False, f"BranchDesk self-test FAILED: {failure}"
        finally:
            if window is not None:
                _close(window)
            if bridge is not None:
                bridge.stop()
            db.dispose()
    elapsed = time.perf_counter() - started
    return True, (f"BranchDesk self-test OK: issued, called and finished {number} at counter 1; "
                  f"{pdf_note}; {areas_note}; {resources_note}; {versions()}; {elapsed:.1f} s")


#: The panes a supervisor's main window must build (MainWindow attributes).
SUPERVISOR_PANES = ("queue_pane", "customers_pane", "checklist_pane", "complaints_pane", "dashboard")


def _areas_check(services: Services, branch: BranchView, bridge: EventBridge, language: str) -> str:
    """Every other area once through its services, and every pane built for a supervisor."""
    supervisor = services.accounts.sign_in("supervisor", DEMO_PASSWORD)
    note = check_areas(services, branch, supervisor)
    window = MainWindow(AppContext(services, branch, language, actor=supervisor), bridge)
    try:
        window.show()
        missing = [name for name in SUPERVISOR_PANES if getattr(window, name, None) is None]
        _check(not missing, f"the supervisor's window lacks {', '.join(missing)}")
        window.tabs.setCurrentWidget(window.dashboard)
        _check(_wait_for(lambda: window.dashboard.snapshot is not None, 10), "the dashboard did not refresh")
    finally:
        _close(window)
    return note


def _close(window: MainWindow) -> None:
    """Close and delete, as a session's end does: a closed main window is kept alive by the lambdas
    its panes' signals hold (ui/session.py), and the self-test runs in the tests' process too."""
    window.close()
    window.deleteLater()


def _resource_check() -> str:
    """The files loaded from disk (under resources/, also in the bundle) are there and load in Qt."""
    try:
        font = resource_path(*FONT_RESOURCE)
        catalogue = resource_path("translations", "branchdesk_zh_CN.qm")
    except FileNotFoundError as missing:
        raise SelfTestFailure(str(missing)) from None
    _check(app_font_family() == UI_FONT_FAMILY, f"Qt could not load the font {font}")
    # An empty (untranslated) catalogue still loads; completeness is the translation tests' job.
    _check(QTranslator().load(str(catalogue)), f"Qt could not load the translation catalogue {catalogue}")
    return "font and zh_CN catalogue load"


def _locale_data_check() -> str:
    """Qt's ICU data answers for Chinese: the bundle's trimmed copy (packaging/icu_data.py) must
    keep pinyin collation and the GB18030 code page."""
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    _check(collator.compare("李", "张") < 0, "Chinese collation is missing (李 should sort before 张)")
    _check(QStringDecoder("GB18030").isValid(), "the GB18030 code page is missing")
    return "pinyin collation and GB18030 work"


def _print_check(context: AppContext, number: str) -> str:
    """Build the ticket's slip and receipt: the CJK font and both page layouts must work."""
    slip = context.services.documents.ticket_slip(context.branch.id, number)
    receipt = context.services.documents.service_receipt(context.branch.id, number)
    _check(slip.startswith(b"%PDF") and len(slip) > 1000, "ticket slip PDF is empty")
    _check(receipt.startswith(b"%PDF") and len(receipt) > 1000, "service receipt PDF is empty")
    return f"slip and receipt PDFs {len(slip) + len(receipt)} bytes"
