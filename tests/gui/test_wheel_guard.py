"""Issue #18: scrolling a form with the mouse wheel never changes an input the user has not
chosen (ui/wheel_guard.py) — checked on every window and dialog a supervisor can open, and on
the setup wizard; a focused input still takes the wheel."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QWidget,
)

from tests.gui.live import settle
from ui import wheel_guard
from ui.field_inputs import DATE_FORMAT


@pytest.fixture
def guard(qapp) -> Iterator[wheel_guard.WheelGuard]:  # type: ignore[no-untyped-def]
    """The guard as ui/main.py installs it for a staff workstation."""
    installed = wheel_guard.install(qapp)
    yield installed
    qapp.removeEventFilter(installed)  # (the next install puts the same guard back)


def value_of(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractSlider):
        return widget.value()
    raise TypeError(widget)


def wheel(widget: QWidget, steps: int = -3) -> None:
    """A wheel turn over the middle of ``widget`` (negative: towards the user, "down")."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def inputs_in(window: QWidget, *, visible_only: bool = True) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget)
            if wheel_guard.is_guarded(w) and w.isEnabled() and (w.isVisible() or not visible_only)]


def assert_wheel_leaves_unfocused_inputs(qtbot, window: QWidget, *, visible_only: bool = True) -> int:  # type: ignore[no-untyped-def]
    """Wheel over every input without focus; none may change. Returns how many there were."""
    found = inputs_in(window, visible_only=visible_only)
    for widget in found:
        window.setFocus()
        before = value_of(widget)
        wheel(widget)
        wheel(widget, steps=3)
        qtbot.wait(1)
        assert value_of(widget) == before, f"{type(widget).__name__} {widget.objectName()!r} in " \
                                           f"{type(window).__name__} changed by the wheel without focus"
        assert not widget.hasFocus(), "the wheel gave the input the focus"
    return len(found)


def assert_dates_read_year_month_day(window: QWidget) -> int:
    """Issue #18: no date field shows the English locale's 12/9/26 (ui/field_inputs.date_input)."""
    dates = window.findChildren(QDateTimeEdit)
    for edit in dates:
        assert edit.displayFormat() == DATE_FORMAT, f"{edit.objectName()!r} in {type(window).__name__}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", edit.text()), edit.text()
    return len(dates)


def test_no_unfocused_input_of_any_supervisor_screen_takes_the_wheel(qtbot, guard, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    counted = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(qtbot, window)
        counted += assert_wheel_leaves_unfocused_inputs(qtbot, window)
    dates = assert_dates_read_year_month_day(window)
    openers = [window.open_matrix_editor, window.open_reports, window.open_branch_settings, window.open_audit_log,
               window.open_change_password, window.open_reset_password, window.open_templates,
               window.queue_pane.book_appointment, lambda: window.complaints_pane.record()]
    for open_dialog in openers:
        dialog = open_dialog()
        qtbot.waitUntil(dialog.isVisible, timeout=2000)
        counted += assert_wheel_leaves_unfocused_inputs(qtbot, dialog)
        dates += assert_dates_read_year_month_day(dialog)
        dialog.close()
    assert counted > 40  # the check reached the forms' combo boxes, spin boxes and dates
    assert dates >= 5  # the profile's follow-up, the audit log's two, the booking's, the report's


def test_the_setup_wizard_pages_ignore_the_wheel(qtbot, guard, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every page's inputs (the pages not shown yet too: a wheel event reaches them all the same)."""
    from app.services.first_run import FirstRunSetup
    from ui.setup_wizard import SetupWizard

    monkeypatch.setenv("BRANCHDESK_CONFIG_DIR", str(tmp_path))
    wizard = SetupWizard(FirstRunSetup(), switch_language=lambda _language: None, printer_names=["Slip", "A4"])
    qtbot.addWidget(wizard)
    wizard.show()
    counted = sum(assert_wheel_leaves_unfocused_inputs(qtbot, wizard.page(page_id), visible_only=False)
                  for page_id in wizard.pageIds())
    assert counted >= 5


def test_a_focused_input_still_takes_the_wheel(qtbot, guard, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    dialog = window.open_branch_settings()
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    spin = next(w for w in inputs_in(dialog) if isinstance(w, QAbstractSpinBox) and not isinstance(w, QDateTimeEdit))
    before = value_of(spin)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=2000)
    wheel(spin, steps=1)
    assert value_of(spin) != before
    dialog.close()


def test_the_wheel_over_an_unfocused_input_scrolls_the_form(qtbot, guard, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    dialog = window.open_branch_settings()
    dialog.resize(500, 320)  # the settings no longer fit: the form scrolls
    qtbot.waitUntil(lambda: dialog.scroll.verticalScrollBar().maximum() > 0, timeout=2000)
    bar = dialog.scroll.verticalScrollBar()
    spin = next(w for w in inputs_in(dialog) if isinstance(w, QAbstractSpinBox))
    dialog.setFocus()
    before = value_of(spin)
    wheel(spin, steps=-2)
    assert bar.value() > 0 and value_of(spin) == before
    dialog.close()
