"""Counters on both databases: the counter–service matrix (who may edit it, when it applies),
pause / resume / close with reasons and their history, and the status overview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db.models import Counter, CounterEvent
from app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.domain.tickets import TicketStatus
from app.services.actor import SYSTEM
from app.services.auth import add_user, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branches import list_business_types
from app.services.counters import CounterDesk, CounterState, MatrixEntry, PauseReason


@pytest.fixture
def desk(db, clock) -> CounterDesk:  # type: ignore[no-untyped-def]
    return CounterDesk(db, clock=clock)


def entries(*pairs: tuple[str, int]) -> list[MatrixEntry]:
    return [MatrixEntry(code, rank) for code, rank in pairs]


def counter_events(db, branch_id: int, number: int) -> list[CounterEvent]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        counter_id = session.scalar(select(Counter.id).where(Counter.branch_id == branch_id, Counter.number == number))
        return list(session.scalars(select(CounterEvent).where(CounterEvent.counter_id == counter_id)
                                    .order_by(CounterEvent.id)))


# -- the counter–service matrix ------------------------------------------------------------

def test_a_new_counter_serves_every_type_at_one_rank(db, desk, branch) -> None:  # type: ignore[no-untyped-def]
    codes = [bt.code for bt in list_business_types(db)]
    assert len(codes) == 10
    for number in range(1, 7):
        assert desk.matrix(branch.id, number) == [MatrixEntry(code, 0) for code in codes]


def test_supervisor_sets_the_matrix(db, desk, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    result = desk.set_matrix(actors.supervisor, branch.id, 2,
                             entries(("wealth", 1), ("loan", 0), ("deposit_withdrawal", 1)))
    # Listed by rank, equal ranks in the business types' own order.
    assert result == entries(("loan", 0), ("deposit_withdrawal", 1), ("wealth", 1))
    assert desk.matrix(branch.id, 2) == result
    assert desk.status(branch.id, 2).business_codes == ("loan", "deposit_withdrawal", "wealth")
    assert len(desk.matrix(branch.id, 1)) == 10  # other counters untouched
    [event] = counter_events(db, branch.id, 2)
    assert (event.from_state, event.to_state, event.user_id, event.at) == (
        "open", "open", actors.supervisor.user_id, clock.now)
    assert event.reason == "matrix: wealth=1, loan=0, deposit_withdrawal=1"


def test_the_matrix_can_be_rearranged_and_emptied(desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    desk.set_matrix(actors.supervisor, branch.id, 1, entries(("loan", 0), ("wealth", 1)))
    # The same types again, other ranks, plus one more: rows kept, changed and added in one go.
    assert desk.set_matrix(actors.supervisor, branch.id, 1, entries(("wealth", 0), ("loan", 2), ("ebanking", 1))) \
        == entries(("wealth", 0), ("ebanking", 1), ("loan", 2))
    assert desk.set_matrix(actors.supervisor, branch.id, 1, entries(("loan", 5))) == entries(("loan", 5))
    assert desk.set_matrix(actors.supervisor, branch.id, 1, []) == []
    assert desk.status(branch.id, 1).business_codes == ()


@pytest.mark.parametrize("who", ["teller1", "lobby"])
def test_only_a_supervisor_edits_the_matrix(desk, branch, actors, who) -> None:  # type: ignore[no-untyped-def]
    before = desk.matrix(branch.id, 1)
    with pytest.raises(PermissionDenied) as caught:
        desk.set_matrix(getattr(actors, who), branch.id, 1, entries(("loan", 0)))
    assert caught.value.params["action"] == "edit_matrix"
    assert desk.matrix(branch.id, 1) == before


def test_a_supervisor_of_another_branch_may_not_edit_the_matrix(db, desk, branch, other_branch) -> None:  # type: ignore[no-untyped-def]
    add_user(db, SYSTEM, username="pd_supervisor", display_name="浦东主管", password=DEMO_PASSWORD,
             role="supervisor", branch_code=other_branch.branch.code)
    other_supervisor = authenticate(db, "pd_supervisor", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        desk.set_matrix(other_supervisor, branch.id, 1, entries(("loan", 0)))
    desk.set_matrix(other_supervisor, other_branch.branch.id, 1, entries(("loan", 0)))
    assert desk.matrix(other_branch.branch.id, 1) == entries(("loan", 0))


@pytest.mark.parametrize(("bad", "error", "field"), [
    (entries(("loan", 0), ("loan", 1)), ValidationError, "business types"),
    (entries(("loan", -1)), ValidationError, "rank"),
    (entries(("loan", 0), ("no_such_type", 1)), NotFound, None),
])
def test_bad_matrix_is_refused_and_changes_nothing(db, desk, branch, actors, bad, error, field) -> None:  # type: ignore[no-untyped-def]
    before = desk.matrix(branch.id, 1)
    with pytest.raises(error) as caught:
        desk.set_matrix(actors.supervisor, branch.id, 1, bad)
    if field:
        assert caught.value.params["field"] == field
    assert desk.matrix(branch.id, 1) == before
    assert counter_events(db, branch.id, 1) == []


def test_matrix_of_an_unknown_counter(desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        desk.matrix(branch.id, 42)
    with pytest.raises(NotFound):
        desk.set_matrix(actors.supervisor, branch.id, 42, entries(("loan", 0)))


def test_a_matrix_change_takes_effect_on_the_next_call(queue, desk, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    desk.set_matrix(actors.supervisor, branch.id, 1, entries(("loan", 0)))
    for code in ("deposit_withdrawal", "loan", "deposit_withdrawal", "loan"):
        queue.issue_ticket(actors.lobby, branch.id, code)
        clock.advance(seconds=30)
    assert queue.call_next(actors.teller1, branch.id, 1).number == "C001"
    # Changed while C001 is being served: the current service is not disturbed...
    desk.set_matrix(actors.supervisor, branch.id, 1, entries(("deposit_withdrawal", 0), ("loan", 1)))
    assert queue.current_ticket(branch.id, 1).number == "C001"
    queue.finish(actors.teller1, branch.id, 1)
    # ...the next call follows the new matrix.
    assert queue.call_next(actors.teller1, branch.id, 1).number == "B001"
    queue.finish(actors.teller1, branch.id, 1)
    desk.set_matrix(actors.supervisor, branch.id, 1, entries(("wealth", 0)))
    assert queue.call_next(actors.teller1, branch.id, 1) is None
    assert [t.number for t in queue.counter_preview(branch.id, 2)] == ["B002", "C002"]


# -- pause, resume, close ----------------------------------------------------------------

@pytest.mark.parametrize("reason", list(PauseReason))
def test_pause_with_a_reason_and_resume(db, desk, clock, branch, actors, reason) -> None:  # type: ignore[no-untyped-def]
    paused = desk.pause(actors.teller1, branch.id, 1, reason.value)
    assert (paused.state, paused.state_reason, paused.state_since) == (CounterState.PAUSED, reason.value, clock.now)
    clock.advance(minutes=15)
    resumed = desk.resume(actors.teller1, branch.id, 1)
    assert (resumed.state, resumed.state_reason, resumed.state_since) == (CounterState.OPEN, None, clock.now)
    history = counter_events(db, branch.id, 1)
    assert [(e.from_state, e.to_state, e.reason, e.user_id) for e in history] == [
        ("open", "paused", reason.value, actors.teller1.user_id), ("paused", "open", None, actors.teller1.user_id)]
    assert history[1].at - history[0].at == timedelta(minutes=15)


def test_pause_with_a_note(desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    assert desk.pause(actors.teller1, branch.id, 1, PauseReason.OTHER, note=" 系统升级 ").state_reason == "other: 系统升级"


@pytest.mark.parametrize("reason", ["lunch", "", "BREAK"])
def test_unknown_pause_reason_is_refused(db, desk, branch, actors, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        desk.pause(actors.teller1, branch.id, 1, reason)
    assert caught.value.params["field"] == "pause reason"
    assert desk.status(branch.id, 1).state is CounterState.OPEN
    assert counter_events(db, branch.id, 1) == []


def test_pause_is_refused_while_a_ticket_is_called_or_served(queue, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    for then in (lambda: queue.start(actors.teller1, branch.id, 1), lambda: None):  # called, then serving
        with pytest.raises(Conflict) as caught:
            desk.pause(actors.teller1, branch.id, 1, "break")
        assert (caught.value.code, caught.value.params["ticket"]) == ("counter_busy", ticket.number)
        then()
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.SERVING
    assert desk.status(branch.id, 1).state is CounterState.OPEN
    queue.finish(actors.teller1, branch.id, 1)
    assert desk.pause(actors.teller1, branch.id, 1, "break").state is CounterState.PAUSED


def test_a_paused_counter_calls_nobody(queue, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    desk.pause(actors.teller1, branch.id, 1, "cash_handover")
    with pytest.raises(Conflict) as caught:
        queue.call_next(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_not_open"
    assert caught.value.params == {"counter": 1, "state": "paused"}
    with pytest.raises(Conflict) as caught:
        queue.call_ticket(actors.teller1, branch.id, 1, "C002", reason="客户要求")
    assert caught.value.code == "counter_not_open"
    assert len(queue.list_tickets(branch.id, status=TicketStatus.WAITING)) == 2
    # Other counters carry on.
    assert queue.call_next(actors.teller2, branch.id, 2).number == "C001"
    desk.resume(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller1, branch.id, 1).number == "C002"


def test_state_changes_from_the_wrong_state_are_conflicts(desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as caught:
        desk.resume(actors.teller1, branch.id, 1)
    assert (caught.value.code, caught.value.params["state"]) == ("counter_state", "open")
    desk.pause(actors.teller1, branch.id, 1, "meeting")
    with pytest.raises(Conflict) as caught:
        desk.pause(actors.teller1, branch.id, 1, "break")
    assert caught.value.code == "counter_state"
    assert desk.status(branch.id, 1).state_reason == "meeting"
    desk.close(actors.teller1, branch.id, 1)  # a paused counter may close at day end
    for change in (lambda: desk.close(actors.teller1, branch.id, 1),
                   lambda: desk.pause(actors.teller1, branch.id, 1, "break")):
        with pytest.raises(Conflict) as caught:
            change()
        assert (caught.value.code, caught.value.params["state"]) == ("counter_state", "closed")


def test_close_is_refused_while_a_ticket_is_parked_or_active(queue, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    parked = queue.issue_ticket(actors.lobby, branch.id, "loan").number
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.park(actors.teller1, branch.id, 1, reason="客户填表")
    with pytest.raises(Conflict) as caught:
        desk.close(actors.teller1, branch.id, 1)
    assert (caught.value.code, caught.value.params["ticket"]) == ("counter_has_parked", parked)
    # Pausing with a parked ticket is fine: the counter itself is free.
    desk.pause(actors.teller1, branch.id, 1, "break")
    with pytest.raises(Conflict) as caught:
        desk.close(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_has_parked"
    desk.resume(actors.teller1, branch.id, 1)
    queue.call_next(actors.teller1, branch.id, 1)
    with pytest.raises(Conflict) as caught:
        desk.close(actors.teller1, branch.id, 1)
    assert caught.value.code == "counter_busy"
    queue.finish(actors.teller1, branch.id, 1)
    queue.resume(actors.teller1, branch.id, 1, parked)
    queue.finish(actors.teller1, branch.id, 1)
    closed = desk.close(actors.teller1, branch.id, 1)
    assert (closed.state, closed.state_reason) == (CounterState.CLOSED, "day end")


def test_a_closed_counter_calls_nobody_until_reopened(queue, desk, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    desk.close(actors.teller1, branch.id, 1)
    with pytest.raises(Conflict) as caught:
        queue.call_next(actors.teller1, branch.id, 1)
    assert caught.value.params == {"counter": 1, "state": "closed"}
    assert desk.resume(actors.teller1, branch.id, 1).state is CounterState.OPEN
    assert queue.call_next(actors.teller1, branch.id, 1).number == "C001"


def test_counter_history_is_appended_in_order(db, desk, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    desk.pause(actors.teller1, branch.id, 3, "break")
    clock.advance(minutes=10)
    desk.resume(actors.teller2, branch.id, 3)
    clock.advance(minutes=1)
    desk.set_matrix(actors.supervisor, branch.id, 3, entries(("loan", 0)))
    clock.advance(hours=6)
    desk.close(actors.teller1, branch.id, 3)
    clock.advance(hours=15)
    desk.resume(actors.teller1, branch.id, 3)
    history = counter_events(db, branch.id, 3)
    assert [(e.from_state, e.to_state, e.reason) for e in history] == [
        ("open", "paused", "break"), ("paused", "open", None), ("open", "open", "matrix: loan=0"),
        ("open", "closed", "day end"), ("closed", "open", None)]
    assert [e.user_id for e in history] == [actors.teller1.user_id, actors.teller2.user_id,
                                           actors.supervisor.user_id, actors.teller1.user_id,
                                           actors.teller1.user_id]
    assert [e.at for e in history] == sorted(e.at for e in history)
    assert all(e.branch_id == branch.id for e in history)
    assert counter_events(db, branch.id, 2) == []


def test_counter_states_need_counter_staff_of_the_branch(desk, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        desk.pause(actors.lobby, branch.id, 1, "break")
    with pytest.raises(PermissionDenied):
        desk.pause(other_branch.teller, branch.id, 1, "break")
    with pytest.raises(NotFound):
        desk.pause(actors.teller1, branch.id, 9, "break")
    assert desk.status(branch.id, 1).state is CounterState.OPEN


# -- status overview -------------------------------------------------------------------

def test_statuses_report_state_current_ticket_and_served_today(queue, desk, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    # Yesterday's services do not count today.
    clock.advance(days=-1)
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.finish(actors.teller1, branch.id, 1)
    clock.advance(days=1)

    for _ in range(6):
        queue.issue_ticket(actors.lobby, branch.id, "loan")
        clock.advance(seconds=10)
    # Counter 1: two finished, one transferred, one no-show (not served), one being served.
    for _ in range(2):
        queue.call_next(actors.teller1, branch.id, 1)
        queue.finish(actors.teller1, branch.id, 1)
    queue.call_next(actors.teller1, branch.id, 1)
    transferred = queue.transfer(actors.teller1, branch.id, 1, to_business="wealth", position="end")
    queue.call_next(actors.teller1, branch.id, 1)
    for _ in range(queue.policy.recalls_before_no_show):
        queue.recall(actors.teller1, branch.id, 1)
    queue.no_show(actors.teller1, branch.id, 1)
    serving = queue.call_next(actors.teller1, branch.id, 1)
    clock.advance(minutes=2)
    queue.start(actors.teller1, branch.id, 1)
    started_at = clock.now
    # Counter 2: has called a ticket.
    called = queue.call_next(actors.teller2, branch.id, 2)
    # Counter 3: paused; counter 4: closed; counter 5 serves loans only.
    desk.pause(actors.teller1, branch.id, 3, "meeting", note="晨会")
    desk.close(actors.teller1, branch.id, 4)
    desk.set_matrix(actors.supervisor, branch.id, 5, entries(("loan", 0)))

    statuses = {s.number: s for s in desk.statuses(branch.id)}
    assert sorted(statuses) == [1, 2, 3, 4, 5, 6]
    one = statuses[1]
    assert (one.state, one.current_number, one.current_status, one.current_since, one.served_today) == (
        CounterState.OPEN, serving.number, TicketStatus.SERVING, started_at, 3)
    assert one.name == "1号窗口" and len(one.business_codes) == 10
    two = statuses[2]
    assert (two.current_number, two.current_status, two.current_since, two.served_today) == (
        called.number, TicketStatus.CALLED, called.called_at, 0)
    three = statuses[3]
    assert (three.state, three.state_reason, three.current_number, three.current_status) == (
        CounterState.PAUSED, "meeting: 晨会", None, None)
    assert statuses[4].state is CounterState.CLOSED
    assert statuses[5].business_codes == ("loan",)
    assert statuses[6].served_today == 0 and statuses[6].current_number is None
    assert desk.status(branch.id, 1) == one
    assert transferred.status is TicketStatus.WAITING


def test_statuses_are_per_branch(queue, desk, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(other_branch.teller, other_branch.branch.id, "loan")
    queue.call_next(other_branch.teller, other_branch.branch.id, 1)
    assert [s.number for s in desk.statuses(other_branch.branch.id)] == [1, 2]
    assert desk.statuses(other_branch.branch.id)[0].current_number == "C001"
    assert all(s.current_number is None for s in desk.statuses(branch.id))
