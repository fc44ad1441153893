"""The cyclic garbage collector runs on the GUI thread's timer, never on a worker thread."""

from __future__ import annotations

import gc
import threading

from ui.gc_guard import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collection_moves_to_the_gui_thread(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    collector = GuiThreadCollector(qapp, interval_ms=20)
    collector.start()
    try:
        assert not gc.isenabled()
        collected_in: list[str] = []
        gc.callbacks.append(lambda phase, _info: collected_in.append(threading.current_thread().name)
                            if phase == "start" else None)
        try:
            def allocate() -> None:  # far past the generation-0 threshold, on a worker thread
                for _ in range(gc.get_threshold()[0] * 3):
                    _Cycle()

            worker = threading.Thread(target=allocate, name="worker")
            worker.start()
            worker.join()
            assert "worker" not in collected_in
            qtbot.waitUntil(lambda: len(collected_in) > 0, timeout=2000)
            assert set(collected_in) == {threading.main_thread().name}
        finally:
            gc.callbacks.pop()
    finally:
        collector.stop()
    assert gc.isenabled()
