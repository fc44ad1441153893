"""Counter actions: call, recall, start, finish, no-show; events; wrong transitions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db.models import Counter, TicketEvent
from app.domain.errors import Conflict, InvalidTransition, NotFound
from app.domain.tickets import TicketStatus


def _event_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(TicketEvent))


def _counter_id(db, branch_id: int, number: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(Counter.id).where(Counter.branch_id == branch_id, Counter.number == number))


def test_call_start_finish(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    issued = queue.issue_ticket(actors.lobby, branch.id, "loan")
    clock.advance(minutes=3)
    called = queue.call_next(actors.teller1, branch.id, 1)
    assert called is not None and called.id == issued.id
    assert (called.status, called.counter_number, called.call_count) == (TicketStatus.CALLED, 1, 1)
    assert called.called_at == clock.now
    assert queue.current_ticket(branch.id, 1) == called
    clock.advance(minutes=1)
    started = queue.start(actors.teller1, branch.id, 1)
    assert (started.status, started.started_at) == (TicketStatus.SERVING, clock.now)
    clock.advance(minutes=10)
    finished = queue.finish(actors.teller1, branch.id, 1)
    assert (finished.status, finished.finished_at) == (TicketStatus.FINISHED, clock.now)
    assert queue.current_ticket(branch.id, 1) is None

    counter_id = _counter_id(queue.db, branch.id, 1)
    events = queue.events_of(issued.id)
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("issue", None, "waiting"), ("call", "waiting", "called"), ("start", "called", "serving"),
        ("finish", "serving", "finished")]
    assert [e.user_id for e in events] == [actors.lobby.user_id] + [actors.teller1.user_id] * 3
    assert [e.counter_id for e in events] == [None, counter_id, counter_id, counter_id]
    assert all(e.branch_id == branch.id for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_call_then_no_show(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 2)
    for _ in range(queue.policy.recalls_before_no_show):
        queue.recall(actors.teller1, branch.id, 2)
    gone = queue.no_show(actors.teller1, branch.id, 2)
    assert (gone.id, gone.status) == (ticket.id, TicketStatus.NO_SHOW)
    assert queue.current_ticket(branch.id, 2) is None
    last = queue.events_of(ticket.id)[-1]
    assert (last.action, last.from_status, last.to_status) == ("no_show", "called", "no_show")
    assert last.counter_id == _counter_id(queue.db, branch.id, 2)


def test_recall_increments_call_count(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=1)
    first = queue.recall(actors.teller1, branch.id, 1)
    clock.advance(minutes=1)
    second = queue.recall(actors.teller1, branch.id, 1)
    assert (first.call_count, second.call_count) == (2, 3)
    assert second.status is TicketStatus.CALLED and second.called_at == clock.now
    recalls = [e for e in queue.events_of(ticket.id) if e.action == "recall"]
    assert [(e.from_status, e.to_status) for e in recalls] == [("called", "called")] * 2


def test_finish_straight_from_called(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    done = queue.finish(actors.teller1, branch.id, 1)
    assert (done.id, done.status, done.started_at) == (ticket.id, TicketStatus.FINISHED, None)
    assert queue.events_of(ticket.id)[-1].from_status == "called"


def test_calls_in_issue_order_across_business_types(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    issued = []
    for code in ("loan", "account_opening", "loan"):
        issued.append(queue.issue_ticket(actors.lobby, branch.id, code).number)
        clock.advance(seconds=30)
    called = []
    for _ in issued:
        called.append(queue.call_next(actors.teller1, branch.id, 1).number)
        queue.finish(actors.teller1, branch.id, 1)
    assert called == issued == ["C001", "A001", "C002"]


def test_call_next_returns_none_when_nobody_waits(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller2, branch.id, 2) is None
    assert _event_count(queue.db) == 2


def test_call_next_only_calls_todays_tickets(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-23T09:00:00+00:00")  # 17:00 in Shanghai
    yesterday = queue.issue_ticket(actors.lobby, branch.id, "loan")
    clock.now += timedelta(days=1)
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    today = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert today.number == "C001"
    assert queue.call_next(actors.teller1, branch.id, 1).id == today.id
    queue.finish(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    stale = queue.list_tickets(branch.id, day=yesterday.business_day)
    assert [(t.id, t.status) for t in stale] == [(yesterday.id, TicketStatus.WAITING)]


def test_call_next_on_a_busy_counter_is_a_conflict(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    first = queue.issue_ticket(actors.lobby, branch.id, "loan")
    second = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    events = _event_count(queue.db)
    with pytest.raises(Conflict) as caught:
        queue.call_next(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_busy"
    assert caught.value.params == {"counter": 1, "ticket": first.number}
    queue.start(actors.teller1, branch.id, 1)
    with pytest.raises(Conflict) as caught:
        queue.call_next(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_busy"
    # Nothing was written by the refusals; the second ticket still waits.
    assert _event_count(queue.db) == events + 1
    assert queue.list_tickets(branch.id, status=TicketStatus.WAITING)[0].id == second.id


@pytest.mark.parametrize("action", ["start", "finish", "recall", "no_show"])
def test_counter_action_with_nothing_called_is_a_conflict(queue, branch, actors, action) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(Conflict) as caught:
        getattr(queue, action)(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_idle"
    assert _event_count(queue.db) == 1


@pytest.mark.parametrize("action", ["start", "recall", "no_show"])
def test_wrong_transition_from_serving(queue, branch, actors, action) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.start(actors.teller1, branch.id, 1)
    events = _event_count(queue.db)
    with pytest.raises(InvalidTransition) as caught:
        getattr(queue, action)(actors.teller1, branch.id, 1)
    assert caught.value.params == {"ticket": ticket.number, "status": "serving", "action": action}
    assert _event_count(queue.db) == events
    current = queue.current_ticket(branch.id, 1)
    assert (current.status, current.call_count) == (TicketStatus.SERVING, 1)


def test_unknown_counter_is_not_found(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(NotFound):
        queue.call_next(actors.teller1, branch.id, 99)
    assert queue.list_tickets(branch.id, status=TicketStatus.WAITING)


def test_each_counter_holds_its_own_ticket(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    a = queue.issue_ticket(actors.lobby, branch.id, "loan")
    clock.advance(seconds=1)
    b = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert queue.call_next(actors.teller1, branch.id, 1).id == a.id
    assert queue.call_next(actors.teller2, branch.id, 2).id == b.id
    assert queue.finish(actors.teller2, branch.id, 2).id == b.id
    assert queue.current_ticket(branch.id, 1).id == a.id
    assert queue.waiting_counts(branch.id) == []
