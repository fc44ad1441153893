"""The calls feed that drives the calling display, on both databases: calls and recalls in
order with their counters; the display's history newest first; and nothing lost when several
counters call at the same moment while the display keeps reading ``calls_since(last_id)``."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.db.models import Ticket, TicketEvent
from app.services.actor import SYSTEM
from app.services.branches import create_branch
from app.services.queue import QueueService

JOIN_TIMEOUT_S = 120
#: The display re-reads this often (it really waits for a change notification, or 250 ms).
READ_EVERY_S = 0.005

#: Narrows the parametrized ``db`` fixture to its PostgreSQL variant.
POSTGRESQL_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def feed(notices) -> list[tuple[str, int, bool]]:  # type: ignore[no-untyped-def]
    return [(n.number, n.counter_number, n.recall) for n in notices]


def call_events(db, branch_id: int) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """(event id, ticket id, action) of every call and recall, by id."""
    with db.read() as session:
        return [tuple(r) for r in session.execute(
            select(TicketEvent.id, TicketEvent.ticket_id, TicketEvent.action)
            .where(TicketEvent.branch_id == branch_id, TicketEvent.action.in_(["call", "recall"]))
            .order_by(TicketEvent.id))]


# -- what the feed says ------------------------------------------------------------------

def test_calls_and_recalls_in_order_with_their_counters(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for code in ("loan", "loan", "wealth", "loan"):
        queue.issue_ticket(actors.lobby, branch.id, code)
        clock.advance(seconds=10)
    assert queue.calls_since(branch.id) == []
    queue.call_next(actors.teller1, branch.id, 1)  # C001 at 1
    clock.advance(seconds=5)
    queue.call_next(actors.teller2, branch.id, 2)  # C002 at 2
    clock.advance(seconds=5)
    queue.recall(actors.teller1, branch.id, 1)
    queue.start(actors.teller2, branch.id, 2)
    queue.finish(actors.teller2, branch.id, 2)
    clock.advance(seconds=5)
    queue.call_ticket(actors.teller2, branch.id, 2, "C003", reason="客户要求")
    queue.park(actors.teller1, branch.id, 1)
    queue.call_next(actors.teller1, branch.id, 1)  # D001
    queue.transfer(actors.teller2, branch.id, 2, to_business="wealth", to_counter=5)
    queue.recall(actors.teller1, branch.id, 1)

    notices = queue.calls_since(branch.id)
    assert feed(notices) == [("C001", 1, False), ("C002", 2, False), ("C001", 1, True), ("C003", 2, False),
                             ("D001", 1, False), ("D001", 1, True)]
    assert [n.event_id for n in notices] == sorted({n.event_id for n in notices})
    assert [n.event_id for n in notices] == [e for e, _, _ in call_events(queue.db, branch.id)]
    first = notices[0]
    assert (first.counter_name, first.business_name_zh, first.at) == ("1号窗口", "个人贷款", notices[0].at)
    assert notices[1].at - notices[0].at == timedelta(seconds=5)
    assert notices[4].business_name_zh == "理财产品"

    # Reading on from a known event gives exactly what came after it.
    assert feed(queue.calls_since(branch.id, notices[2].event_id)) == feed(notices[3:])
    assert queue.calls_since(branch.id, notices[-1].event_id) == []
    assert feed(queue.calls_since(branch.id, 0, limit=2)) == feed(notices[:2])
    assert queue.latest_call_event_id(branch.id) == notices[-1].event_id


def test_a_requeued_ticket_is_announced_again(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.requeue(actors.teller1, branch.id, 1)
    queue.call_next(actors.teller2, branch.id, 3)
    assert feed(queue.calls_since(branch.id)) == [("C001", 1, False), ("C001", 3, False)]


def test_recent_calls_newest_first_today_only(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=-1)
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.finish(actors.teller1, branch.id, 1)
    clock.advance(days=1)
    assert queue.recent_calls(branch.id) == []
    assert queue.latest_call_event_id(branch.id) > 0

    numbers = []
    for i in range(10):
        numbers.append(queue.issue_ticket(actors.lobby, branch.id, "account_opening").number)
        queue.call_next(actors.teller1, branch.id, 1 + i % 2)
        queue.finish(actors.teller1, branch.id, 1 + i % 2)
        clock.advance(seconds=30)
    queue.issue_ticket(actors.lobby, branch.id, "account_opening")
    queue.call_next(actors.teller1, branch.id, 4)
    queue.recall(actors.teller1, branch.id, 4)

    recent = queue.recent_calls(branch.id)
    assert len(recent) == 8  # the display's default history
    assert feed(recent[:3]) == [("A011", 4, True), ("A011", 4, False), ("A010", 2, False)]
    assert [n.event_id for n in recent] == sorted((n.event_id for n in recent), reverse=True)
    assert [n.number for n in queue.recent_calls(branch.id, limit=20)][2:] == list(reversed(numbers))
    # The full feed still holds yesterday's call, the history does not.
    assert len(queue.calls_since(branch.id, limit=100)) == 13


def test_each_branch_sees_its_own_calls(queue, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan")
    queue.call_next(other_branch.teller, other_branch.branch.id, 2)
    queue.call_next(actors.teller1, branch.id, 6)
    assert feed(queue.calls_since(branch.id)) == [("C001", 6, False)]
    assert feed(queue.calls_since(other_branch.branch.id)) == [("C001", 2, False)]
    assert feed(queue.recent_calls(other_branch.branch.id)) == [("C001", 2, False)]
    assert queue.latest_call_event_id(branch.id) != queue.latest_call_event_id(other_branch.branch.id)


# -- nothing lost under concurrency ------------------------------------------------------

class Display:
    """Reads the feed the way the calling display does: ``calls_since(last_id)``, then moves
    ``last_id`` to the newest notice it got."""

    def __init__(self, queue: QueueService, branch_id: int) -> None:
        self.queue = queue
        self.branch_id = branch_id
        self.last_id = 0
        self.seen: list[int] = []

    def poll(self) -> int:
        notices = self.queue.calls_since(self.branch_id, self.last_id, limit=1000)
        for notice in notices:
            self.seen.append(notice.event_id)
        if notices:
            self.last_id = notices[-1].event_id
        return len(notices)


def test_no_call_is_lost_when_counters_call_at_once(db, clock) -> None:  # type: ignore[no-untyped-def]
    counters, per_counter = 10, 16
    branch = create_branch(db, SYSTEM, code="FEED10", name="叫号屏支行", counters=counters)
    queue = QueueService(db, clock=clock)
    for i in range(counters * per_counter):
        queue.issue_ticket(SYSTEM, branch.id, ("loan", "wealth", "deposit_withdrawal")[i % 3])
    display = Display(queue, branch.id)
    done = threading.Event()
    start = threading.Barrier(counters + 1)
    errors: list[BaseException] = []

    def counter(number: int) -> None:
        try:
            start.wait(timeout=30)
            while queue.call_next(SYSTEM, branch.id, number) is not None:
                queue.recall(SYSTEM, branch.id, number)
                queue.finish(SYSTEM, branch.id, number)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def read() -> None:
        try:
            start.wait(timeout=30)
            while not done.wait(READ_EVERY_S):
                display.poll()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=counter, args=(n,)) for n in range(1, counters + 1)]
    reader = threading.Thread(target=read)
    for thread in [*workers, reader]:
        thread.start()
    for thread in workers:
        thread.join(JOIN_TIMEOUT_S)
    done.set()
    reader.join(JOIN_TIMEOUT_S)
    assert not errors, errors
    display.poll()  # the display's next refresh

    events = call_events(db, branch.id)
    assert len(events) == 2 * counters * per_counter
    assert len(display.seen) == len(set(display.seen)), "a notice was shown twice"
    missed = sorted({e for e, _, _ in events} - set(display.seen))
    assert not missed, f"{len(missed)} of {len(events)} calls never reached the display: {missed[:10]}"
    assert display.seen == [e for e, _, _ in events]


@POSTGRESQL_ONLY
def test_a_call_committed_after_a_later_one_is_not_skipped(db, clock) -> None:  # type: ignore[no-untyped-def]
    """Counter 1's call gets its event id first but commits last (its workstation was slowed
    down between writing and committing); the display has meanwhile read counter 2's call.
    The display must still get counter 1's call on its next read."""
    branch = create_branch(db, SYSTEM, code="FEED02", name="叫号屏支行", counters=2)
    queue = QueueService(db, clock=clock)
    queue.issue_ticket(SYSTEM, branch.id, "loan")
    queue.issue_ticket(SYSTEM, branch.id, "loan")
    display = Display(queue, branch.id)

    slow = threading.local()
    flushed, release = threading.Event(), threading.Event()

    def hold_after_flush(session: Session, _context) -> None:  # type: ignore[no-untyped-def]
        if getattr(slow, "on", False) and any(isinstance(o, TicketEvent) for o in session.new):
            flushed.set()
            release.wait(30)

    # after_flush (still in the flush, before the commit): the event row exists, uncommitted.
    event.listen(Session, "after_flush", hold_after_flush)
    outcome: list[object] = []

    def first_counter() -> None:
        slow.on = True
        try:
            outcome.append(queue.call_next(SYSTEM, branch.id, 1))
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    slowed = threading.Thread(target=first_counter)
    try:
        slowed.start()
        assert flushed.wait(30), "counter 1 never reached its commit"
        second = [None]

        def second_counter() -> None:
            second[0] = queue.call_next(SYSTEM, branch.id, 2)

        other = threading.Thread(target=second_counter)
        other.start()
        other.join(2)  # it either commits now, or waits for counter 1 if calls are serialised
        display.poll()
        release.set()
        slowed.join(JOIN_TIMEOUT_S)
        other.join(JOIN_TIMEOUT_S)
    finally:
        release.set()
        event.remove(Session, "after_flush", hold_after_flush)
    assert not isinstance(outcome[0], BaseException), outcome
    display.poll()
    events = call_events(db, branch.id)
    assert len(events) == 2
    with db.read() as session:
        assert set(session.scalars(select(Ticket.status))) == {"called"}
    assert display.seen == [e for e, _, _ in events], "the display skipped a call"
