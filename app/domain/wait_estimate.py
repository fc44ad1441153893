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


def estimate_wait_minutes(ahead: int, service_minutes: float, counters_free_in: Sequence[float]) -> int:
    """Whole minutes, rounded up, until the ticket is called; ``counters_free_in``: per counter
    serving the queue, minutes until it is free (0: idle). No counter open: estimated as if one
    idle counter were, rather than promise nothing."""
    free = [max(0.0, minutes) for minutes in counters_free_in] or [0.0]
    heapq.heapify(free)
    for _ in range(max(0, ahead)):
        heapq.heappush(free, heapq.heappop(free) + service_minutes)
    return math.ceil(free[0] - 1e-9)


def minutes_until_free(service_minutes: float, started_at: datetime | None, now: datetime) -> float:
    """When a counter with a ticket is expected to be free: the service time from its start
    (the full time while the customer is only called), never less than OVERRUN_MINUTES."""
    if started_at is None:
        return max(service_minutes, OVERRUN_MINUTES)
    elapsed = (now - started_at).total_seconds() / 60
    return max(service_minutes - elapsed, OVERRUN_MINUTES)
