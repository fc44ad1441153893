"""Ticket rules without a database: states and transitions, numbering, wait estimates, roles."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidTransition, ValidationError
from app.domain.roles import PERMISSIONS, Permission, Role, has_permission
from app.domain.tickets import (
    ACTIVE_STATES,
    MAX_TICKET_NUMBER,
    TRANSITIONS,
    TicketAction,
    TicketStatus,
    format_ticket_number,
    next_status,
    validate_prefix,
)
from app.domain.wait_estimate import OVERRUN_MINUTES, estimate_wait_minutes, estimate_waits, minutes_until_free
from app.services.actor import SYSTEM

S, A = TicketStatus, TicketAction

#: The whole state machine, written out by hand: a change to TRANSITIONS must change this too.
EXPECTED = {
    (A.CALL, S.WAITING): S.CALLED,
    (A.RECALL, S.CALLED): S.CALLED,
    (A.START, S.CALLED): S.SERVING,
    (A.FINISH, S.CALLED): S.FINISHED,
    (A.FINISH, S.SERVING): S.FINISHED,
    (A.NO_SHOW, S.CALLED): S.NO_SHOW,
    (A.REQUEUE, S.CALLED): S.WAITING,
    (A.PARK, S.CALLED): S.PARKED,
    (A.PARK, S.SERVING): S.PARKED,
    (A.RESUME, S.PARKED): S.SERVING,
    (A.TRANSFER, S.CALLED): S.TRANSFERRED,
    (A.TRANSFER, S.SERVING): S.TRANSFERRED,
}

ALL_PAIRS = [(action, status) for action in TicketAction for status in TicketStatus]


# -- transitions -----------------------------------------------------------------------

def test_transition_table_is_exactly_the_expected_one() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("action", "status"), [p for p in ALL_PAIRS if p in EXPECTED],
                         ids=lambda v: v.value)
def test_allowed_transition(action: TicketAction, status: TicketStatus) -> None:
    assert next_status("A001", status, action) is EXPECTED[(action, status)]


@pytest.mark.parametrize(("action", "status"), [p for p in ALL_PAIRS if p not in EXPECTED],
                         ids=lambda v: v.value)
def test_refused_transition(action: TicketAction, status: TicketStatus) -> None:
    with pytest.raises(InvalidTransition) as caught:
        next_status("C007", status, action)
    assert caught.value.code == "invalid_transition"
    assert caught.value.params == {"ticket": "C007", "status": status.value, "action": action.value}
    assert str(caught.value) == f"Ticket C007 is {status.value}; it cannot be {action.value}."


def test_issue_is_not_a_transition() -> None:
    for status in TicketStatus:
        with pytest.raises(InvalidTransition):
            next_status("A001", status, TicketAction.ISSUE)


def test_finished_and_no_show_are_final() -> None:
    for final in (S.FINISHED, S.NO_SHOW):
        assert not [action for (action, status) in TRANSITIONS if status is final]


def test_active_states_are_the_ones_holding_a_counter() -> None:
    assert ACTIVE_STATES == {S.CALLED, S.SERVING}
    # Only from an active state can a ticket be finished; only waiting tickets get called.
    assert {status for (action, status) in TRANSITIONS if action is A.FINISH} == ACTIVE_STATES
    assert {status for (action, status) in TRANSITIONS if action is A.CALL} == {S.WAITING}


def test_status_values_fit_the_column() -> None:
    assert all(len(s.value) <= 16 for s in TicketStatus) and all(len(a.value) <= 16 for a in TicketAction)


# -- numbering -------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "shown"), [(1, "A001"), (7, "A007"), (42, "A042"), (999, "A999")])
def test_format_ticket_number(number: int, shown: str) -> None:
    assert format_ticket_number("A", number) == shown


@pytest.mark.parametrize("number", [0, -1, MAX_TICKET_NUMBER + 1, 1000, 10_000])
def test_format_ticket_number_refuses_out_of_range(number: int) -> None:
    with pytest.raises(ValidationError) as caught:
        format_ticket_number("K", number)
    assert caught.value.params["field"] == "ticket number"
    assert caught.value.params["reason"] == "numbers_used_up" and caught.value.params["prefix"] == "K"
    assert str(caught.value) == "ticket number: prefix K has used all 999 numbers today"


def test_a_day_has_999_numbers_per_prefix() -> None:
    assert MAX_TICKET_NUMBER == 999


@given(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"), st.integers(1, MAX_TICKET_NUMBER))
def test_formatted_numbers_read_back(prefix: str, number: int) -> None:
    shown = format_ticket_number(prefix, number)
    assert re.fullmatch(r"[A-Z]\d{3}", shown)
    assert (shown[0], int(shown[1:])) == (prefix, number)
    assert len(shown) <= 8  # tickets.display_number is String(8)


@given(st.integers(1, MAX_TICKET_NUMBER - 1))
def test_formatted_numbers_sort_like_the_numbers(number: int) -> None:
    assert format_ticket_number("A", number) < format_ticket_number("A", number + 1)


@pytest.mark.parametrize("prefix", ["A", "Z", "K"])
def test_valid_prefix(prefix: str) -> None:
    assert validate_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["", "a", "AB", "1", "Ä", " ", "甲"])
def test_invalid_prefix(prefix: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_prefix(prefix)
    assert caught.value.params["field"] == "prefix"


# -- wait estimate ---------------------------------------------------------------------

@pytest.mark.parametrize(("ahead", "minutes", "free_in", "expected"), [
    (0, 15, [0, 0, 0], 0),        # nobody ahead, a counter idle: called at once
    (-2, 15, [0, 0, 0], 0),       # nonsense in, nothing promised
    (0, 15, [7.5, 3.2, 12], 4),   # nobody ahead, all busy: the soonest end of a service
    (1, 25, [0] * 6, 0),          # one ahead, six idle counters: both called now
    (6, 5, [0, 0, 0], 10),        # three idle counters, six ahead: two rounds of 5 minutes
    (7, 5, [0, 0, 0], 10),        # the seventh takes the first counter free at 10
    (2, 10, [3, 8], 13),          # frees at 3 and 8; ahead take 3→13 and 8→18; then 13
    (3, 10, [], 30),              # no counter open: estimated as one idle counter
    (1, 2.5, [0], 3),             # fractional service time rounds up
    (0, 10, [-4], 0),             # a negative "free in" is idle
])
def test_estimate_wait_minutes(ahead: int, minutes: float, free_in: list[float], expected: int) -> None:
    assert estimate_wait_minutes(ahead, minutes, free_in) == expected


@given(st.integers(0, 300), st.integers(1, 120), st.lists(st.floats(0, 60), max_size=12))
def test_estimate_is_whole_rises_with_the_queue_and_falls_with_counters(ahead: int, minutes: int,
                                                                        free_in: list[float]) -> None:
    estimate = estimate_wait_minutes(ahead, minutes, free_in)
    assert isinstance(estimate, int) and estimate >= 0
    assert estimate_wait_minutes(ahead + 1, minutes, free_in) >= estimate
    assert estimate_wait_minutes(ahead, minutes, [*free_in, 0.0]) <= estimate  # one more idle counter
    # Never less than the people ahead shared over the counters, nor more than one counter alone.
    counters = max(len(free_in), 1)
    assert estimate >= math.floor(ahead * minutes / counters) - minutes
    assert estimate <= math.ceil(min(free_in, default=0.0) + ahead * minutes)


def test_one_pass_gives_each_place_in_the_queue_its_wait() -> None:
    """Each person takes the counter that frees first for their own service time (a queue
    transferred to one counter may hold several business types)."""
    assert estimate_waits([10, 25, 5, 5], [3, 8]) == [3, 8, 13, 18]
    assert estimate_waits([], [0, 0]) == []
    assert estimate_waits([4, 4, 4], []) == [0, 4, 8]  # no counter open: as one idle counter
    waits = estimate_waits([12.0] * 40, [0.0, 5.0, 30.0])
    assert waits == [estimate_wait_minutes(ahead, 12.0, [0.0, 5.0, 30.0]) for ahead in range(40)]


def test_a_counter_is_free_when_its_service_is_expected_to_end() -> None:
    now = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    assert minutes_until_free(25, now - timedelta(minutes=10), now) == pytest.approx(15)
    assert minutes_until_free(25, None, now) == 25  # called, not started: the whole service
    assert minutes_until_free(25, now - timedelta(minutes=40), now) == OVERRUN_MINUTES  # over time


# -- roles and permissions -------------------------------------------------------------

def test_permission_table() -> None:
    common = {Permission.ISSUE_TICKET, Permission.VIEW_QUEUE, Permission.VIEW_CUSTOMERS, Permission.EDIT_CUSTOMERS,
              Permission.RECORD_COMPLAINT}
    assert PERMISSIONS[Role.TELLER] == common | {Permission.SERVE_AT_COUNTER, Permission.RUN_CHECKLIST,
                                                 Permission.REVEAL_SENSITIVE}
    assert PERMISSIONS[Role.LOBBY_MANAGER] == common | {Permission.HANDLE_COMPLAINT, Permission.CLOSE_COMPLAINT,
                                                        Permission.VIEW_DASHBOARD, Permission.VIEW_REPORTS,
                                                        Permission.ASSIGN_CUSTOMERS}
    for manager in (Role.CUSTOMER_MANAGER, Role.WEALTH_MANAGER):
        assert PERMISSIONS[manager] == common | {Permission.REVEAL_OWN_CUSTOMERS}
    assert PERMISSIONS[Role.SUPERVISOR] == set(Permission)
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    (Role.LOBBY_MANAGER, Permission.ISSUE_TICKET, True),
    (Role.LOBBY_MANAGER, Permission.SERVE_AT_COUNTER, False),
    (Role.LOBBY_MANAGER, Permission.MANAGE_USERS, False),
    (Role.TELLER, Permission.SERVE_AT_COUNTER, True),
    (Role.TELLER, Permission.MANAGE_USERS, False),
    (Role.TELLER, Permission.MANAGE_BRANCH, False),
    (Role.SUPERVISOR, Permission.MANAGE_USERS, True),
    ("teller", Permission.ISSUE_TICKET, True),  # the stored string works too
])
def test_has_permission(role: Role | str, permission: Permission, allowed: bool) -> None:
    assert has_permission(role, permission) is allowed


def test_unknown_role_is_an_error() -> None:
    with pytest.raises(ValueError):
        has_permission("cashier", Permission.VIEW_QUEUE)


def test_system_actor_is_a_supervisor_of_no_particular_branch() -> None:
    assert (SYSTEM.role, SYSTEM.branch_id, SYSTEM.user_id) == (Role.SUPERVISOR, None, None)
    assert all(has_permission(SYSTEM.role, permission) for permission in Permission)
