"""Relationship managers (客户经理 / 理财经理, issue #19), on both databases: a customer given to
a manager, the manager's own list and follow-ups, full values of their own customers only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db.models import AuditEntry
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.roles import Permission, Role, has_permission
from app.services.audit import AuditAction
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.customers.managers import RelationshipManagers
from tests.integration.customer_fixtures import person, resident_id

ID_A = resident_id("110101", "19900307", "123")


@pytest.fixture
def managers(customers) -> RelationshipManagers:  # type: ignore[no-untyped-def]
    return RelationshipManagers(customers)


@pytest.fixture
def manager(db):  # type: ignore[no-untyped-def]
    return authenticate(db, "manager1", DEMO_PASSWORD)


def test_the_roles_sit_between_teller_and_supervisor() -> None:
    for role in (Role.CUSTOMER_MANAGER, Role.WEALTH_MANAGER):
        assert has_permission(role, Permission.REVEAL_OWN_CUSTOMERS)
        assert not has_permission(role, Permission.REVEAL_SENSITIVE)
        assert not has_permission(role, Permission.SERVE_AT_COUNTER)
        assert not has_permission(role, Permission.CHANGE_SETTINGS)
        assert has_permission(role, Permission.EDIT_CUSTOMERS)


def test_a_manager_reveals_their_own_customers_and_no_one_elses(  # type: ignore[no-untyped-def]
        db, customers, managers, actors, manager) -> None:
    own = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    other = customers.create(actors.teller1, person("李四", resident_id("310104", "19851120", "246")))
    managers.assign(actors.lobby, own, manager.user_id)
    assert customers.reveal(manager, own, "id_number", "核实身份办理理财") == ID_A
    with pytest.raises(PermissionDenied):
        customers.reveal(manager, other, "id_number", "好奇")
    with db.read() as session:
        denied = session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.PERMISSION_DENIED,
                                                          AuditEntry.username == "manager1")).all()
    assert len(denied) == 1


def test_a_manager_lists_their_customers_and_their_follow_ups_only(  # type: ignore[no-untyped-def]
        customers, managers, actors, manager, branch) -> None:
    own = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    other = customers.create(actors.teller1, person("李四", resident_id("310104", "19851120", "246")))
    managers.assign(actors.supervisor, own, manager.user_id)
    assert [hit.id for hit in managers.own_customers(manager)] == [own]
    assert managers.own_customers(actors.teller1) == []
    due = customers.today() + timedelta(days=1)
    customers.add_follow_up(manager, own, "revisit", due)
    customers.add_follow_up(actors.lobby, other, "revisit", due)
    assert [f.customer_id for f in customers.follow_ups_due(manager, branch.id, within_days=7)] == [own]
    assert {f.customer_id for f in customers.follow_ups_due(actors.lobby, branch.id, within_days=7)} == {own, other}
    assert customers.profile(manager, own).manager_name == "孙经理"


def test_assigning_is_checked_and_audited(db, customers, managers, actors, manager) -> None:  # type: ignore[no-untyped-def]
    own = customers.create(actors.teller1, person("王志强", ID_A))
    with pytest.raises(PermissionDenied):
        managers.assign(actors.teller1, own, manager.user_id)
    with pytest.raises(ValidationError) as refused:
        managers.assign(actors.lobby, own, actors.teller2.user_id)  # a teller is no relationship manager
    assert refused.value.params["field"] == "relationship manager"
    managers.assign(actors.lobby, own, manager.user_id)
    with pytest.raises(ValidationError):
        managers.assign(actors.lobby, own, manager.user_id)  # nothing changes
    managers.assign(actors.lobby, own, None)
    with db.read() as session:
        details = [json.loads(e.detail) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == AuditAction.CUSTOMER_CHANGE, AuditEntry.target_id == str(own)))]
    assert details == [{"fields": ["relationship manager"], "manager": manager.user_id},
                       {"fields": ["relationship manager"], "manager": None}]
    assert [m.display_name for m in managers.of_branch(actors.lobby, actors.lobby.branch_id)] == ["孙经理", "钱经理"]


def test_a_manager_of_another_branch_cannot_be_given_the_customer(  # type: ignore[no-untyped-def]
        db, customers, managers, actors, other_branch) -> None:
    from app.services.actor import SYSTEM
    from app.services.auth import add_user

    add_user(db, SYSTEM, username="pd_manager", display_name="浦东经理", password=DEMO_PASSWORD,
             role="customer_manager", branch_code="SH002")
    own = customers.create(actors.teller1, person("王志强", ID_A))
    far = authenticate(db, "pd_manager", DEMO_PASSWORD)
    with pytest.raises(ValidationError):
        managers.assign(actors.lobby, own, far.user_id)


def test_a_managed_customer_identified_at_the_kiosk_is_an_arrival_for_their_manager(  # type: ignore[no-untyped-def]
        db, clock, customers, managers, actors, manager, branch) -> None:
    from app.services.queue import QueueService

    own = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    customers.create(actors.teller1, person("李四", resident_id("310104", "19851120", "246")))
    managers.assign(actors.lobby, own, manager.user_id)
    queue = QueueService(db, clock=clock)
    ticket = queue.issue_ticket(actors.lobby, branch.id, "wealth", resident_id=ID_A)
    queue.issue_ticket(actors.lobby, branch.id, "wealth", resident_id=resident_id("310104", "19851120", "246"))
    [arrival] = managers.arrivals(manager, branch.id)
    assert (arrival.ticket, arrival.customer_id, arrival.customer_name, arrival.manager_name) == (
        ticket.number, own, "王**", "孙经理")
    assert [a.customer_id for a in managers.arrivals(actors.lobby, branch.id)] == [own]
    other_manager = authenticate(db, "wealth1", DEMO_PASSWORD)
    assert managers.arrivals(other_manager, branch.id) == []
    called = queue.call_next(actors.teller1, branch.id, 1)
    assert called is not None and called.number == ticket.number
    assert [a.status for a in managers.arrivals(manager, branch.id)] == ["called"]  # still to meet
    queue.start(actors.teller1, branch.id, 1)
    assert managers.arrivals(manager, branch.id) == []  # being served: no longer an arrival
