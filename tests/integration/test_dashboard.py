"""The dashboard read model on a constructed day of real tickets with known answers (both databases)."""

from __future__ import annotations

import pytest

from app.domain.errors import PermissionDenied
from app.domain.kpi import Alert, AlertKind
from app.domain.tickets import TicketStatus
from app.services.counters import CounterDesk, CounterState, MatrixEntry
from app.services.dashboard import DashboardService, DashboardThresholds
from app.services.satisfaction import SatisfactionService

THRESHOLDS = DashboardThresholds(wait_alert_minutes=20, queue_per_counter=2, satisfaction_goal=0.95,
                                 history_weeks=4)


def _matrix(desk: CounterDesk, supervisor, branch_id: int, plan: dict[int, list[str]]) -> None:  # type: ignore[no-untyped-def]
    for number, codes in plan.items():
        desk.set_matrix(supervisor, branch_id, number, [MatrixEntry(code, 0) for code in codes])


@pytest.fixture
def day(db, clock, queue, branch, actors):  # type: ignore[no-untyped-def]
    """Earlier weeks, then today (Monday 2026-11-23) 10:00–10:20 Shanghai time:

    C001 waits 4 min, served 10 min at counter 1 (rated 5); B001 waits 6, finished 4 min after
    its call at counter 2 (rated 3); C002 waits 15 and is being served at counter 1 since 10:16;
    C003 waits since 10:17. Counter 5 (loan) is paused, counter 6 (loan, wealth) closed."""
    desk = CounterDesk(db, clock)
    _matrix(desk, actors.supervisor, branch.id, {1: ["loan"], 2: ["deposit_withdrawal"], 3: ["account_opening"],
                                                 4: ["account_opening"], 5: ["loan"], 6: ["loan", "wealth"]})
    # Same weekday one and two weeks earlier: 2 tickets at 10h, then 4 at 11h (2 of them served at 11h).
    today = clock.now
    clock.set("2026-11-16T02:30:00+00:00")
    for _ in range(2):
        queue.issue_ticket(actors.lobby, branch.id, "loan")
    clock.set("2026-11-09T03:10:00+00:00")
    for _ in range(4):
        queue.issue_ticket(actors.lobby, branch.id, "loan")
    for _ in range(2):
        queue.call_next(actors.teller1, branch.id, 1)
        queue.finish(actors.teller1, branch.id, 1)
    clock.now = today

    ratings = SatisfactionService(db, clock)
    c001 = queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    b001 = queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal")
    clock.advance(minutes=4)
    assert queue.call_next(actors.teller1, branch.id, 1).id == c001.id  # 10:04
    clock.advance(minutes=1)
    queue.start(actors.teller1, branch.id, 1)
    clock.advance(minutes=1)
    assert queue.call_next(actors.teller2, branch.id, 2).id == b001.id  # 10:06
    clock.advance(minutes=4)
    queue.finish(actors.teller2, branch.id, 2)  # 10:10
    ratings.rate(actors.teller2, branch.id, b001.id, 3, "teller")
    clock.advance(minutes=5)
    queue.finish(actors.teller1, branch.id, 1)  # 10:15
    ratings.rate(actors.teller1, branch.id, c001.id, 5, "evaluator")
    queue.call_next(actors.teller1, branch.id, 1)  # C002 at 10:15
    clock.advance(minutes=1)
    queue.start(actors.teller1, branch.id, 1)  # 10:16
    clock.advance(minutes=1)
    queue.issue_ticket(actors.lobby, branch.id, "loan")  # C003 at 10:17
    desk.pause(actors.teller2, branch.id, 5, "break")
    desk.close(actors.teller2, branch.id, 6)
    clock.advance(minutes=3)  # 10:20
    return desk


@pytest.fixture
def dashboard(db, clock) -> DashboardService:  # type: ignore[no-untyped-def]
    return DashboardService(db, clock, THRESHOLDS)


def test_figures_per_business_type(day, dashboard, branch, actors) -> None:  # type: ignore[no-untyped-def]
    snap = dashboard.snapshot(actors.lobby, branch.id)
    assert str(snap.day) == "2026-11-23"
    loan = snap.business_by_code("loan")
    assert (loan.waiting, loan.longest_wait_minutes, loan.average_wait_minutes, loan.average_service_minutes,
            loan.served, loan.open_counters) == (1, 3, 9.5, 10, 1, 1)
    deposit = snap.business_by_code("deposit_withdrawal")
    assert (deposit.waiting, deposit.longest_wait_minutes, deposit.average_wait_minutes,
            deposit.average_service_minutes, deposit.served, deposit.open_counters) == (0, None, 6, 4, 1, 1)
    wealth = snap.business_by_code("wealth")
    assert (wealth.waiting, wealth.served, wealth.average_wait_minutes, wealth.open_counters) == (0, 0, None, 0)


def test_figures_per_counter(day, dashboard, branch, actors) -> None:  # type: ignore[no-untyped-def]
    snap = dashboard.snapshot(actors.lobby, branch.id)
    one = snap.counter(1)
    assert (one.state, one.current_number, one.current_status, one.serving_minutes, one.served_today) == (
        CounterState.OPEN, "C002", TicketStatus.SERVING, 4, 1)
    two = snap.counter(2)
    assert (two.state, two.current_number, two.serving_minutes, two.served_today) == (CounterState.OPEN, None, None, 1)
    assert (snap.counter(5).state, snap.counter(5).state_reason) == (CounterState.PAUSED, "break")
    assert snap.counter(6).state is CounterState.CLOSED
    assert snap.counter(6).business_codes == ("loan", "wealth")


def test_satisfaction_and_charts(day, dashboard, branch, actors) -> None:  # type: ignore[no-untyped-def]
    snap = dashboard.snapshot(actors.lobby, branch.id)
    assert (snap.satisfaction.ratings, snap.satisfaction.satisfied, snap.satisfaction.rate) == (2, 1, 0.5)
    assert snap.satisfaction.meets_goal is False
    hourly = snap.hourly
    assert hourly.hours == tuple(range(8, 18))
    at = hourly.hours.index
    assert (hourly.arrivals[at(10)], hourly.served[at(10)], sum(hourly.arrivals)) == (4, 2, 4)
    assert hourly.weeks_averaged == 2
    assert (hourly.usual_arrivals[at(10)], hourly.usual_arrivals[at(11)], hourly.usual_served[at(11)]) == (1, 2, 1)
    # Waits of the called tickets today: 4, 6, 15 minutes.
    assert snap.wait_histogram == (1, 1, 0, 1, 0, 0)
    assert snap.wait_buckets[0] == "0–5"
    assert snap.alerts == ()


def test_alerts_trigger_and_clear(day, dashboard, queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")  # C004, C005 at 10:20: three loans wait for one counter
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    snap = dashboard.snapshot(actors.lobby, branch.id)
    assert snap.alerts == (Alert(AlertKind.LONG_QUEUE, "loan", 3, 2, (5, 6)),)
    clock.advance(minutes=18)  # 10:38: C003 has waited 21 minutes
    snap = dashboard.snapshot(actors.lobby, branch.id)
    assert snap.alerts == (Alert(AlertKind.LONG_WAIT, "loan", 21, 20, (5, 6)),
                           Alert(AlertKind.LONG_QUEUE, "loan", 3, 2, (5, 6)))
    # The lobby manager opens paused counter 5 as a flexible window; both counters call.
    day.resume(actors.teller2, branch.id, 5)
    queue.finish(actors.teller1, branch.id, 1)
    assert queue.call_next(actors.teller1, branch.id, 1).number == "C003"
    assert queue.call_next(actors.teller2, branch.id, 5).number == "C004"
    snap = dashboard.snapshot(actors.lobby, branch.id)
    assert snap.alerts == ()
    loan = snap.business_by_code("loan")
    assert (loan.waiting, loan.longest_wait_minutes, loan.open_counters) == (1, 18, 2)


def test_extension_values_come_with_the_snapshot(day, db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    seen = []

    def complaints(session, branch_id, day_, now):  # type: ignore[no-untyped-def]
        seen.append((branch_id, str(day_)))
        return {"open": 2}

    snap = DashboardService(db, clock, THRESHOLDS, extensions={"complaints": complaints}).snapshot(
        actors.lobby, branch.id)
    assert snap.extras == {"complaints": {"open": 2}}
    assert seen == [(branch.id, "2026-11-23")]


def test_teller_may_not_view_the_dashboard(dashboard, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        dashboard.snapshot(actors.teller1, branch.id)


def test_other_branch_staff_refused(dashboard, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        dashboard.snapshot(actors.lobby, other_branch.branch.id)
