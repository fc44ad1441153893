"""Python's cyclic garbage collector runs on the GUI thread only.

Automatic collection starts in whichever thread happens to allocate past the threshold —
often a worker thread building a report or a search result. If that collection frees a Qt
object kept alive only by a reference cycle (a closed dialog, a widget's lambda), its C++
destructor runs on the worker thread and the process crashes. So automatic collection is
switched off and a timer on the GUI thread collects instead, as often as the thresholds
would have (the approach of pyqtgraph's and others' garbage-collector helpers).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread checks whether a collection is due.
CHECK_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def check(self) -> None:
        """Collect the oldest generation whose count passed its threshold, as the automatic collector would."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def install(parent: QObject) -> GuiThreadCollector:
    collector = GuiThreadCollector(parent)
    collector.start()
    return collector
