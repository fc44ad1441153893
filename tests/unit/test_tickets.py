"""Ticket rules without a database: states and transitions, numbering, wait estimates, roles."""

from __future__ import annotations

import re

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
from app.domain.wait_estimate import estimate_wait_minutes
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

@pytest.mark.parametrize(("ahead", "minutes", "counters", "expected"), [
    (0, 15, 3, 0),       # nobody ahead: no wait
    (-2, 15, 3, 0),      # nonsense in, nothing promised
    (1, 25, 6, 5),       # ceil(25 / 6)
    (6, 5, 3, 10),       # exact
    (7, 5, 3, 12),       # ceil(11.67)
    (3, 10, 0, 30),      # no counter open: estimated as one
    (3, 10, -1, 30),
    (1, 2.5, 1, 3),      # fractional service time rounds up
    (4, 2.5, 2, 5),
])
def test_estimate_wait_minutes(ahead: int, minutes: float, counters: int, expected: int) -> None:
    assert estimate_wait_minutes(ahead, minutes, counters) == expected


@given(st.integers(0, 500), st.integers(1, 120), st.integers(0, 30))
def test_estimate_is_whole_rises_with_the_queue_and_falls_with_counters(ahead: int, minutes: int,
                                                                        counters: int) -> None:
    estimate = estimate_wait_minutes(ahead, minutes, counters)
    assert isinstance(estimate, int) and estimate >= 0
    assert estimate_wait_minutes(ahead + 1, minutes, counters) >= estimate
    assert estimate_wait_minutes(ahead, minutes, counters + 1) <= estimate
    # Never less than the exact share, and less than one minute above it.
    exact = ahead * minutes / max(counters, 1)
    assert exact <= estimate < exact + 1


# -- roles and permissions -------------------------------------------------------------

def test_permission_table() -> None:
    common = {Permission.ISSUE_TICKET, Permission.VIEW_QUEUE, Permission.VIEW_CUSTOMERS, Permission.EDIT_CUSTOMERS,
              Permission.RECORD_COMPLAINT}
    assert PERMISSIONS[Role.TELLER] == common | {Permission.SERVE_AT_COUNTER, Permission.RUN_CHECKLIST,
                                                 Permission.REVEAL_SENSITIVE}
    assert PERMISSIONS[Role.LOBBY_MANAGER] == common | {Permission.HANDLE_COMPLAINT, Permission.CLOSE_COMPLAINT,
                                                        Permission.VIEW_DASHBOARD, Permission.VIEW_REPORTS}
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
