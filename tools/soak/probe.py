"""What a window process measures about itself: plain Python, no Qt (the timer lives in window.py).

A sample is one JSON object per line in the window's samples file. The fields:

``t`` (epoch s), ``elapsed`` (s since the sampler started), ``rss_kib`` (VmRSS), ``threads``,
``fds`` (entries of /proc/self/fd), ``lag_p99_ms`` / ``lag_max_ms`` / ``lag_ticks`` (how late the
100 ms lag timer fired during the interval), ``ref_none`` / ``ref_true`` / ``ref_false``
(``sys.getrefcount``), ``gc_objects`` (``len(gc.get_objects())``), ``exceptions`` (unhandled so far),
and ``final`` on the last sample written when the window is stopped.

Why the refcounts: a Qt binding that loses a reference to ``None`` (or a bool) on some call makes
the count fall steadily until CPython frees the singleton and aborts with
``Fatal Python error: none_dealloc``. On CPython 3.12+ these objects are immortal and the count
means nothing.
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from pathlib import Path
from typing import Any


def read_status(path: str = "/proc/self/status") -> dict[str, int]:
    """VmRSS (KiB) and Threads from /proc; zeros where the platform has no /proc."""
    values = {"rss_kib": 0, "threads": 0}
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError:
        return values
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name == "VmRSS":
            values["rss_kib"] = int(rest.split()[0])
        elif name == "Threads":
            values["threads"] = int(rest.split()[0])
    return values


def count_fds(path: str = "/proc/self/fd") -> int:
    try:
        return len(os.listdir(path))
    except OSError:
        return 0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.99 for p99); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


class LagMeter:
    """Lateness of a periodic timer: each ``tick`` is compared with when it was due.

    The due time is the previous tick plus the interval (Qt re-arms a repeating timer from when
    it fired), so a slow slot delays exactly the tick after it, by the time the loop was busy."""

    def __init__(self, interval_s: float, clock: Any = time.monotonic) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._last = clock()
        self._interval: list[float] = []
        self.run: list[float] = []  # the whole run, for the window's overall p99

    def tick(self) -> None:
        now = self._clock()
        late_ms = max(0.0, (now - self._last - self.interval_s) * 1000.0)
        self._last = now
        self._interval.append(late_ms)
        self.run.append(late_ms)

    def take_interval(self) -> dict[str, float]:
        """p99, max and tick count since the previous call; starts a new interval."""
        values, self._interval = self._interval, []
        return {"lag_p99_ms": round(percentile(values, 0.99), 2), "lag_max_ms": round(max(values, default=0.0), 2),
                "lag_ticks": len(values)}


def sample(started: float, lag: dict[str, float], exceptions: int = 0) -> dict[str, Any]:
    """One sample of this process, now. ``gc.get_objects()`` walks the tracked objects: a few ms."""
    now = time.time()
    row: dict[str, Any] = {"t": round(now, 3), "elapsed": round(time.monotonic() - started, 3)}
    row.update(read_status())
    row["fds"] = count_fds()
    row.update(lag)
    row["ref_none"] = sys.getrefcount(None)
    row["ref_true"] = sys.getrefcount(True)
    row["ref_false"] = sys.getrefcount(False)
    row["gc_objects"] = len(gc.get_objects())
    row["exceptions"] = exceptions
    return row
