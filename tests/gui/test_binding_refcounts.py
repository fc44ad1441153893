"""The app's own hot paths do not eat references to None, True or False (ui/binding_check.py).

PySide6 6.12.0 on CPython 3.11 loses one reference to ``None`` per void Qt call; a display left
running aborts after a minute (``Fatal Python error: none_dealloc``). These tests repeat what a
long-running window does all day — a display render with flashing, a teller console refresh, a
dashboard refresh, a table-model reset — and check that the three counts do not fall. They run
in chunks whose losses are repaid (RefcountProbe), so a leaking binding fails them instead of
aborting the test run. On CPython 3.12+ the three objects are immortal: nothing to measure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QTableView

from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from ui.binding_check import Drift, RefcountProbe, binding_is_unsafe, probe_binding, singletons_are_immortal
from app.services.registry import Services
from ui.context import AppContext
from ui.dashboard.dashboard_window import DashboardWindow
from ui.display.announcer import Announcer
from ui.display.calling_display import CallingDisplay
from ui.event_bridge import EventBridge
from ui.table_model import Column, RecordTableModel

pytestmark = pytest.mark.skipif(singletons_are_immortal(), reason="None/True/False are immortal on CPython 3.12+")

CHUNK = 100


def references_lost(cycle: Callable[[], object], cycles: int) -> tuple[Drift, int]:
    """Total drift over up to ``cycles`` calls of ``cycle`` (after one warm-up) and the calls made,
    stopping at the first chunk that loses references: a leaking binding is plain after a few."""
    cycle()
    total = Drift()
    done = 0
    while done < cycles:
        with RefcountProbe() as probe:
            for _ in range(min(CHUNK, cycles - done)):
                cycle()
        done += min(CHUNK, cycles - done)
        total = Drift(total.none + probe.drift.none, total.true + probe.drift.true, total.false + probe.drift.false)
        if probe.drift.lost() >= CHUNK // 2:
            break
    return total, done


def assert_keeps_references(cycle: Callable[[], object], cycles: int) -> None:
    drift, done = references_lost(cycle, cycles)
    # A leaking binding loses at least one reference per cycle (6.12.0: 3 to 380). A sound one loses
    # none, or a few when a cache or another thread lets go of objects made before the probe.
    assert drift.lost() < done // 2, f"{done} cycles lost references ({drift}): a leaking Qt binding"


def test_the_start_up_probe_passes_on_the_binding_we_run(qapp) -> None:  # type: ignore[no-untyped-def]
    drift = probe_binding()
    assert not binding_is_unsafe(drift), drift


def test_the_start_up_probe_judges_a_leak_of_one_per_call_unsafe() -> None:
    assert binding_is_unsafe(Drift(none=-1000, true=-100))
    assert binding_is_unsafe(Drift(true=-100, false=-100, none=-200))
    assert not binding_is_unsafe(Drift(none=6))
    assert not binding_is_unsafe(Drift(none=-3))


def test_a_probe_repays_what_was_lost() -> None:
    keep: list[None] = [None] * 50
    before = sys.getrefcount(None)
    with RefcountProbe() as probe:
        keep.clear()  # 50 references to None go, as under a leaking binding
    assert probe.drift.none < -40
    assert sys.getrefcount(None) >= before - 5  # given back


def test_calling_display_render_and_flash(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    settings = Settings()
    context = AppContext(Services(db, settings, zone=branch.timezone), branch, language="zh_CN",
                         actor=authenticate(db, "lobby", DEMO_PASSWORD))
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    announcer = Announcer("zh_CN", repeats=1, engine="mock", gap_ms=0, rate=1.0)
    display = CallingDisplay(context, bridge, announcer)
    qtbot.addWidget(display)
    display.resize(1280, 720)
    display.show()

    def cycle() -> None:
        display._start_flash()
        display._toggle_flash()
        display._render()
        display._tick_clock()

    try:
        assert_keeps_references(cycle, 600)  # each cycle repolishes every tile: ~5 ms
    finally:
        display.close()
        announcer.deleteLater()


def test_teller_console_refresh(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("teller1", counter=1)
    window.queue_pane.issue_ticket()
    console = window.teller_console
    assert_keeps_references(console.show_now, 300)


def test_dashboard_refresh(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    actor = authenticate(db, "lobby", DEMO_PASSWORD)
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=actor)
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    dashboard = DashboardWindow(context, bridge)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(lambda: dashboard.snapshot is not None, timeout=10_000)
    dashboard.live.stop()  # no background job may free objects while the counts are read
    dashboard.worker.wait()
    snapshot = dashboard.service.snapshot(actor, branch.id)
    try:
        assert_keeps_references(lambda: dashboard.show_result(snapshot), 1000)
    finally:
        dashboard.close()
        dashboard.worker.wait()


def test_table_model_reset_under_a_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    model: RecordTableModel[tuple[str, int]] = RecordTableModel(
        [Column("Number", lambda row: row[0]), Column("Wait", lambda row: row[1])])
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.show()
    rows = [(f"A{n:03d}", n) for n in range(30)]
    flip = [False]

    def cycle() -> None:
        flip[0] = not flip[0]
        model.set_rows(rows if flip[0] else rows[:10])
        view.viewport().repaint()

    assert_keeps_references(cycle, 2000)
