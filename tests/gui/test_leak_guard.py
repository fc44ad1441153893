"""The leak guard itself: it names what a test leaves running, and finds nothing in a clean one."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

from tests.gui.leak_guard import KINDS, LeakGuard, allowed_kinds


@pytest.fixture
def guard(monkeypatch):  # type: ignore[no-untyped-def]
    watching = LeakGuard(grace_ms=100)
    watching.install(monkeypatch)
    watching.begin()
    yield watching
    watching.clean_up(set(KINDS))


def test_a_clean_test_leaves_nothing(guard) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    window.setWindowTitle("closed again")
    timer = QTimer(window)
    timer.start(1000)
    window.show()
    QThreadPool.globalInstance().start(lambda: None)
    QThreadPool.globalInstance().waitForDone(2000)
    window.close()
    window.deleteLater()
    assert guard.find_leaks() == []


def test_a_window_a_timer_a_pool_job_and_a_thread_left_running_are_named(guard) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    window.setWindowTitle("left open")
    window.show()
    timer = QTimer(window)
    timer.start(1000)
    release = threading.Event()

    def slow_read() -> None:
        release.wait(5)

    QThreadPool.globalInstance().start(slow_read)
    thread = threading.Thread(target=slow_read, name="left-behind", daemon=True)
    thread.start()
    try:
        leaks = guard.find_leaks()
        by_kind = {kind: [str(leak) for leak in leaks if leak.kind == kind] for kind in KINDS}
        assert any("QWidget" in text and "'left open'" in text and "visible" in text for text in by_kind["widgets"])
        assert any("repeating, 1000 ms" in text and "test_leak_guard.py" in text for text in by_kind["timers"])
        assert any("global QThreadPool" in text and "slow_read" in text for text in by_kind["pool"])
        assert any("'left-behind'" in text and "slow_read" in text for text in by_kind["threads"])
    finally:
        release.set()
        thread.join(5)
        guard.clean_up(set(KINDS))
    assert not shiboken6.isValid(window)  # closed and deleted, its timer with it: the next test starts clean
    assert guard.find_leaks() == []


def test_an_unfired_single_shot_is_a_leak_until_it_fires(guard, qtbot) -> None:  # type: ignore[no-untyped-def]
    fired: list[bool] = []
    QTimer.singleShot(50, lambda: fired.append(True))
    assert any("singleShot(50 ms" in str(leak) for leak in guard._scan())  # noqa: SLF001 - before the grace
    qtbot.waitUntil(lambda: fired == [True], timeout=2000)
    assert guard.find_leaks() == []


def test_allow_leaks_names_its_kinds_and_a_reason() -> None:
    def item(*markers: SimpleNamespace) -> SimpleNamespace:
        return SimpleNamespace(iter_markers=lambda name: iter(markers))

    assert allowed_kinds(item()) == set()
    assert allowed_kinds(item(SimpleNamespace(args=("timers",), kwargs={"reason": "ticks on"}))) == {"timers"}
    assert allowed_kinds(item(SimpleNamespace(args=(), kwargs={"reason": "all"}))) == set(KINDS)
    with pytest.raises(pytest.fail.Exception, match="reason"):
        allowed_kinds(item(SimpleNamespace(args=("timers",), kwargs={})))
    with pytest.raises(pytest.fail.Exception, match="kinds are"):
        allowed_kinds(item(SimpleNamespace(args=("sockets",), kwargs={"reason": "x"})))
