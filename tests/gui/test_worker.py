"""The background worker: results on the GUI thread, stale results dropped, cancel, errors."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from ui.worker import Cancelled, Worker


def test_result_arrives_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker = Worker()
    seen: dict[str, object] = {}

    def job(x: int) -> tuple[int, bool]:
        return x * 2, QThread.currentThread() is worker.thread()

    worker.result.connect(lambda value: seen.update(value=value, on_gui=QThread.currentThread() is worker.thread()))
    with qtbot.waitSignal(worker.result, timeout=5000):
        worker.run(job, 21)
    assert seen == {"value": (42, False), "on_gui": True}
    assert not worker.busy


def test_a_newer_job_supersedes_an_older_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker = Worker()
    release = threading.Event()
    results: list[str] = []
    worker.result.connect(results.append)

    def slow() -> str:
        release.wait(5)
        return "old"

    worker.run(slow)
    with qtbot.waitSignal(worker.result, timeout=5000):
        worker.run(lambda: "new")
    release.set()
    worker.wait()
    qtbot.wait(50)
    assert results == ["new"]


def test_progress_and_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker = Worker()
    steps: list[tuple[int, int]] = []
    errors: list[object] = []
    worker.progress.connect(lambda done, total: steps.append((done, total)))
    worker.error.connect(errors.append)
    started = threading.Event()
    go_on = threading.Event()

    def job(progress) -> str:  # type: ignore[no-untyped-def]
        progress(1, 3)
        started.set()
        go_on.wait(5)
        progress(2, 3)  # raises Cancelled: the user cancelled meanwhile
        return "finished"

    worker.run(job)
    assert started.wait(5)
    worker.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], Cancelled)
    assert (1, 3) in steps


def test_errors_come_back_as_signals(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker = Worker()

    def broken() -> None:
        raise ValueError("bad input")

    with qtbot.waitSignal(worker.error, timeout=5000) as caught:
        worker.run(broken)
    assert isinstance(caught.args[0], ValueError)
