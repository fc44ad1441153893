"""Issuing tickets: numbering per prefix and business day, events, refusals, atomicity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.db.models import Ticket, TicketEvent, TicketSequence
from app.domain.errors import NotFound, ValidationError
from app.domain.tickets import TicketStatus
from app.services.queue import QueueService


def _sequences(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [tuple(row) for row in session.execute(
            select(TicketSequence.branch_id, TicketSequence.business_day, TicketSequence.prefix,
                   TicketSequence.last_number).order_by(TicketSequence.branch_id, TicketSequence.business_day,
                                                        TicketSequence.prefix))]


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_numbers_count_up_per_prefix(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    numbers = [queue.issue_ticket(actors.lobby, branch.id, "account_opening").number for _ in range(3)]
    assert numbers == ["A001", "A002", "A003"]


def test_prefixes_are_independent(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    issued = [queue.issue_ticket(actors.lobby, branch.id, code).number
              for code in ("account_opening", "loan", "account_opening", "loan", "loan", "account_opening")]
    assert issued == ["A001", "C001", "A002", "C002", "C003", "A003"]
    assert [t.number for t in queue.list_tickets(branch.id)] == issued


def test_branches_number_independently(queue, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert queue.issue_ticket(actors.lobby, branch.id, "loan").number == "C001"
    assert queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan").number == "C001"
    assert queue.issue_ticket(actors.lobby, branch.id, "loan").number == "C002"


def test_numbering_resets_on_the_next_business_day_in_shanghai(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-23T01:00:00+00:00")  # 09:00 in Shanghai
    assert queue.issue_ticket(actors.lobby, branch.id, "account_opening").number == "A001"
    clock.set("2026-11-23T15:59:00+00:00")  # 23:59 in Shanghai: still the 23rd
    late = queue.issue_ticket(actors.lobby, branch.id, "account_opening")
    assert (late.number, late.business_day) == ("A002", date(2026, 11, 23))
    clock.set("2026-11-23T16:01:00+00:00")  # 00:01 on the 24th in Shanghai, still the 23rd in UTC
    next_day = queue.issue_ticket(actors.lobby, branch.id, "account_opening")
    assert (next_day.number, next_day.business_day) == ("A001", date(2026, 11, 24))
    assert queue.issue_ticket(actors.lobby, branch.id, "account_opening").number == "A002"
    # Each day keeps its own list; the 23rd is untouched by the 24th.
    assert [t.number for t in queue.list_tickets(branch.id, day=date(2026, 11, 23))] == ["A001", "A002"]
    assert [t.number for t in queue.list_tickets(branch.id)] == ["A001", "A002"]
    assert {(day, prefix, last) for _, day, prefix, last in _sequences(queue.db)} == {
        (date(2026, 11, 23), "A", 2), (date(2026, 11, 24), "A", 2)}


def test_issued_ticket_view(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    first = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert first.status is TicketStatus.WAITING
    assert first.business_code == "loan" and first.business_name_zh == "个人贷款"
    assert first.issued_at == clock.now
    assert (first.waiting_ahead, first.estimated_wait_minutes) == (0, 0)
    assert (first.counter_number, first.call_count, first.called_at) == (None, 0, None)
    clock.advance(minutes=1)
    second = queue.issue_ticket(actors.lobby, branch.id, "loan")
    # One ahead and six idle demo counters: both are called at once.
    assert (second.waiting_ahead, second.estimated_wait_minutes) == (1, 0)
    assert queue.get_ticket(branch.id, "c002").id == second.id


def test_issue_appends_an_issue_event(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    [event] = queue.events_of(ticket.id)
    assert event.action == "issue"
    assert (event.from_status, event.to_status) == (None, "waiting")
    assert event.user_id == actors.lobby.user_id
    assert event.branch_id == branch.id
    assert event.counter_id is None
    assert event.at == queue.clock()


def test_unknown_business_code_is_not_found_and_writes_nothing(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    before = _sequences(queue.db)
    with pytest.raises(NotFound) as caught:
        queue.issue_ticket(actors.lobby, branch.id, "no_such_business")
    assert caught.value.code == "not_found"
    assert "no_such_business" in caught.value.message
    assert _sequences(queue.db) == before
    assert _count(queue.db, Ticket) == 1
    assert _count(queue.db, TicketEvent) == 1


def test_unknown_branch_is_not_found(queue, branch) -> None:  # type: ignore[no-untyped-def]
    from app.services.actor import SYSTEM

    with pytest.raises(NotFound):
        queue.issue_ticket(SYSTEM, branch.id + 999, "loan")


def test_failure_after_the_counter_bump_rolls_the_bump_back(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """Number 999 used: the upsert moves the counter to 1000, then formatting refuses.
    The whole transaction rolls back: the counter stays at 999 and no ticket appears."""
    first = queue.issue_ticket(actors.lobby, branch.id, "loan")
    with queue.db.write() as session:
        session.execute(update(TicketSequence).values(last_number=999))
    before = _sequences(queue.db)
    with pytest.raises(ValidationError) as caught:
        queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert caught.value.params["field"] == "ticket number"
    assert _sequences(queue.db) == before
    assert [t.id for t in queue.list_tickets(branch.id)] == [first.id]
    assert _count(queue.db, TicketEvent) == 1
    # Other prefixes carry on.
    assert queue.issue_ticket(actors.lobby, branch.id, "account_opening").number == "A001"


def test_service_instances_share_the_database(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """Two workstations (two service objects) draw from the same counter row."""
    kiosk, lobby = QueueService(db, clock=clock), QueueService(db, clock=clock)
    assert [kiosk.issue_ticket(actors.lobby, branch.id, "loan").number,
            lobby.issue_ticket(actors.lobby, branch.id, "loan").number,
            kiosk.issue_ticket(actors.lobby, branch.id, "loan").number] == ["C001", "C002", "C003"]


def test_waiting_counts_and_lists(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    from app.services.queue import WaitingCount

    for code in ("loan", "account_opening", "loan", "wealth"):
        queue.issue_ticket(actors.lobby, branch.id, code)
        clock.advance(seconds=10)
    queue.call_next(actors.teller1, branch.id, 1)  # takes C001
    assert queue.waiting_counts(branch.id) == [
        WaitingCount("account_opening", "个人开户", "Personal account opening", 1),
        WaitingCount("loan", "个人贷款", "Loans", 1),
        WaitingCount("wealth", "理财产品", "Wealth products", 1),
    ]
    assert [t.number for t in queue.list_tickets(branch.id, status=TicketStatus.WAITING)] == ["A001", "C002", "D001"]
    assert [t.number for t in queue.list_tickets(branch.id, status=TicketStatus.CALLED)] == ["C001"]
    assert queue.get_ticket(branch.id, "d001").business_name("en") == "Wealth products"
    assert queue.get_ticket(branch.id, "D001").business_name("zh_CN") == "理财产品"
    with pytest.raises(NotFound):
        queue.get_ticket(branch.id, "Z999")
    with pytest.raises(NotFound):
        queue.get_ticket(branch.id, "A001", day=date(2026, 11, 22))


def test_a_ticket_issued_just_before_the_database_goes_away_is_still_handed_out(queue, branch, actors,  # type: ignore[no-untyped-def]
                                                                                monkeypatch) -> None:
    """The wait is read after the issuing commit; if that read fails the customer still gets the
    number (without the wait), never "not issued" for a ticket that is in the queue."""
    from app.domain.errors import DatabaseUnavailable

    def gone():  # type: ignore[no-untyped-def]
        raise DatabaseUnavailable(reason="server closed the connection")

    monkeypatch.setattr(queue.db, "read", gone)
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    monkeypatch.undo()
    assert (ticket.number, ticket.status, ticket.estimated_wait_minutes) == ("C001", TicketStatus.WAITING, None)
    assert queue.get_ticket(branch.id, "C001").id == ticket.id
