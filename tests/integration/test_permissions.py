"""Permissions are checked in the services, whoever calls them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db.models import Ticket, TicketEvent, User
from app.domain.errors import AuthenticationFailed, PermissionDenied
from app.domain.roles import Role
from app.services.auth import add_user, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branches import create_branch
from app.domain.tickets import TicketStatus


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_demo_actors(actors, branch) -> None:  # type: ignore[no-untyped-def]
    assert actors.teller1.role is Role.TELLER
    assert actors.lobby.role is Role.LOBBY_MANAGER
    assert actors.supervisor.role is Role.SUPERVISOR
    assert {actors.teller1.branch_id, actors.lobby.branch_id} == {branch.id}


def test_wrong_password_or_user_fails(db, branch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller1", "wrong-password")
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "nobody", DEMO_PASSWORD)


def test_lobby_manager_issues_but_cannot_serve(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    events = _count(queue.db, TicketEvent)
    for action in ("call_next", "finish", "start", "recall", "no_show"):
        with pytest.raises(PermissionDenied) as caught:
            getattr(queue, action)(actors.lobby, branch.id, 1)
        assert caught.value.params == {"user": "lobby", "role": "lobby_manager", "action": "serve_at_counter"}
    assert _count(queue.db, TicketEvent) == events
    assert queue.get_ticket(branch.id, ticket.number).status is TicketStatus.WAITING


def test_lobby_manager_cannot_finish_a_called_ticket(queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    with pytest.raises(PermissionDenied):
        queue.finish(actors.lobby, branch.id, 1)
    assert queue.current_ticket(branch.id, 1).status is TicketStatus.CALLED


def test_teller_cannot_add_users_or_branches(db, actors) -> None:  # type: ignore[no-untyped-def]
    users = _count(db, User)
    with pytest.raises(PermissionDenied) as caught:
        add_user(db, actors.teller1, username="newbie", display_name="新人", password=DEMO_PASSWORD, role="teller")
    assert caught.value.params["action"] == "manage_users"
    with pytest.raises(PermissionDenied):
        create_branch(db, actors.teller1, code="X1", name="X")
    assert _count(db, User) == users


def test_supervisor_adds_users(db, actors, branch) -> None:  # type: ignore[no-untyped-def]
    add_user(db, actors.supervisor, username="newbie", display_name="新人", password="Secret#2026", role="teller",
             branch_code=branch.code)
    newbie = authenticate(db, "newbie", "Secret#2026")
    assert (newbie.role, newbie.branch_id) == (Role.TELLER, branch.id)


def test_actor_of_another_branch_cannot_work_here(queue, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    outsider = other_branch.teller
    with pytest.raises(PermissionDenied):
        queue.issue_ticket(outsider, branch.id, "loan")
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    for action in ("call_next", "finish", "recall"):
        with pytest.raises(PermissionDenied) as caught:
            getattr(queue, action)(outsider, branch.id, 1)
        assert caught.value.params["action"] == "work for another branch"
    assert _count(queue.db, Ticket) == 1
    assert queue.list_tickets(branch.id)[0].status is TicketStatus.WAITING
    # ...and the same holds the other way round.
    with pytest.raises(PermissionDenied):
        queue.call_next(actors.teller1, other_branch.branch.id, 1)
    # At home the outsider works normally; the demo branch's queue is not theirs to see.
    queue.issue_ticket(outsider, other_branch.branch.id, "loan")
    assert queue.call_next(outsider, other_branch.branch.id, 1).number == "C001"
    assert queue.list_tickets(branch.id)[0].status is TicketStatus.WAITING
