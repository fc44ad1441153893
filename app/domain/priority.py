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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.identity import age_on


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
    target_counter_id: int | None = None


def age_priority(birth: date, today: date, elderly_age: int) -> PriorityClass:
    """What the customer's age earns on ``today``: the green channel from ``elderly_age`` on
    (爱心窗口, setting ``queue.elderly_age``), else nothing above normal."""
    return PriorityClass.GREEN if age_on(birth, today) >= elderly_age else PriorityClass.NORMAL


def is_starved(candidate: Candidate, now: datetime, starvation_minutes: int) -> bool:
    return (candidate.priority is PriorityClass.NORMAL
            and now - candidate.queued_at >= timedelta(minutes=starvation_minutes))


def call_order(candidates: Iterable[Candidate], matrix: Mapping[int, int], now: datetime,
               starvation_minutes: int, counter_id: int | None = None) -> list[Candidate]:
    """The candidates this counter may call, best first.

    ``matrix`` maps each business type the counter serves to its rank (0 first); types
    of equal rank are served together, by priority class and then queue time.

    A ticket is for this counter when its type is in the counter's matrix, or when it was
    transferred to this very counter (it then ranks with its type, or after the matrix
    types when the counter does not normally serve it). Tickets transferred to another
    counter are left out."""
    position = matrix
    after_matrix = max(matrix.values(), default=-1) + 1

    def mine(c: Candidate) -> bool:
        if c.target_counter_id is not None:
            return c.target_counter_id == counter_id
        return c.business_type_id in position

    def key(c: Candidate) -> tuple:  # type: ignore[type-arg]
        if is_starved(c, now, starvation_minutes):
            return (0, 0, 0, c.queued_at, c.ticket_id)
        return (1, position.get(c.business_type_id, after_matrix), -rank_of(c.priority), c.queued_at, c.ticket_id)

    return sorted((c for c in candidates if mine(c)), key=key)


def update_recent_average(previous: float | None, sample: float, weight: float) -> float:
    """Exponentially weighted average: the newest sample counts ``weight``, history the rest."""
    if not 0 < weight <= 1:
        raise ValueError("weight must be in (0, 1]")
    return sample if previous is None else weight * sample + (1 - weight) * previous
