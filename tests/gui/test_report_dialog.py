"""The report dialog builds reports on the worker thread, previews them and saves each format."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.settings import Settings
from tests.unit.printing.pdfcheck import all_text, read
from app.services.registry import Services
from ui.context import AppContext
from ui.dashboard.report_dialog import ReportDialog


@pytest.fixture
def make_dialog(qtbot, demo_db):  # type: ignore[no-untyped-def]
    db, branch = demo_db
    made = []

    def make(username: str = "lobby") -> ReportDialog:
        context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN",
                             actor=authenticate(db, username, DEMO_PASSWORD))
        dialog = ReportDialog(context)
        qtbot.addWidget(dialog)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.close()
        dialog.worker.wait()


def test_preview_and_save_each_format(qtbot, make_dialog, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    queue = QueueService(db)
    lobby = authenticate(db, "lobby", DEMO_PASSWORD)
    for _ in range(3):
        queue.issue_ticket(lobby, branch.id, "loan")
    dialog = make_dialog()
    assert not dialog.all_branches.isVisible() and not dialog.all_branches.isVisibleTo(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.produced, timeout=10_000) as produced:
        dialog.preview_button.click()
    assert produced.args[0] == "pdf"
    assert dialog.preview is not None and dialog.preview.page_count() >= 1
    assert "个人贷款" in all_text(read(dialog.preview.pdf_bytes))

    with qtbot.waitSignal(dialog.produced, timeout=10_000):
        dialog.save_to(tmp_path / "day.xlsx")
    assert load_workbook(io.BytesIO((tmp_path / "day.xlsx").read_bytes()))["按业务类型"]["B2"].value == 3
    with qtbot.waitSignal(dialog.produced, timeout=10_000):
        dialog.kind_combo.setCurrentIndex(1)
        dialog.save_to(tmp_path / "month.csv")
    assert "网点服务月报" in (tmp_path / "month.csv").read_text(encoding="utf-8-sig")
    assert dialog.last_saved == tmp_path / "month.csv"


def test_refusal_is_shown_in_the_dialog(qtbot, make_dialog) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog("teller1")  # a teller may not see reports
    dialog.show()
    dialog.date_edit.setDate(QDate(2026, 11, 23))
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.message.severity == "error", timeout=10_000)
    assert dialog.preview is None


def test_supervisor_may_choose_all_branches(qtbot, make_dialog) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog("supervisor")
    assert dialog.all_branches.isVisibleTo(dialog)
    dialog.show()
    dialog.all_branches.setChecked(True)
    with qtbot.waitSignal(dialog.produced, timeout=10_000) as produced:
        dialog.preview_button.click()
    assert "BranchDesk示范支行" in all_text(read(produced.args[1]))


def test_main_window_opens_reports_for_lobby_only(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    lobby = make_main_window("lobby", counter=0)
    assert lobby.reports_action.isVisible()
    dialog = lobby.open_reports()
    assert isinstance(dialog, ReportDialog)
    dialog.close()
    assert not make_main_window("teller1").reports_action.isVisible()


def test_the_date_offered_is_the_branchs_business_day(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    """17:00 UTC is already the next day in Shanghai: a PC whose clock runs on UTC must not offer
    yesterday's (empty) report."""
    from datetime import UTC, date, datetime

    db, branch = demo_db
    services = Services(db, Settings(), lambda: datetime(2026, 11, 23, 17, 0, tzinfo=UTC), zone=branch.timezone)
    context = AppContext(services, branch, language="zh_CN", actor=authenticate(db, "lobby", DEMO_PASSWORD))
    dialog = ReportDialog(context)
    qtbot.addWidget(dialog)
    assert branch.timezone == "Asia/Shanghai" and dialog.chosen_day() == date(2026, 11, 24)
