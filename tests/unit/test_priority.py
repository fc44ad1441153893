"""Calling order without a database: matrix rank, priority class, queue time, anti-starvation,
transfers to a named counter; and the recent-average service time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.priority import (
    PRIORITY_RANK,
    Candidate,
    PriorityClass,
    age_priority,
    call_order,
    is_starved,
    rank_of,
    update_recent_average,
)

P = PriorityClass
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
STARVE = 30  # minutes
LOAN, DEPOSIT, WEALTH, OTHER = 1, 2, 3, 4
HERE, THERE = 10, 20  # counter ids


def cand(ticket_id: int, business_type_id: int = LOAN, priority: P = P.NORMAL, minutes_ago: float = 1,
         target: int | None = None) -> Candidate:
    return Candidate(ticket_id, business_type_id, priority, NOW - timedelta(minutes=minutes_ago), target)


def ids(candidates: list[Candidate]) -> list[int]:
    return [c.ticket_id for c in candidates]


def order(candidates: list[Candidate], matrix: dict[int, int], counter_id: int | None = HERE,
          starvation_minutes: int = STARVE) -> list[int]:
    return ids(call_order(candidates, matrix, NOW, starvation_minutes, counter_id))


# -- priority classes ------------------------------------------------------------------

def test_priority_classes_rank_green_first_normal_last() -> None:
    best_first = sorted(PriorityClass, key=rank_of, reverse=True)
    assert best_first == [P.GREEN, P.APPOINTMENT, P.VIP_DIAMOND, P.VIP_PLATINUM, P.VIP_GOLD, P.NORMAL]
    assert set(PRIORITY_RANK) == set(PriorityClass)
    assert rank_of("green") == rank_of(P.GREEN)
    with pytest.raises(ValueError):
        rank_of("vip_silver")


def test_priority_class_then_queue_time_within_one_type() -> None:
    candidates = [cand(1, priority=P.NORMAL, minutes_ago=20), cand(2, priority=P.VIP_GOLD, minutes_ago=2),
                  cand(3, priority=P.VIP_DIAMOND, minutes_ago=1), cand(4, priority=P.GREEN, minutes_ago=0.5),
                  cand(5, priority=P.APPOINTMENT, minutes_ago=3), cand(6, priority=P.VIP_PLATINUM, minutes_ago=4),
                  cand(7, priority=P.VIP_GOLD, minutes_ago=5), cand(8, priority=P.NORMAL, minutes_ago=25)]
    assert order(candidates, {LOAN: 0}) == [4, 5, 3, 6, 7, 2, 8, 1]


def test_equal_queue_time_falls_back_to_ticket_id() -> None:
    candidates = [cand(9, minutes_ago=1), cand(3, minutes_ago=1), cand(5, minutes_ago=1)]
    assert order(candidates, {LOAN: 0}) == [3, 5, 9]


# -- the matrix ------------------------------------------------------------------------

def test_matrix_rank_comes_before_priority_and_queue_time() -> None:
    candidates = [cand(1, DEPOSIT, P.GREEN, minutes_ago=10), cand(2, LOAN, P.NORMAL, minutes_ago=1),
                  cand(3, WEALTH, P.VIP_DIAMOND, minutes_ago=20), cand(4, LOAN, P.VIP_GOLD, minutes_ago=0.5)]
    # loan first, then deposit, then wealth, whatever the priorities and waits.
    assert order(candidates, {LOAN: 0, DEPOSIT: 1, WEALTH: 2}) == [4, 2, 1, 3]
    # Ranks need not be consecutive; only their order matters.
    assert order(candidates, {LOAN: 7, DEPOSIT: 3, WEALTH: 5}) == [1, 3, 4, 2]


def test_equal_ranks_are_served_together_by_priority_then_queue_time() -> None:
    candidates = [cand(1, LOAN, P.NORMAL, minutes_ago=10), cand(2, DEPOSIT, P.NORMAL, minutes_ago=12),
                  cand(3, DEPOSIT, P.VIP_GOLD, minutes_ago=1), cand(4, LOAN, P.NORMAL, minutes_ago=11),
                  cand(5, WEALTH, P.GREEN, minutes_ago=0.1)]
    assert order(candidates, {LOAN: 0, DEPOSIT: 0, WEALTH: 1}) == [3, 2, 4, 1, 5]


def test_types_outside_the_matrix_are_never_called() -> None:
    candidates = [cand(1, OTHER, P.GREEN, minutes_ago=29), cand(2, LOAN), cand(3, OTHER, minutes_ago=200)]
    assert order(candidates, {LOAN: 0}) == [2]
    assert order(candidates, {}) == []


def test_a_ticket_transferred_here_is_called_even_outside_the_matrix_after_the_matrix_types() -> None:
    candidates = [cand(1, OTHER, target=HERE, minutes_ago=5), cand(2, DEPOSIT, minutes_ago=1),
                  cand(3, LOAN, minutes_ago=2)]
    assert order(candidates, {LOAN: 0, DEPOSIT: 1}) == [3, 2, 1]
    # An empty matrix still serves what was transferred to it.
    assert order(candidates, {}) == [1]


def test_a_ticket_transferred_here_ranks_with_its_type_when_the_matrix_has_it() -> None:
    candidates = [cand(1, DEPOSIT, target=HERE, minutes_ago=1), cand(2, DEPOSIT, minutes_ago=2),
                  cand(3, LOAN, minutes_ago=3)]
    assert order(candidates, {DEPOSIT: 0, LOAN: 1}) == [2, 1, 3]


def test_a_ticket_transferred_to_another_counter_is_left_out_even_if_its_type_is_served_here() -> None:
    candidates = [cand(1, LOAN, P.GREEN, target=THERE, minutes_ago=60), cand(2, LOAN)]
    assert order(candidates, {LOAN: 0}) == [2]
    assert order(candidates, {LOAN: 0}, counter_id=THERE) == [1, 2]
    # Without a counter (a preview of "the type's queue") nothing transferred to a counter shows.
    assert order(candidates, {LOAN: 0}, counter_id=None) == [2]


# -- anti-starvation -------------------------------------------------------------------

def test_starvation_boundary_is_inclusive() -> None:
    assert is_starved(cand(1, minutes_ago=STARVE), NOW, STARVE)
    assert not is_starved(Candidate(1, LOAN, P.NORMAL, NOW - timedelta(minutes=STARVE) + timedelta(seconds=1)),
                          NOW, STARVE)
    # Only normal tickets starve: the others already go ahead.
    for priority in PriorityClass:
        if priority is not P.NORMAL:
            assert not is_starved(cand(1, priority=priority, minutes_ago=STARVE * 10), NOW, STARVE)


def test_a_starved_normal_ticket_goes_before_priority_tickets() -> None:
    starved = cand(1, LOAN, P.NORMAL, minutes_ago=STARVE)
    almost = Candidate(2, LOAN, P.NORMAL, NOW - timedelta(minutes=STARVE) + timedelta(seconds=1))
    vip = cand(3, LOAN, P.VIP_DIAMOND, minutes_ago=1)
    green = cand(4, LOAN, P.GREEN, minutes_ago=0.5)
    assert order([almost, vip, green, starved], {LOAN: 0}) == [1, 4, 3, 2]


def test_starved_tickets_go_first_whatever_their_rank_longest_waiting_first() -> None:
    candidates = [cand(1, WEALTH, minutes_ago=40), cand(2, LOAN, P.GREEN, minutes_ago=1),
                  cand(3, DEPOSIT, minutes_ago=55), cand(4, LOAN, minutes_ago=31), cand(5, WEALTH, minutes_ago=5)]
    assert order(candidates, {LOAN: 0, DEPOSIT: 1, WEALTH: 2}) == [3, 1, 4, 2, 5]


def test_a_starved_ticket_of_a_type_outside_the_matrix_is_still_not_called() -> None:
    assert order([cand(1, OTHER, minutes_ago=120), cand(2, LOAN)], {LOAN: 0}) == [2]


def test_starvation_limit_is_a_parameter() -> None:
    candidates = [cand(1, minutes_ago=6), cand(2, priority=P.VIP_GOLD, minutes_ago=1)]
    assert order(candidates, {LOAN: 0}, starvation_minutes=5) == [1, 2]
    assert order(candidates, {LOAN: 0}, starvation_minutes=10) == [2, 1]


# -- property: call_order over random queues ----------------------------------------------

TYPES = [1, 2, 3, 4, 5]
COUNTERS = [HERE, THERE]

candidate_lists = st.lists(
    st.builds(
        lambda type_id, priority, seconds_ago, target: (type_id, priority, seconds_ago, target),
        st.sampled_from(TYPES),
        st.sampled_from(list(PriorityClass)),
        st.integers(min_value=0, max_value=90 * 60),
        st.one_of(st.none(), st.sampled_from(COUNTERS)),
    ),
    max_size=40,
).map(lambda rows: [Candidate(i + 1, t, p, NOW - timedelta(seconds=s), target)
                    for i, (t, p, s, target) in enumerate(rows)])
matrices = st.dictionaries(st.sampled_from(TYPES), st.integers(min_value=0, max_value=3), max_size=len(TYPES))


@settings(max_examples=300, deadline=None)
@given(candidates=candidate_lists, matrix=matrices, starvation=st.integers(min_value=1, max_value=60),
       counter_id=st.sampled_from(COUNTERS))
def test_call_order_properties(candidates: list[Candidate], matrix: dict[int, int], starvation: int,
                               counter_id: int) -> None:
    result = call_order(candidates, matrix, NOW, starvation, counter_id)

    eligible = [c for c in candidates
                if (c.target_counter_id == counter_id if c.target_counter_id is not None
                    else c.business_type_id in matrix)]
    # A permutation of exactly the eligible candidates.
    assert sorted(ids(result)) == sorted(ids(eligible))

    starved = [is_starved(c, NOW, starvation) for c in result]
    # Every starved normal ticket precedes every non-starved one...
    assert starved == sorted(starved, reverse=True)
    # ...and the starved ones are longest-waiting first.
    first = [c for c in result if is_starved(c, NOW, starvation)]
    assert [c.queued_at for c in first] == sorted(c.queued_at for c in first)

    rest = [c for c in result if not is_starved(c, NOW, starvation)]
    after_matrix = max(matrix.values(), default=-1) + 1

    def rank(c: Candidate) -> int:
        return matrix.get(c.business_type_id, after_matrix)

    # Among the others: matrix rank ascending, then priority class descending...
    keys = [(rank(c), -rank_of(c.priority)) for c in rest]
    assert keys == sorted(keys)
    # ...and within the same rank and priority, queue time ascending (ties by ticket id).
    for a, b in zip(rest, rest[1:]):
        if (rank(a), a.priority) == (rank(b), b.priority):
            assert (a.queued_at, a.ticket_id) < (b.queued_at, b.ticket_id)


@given(candidates=candidate_lists, matrix=matrices)
def test_call_order_does_not_depend_on_input_order(candidates: list[Candidate], matrix: dict[int, int]) -> None:
    forward = call_order(candidates, matrix, NOW, STARVE, HERE)
    assert call_order(list(reversed(candidates)), matrix, NOW, STARVE, HERE) == forward


# -- recent average service time ---------------------------------------------------------

def test_first_sample_is_the_average() -> None:
    assert update_recent_average(None, 300.0, 0.3) == 300.0


def test_newest_sample_counts_the_weight() -> None:
    assert update_recent_average(600.0, 300.0, 0.3) == pytest.approx(0.3 * 300 + 0.7 * 600)
    assert update_recent_average(600.0, 300.0, 1.0) == 300.0
    assert update_recent_average(0.0, 120.0, 0.5) == 60.0  # a stored 0 is history, not "no history"


def test_a_run_of_samples_converges_on_them() -> None:
    average: float | None = None
    for _ in range(60):
        average = update_recent_average(average if average is not None else 1800.0, 300.0, 0.3)
    assert average == pytest.approx(300.0, abs=0.01)


@pytest.mark.parametrize("weight", [0.0, -0.1, 1.0001, 2.0])
def test_weight_outside_zero_one_is_refused(weight: float) -> None:
    with pytest.raises(ValueError):
        update_recent_average(100.0, 200.0, weight)


@given(previous=st.floats(min_value=0, max_value=36_000), sample=st.floats(min_value=0, max_value=36_000),
       weight=st.floats(min_value=0.001, max_value=1.0))
def test_average_lies_between_history_and_sample(previous: float, sample: float, weight: float) -> None:
    result = update_recent_average(previous, sample, weight)
    low, high = min(previous, sample), max(previous, sample)
    assert low - 1e-6 <= result <= high + 1e-6


def test_age_earns_the_green_channel_from_the_birthday_on() -> None:
    today = date(2026, 11, 23)
    assert age_priority(date(1961, 11, 23), today, 65) is P.GREEN
    assert age_priority(date(1961, 11, 24), today, 65) is P.NORMAL
    assert age_priority(date(1961, 11, 23), today, 66) is P.NORMAL  # the configured age
    assert age_priority(date(2000, 2, 29), date(2065, 2, 28), 65) is P.NORMAL  # born 29 February: 65 on 1 March
    assert age_priority(date(2000, 2, 29), date(2065, 3, 1), 65) is P.GREEN
