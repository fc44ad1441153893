"""Estimated wait for a ticket: when a counter serving its queue will be free for it.

The counters that serve the ticket's queue each become free at some moment: now if idle, else
when the service at it is expected to end (the business type's recent average service time, or
its target without history, minus what has already passed; at least a minute when a service has
run over). The people ahead take, in calling order, the counter that frees first, each for the
type's service time; the ticket is called when the next counter frees after them. So nobody
ahead and an idle counter waits 0 (the slip says "served shortly", never "about 0 minutes"),
and nobody ahead with every counter busy waits for the soonest end of a service.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from datetime import datetime

#: A service past its expected end is still expected to take this much longer (minutes).
OVERRUN_MINUTES = 1.0


def estimate_waits(service_minutes: Sequence[float], counters_free_in: Sequence[float]) -> list[int]:
    """Whole minutes, rounded up, until each person of a queue is called.

    ``service_minutes``: per person in calling order, how long their service is expected to
    take; ``counters_free_in``: per counter serving the queue, minutes until it is free (0: idle).
    No counter open: estimated as if one idle counter were, rather than promise nothing. One
    pass over the queue (a heap of the counters' free times), so a long queue costs little."""
    free = [max(0.0, minutes) for minutes in counters_free_in] or [0.0]
    heapq.heapify(free)
    waits = []
    for minutes in service_minutes:
        soonest = heapq.heappop(free)
        waits.append(math.ceil(soonest - 1e-9))
        heapq.heappush(free, soonest + minutes)
    return waits


def estimate_wait_minutes(ahead: int, service_minutes: float, counters_free_in: Sequence[float]) -> int:
    """The wait of a ticket with ``ahead`` people before it, each served in ``service_minutes``."""
    return estimate_waits([service_minutes] * (max(0, ahead) + 1), counters_free_in)[-1]


def minutes_until_free(service_minutes: float, started_at: datetime | None, now: datetime) -> float:
    """When a counter with a ticket is expected to be free: the service time from its start
    (the full time while the customer is only called), never less than OVERRUN_MINUTES."""
    if started_at is None:
        return max(service_minutes, OVERRUN_MINUTES)
    elapsed = (now - started_at).total_seconds() / 60
    return max(service_minutes - elapsed, OVERRUN_MINUTES)
