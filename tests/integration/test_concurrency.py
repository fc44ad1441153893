"""Numbers are never doubled or skipped, and no ticket is called twice, under concurrency.

Threads share one ``Database`` (its pool hands each thread its own connection); processes
each open their own. Both databases: SQLite serialises writers with BEGIN IMMEDIATE,
PostgreSQL with the row lock of the upsert and FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import threading
from collections import Counter as Tally
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.db import queue_sql
from app.db.models import Counter, Ticket, TicketEvent, TicketSequence
from app.domain.errors import Conflict, DomainError, InvalidTransition
from app.domain.tickets import TicketStatus
from app.services.actor import SYSTEM
from app.services.auth import add_user, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branches import create_branch
from app.services.queue import QueueService

from ._workers import issue_in_process

JOIN_TIMEOUT_S = 120


def run_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in ``count`` threads that start together; re-raise the first error."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,), name=f"worker-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    if errors:
        raise errors[0]
    return results


def test_concurrent_issuing_gives_distinct_consecutive_numbers(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    threads, per_thread = 16, 50

    def issue(_i: int) -> list[str]:
        return [queue.issue_ticket(actors.lobby, branch.id, "account_opening").number for _ in range(per_thread)]

    per_worker = run_threads(threads, issue)
    numbers = [n for batch in per_worker for n in batch]
    total = threads * per_thread
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, total + 1)]
    for batch in per_worker:  # each workstation sees its own numbers rise
        assert batch == sorted(batch)
    with queue.db.read() as session:
        assert session.scalar(select(func.count(func.distinct(Ticket.number)))) == total
        assert session.scalar(select(TicketSequence.last_number)) == total
        assert session.scalar(select(func.count()).select_from(TicketEvent)
                              .where(TicketEvent.action == "issue")) == total


#: 32: the claim's shortlist always has a free ticket; 2: eight counters calling at once use
#: up the shortlist, so PostgreSQL's claim also takes its fallback path (the full locking sort).
@pytest.mark.parametrize("shortlist", [queue_sql.SHORTLIST, 2])
def test_concurrent_counters_never_call_a_ticket_twice(db, clock, shortlist, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(queue_sql, "SHORTLIST", shortlist)
    counters, tickets = 8, 400
    branch = create_branch(db, SYSTEM, code="CC08", name="八窗口支行", counters=counters)
    tellers = []
    for n in range(1, counters + 1):
        add_user(db, SYSTEM, username=f"cc_teller{n}", display_name=f"柜员{n}", password=DEMO_PASSWORD,
                 role="teller", branch_code="CC08")
        tellers.append(authenticate(db, f"cc_teller{n}", DEMO_PASSWORD))
    service = QueueService(db, clock=clock)
    codes = ("account_opening", "deposit_withdrawal", "loan", "wealth")
    for i in range(tickets):
        service.issue_ticket(SYSTEM, branch.id, codes[i % len(codes)])

    def serve(i: int) -> list[int]:
        called: list[int] = []
        while (ticket := service.call_next(tellers[i], branch.id, i + 1)) is not None:
            called.append(ticket.id)
            assert service.finish(tellers[i], branch.id, i + 1).id == ticket.id
        return called

    per_counter = run_threads(counters, serve)
    called = [ticket_id for batch in per_counter for ticket_id in batch]
    assert len(called) == tickets
    assert len(set(called)) == tickets

    with db.read() as session:
        all_ids = set(session.scalars(select(Ticket.id).where(Ticket.branch_id == branch.id)))
        assert set(called) == all_ids
        call_events = Tally(session.scalars(select(TicketEvent.ticket_id).where(TicketEvent.action == "call")))
        assert set(call_events) == all_ids
        assert set(call_events.values()) == {1}
        statuses = Tally(session.scalars(select(Ticket.status).where(Ticket.branch_id == branch.id)))
        assert statuses == {TicketStatus.FINISHED.value: tickets}
        # Each call event names the teller and the counter that made it.
        counter_of = {c.id: c.number for c in session.scalars(select(Counter).where(Counter.branch_id == branch.id))}
        calls = session.execute(select(TicketEvent.ticket_id, TicketEvent.user_id, TicketEvent.counter_id)
                                .where(TicketEvent.action == "call")).all()
    teller_of_counter = {n + 1: t.user_id for n, t in enumerate(tellers)}
    called_by_counter = {ticket_id: i + 1 for i, batch in enumerate(per_counter) for ticket_id in batch}
    for ticket_id, user_id, counter_id in calls:
        assert counter_of[counter_id] == called_by_counter[ticket_id]
        assert user_id == teller_of_counter[counter_of[counter_id]]


def test_concurrent_issuing_from_processes(db, db_url, branch, clock) -> None:  # type: ignore[no-untyped-def]
    """Workstations are separate programs: each process opens the database on its own."""
    processes, per_process = 4, 30
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(processes)
    results = ctx.Queue()
    workers = [ctx.Process(target=issue_in_process,
                           args=(db.url, branch.id, "loan", per_process, clock.now.isoformat(), start, results))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    collected = []
    try:
        for _ in workers:
            collected.append(results.get(timeout=JOIN_TIMEOUT_S))
    except queue_module.Empty:
        raise AssertionError(f"only {len(collected)} of {processes} processes reported") from None
    finally:
        for worker in workers:
            worker.join(JOIN_TIMEOUT_S)
            if worker.is_alive():
                worker.kill()
    errors = [result for _, result in collected if isinstance(result, str)]
    assert not errors, errors
    assert len({pid for pid, _ in collected}) == processes
    numbers = [n for _, batch in collected for n in batch]
    assert sorted(numbers) == [f"C{n:03d}" for n in range(1, processes * per_process + 1)]
    assert [w.exitcode for w in workers] == [0] * processes
    # The parent sees them all, in number order.
    assert [t.number for t in QueueService(db, clock=clock).list_tickets(branch.id)] == sorted(numbers)


def test_two_workstations_calling_to_the_same_counter_get_one_ticket(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """E.g. a teller's console and the lobby tablet both press "call next" for counter 1."""
    for _ in range(6):
        queue.issue_ticket(actors.lobby, branch.id, "loan")

    def call(_i: int) -> object:
        try:
            return queue.call_next(actors.teller1, branch.id, 1)
        except Conflict as refused:
            return refused

    outcomes = run_threads(6, call)
    called = [o for o in outcomes if not isinstance(o, Conflict)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(called) == 1 and called[0] is not None
    assert {r.code for r in refused} <= {"counter_busy", "counter_busy_race"}
    assert queue.current_ticket(branch.id, 1).id == called[0].id
    with queue.db.read() as session:
        assert session.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.action == "call")) == 1
    assert len(queue.list_tickets(branch.id, status=TicketStatus.WAITING)) == 5


def test_racing_counter_actions_on_one_ticket_apply_once(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """Two workstations at one counter press "finish" and "no-show" at the same moment:
    one wins, the other is refused; the ticket's history stays a valid path."""
    rounds = 5
    for _ in range(rounds):
        ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
        queue.call_next(actors.teller1, branch.id, 1)
        actions = ["finish", "no_show", "finish", "recall", "no_show", "finish"]

        def act(i: int) -> object:
            try:
                return getattr(queue, actions[i])(actors.teller1, branch.id, 1)
            except (Conflict, InvalidTransition) as refused:
                return refused

        outcomes = run_threads(len(actions), act)
        final = [o for o in outcomes if not isinstance(o, DomainError) and o.status in
                 (TicketStatus.FINISHED, TicketStatus.NO_SHOW)]
        assert len(final) == 1, outcomes
        history = queue.events_of(ticket.id)
        # Every event starts where the previous one ended, and nothing follows the end.
        for before, after in zip(history, history[1:]):
            assert after.from_status == before.to_status, [(e.action, e.from_status, e.to_status) for e in history]
        assert [e.to_status for e in history].count(final[0].status.value) == 1
        stored = queue.get_ticket(branch.id, ticket.number)
        assert stored.status is final[0].status
        assert stored.call_count == 1 + sum(1 for e in history if e.action == "recall")
