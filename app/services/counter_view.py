"""Everything a teller console shows about its counter, read in one snapshot.

The console used to re-read its ticket, the counter's state, the F1 preview, the parked
tickets, the teller's figures and the last rating in six transactions. On PostgreSQL each
one costs a connection check-out (pre-ping, isolation level set and reset), and between
them another counter could call a ticket, so the panes could disagree for a moment. One
read-only transaction (``Database.read``: REPEATABLE READ on PostgreSQL) gives one
consistent picture for the price of one check-out, and is cheap enough to run on the
console's worker thread whenever the queue changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.db.engine import Database
from app.domain.business_day import utcnow
from app.services.counters import CounterDesk, CounterStatus
from app.services.queue_policy import QueuePolicy
from app.services.queue_reads import QueueReads, TellerStats, TicketView
from app.services.satisfaction import SatisfactionService


@dataclass(frozen=True)
class CounterSnapshot:
    """One counter as one moment of the database saw it."""

    counter_number: int
    current: TicketView | None
    status: CounterStatus
    preview: list[TicketView]
    parked: list[TicketView]
    stats: TellerStats
    #: The rating of the ticket asked about (the teller's last finished one), if it has one.
    last_rating: int | None
    #: When it was read (the console's "as of" while the database is away).
    read_at: datetime


class CounterView:
    """Reads :class:`CounterSnapshot`; safe to call from a worker thread (one session per call)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 policy: QueuePolicy | None = None) -> None:
        self.db = db
        self.clock = clock
        self._reads = QueueReads(db, clock=clock, policy=policy)
        self._desk = CounterDesk(db, clock=clock)

    def snapshot(self, branch_id: int, counter_number: int, *, teller_id: int | None,
                 rated_ticket_id: int | None = None) -> CounterSnapshot:
        with self.db.read() as session:
            return CounterSnapshot(
                counter_number=counter_number,
                current=self._reads.current_ticket_in(session, branch_id, counter_number),
                status=self._desk.status_in(session, branch_id, counter_number),
                preview=self._reads.counter_preview_in(session, branch_id, counter_number),
                parked=self._reads.parked_tickets_in(session, branch_id, counter_number),
                stats=self._reads.teller_stats_in(session, branch_id, teller_id),
                last_rating=(SatisfactionService.rating_in(session, rated_ticket_id)
                             if rated_ticket_id is not None else None),
                read_at=self.clock())
