"""Queue operations on both databases: calling order (matrix rank, priority class, queue time,
anti-starvation), the green channel from a resident ID, recall / no-show, out-of-order calls,
requeue, park / resume, transfers, finishing with an outcome, the learned service time and
the wait estimates built on it."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from stdnum.cn import ric

from app.db.models import BusinessType, Counter, Ticket, TicketEvent, TicketSequence
from app.domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from app.domain.priority import PriorityClass
from app.domain.tickets import ServiceOutcome, TicketStatus
from app.domain.wait_estimate import estimate_wait_minutes
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService
from app.services.queue_policy import QueuePolicy

P = PriorityClass
LOAN_TARGET_MINUTES = 25  # resources/business_types.toml


# -- helpers ---------------------------------------------------------------------------------

def service_with(db, clock, **changes) -> QueueService:  # type: ignore[no-untyped-def]
    return QueueService(db, clock=clock, policy=dataclasses.replace(QueuePolicy.defaults(), **changes))


def resident_id(birth: date, region: str = "110101", sequence: str = "123") -> str:
    body = region + birth.strftime("%Y%m%d") + sequence
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def desk(db, clock) -> CounterDesk:  # type: ignore[no-untyped-def]
    return CounterDesk(db, clock=clock)


def set_matrix(desk, actors, branch, counter: int, *entries: tuple[str, int]) -> None:  # type: ignore[no-untyped-def]
    desk.set_matrix(actors.supervisor, branch.id, counter, [MatrixEntry(code, rank) for code, rank in entries])


def serve_all(queue, actor, branch, counter: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Call and finish at one counter until nothing is left for it; the numbers in call order."""
    numbers = []
    while (ticket := queue.call_next(actor, branch.id, counter)) is not None:
        numbers.append(ticket.number)
        queue.finish(actor, branch.id, counter)
    return numbers


def issue(queue, clock, actors, branch, code: str, priority: P = P.NORMAL, *, after_s: float = 60) -> str:  # type: ignore[no-untyped-def]
    clock.advance(seconds=after_s)
    return queue.issue_ticket(actors.lobby, branch.id, code, priority=priority).number


def queued_at(db, ticket_id: int):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(Ticket.queued_at).where(Ticket.id == ticket_id))


def event_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(TicketEvent))


def ewma_of(db, code: str) -> float | None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(BusinessType.ewma_service_seconds).where(BusinessType.code == code))


def counter_id(db, branch_id: int, number: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(Counter.id).where(Counter.branch_id == branch_id, Counter.number == number))


# -- calling order ---------------------------------------------------------------------------

def test_matrix_rank_orders_the_calls(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    set_matrix(desk, actors, branch, 1, ("deposit_withdrawal", 0), ("loan", 1))
    issued = [issue(queue, clock, actors, branch, code)
              for code in ("loan", "deposit_withdrawal", "loan", "deposit_withdrawal", "wealth")]
    assert issued == ["C001", "B001", "C002", "B002", "D001"]
    assert [t.number for t in queue.counter_preview(branch.id, 1)] == ["B001", "B002", "C001", "C002"]
    assert serve_all(queue, actors.teller1, branch, 1) == ["B001", "B002", "C001", "C002"]
    # The wealth ticket is not this counter's: it still waits for another one.
    assert [t.number for t in queue.list_tickets(branch.id, status=TicketStatus.WAITING)] == ["D001"]


def test_equal_ranks_are_served_together_by_priority_then_queue_time(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    set_matrix(desk, actors, branch, 1, ("loan", 0), ("deposit_withdrawal", 0), ("wealth", 1))
    issue(queue, clock, actors, branch, "loan")  # C001
    issue(queue, clock, actors, branch, "deposit_withdrawal")  # B001
    issue(queue, clock, actors, branch, "wealth", P.GREEN)  # D001: green, but of the second rank
    issue(queue, clock, actors, branch, "deposit_withdrawal", P.VIP_GOLD)  # B002
    issue(queue, clock, actors, branch, "loan")  # C002
    assert serve_all(queue, actors.teller1, branch, 1) == ["B002", "C001", "B001", "C002", "D001"]


def test_priority_classes_in_order(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    worst_first = [P.NORMAL, P.VIP_GOLD, P.VIP_PLATINUM, P.VIP_DIAMOND, P.APPOINTMENT, P.GREEN]
    numbers = {issue(queue, clock, actors, branch, "loan", priority): priority for priority in worst_first}
    called = serve_all(queue, actors.teller1, branch, 1)
    assert [numbers[n] for n in called] == list(reversed(worst_first))
    assert called == ["C006", "C005", "C004", "C003", "C002", "C001"]


def test_default_matrix_serves_every_type_in_one_rank(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    issued = [issue(queue, clock, actors, branch, code)
              for code in ("wealth", "loan", "consultation", "account_opening", "corporate_settlement")]
    assert serve_all(queue, actors.teller1, branch, 1) == issued


def test_a_counter_never_calls_a_type_outside_its_matrix(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    set_matrix(desk, actors, branch, 1, ("loan", 0))
    for code in ("deposit_withdrawal", "wealth", "account_opening"):
        issue(queue, clock, actors, branch, code, P.GREEN)
    clock.advance(hours=2)  # even starved tickets of other types stay out
    issue(queue, clock, actors, branch, "wealth")
    assert queue.counter_preview(branch.id, 1) == []
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    loan = issue(queue, clock, actors, branch, "loan")
    assert serve_all(queue, actors.teller1, branch, 1) == [loan]
    assert len(queue.list_tickets(branch.id, status=TicketStatus.WAITING)) == 4


def test_empty_matrix_calls_nothing(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    set_matrix(desk, actors, branch, 1)
    issue(queue, clock, actors, branch, "loan")
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    assert queue.call_next(actors.teller2, branch.id, 2).number == "C001"


# -- anti-starvation ---------------------------------------------------------------------

def test_a_normal_ticket_waiting_the_limit_goes_first(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, starvation_minutes=10)
    start = clock.now
    normal = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    clock.advance(minutes=5)
    diamond = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.VIP_DIAMOND).number
    green_1 = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.GREEN).number
    green_2 = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.GREEN).number

    clock.now = start + timedelta(minutes=10) - timedelta(seconds=1)  # not yet starved
    assert [t.number for t in queue.counter_preview(branch.id, 1)] == [green_1, green_2, diamond, normal]
    assert queue.call_next(actors.teller1, branch.id, 1).number == green_1
    queue.finish(actors.teller1, branch.id, 1)

    clock.now = start + timedelta(minutes=10)  # waited exactly the limit
    assert [t.number for t in queue.counter_preview(branch.id, 1)] == [normal, green_2, diamond]
    assert queue.call_next(actors.teller1, branch.id, 1).number == normal
    queue.finish(actors.teller1, branch.id, 1)
    assert serve_all(queue, actors.teller1, branch, 1) == [green_2, diamond]


def test_a_starved_ticket_goes_before_higher_ranked_types(db, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, starvation_minutes=10)
    set_matrix(desk, actors, branch, 1, ("loan", 0), ("deposit_withdrawal", 1))
    first_b = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal").number
    clock.advance(minutes=1)
    second_b = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal").number
    loans = [queue.issue_ticket(actors.lobby, branch.id, "loan", priority=p).number for p in (P.NORMAL, P.GREEN)]
    clock.advance(minutes=9)  # B001 waited 10 minutes, B002 and the loans 9
    assert serve_all(queue, actors.teller1, branch, 1) == [first_b, loans[1], loans[0], second_b]


def test_priority_tickets_never_count_as_starved(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, starvation_minutes=10)
    gold = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.VIP_GOLD).number
    clock.advance(minutes=1)
    green = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.GREEN).number
    clock.advance(hours=1)  # both waited far beyond the limit; they still go by class
    assert serve_all(queue, actors.teller1, branch, 1) == [green, gold]


def test_starved_tickets_among_themselves_go_by_queue_time(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, starvation_minutes=10)
    numbers = []
    for code in ("wealth", "loan", "account_opening"):
        numbers.append(queue.issue_ticket(actors.lobby, branch.id, code).number)
        clock.advance(minutes=1)
    green = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.GREEN).number
    clock.advance(minutes=30)
    assert serve_all(queue, actors.teller1, branch, 1) == numbers + [green]


# -- green channel from the resident ID --------------------------------------------------------

# The clock's business day is 2026-11-23 (Shanghai).
TURNS_65_TODAY = date(1961, 11, 23)
TURNS_65_TOMORROW = date(1961, 11, 24)


def test_resident_aged_65_or_more_gets_the_green_channel(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=resident_id(TURNS_65_TODAY))
    assert ticket.priority is P.GREEN
    assert queue.get_ticket(branch.id, ticket.number).priority is P.GREEN
    assert queue.issue_ticket(actors.lobby, branch.id, "loan",
                              resident_id=resident_id(date(1935, 5, 1))).priority is P.GREEN
    [event] = queue.events_of(ticket.id)
    assert event.reason == "priority green"


def test_younger_resident_keeps_the_given_priority(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    young = resident_id(TURNS_65_TOMORROW)
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=young).priority is P.NORMAL
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.VIP_GOLD,
                              resident_id=young).priority is P.VIP_GOLD
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", priority="appointment",
                              resident_id=resident_id(date(1990, 3, 7))).priority is P.APPOINTMENT
    [event] = queue.events_of(queue.get_ticket(branch.id, "C001").id)
    assert event.reason is None


def test_green_is_never_lowered_and_never_below_the_given_priority(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    elderly = resident_id(date(1950, 1, 1))
    for given in (P.NORMAL, P.VIP_DIAMOND, P.APPOINTMENT, P.GREEN):
        assert queue.issue_ticket(actors.lobby, branch.id, "loan", priority=given,
                                  resident_id=elderly).priority is P.GREEN


def test_age_is_reckoned_on_the_branch_business_day(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-23T16:30:00+00:00")  # 00:30 on the 24th in Shanghai, still the 23rd in UTC
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=resident_id(TURNS_65_TOMORROW))
    assert ticket.priority is P.GREEN


def test_elderly_age_is_a_policy(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, elderly_age=60)
    assert queue.issue_ticket(actors.lobby, branch.id, "loan",
                              resident_id=resident_id(date(1964, 1, 1))).priority is P.GREEN
    assert queue.issue_ticket(actors.lobby, branch.id, "loan",
                              resident_id=resident_id(date(1970, 1, 1))).priority is P.NORMAL


def test_resident_id_with_a_newer_region_code_still_counts(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    # 330106 did not exist in 1955; the library alone would refuse this number.
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan",
                                resident_id=resident_id(date(1955, 6, 1), region="330106"))
    assert ticket.priority is P.GREEN


@pytest.mark.parametrize("bad", ["11010119610101123", "110101196101011230X",
                                 "110101196113011234", "11010119610101123Y"])
def test_bad_resident_id_is_refused_naming_the_field_and_issues_nothing(queue, branch, actors, bad) -> None:  # type: ignore[no-untyped-def]
    good = resident_id(date(1961, 1, 1))
    for value in (bad, good[:-1] + ("0" if good[-1] != "0" else "1")):
        with pytest.raises(ValidationError) as caught:
            queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=value)
        assert caught.value.params["field"] == "ID number"
    assert queue.list_tickets(branch.id) == []
    with queue.db.read() as session:
        assert session.scalar(select(func.count()).select_from(TicketSequence)) == 0
    assert queue.issue_ticket(actors.lobby, branch.id, "loan").number == "C001"


def test_empty_resident_id_means_none_given(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id="").priority is P.NORMAL


# -- recall and no-show --------------------------------------------------------------------

def test_no_show_only_after_the_configured_recalls(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert queue.policy.recalls_before_no_show == 2
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert queue.call_next(actors.teller1, branch.id, 1).call_count == 1
    for recalls in range(2):
        events = event_count(queue.db)
        with pytest.raises(InvalidTransition) as caught:
            queue.no_show(actors.teller1, branch.id, 1)
        assert caught.value.code == "no_show_too_early"
        assert caught.value.params == {"ticket": ticket.number, "recalls": recalls, "needed": 2}
        assert event_count(queue.db) == events
        clock.advance(minutes=1)
        recalled = queue.recall(actors.teller1, branch.id, 1)
        assert (recalled.call_count, recalled.called_at, recalled.status) == (recalls + 2, clock.now,
                                                                             TicketStatus.CALLED)
    gone = queue.no_show(actors.teller1, branch.id, 1)
    assert (gone.status, gone.call_count, gone.finished_at) == (TicketStatus.NO_SHOW, 3, clock.now)
    assert [e.action for e in queue.events_of(ticket.id)] == ["issue", "call", "recall", "recall", "no_show"]
    assert queue.teller_stats(branch.id, actors.teller1.user_id).no_shows == 1


@pytest.mark.parametrize("needed", [0, 1, 3])
def test_recalls_before_no_show_is_a_policy(db, clock, branch, actors, needed) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, recalls_before_no_show=needed)
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    for _ in range(needed):
        with pytest.raises(InvalidTransition):
            queue.no_show(actors.teller1, branch.id, 1)
        queue.recall(actors.teller1, branch.id, 1)
    assert queue.no_show(actors.teller1, branch.id, 1).call_count == needed + 1


# -- calling out of order --------------------------------------------------------------------

def test_call_ticket_out_of_order_records_the_reason(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        issue(queue, clock, actors, branch, "loan")
    called = queue.call_ticket(actors.teller1, branch.id, 1, " c003 ", reason="  行动不便，优先办理 ")
    assert (called.number, called.status, called.counter_number, called.call_count) == ("C003", TicketStatus.CALLED,
                                                                                      1, 1)
    call = queue.events_of(called.id)[-1]
    assert (call.action, call.reason, call.counter_id) == ("call", "out of order: 行动不便，优先办理",
                                                           counter_id(queue.db, branch.id, 1))
    assert [c.number for c in queue.calls_since(branch.id)] == ["C003"]
    queue.finish(actors.teller1, branch.id, 1)
    assert serve_all(queue, actors.teller1, branch, 1) == ["C001", "C002"]


@pytest.mark.parametrize("reason", [None, "", "   ", "x" * 501])
def test_call_ticket_needs_a_reason(queue, branch, actors, reason) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(ValidationError) as caught:
        queue.call_ticket(actors.teller1, branch.id, 1, "C002", reason=reason)
    assert caught.value.params["field"] == "reason"
    assert event_count(queue.db) == 2
    assert queue.current_ticket(branch.id, 1) is None


def test_call_ticket_refuses_a_ticket_that_is_not_waiting(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    for number in ("C001", "C999"):
        with pytest.raises(Conflict) as caught:
            queue.call_ticket(actors.teller2, branch.id, 2, number, reason="客户要求")
        assert caught.value.code == "ticket_not_waiting"
    assert queue.current_ticket(branch.id, 2) is None


def test_call_ticket_on_a_busy_counter_is_a_conflict(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    with pytest.raises(Conflict) as caught:
        queue.call_ticket(actors.teller1, branch.id, 1, "C002", reason="客户要求")
    assert caught.value.code == "counter_busy"


# -- requeue -----------------------------------------------------------------------------

def test_requeue_puts_the_ticket_back_at_its_old_place(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    first = queue.issue_ticket(actors.lobby, branch.id, "loan")
    for _ in range(2):
        issue(queue, clock, actors, branch, "loan")
    place = queued_at(queue.db, first.id)
    clock.advance(minutes=5)
    queue.call_next(actors.teller1, branch.id, 1)
    queue.recall(actors.teller1, branch.id, 1)
    clock.advance(minutes=2)
    back = queue.requeue(actors.teller1, branch.id, 1, reason="客户去取证件")
    assert (back.id, back.status, back.counter_number, back.call_count, back.called_at) == (
        first.id, TicketStatus.WAITING, None, 0, None)
    assert queued_at(queue.db, first.id) == place
    assert queue.current_ticket(branch.id, 1) is None
    assert queue.get_ticket(branch.id, first.number).waiting_ahead == 0
    assert [t.number for t in queue.counter_preview(branch.id, 2)] == ["C001", "C002", "C003"]
    again = queue.call_next(actors.teller2, branch.id, 2)
    assert (again.id, again.counter_number, again.call_count) == (first.id, 2, 1)
    events = queue.events_of(first.id)
    assert [(e.action, e.to_status) for e in events] == [
        ("issue", "waiting"), ("call", "called"), ("recall", "called"), ("requeue", "waiting"), ("call", "called")]
    assert events[3].reason == "客户去取证件"


def test_requeue_only_from_called(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.start(actors.teller1, branch.id, 1)
    with pytest.raises(InvalidTransition):
        queue.requeue(actors.teller1, branch.id, 1)
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.SERVING


# -- park and resume ---------------------------------------------------------------------

def test_park_frees_the_counter_and_resume_takes_the_ticket_back(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    parked_number = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    other = issue(queue, clock, actors, branch, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=1)
    started = queue.start(actors.teller1, branch.id, 1).started_at
    clock.advance(minutes=3)
    parked = queue.park(actors.teller1, branch.id, 1, reason="客户去复印证件")
    assert (parked.status, parked.counter_number) == (TicketStatus.PARKED, 1)
    assert queue.current_ticket(branch.id, 1) is None
    assert [t.number for t in queue.parked_tickets(branch.id, 1)] == [parked_number]
    assert queue.parked_tickets(branch.id, 2) == []

    # The counter is free: it calls the next customer meanwhile.
    assert queue.call_next(actors.teller1, branch.id, 1).number == other
    with pytest.raises(Conflict) as caught:
        queue.resume(actors.teller1, branch.id, 1, parked_number)
    assert caught.value.code == "counter_busy"
    queue.finish(actors.teller1, branch.id, 1)

    clock.advance(minutes=4)
    resumed = queue.resume(actors.teller1, branch.id, 1, parked_number.lower())
    assert (resumed.number, resumed.status, resumed.counter_number) == (parked_number, TicketStatus.SERVING, 1)
    assert resumed.started_at == started  # the service began before the pause
    assert queue.current_ticket(branch.id, 1).number == parked_number
    assert queue.parked_tickets(branch.id, 1) == []
    assert queue.finish(actors.teller1, branch.id, 1).status is TicketStatus.FINISHED
    actions = [(e.action, e.reason) for e in queue.events_of(parked.id)]
    assert actions == [("issue", None), ("call", None), ("start", None), ("park", "客户去复印证件"),
                       ("resume", None), ("finish", None)]


def test_a_ticket_parked_straight_after_the_call_starts_on_resume(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    number = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    queue.call_next(actors.teller1, branch.id, 1)
    queue.park(actors.teller1, branch.id, 1)
    clock.advance(minutes=2)
    assert queue.resume(actors.teller1, branch.id, 1, number).started_at == clock.now


def test_resume_only_at_the_parking_counter_and_only_parked_tickets(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    number = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    waiting = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    queue.call_next(actors.teller1, branch.id, 1)
    queue.park(actors.teller1, branch.id, 1)
    for counter, wanted in ((2, number), (1, waiting), (1, "C999")):
        with pytest.raises(NotFound):
            queue.resume(actors.teller1, branch.id, counter, wanted)
    assert queue.parked_tickets(branch.id, 1)[0].status is TicketStatus.PARKED


def test_park_needs_a_called_ticket(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(Conflict) as caught:
        queue.park(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_idle"


# -- transfer ----------------------------------------------------------------------------

def test_transfer_continues_the_visit_as_a_new_segment(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    arrival = clock.now
    first = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal", priority=P.VIP_GOLD)
    clock.advance(minutes=2)
    queue.call_next(actors.teller1, branch.id, 1)
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=5)
    follow = queue.transfer(actors.teller1, branch.id, 1, to_business="loan", position="end", reason="需办理贷款")

    assert (follow.number, follow.business_code, follow.status, follow.segment, follow.visit_id) == (
        first.number, "loan", TicketStatus.WAITING, 2, first.id)
    assert (follow.arrival_at, follow.priority, follow.counter_number, follow.call_count) == (
        arrival, P.VIP_GOLD, None, 0)
    assert follow.id != first.id
    assert (follow.waiting_ahead, follow.estimated_wait_minutes) == (0, 0)
    assert queue.current_ticket(branch.id, 1) is None

    [old, new] = [t for t in queue.list_tickets(branch.id) if t.number == first.number]
    assert (old.id, old.status, old.segment, old.business_code, old.finished_at, old.counter_number) == (
        first.id, TicketStatus.TRANSFERRED, 1, "deposit_withdrawal", clock.now, 1)
    assert new.id == follow.id
    assert queue.get_ticket(branch.id, first.number).id == follow.id  # the newest segment

    transfer = queue.events_of(first.id)[-1]
    assert (transfer.action, transfer.from_status, transfer.to_status, transfer.reason) == (
        "transfer", "serving", "transferred", "需办理贷款")
    [issued] = queue.events_of(follow.id)
    assert (issued.action, issued.to_status, issued.counter_id) == ("issue", "waiting",
                                                                    counter_id(queue.db, branch.id, 1))
    assert issued.reason == "transferred from deposit_withdrawal (end)"

    # Served again at another counter, and transferred once more: same visit, segment 3.
    assert queue.call_next(actors.teller2, branch.id, 2).id == follow.id
    third = queue.transfer(actors.teller2, branch.id, 2, to_business="wealth")
    assert (third.number, third.segment, third.visit_id, third.arrival_at, third.business_code) == (
        first.number, 3, first.id, arrival, "wealth")
    assert queue.get_ticket(branch.id, first.number).id == third.id
    segments = sorted(queue.list_tickets(branch.id), key=lambda t: t.segment)
    assert [(t.segment, t.status) for t in segments] == [
        (1, TicketStatus.TRANSFERRED), (2, TicketStatus.TRANSFERRED), (3, TicketStatus.WAITING)]


def test_transfer_refusals(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(Conflict) as caught:
        queue.transfer(actors.teller1, branch.id, 1, to_business="wealth")
    assert caught.value.code == "counter_idle"
    queue.call_next(actors.teller1, branch.id, 1)
    events = event_count(queue.db)
    with pytest.raises(ValidationError) as invalid:
        queue.transfer(actors.teller1, branch.id, 1)
    assert invalid.value.params["field"] == "transfer target"
    with pytest.raises(NotFound):
        queue.transfer(actors.teller1, branch.id, 1, to_business="no_such_business")
    with pytest.raises(NotFound):
        queue.transfer(actors.teller1, branch.id, 1, to_counter=99)
    assert event_count(queue.db) == events
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.CALLED


@pytest.mark.parametrize(("position", "expected_order"), [
    ("arrival", ["C001", "B001", "C002", "C003"]),  # by the visit's arrival, between C001 and C002
    ("front", ["B001", "C001", "C002", "C003"]),
    ("end", ["C001", "C002", "C003", "B001"]),
])
def test_transfer_position_against_other_waiting_tickets(queue, clock, desk, branch, actors, position,  # type: ignore[no-untyped-def]
                                                         expected_order) -> None:
    set_matrix(desk, actors, branch, 1, ("deposit_withdrawal", 0))  # counter 1 no longer serves loans
    queue.issue_ticket(actors.lobby, branch.id, "loan")  # C001 at t0
    issue(queue, clock, actors, branch, "deposit_withdrawal")  # B001 at t0+1m
    issue(queue, clock, actors, branch, "loan")  # C002 at t0+2m
    assert queue.call_next(actors.teller1, branch.id, 1).number == "B001"
    issue(queue, clock, actors, branch, "loan")  # C003 at t0+3m
    clock.advance(minutes=3)
    follow = queue.transfer(actors.teller1, branch.id, 1, to_business="loan", position=position)

    ahead = expected_order.index("B001")
    serving_loans = [0.0] * 5  # counters 2-6, idle
    assert (follow.waiting_ahead, follow.estimated_wait_minutes) == (
        ahead, estimate_wait_minutes(ahead, LOAN_TARGET_MINUTES, serving_loans))
    assert queue.get_ticket(branch.id, "B001").waiting_ahead == ahead
    assert [t.number for t in queue.counter_preview(branch.id, 2)] == expected_order
    assert [t.waiting_ahead for t in queue.counter_preview(branch.id, 2)] == [0, 1, 2, 3]
    assert serve_all(queue, actors.teller2, branch, 2) == expected_order


def test_front_with_nobody_waiting_queues_now(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal")
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=4)
    follow = queue.transfer(actors.teller1, branch.id, 1, to_business="loan", position="front")
    assert queued_at(queue.db, follow.id) == clock.now


def test_a_ticket_transferred_to_a_counter_is_called_only_there(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    teller3 = authenticate(queue.db, "teller3", DEMO_PASSWORD)
    set_matrix(desk, actors, branch, 3, ("wealth", 0))  # counter 3 does not serve deposits
    number = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal").number
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=2)
    follow = queue.transfer(actors.teller1, branch.id, 1, to_counter=3, position="end", reason="到3号窗口办理")
    assert (follow.business_code, follow.segment, follow.waiting_ahead) == ("deposit_withdrawal", 2, 0)
    wealth = issue(queue, clock, actors, branch, "wealth")

    # Every other counter serves deposits, yet none of them calls it.
    for n in (1, 2, 4, 5, 6):
        assert number not in [t.number for t in queue.counter_preview(branch.id, n)]
    assert queue.call_next(actors.teller1, branch.id, 1).number == wealth
    queue.finish(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller2, branch.id, 2) is None

    # Counter 3 calls it although deposits are outside its matrix.
    assert [t.number for t in queue.counter_preview(branch.id, 3)] == [number]
    called = queue.call_next(teller3, branch.id, 3)
    assert (called.id, called.counter_number) == (follow.id, 3)


def test_a_ticket_transferred_to_a_counter_ranks_after_its_matrix_types(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    teller3 = authenticate(queue.db, "teller3", DEMO_PASSWORD)
    set_matrix(desk, actors, branch, 3, ("wealth", 0))
    number = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal").number
    wealth = issue(queue, clock, actors, branch, "wealth")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.transfer(actors.teller1, branch.id, 1, to_counter=3, position="front")
    assert serve_all(queue, teller3, branch, 3) == [wealth, number]


def test_transfer_to_a_business_and_a_counter(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    number = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal").number
    queue.call_next(actors.teller1, branch.id, 1)
    follow = queue.transfer(actors.teller1, branch.id, 1, to_business="wealth", to_counter=2)
    assert follow.business_code == "wealth"
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    assert queue.call_next(actors.teller2, branch.id, 2).number == number


# -- finish: outcome, note, learned service time ------------------------------------------------

def test_finish_stores_outcome_and_note(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    done = queue.finish(actors.teller1, branch.id, 1, outcome="documents_missing", note="  缺少户口簿 ")
    assert (done.outcome, done.note) == ("documents_missing", "缺少户口簿")
    stored = queue.get_ticket(branch.id, ticket.number)
    assert (stored.status, stored.outcome, stored.note) == (TicketStatus.FINISHED, "documents_missing", "缺少户口簿")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    plain = queue.finish(actors.teller1, branch.id, 1, outcome=ServiceOutcome.REFERRED, note="   ")
    assert (plain.outcome, plain.note) == ("referred", None)
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    assert queue.finish(actors.teller1, branch.id, 1).outcome == "completed"


@pytest.mark.parametrize(("changes", "field"), [
    ({"outcome": "done"}, "outcome"),
    ({"outcome": ""}, "outcome"),
    ({"outcome": "COMPLETED"}, "outcome"),
    ({"note": "很" * 2001}, "note"),
])
def test_finish_refuses_bad_outcome_or_note(queue, branch, actors, changes, field) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    events = event_count(queue.db)
    with pytest.raises(ValidationError) as caught:
        queue.finish(actors.teller1, branch.id, 1, **changes)
    assert caught.value.params["field"] == field
    assert event_count(queue.db) == events
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.CALLED
    assert ewma_of(queue.db, "loan") is None


def test_service_time_average_learns_from_services(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = service_with(db, clock, service_time_weight=0.5)
    assert ewma_of(db, "loan") is None
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "wealth")

    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=10)
    queue.finish(actors.teller1, branch.id, 1)  # never started: timed from the call
    assert ewma_of(db, "loan") == pytest.approx(600)

    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=3)  # the customer takes 3 minutes to come; not service time
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=20)
    queue.finish(actors.teller1, branch.id, 1)
    assert ewma_of(db, "loan") == pytest.approx(0.5 * 1200 + 0.5 * 600)

    # A transfer ends a service too: it counts for the type it was served as.
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=1)
    queue.transfer(actors.teller1, branch.id, 1, to_business="wealth")
    assert ewma_of(db, "loan") == pytest.approx(0.5 * 60 + 0.5 * 900)

    # A no-show is no service.
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=30)
    for _ in range(queue.policy.recalls_before_no_show):
        queue.recall(actors.teller1, branch.id, 1)
    queue.no_show(actors.teller1, branch.id, 1)
    assert ewma_of(db, "wealth") is None
    assert ewma_of(db, "loan") == pytest.approx(480)


def test_default_weight_of_the_newest_service(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    weight = queue.policy.service_time_weight
    assert weight == 0.3
    for minutes in (10, 20):
        queue.issue_ticket(actors.lobby, branch.id, "loan")
        queue.call_next(actors.teller1, branch.id, 1)
        clock.advance(minutes=minutes)
        queue.finish(actors.teller1, branch.id, 1)
    assert ewma_of(queue.db, "loan") == pytest.approx(weight * 1200 + (1 - weight) * 600)


# -- wait estimates ----------------------------------------------------------------------

def assert_estimates(queue, branch, numbers: list[str], minutes_per_person: float, counters: int) -> None:  # type: ignore[no-untyped-def]
    """Every reading of the waiting tickets agrees: ahead 0, 1, 2, ... and the estimate with that
    many idle counters serving the queue."""
    idle = [0.0] * counters
    expected = [(ahead, estimate_wait_minutes(ahead, minutes_per_person, idle)) for ahead in range(len(numbers))]
    assert [(t.waiting_ahead, t.estimated_wait_minutes) for t in (queue.get_ticket(branch.id, n) for n in numbers)] \
        == expected
    listed = {t.number: t for t in queue.list_tickets(branch.id, status=TicketStatus.WAITING)}
    assert [(listed[n].waiting_ahead, listed[n].estimated_wait_minutes) for n in numbers] == expected
    everything = {t.number: t for t in queue.list_tickets(branch.id) if t.status is TicketStatus.WAITING}
    assert [(everything[n].waiting_ahead, everything[n].estimated_wait_minutes) for n in numbers] == expected


def test_estimates_use_the_target_time_until_services_are_timed(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for n in (3, 4, 5, 6):  # two counters serve loans
        set_matrix(desk, actors, branch, n, ("deposit_withdrawal", 0))
    numbers = [issue(queue, clock, actors, branch, "loan") for _ in range(4)]
    assert_estimates(queue, branch, numbers, LOAN_TARGET_MINUTES, 2)
    # Two called at once by the idle counters, the next two after one 25-minute service.
    assert [t.estimated_wait_minutes for t in queue.list_tickets(branch.id)] == [0, 0, 25, 25]
    # Tickets of other statuses carry no estimate.
    queue.call_next(actors.teller1, branch.id, 1)
    called = queue.list_tickets(branch.id, status=TicketStatus.CALLED)[0]
    assert (called.waiting_ahead, called.estimated_wait_minutes) == (None, None)
    assert queue.get_ticket(branch.id, called.number).waiting_ahead is None


def test_estimates_use_the_learned_time_shared_over_open_counters(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=12)
    queue.finish(actors.teller1, branch.id, 1)
    assert ewma_of(queue.db, "loan") == pytest.approx(720)  # 12 minutes a customer now

    numbers = [issue(queue, clock, actors, branch, "loan") for _ in range(4)]
    assert_estimates(queue, branch, numbers, 12, 6)
    fifth = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert (fifth.waiting_ahead, fifth.estimated_wait_minutes) == (4, 0)  # six idle counters
    numbers.append(fifth.number)
    assert [(t.waiting_ahead, t.estimated_wait_minutes) for t in queue.counter_preview(branch.id, 1)] == [
        (k, estimate_wait_minutes(k, 12, [0.0] * 6)) for k in range(5)]

    # Pausing counters leaves fewer to share the queue: the estimate grows.
    previous = [queue.get_ticket(branch.id, n).estimated_wait_minutes for n in numbers]
    for paused, open_counters in ((2, 5), (3, 4), (4, 3), (5, 2), (6, 1)):
        desk.pause(actors.teller1, branch.id, paused, "break")
        assert_estimates(queue, branch, numbers, 12, open_counters)
        now = [queue.get_ticket(branch.id, n).estimated_wait_minutes for n in numbers]
        assert all(a >= b for a, b in zip(now, previous))
        previous = now
    assert previous == [0, 12, 24, 36, 48]  # one counter left
    # With every counter paused the estimate is as if one were open (never "no estimate").
    desk.pause(actors.teller1, branch.id, 1, "meeting")
    assert_estimates(queue, branch, numbers, 12, 1)
    # Closed counters do not serve either; resumed ones do again.
    desk.close(actors.teller1, branch.id, 6)
    for n in (1, 2, 3):
        desk.resume(actors.teller1, branch.id, n)
    assert_estimates(queue, branch, numbers, 12, 3)


def test_nobody_ahead_waits_for_the_soonest_end_of_a_service_when_every_counter_is_busy(  # type: ignore[no-untyped-def]
        queue, clock, desk, branch, actors) -> None:
    """Issue #18: first in the queue is not "0 minutes" while every counter serving it is busy."""
    for n in (2, 3, 4, 5, 6):  # one counter serves loans
        set_matrix(desk, actors, branch, n, ("deposit_withdrawal", 0))
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    first = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert (first.waiting_ahead, first.estimated_wait_minutes) == (0, LOAN_TARGET_MINUTES)  # only called yet
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=10)
    assert queue.get_ticket(branch.id, first.number).estimated_wait_minutes == LOAN_TARGET_MINUTES - 10
    second = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert (second.waiting_ahead, second.estimated_wait_minutes) == (1, 2 * LOAN_TARGET_MINUTES - 10)
    clock.advance(minutes=30)  # the service runs over its time: still a minute, never 0 or less
    assert queue.get_ticket(branch.id, first.number).estimated_wait_minutes == 1
    queue.finish(actors.teller1, branch.id, 1)  # the counter is idle: the first is called next
    assert queue.get_ticket(branch.id, first.number).estimated_wait_minutes == 0


def test_estimates_count_only_counters_serving_the_type(queue, clock, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for n in (3, 4, 5, 6):
        set_matrix(desk, actors, branch, n, ("deposit_withdrawal", 0))
    numbers = [issue(queue, clock, actors, branch, "loan") for _ in range(3)]
    assert_estimates(queue, branch, numbers, LOAN_TARGET_MINUTES, 2)
    deposits = [issue(queue, clock, actors, branch, "deposit_withdrawal") for _ in range(3)]
    assert_estimates(queue, branch, deposits, 5, 6)


def test_estimates_follow_the_calling_order_within_a_type(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    normal = queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert normal.waiting_ahead == 0
    clock.advance(minutes=1)
    green = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.GREEN)
    gold = queue.issue_ticket(actors.lobby, branch.id, "loan", priority=P.VIP_GOLD)
    other = queue.issue_ticket(actors.lobby, branch.id, "wealth")
    assert (green.waiting_ahead, gold.waiting_ahead, other.waiting_ahead) == (0, 1, 0)
    assert queue.get_ticket(branch.id, normal.number).waiting_ahead == 2


def test_a_ticket_transferred_to_a_counter_waits_for_that_counter_alone(queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    for counter in (1, 2):
        queue.call_next(actors.teller1, branch.id, counter)
        clock.advance(minutes=1)
        queue.transfer(actors.teller1, branch.id, counter, to_counter=3, position="end")
    first, second = (queue.get_ticket(branch.id, n) for n in ("C001", "C002"))
    # One counter, loan pace (the two 1-minute services taught the average).
    minutes = ewma_of(queue.db, "loan") / 60
    assert (first.waiting_ahead, second.waiting_ahead) == (0, 1)
    assert second.estimated_wait_minutes == estimate_wait_minutes(1, minutes, [0.0])  # counter 3 is idle


# -- who may -----------------------------------------------------------------------------

def test_only_counter_staff_of_the_branch_operate_the_queue(queue, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    with pytest.raises(PermissionDenied):
        queue.call_next(actors.lobby, branch.id, 1)
    with pytest.raises(PermissionDenied):
        queue.call_next(other_branch.teller, branch.id, 1)
    with pytest.raises(PermissionDenied):
        queue.call_ticket(actors.lobby, branch.id, 1, "C001", reason="客户要求")
    queue.call_next(actors.teller1, branch.id, 1)
    for action in ("recall", "park", "requeue", "finish"):
        with pytest.raises(PermissionDenied):
            getattr(queue, action)(actors.lobby, branch.id, 1)
    with pytest.raises(PermissionDenied):
        queue.transfer(other_branch.teller, branch.id, 1, to_business="wealth")
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.CALLED


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_finishes_of_one_type_both_count_in_the_average(db, clock, branch, actors, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Counter 1's finish has read its ticket (and with it the business type) when counter 2's
    finish of the same type commits; counter 1 must still build on counter 2's average, not
    on the one it read before taking the row lock. (PostgreSQL only: on SQLite the first
    writer holds the database, so the two cannot overlap.)"""
    import threading

    queue = service_with(db, clock, service_time_weight=0.5)
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=10)
    queue.finish(actors.teller1, branch.id, 1)
    assert ewma_of(db, "loan") == pytest.approx(600)

    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.call_next(actors.teller2, branch.id, 2)
    clock.advance(minutes=20)  # both services: 1200 s

    original = QueueService._learn_service_time
    slow = threading.local()
    reached, release = threading.Event(), threading.Event()

    def learn(self, session, ticket, now):  # type: ignore[no-untyped-def]
        if getattr(slow, "on", False):
            reached.set()
            release.wait(30)
        return original(self, session, ticket, now)

    monkeypatch.setattr(QueueService, "_learn_service_time", learn)
    failure: list[BaseException] = []

    def first() -> None:
        slow.on = True
        try:
            queue.finish(actors.teller1, branch.id, 1)
        except BaseException as exc:  # noqa: BLE001
            failure.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert reached.wait(30)
        queue.finish(actors.teller2, branch.id, 2)  # commits 0.5 * 1200 + 0.5 * 600
        assert ewma_of(db, "loan") == pytest.approx(900)
    finally:
        release.set()
        thread.join(60)
    assert not failure, failure
    assert ewma_of(db, "loan") == pytest.approx(0.5 * 1200 + 0.5 * 900)


def test_parked_ticket_is_not_resumed_onto_a_paused_counter(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import Conflict
    from app.services.counters import CounterDesk

    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    parked = queue.park(actors.teller1, branch.id, 1)
    CounterDesk(queue.db, clock=queue.clock).pause(actors.teller1, branch.id, 1, "break")
    with pytest.raises(Conflict) as refused:
        queue.resume(actors.teller1, branch.id, 1, parked.number)
    assert refused.value.code == "counter_not_open"


def test_unknown_transfer_position_names_the_field(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import ValidationError

    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    with pytest.raises(ValidationError) as refused:
        queue.transfer(actors.teller1, branch.id, 1, to_business="wealth", position="middle")
    assert refused.value.params["field"] == "position"
