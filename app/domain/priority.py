"""Priority classes of a ticket and the order in which a counter calls tickets.

Order for one counter (DOMAIN.md, Queue):
1. a normal ticket that has waited longer than the anti-starvation limit is not passed
   over again: such tickets go first, longest-waiting first;
2. the counter's business types in its matrix order;
3. priority class: green channel (elderly 65+, disabled — regulators forbid pushing them
   away from the counter) before appointments checked in on time, before VIP tiers,
   before everyone else;
4. queue time (the arrival time, or the position chosen on a transfer), then ticket id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class PriorityClass(StrEnum):
    NORMAL = "normal"
    VIP_GOLD = "vip_gold"
    VIP_PLATINUM = "vip_platinum"
    VIP_DIAMOND = "vip_diamond"
    APPOINTMENT = "appointment"
    GREEN = "green"


PRIORITY_RANK: dict[PriorityClass, int] = {
    PriorityClass.NORMAL: 0,
    PriorityClass.VIP_GOLD: 1,
    PriorityClass.VIP_PLATINUM: 2,
    PriorityClass.VIP_DIAMOND: 3,
    PriorityClass.APPOINTMENT: 4,
    PriorityClass.GREEN: 5,
}


def rank_of(priority: PriorityClass | str) -> int:
    return PRIORITY_RANK[PriorityClass(priority)]


@dataclass(frozen=True)
class Candidate:
    """What the call order needs to know of a waiting ticket."""

    ticket_id: int
    business_type_id: int
    priority: PriorityClass
    queued_at: datetime


def is_starved(candidate: Candidate, now: datetime, starvation_minutes: int) -> bool:
    return (candidate.priority is PriorityClass.NORMAL
            and now - candidate.queued_at >= timedelta(minutes=starvation_minutes))


def call_order(candidates: Iterable[Candidate], matrix: Sequence[int], now: datetime,
               starvation_minutes: int) -> list[Candidate]:
    """The candidates this counter may call, best first; tickets of types outside its matrix are left out."""
    position = {business_type_id: index for index, business_type_id in enumerate(matrix)}

    def key(c: Candidate) -> tuple:  # type: ignore[type-arg]
        starved = is_starved(c, now, starvation_minutes)
        if starved:
            return (0, 0, 0, c.queued_at, c.ticket_id)
        return (1, position[c.business_type_id], -rank_of(c.priority), c.queued_at, c.ticket_id)

    return sorted((c for c in candidates if c.business_type_id in position), key=key)
