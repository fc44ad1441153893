"""Issue #18: no internal code reaches a person in the Chinese UI — no ``account_opening``,
``[written]``, ``satisfied``, ``login_failed`` or raw JSON. Each pane and dialog a teller and a
supervisor open is walked after a day's work that gives every list something to show (a served
ticket with its checklist, a complaint from receipt to a satisfied close, a failed sign-in, a
matrix and a setting changed), with the Chinese catalogue installed, and every visible text
(tests/gui/visible_texts.py) is scanned for what looks like a code."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain.errors import AuthenticationFailed
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD, DEMO_USERS
from app.services.queue import QueueService
from tests.gui.live import settle
from tests.gui.visible_texts import Shown, visible_texts
from tests.ui_language import ui_language
from tests.integration.complaint_helpers import walk_in_entry

LEFT = Qt.MouseButton.LeftButton

#: snake_case identifiers, [bracketed] codes, JSON, and in the Chinese UI any English word of
#: four letters or more (a status or action code such as ``satisfied`` or ``closed``).
CODE_LIKE = (re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"), re.compile(r"\[[a-z_]+\]"),
             re.compile(r"[{\[]\s*\""), re.compile(r"(?<![\w.@/-])[a-z]{4,}(?![\w.@/-])"))
#: What the Chinese UI shows in Latin letters on purpose: people's user names (the audit log,
#: the user menus), the product's name, and the database kinds.
ALLOWED = {user.username for user in DEMO_USERS} | {"sqlite", "postgresql", "branchdesk"}


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The Chinese UI (tests/ui_language.py)."""
    with ui_language("zh_CN"):
        yield


def codes_in(window: QWidget) -> list[Shown]:
    found = []
    for shown in visible_texts(window):
        for pattern in CODE_LIKE:
            hits = [hit for hit in pattern.findall(shown.text) if hit.lower() not in ALLOWED]
            if hits:
                found.append(Shown(f"{hits[0]!r} in {shown.text[:80]!r}", shown.where))
                break
    return found


def a_days_work(window, db, branch) -> None:  # type: ignore[no-untyped-def]
    """Through the services, as other workstations would have done it."""
    services = window._ctx.services
    supervisor = window._ctx.actor
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller2", "wrong password")
    reference = services.complaints.submit(supervisor, branch.id, walk_in_entry())
    [row] = [r for r in services.complaint_reads.list(supervisor, branch.id) if r.reference == reference]
    for act in (services.complaints.accept, services.complaints.investigate):
        act(supervisor, row.id)
    services.complaints.decide(supervisor, row.id, "经核实，已向客户致歉。")
    services.complaints.send_reply(supervisor, row.id, "written", "书面答复已交客户")
    services.complaints.close(supervisor, row.id, satisfied=True, note="客户表示满意")
    services.branch_settings.change(supervisor, branch.id, {"queue.recalls_before_no_show": 3})


def scan(qtbot, window: QWidget) -> list[Shown]:  # type: ignore[no-untyped-def]
    """Every tab of ``window`` in turn, each once its read has arrived."""
    found = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(qtbot, window)
        found += codes_in(window)
    return found


def test_a_supervisors_screens_show_no_codes(qtbot, chinese, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    window = make_main_window("supervisor", counter=0)
    a_days_work(window, db, branch)
    found = scan(qtbot, window)
    complaints = window.complaints_pane
    window.tabs.setCurrentWidget(complaints)
    settle(qtbot, complaints)
    complaints.select(complaints.model.rows()[0].id)
    qtbot.waitUntil(lambda: complaints.timeline.rowCount() >= 5, timeout=3000)
    found += codes_in(window)  # the closed complaint's detail and history
    notes = [s.text for s in visible_texts(window) if "timelineView" in s.where and "column 5" in s.where]
    assert "书面: 书面答复已交客户" in notes and "满意: 客户表示满意" in notes  # the outcome in words
    customers = window.customers_pane
    window.tabs.setCurrentWidget(customers)
    customers.open_profile(1)  # a demo customer: accounts, phones, tier, visits
    qtbot.waitUntil(lambda: customers.profile_view.profile is not None, timeout=3000)
    qtbot.wait(50)  # (the profile's rows are shown once the event loop has run)
    found += codes_in(window)
    for open_dialog in (window.open_audit_log, window.open_templates, window.open_branch_settings,
                        window.open_matrix_editor, window.open_reports, window.open_dashboard_window):
        dialog = open_dialog()
        qtbot.waitUntil(dialog.isVisible, timeout=2000)
        settle(qtbot, dialog)
        if hasattr(dialog, "refresh"):
            qtbot.wait(200)  # (the audit log's first search)
        found += codes_in(dialog)
        dialog.close()
    assert found == [], "\n".join(f"{s.where}: {s.text}" for s in found)


def test_a_tellers_screens_show_no_codes(qtbot, chinese, make_main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    QueueService(db).issue_ticket(lobby, branch.id, "account_opening")
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    qtbot.mouseClick(console.call_button, LEFT)
    qtbot.mouseClick(console.serve_button, LEFT)
    qtbot.mouseClick(console.checklist_button, LEFT)  # the account-opening checklist, started
    assert window.checklist_pane.run is not None
    found = codes_in(window)
    found += scan(qtbot, window)
    assert found == [], "\n".join(f"{s.where}: {s.text}" for s in found)
