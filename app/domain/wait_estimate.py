"""Estimated wait for a ticket: the people ahead shared over the counters serving them."""

from __future__ import annotations

import math


def estimate_wait_minutes(ahead: int, service_minutes: float, serving_counters: int) -> int:
    """Whole minutes, rounded up; zero people ahead waits zero minutes.

    With no counter open we still estimate as if one were, rather than promise nothing."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * service_minutes / max(serving_counters, 1))
