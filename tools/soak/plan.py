"""What a soak run does: its length, load and sampling, from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The full form: a branch day of 1,500 tickets compressed into 20 minutes.
FULL_MINUTES, FULL_TICKETS, FULL_SEARCHES, FULL_COMPLAINTS = 20.0, 1500, 400, 5
#: The short form for CI: ~80 s per database, both databases, ~3 minutes in all.
SHORT_SECONDS, SHORT_TICKETS = 80.0, 150
#: Counters 2–6 are served by two driver processes; counter 1 is the teller console's.
COUNTER_GROUPS = ((2, 3, 4), (5, 6))


@dataclass(frozen=True)
class Plan:
    databases: tuple[str, ...]
    seconds: float          # the day, per database
    tickets: int
    searches: int
    complaints: int
    sample_seconds: float
    customers: int
    out: Path
    short: bool = False

    @property
    def service_seconds(self) -> float:
        """Average service time that lets the five driven counters keep up with the kiosk (~60 % busy)."""
        arrival = self.seconds / max(self.tickets, 1)
        counters = sum(len(group) for group in COUNTER_GROUPS)
        return max(0.2, arrival * counters * 0.6 - 0.6)


def make_plan(*, database: str, minutes: float | None, tickets: int | None, out: Path, short: bool) -> Plan:
    """Searches and complaints scale with the tickets as in the full form (400 and 5 per 1,500)."""
    databases = ("sqlite", "postgresql") if database == "both" else (database,)
    if short:
        seconds = minutes * 60 if minutes else SHORT_SECONDS
        count = tickets or SHORT_TICKETS
        sample = 10.0
        customers = 1000
    else:
        seconds = (minutes or FULL_MINUTES) * 60
        count = tickets or round(FULL_TICKETS * seconds / (FULL_MINUTES * 60))
        sample = 30.0
        customers = 3000
    return Plan(databases=databases, seconds=seconds, tickets=count,
                searches=max(1, round(count * FULL_SEARCHES / FULL_TICKETS)),
                complaints=max(1, round(count * FULL_COMPLAINTS / FULL_TICKETS)),
                sample_seconds=sample, customers=customers, out=out, short=short)
