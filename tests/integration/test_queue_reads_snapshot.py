"""Reads of the queue see one state of the database, even when another counter calls a ticket
between two of their statements (issue #25: ``KeyError`` in ``counter_preview`` on PostgreSQL).

The interleaving is made deterministic: the second read (``_estimates``) is wrapped so that,
before it runs, another workstation (its own ``Database``, its own connection) calls the first
waiting ticket and commits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.db.engine import Database
from app.domain.tickets import TicketStatus
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.services.queue_reads import QueueReads


@pytest.fixture
def other_counter(db: Database, branch) -> Iterator[QueueService]:  # type: ignore[no-untyped-def]
    """Another workstation on the same database."""
    other = Database(db.url)
    yield QueueService(other)
    other.dispose()


class CallBetweenReads:
    """Once armed, counter 2 calls the next ticket just before the next ``_estimates`` read."""

    def __init__(self, other: QueueService, branch_id: int) -> None:
        self.other = other
        self.branch_id = branch_id
        self.teller = authenticate(other.db, "teller2", DEMO_PASSWORD)
        self.armed = False
        self.called: list[str] = []

    def before_estimates(self) -> None:
        if self.armed:
            self.armed = False
            ticket = self.other.call_next(self.teller, self.branch_id, 2)
            assert ticket is not None
            self.called.append(ticket.number)


@pytest.fixture
def call_between_reads(monkeypatch, other_counter, branch, clock) -> CallBetweenReads:  # type: ignore[no-untyped-def]
    other_counter.clock = clock
    interleave = CallBetweenReads(other_counter, branch.id)
    original = QueueReads._estimates

    def interleaved(self, session, branch_id, day):  # type: ignore[no-untyped-def]
        interleave.before_estimates()
        return original(self, session, branch_id, day)

    monkeypatch.setattr(QueueReads, "_estimates", interleaved)
    return interleave


def _issue(queue: QueueService, lobby, branch, count: int,  # type: ignore[no-untyped-def]
           interleave: CallBetweenReads) -> list[str]:
    numbers = [queue.issue_ticket(lobby, branch.id, "deposit_withdrawal").number for _ in range(count)]
    interleave.armed = True
    return numbers


def test_counter_preview_is_one_snapshot_when_a_ticket_is_called_between_its_reads(
        queue, branch, actors, call_between_reads) -> None:  # type: ignore[no-untyped-def]
    numbers = _issue(queue, actors.lobby, branch, 3, call_between_reads)
    preview = queue.counter_preview(branch.id, 1)  # KeyError here before the fix (PostgreSQL)
    assert call_between_reads.called == [numbers[0]]
    # The state the preview started from: all three waiting, each with its place and wait.
    assert [t.number for t in preview] == numbers
    assert [t.waiting_ahead for t in preview] == [0, 1, 2]
    assert all(t.estimated_wait_minutes is not None for t in preview)
    # The next read sees the call.
    assert [t.number for t in queue.counter_preview(branch.id, 1)] == numbers[1:]


def test_waiting_list_is_one_snapshot_when_a_ticket_is_called_between_its_reads(
        queue, branch, actors, call_between_reads) -> None:  # type: ignore[no-untyped-def]
    numbers = _issue(queue, actors.lobby, branch, 3, call_between_reads)
    waiting = queue.list_tickets(branch.id, status=TicketStatus.WAITING)
    assert call_between_reads.called == [numbers[0]]
    assert [t.number for t in waiting] == numbers
    assert [t.waiting_ahead for t in waiting] == [0, 1, 2]


def test_a_ticket_looked_up_is_one_snapshot_when_it_is_called_between_the_reads(
        queue, branch, actors, call_between_reads) -> None:  # type: ignore[no-untyped-def]
    numbers = _issue(queue, actors.lobby, branch, 2, call_between_reads)
    ticket = queue.get_ticket(branch.id, numbers[0])  # KeyError here before the fix (PostgreSQL)
    assert call_between_reads.called == [numbers[0]]
    assert ticket.status is TicketStatus.WAITING and ticket.waiting_ahead == 0
    assert queue.get_ticket(branch.id, numbers[0]).status is TicketStatus.CALLED


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite: nothing to set
def test_reads_are_snapshots_and_writes_stay_read_committed(db) -> None:  # type: ignore[no-untyped-def]
    """The read options are the read session's alone: a pooled connection goes back to the
    default for the next writer."""
    show = "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"
    for _ in range(2):  # the same pooled connection, in turn
        with db.read() as session:
            assert tuple(session.execute(text(show)).one()) == ("repeatable read", "on")
        with db.write() as session:
            assert tuple(session.execute(text(show)).one()) == ("read committed", "off")
