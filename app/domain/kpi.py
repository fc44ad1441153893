"""Figures of the lobby dashboard and the branch reports: plain arithmetic, no I/O.

Conventions (the same on the dashboard and in the reports):

* the *wait* of a ticket is from its issue (for a transferred ticket: from the transfer
  that queued it again) to its first call; a ticket still waiting waits until now;
* the *service time* runs from the start of service (or the call, when the teller
  finished without pressing start) to the finish;
* *satisfied* means a rating of 4 (满意) or 5 (非常满意) on the 1–5 scale;
* p90 is the nearest-rank percentile: the smallest value with at least 90 % of the
  values at or below it (a value that really occurred, as a supervisor expects).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from datetime import time as dtime
from enum import StrEnum

SATISFIED_FROM = 4

#: Upper bounds (minutes, exclusive) of the wait-time distribution; the last bucket is open.
WAIT_BUCKET_BOUNDS: tuple[int, ...] = (5, 10, 15, 20, 30)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds() / 60)


def wait_minutes(issued_at: datetime, called_at: datetime | None) -> float | None:
    return minutes_between(issued_at, called_at)


def service_minutes(called_at: datetime | None, started_at: datetime | None,
                    finished_at: datetime | None) -> float | None:
    return minutes_between(started_at or called_at, finished_at)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (``p`` in 0–100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Spread:
    """Average, p90 and maximum of some minutes; all None when there is nothing to measure."""

    count: int
    average: float | None
    p90: float | None
    maximum: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(len(values), mean(values), percentile(values, 90), max(values) if values else None)


def satisfaction_rate(ratings: Iterable[int]) -> tuple[int, int, float | None]:
    """(ratings, satisfied, satisfied share 0–1 or None when nobody rated)."""
    values = list(ratings)
    satisfied = sum(1 for r in values if r >= SATISFIED_FROM)
    return len(values), satisfied, (satisfied / len(values) if values else None)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def wait_bucket_labels() -> list[str]:
    labels, low = [], 0
    for high in WAIT_BUCKET_BOUNDS:
        labels.append(f"{low}–{high}")
        low = high
    labels.append(f"{low}+")
    return labels


def wait_histogram(minutes: Iterable[float]) -> list[int]:
    """How many waits fall in each bucket of :data:`WAIT_BUCKET_BOUNDS` (last bucket open)."""
    counts = [0] * (len(WAIT_BUCKET_BOUNDS) + 1)
    for value in minutes:
        index = next((i for i, bound in enumerate(WAIT_BUCKET_BOUNDS) if value < bound), len(WAIT_BUCKET_BOUNDS))
        counts[index] += 1
    return counts


def local_hour(zone: tzinfo, day: date) -> Callable[[datetime], int]:
    """The local hour of UTC moments on ``day``: a plain offset when the zone keeps one all
    day (thousands of rows a refresh), else a full conversion (a daylight-saving change)."""
    first = datetime.combine(day, dtime.min, tzinfo=zone).utcoffset()
    last = datetime.combine(day, dtime.max, tzinfo=zone).utcoffset()
    if first is not None and first == last:
        return lambda moment: (moment.astimezone(timezone.utc) + first).hour
    return lambda moment: moment.astimezone(zone).hour


def hour_range(hours_with_data: Iterable[int], first: int = 8, last: int = 17) -> range:
    """The hours a chart or table shows: the usual opening hours, widened to any hour that has data."""
    present = list(hours_with_data)
    return range(min([first, *present]), max([last, *present]) + 1)


# -- alerts ----------------------------------------------------------------------------


class AlertKind(StrEnum):
    LONG_WAIT = "long_wait"  # someone has waited longer than the threshold
    LONG_QUEUE = "long_queue"  # more waiting than N per open counter serving the type


@dataclass(frozen=True)
class QueueLoad:
    """One business type's queue as the alert rules see it."""

    business_code: str
    waiting: int
    longest_wait_minutes: float | None
    open_counters: int


@dataclass(frozen=True)
class SpareCounter:
    """A paused or closed counter and the business types its matrix includes."""

    number: int
    state: str
    business_codes: tuple[str, ...]


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    business_code: str
    value: float  # minutes waited, or people waiting
    threshold: float  # minutes, or people allowed for the open counters
    #: Paused, then closed, counters that serve this type: open one as a flexible window (弹性窗口).
    suggested_counters: tuple[int, ...]


def queue_alerts(loads: Iterable[QueueLoad], spare: Sequence[SpareCounter], *, wait_alert_minutes: float,
                 queue_per_counter: int) -> list[Alert]:
    """Alerts for queues that wait too long or grow past ``queue_per_counter`` per open counter.

    A queue no open counter serves alerts as soon as anyone waits in it. Each alert names
    the counters that could take the type: paused ones first (a teller is at hand), then
    closed ones, by number."""
    order = {"paused": 0, "closed": 1}
    candidates = sorted((c for c in spare if c.state in order), key=lambda c: (order[c.state], c.number))
    alerts: list[Alert] = []
    for load in loads:
        suggestion = tuple(c.number for c in candidates if load.business_code in c.business_codes)
        if load.longest_wait_minutes is not None and load.longest_wait_minutes > wait_alert_minutes:
            alerts.append(Alert(AlertKind.LONG_WAIT, load.business_code, load.longest_wait_minutes,
                                wait_alert_minutes, suggestion))
        allowed = queue_per_counter * load.open_counters
        if load.waiting > allowed:
            alerts.append(Alert(AlertKind.LONG_QUEUE, load.business_code, load.waiting, allowed, suggestion))
    return alerts


def elapsed_minutes(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else max(0.0, (now - since) / timedelta(minutes=1))
