"""Segments (issue #19), on both databases: counted by tier, compliance, dormancy and review due;
a manager counts their own; the export for contact keeps consent to marketing only, masked, audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.db.models import AuditEntry, Customer
from app.domain.errors import PermissionDenied, ValidationError
from app.services.audit import AuditAction
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.customers.managers import RelationshipManagers
from app.services.customers.segments import SegmentFilter, Segments
from app.services.queue import QueueService
from tests.integration.customer_fixtures import person, resident_id


@pytest.fixture
def people(customers, actors) -> dict[str, int]:  # type: ignore[no-untyped-def]
    make = customers.create
    return {
        "gold": make(actors.teller1, person("金客", resident_id(sequence="111"), "13800000001",
                                            asset_band="high", activity_band="low", consent_scope="service,marketing")),
        "plain": make(actors.teller1, person("普客", resident_id(sequence="222"), "13800000002")),
        "risky": make(actors.teller1, person("险客", resident_id(sequence="333"), "13800000003", compliance="risk",
                                             consent_scope="service,marketing")),
    }


def test_counts_follow_the_filter(db, clock, customers, actors, branch, people) -> None:  # type: ignore[no-untyped-def]
    segments = Segments(customers)
    count = lambda **f: segments.count(actors.lobby, branch.id, SegmentFilter(**f))  # noqa: E731
    assert count() == 3
    assert count(tiers=("gold",)) == 1
    assert count(compliance=("risk",)) == 1
    QueueService(db, clock=clock).issue_ticket(actors.lobby, branch.id, "wealth",
                                               resident_id=resident_id(sequence="111"))
    assert count(dormant_days=90) == 2  # the gold customer came today
    with db.write() as session:
        session.execute(update(Customer).where(Customer.id == people["plain"]).values(
            review_due_on=customers.today() - timedelta(days=1)))
    assert count(review_due=True) == 1
    with pytest.raises(ValidationError):
        count(tiers=("bronze",))
    with pytest.raises(ValidationError):
        count(dormant_days=0)


def test_a_manager_counts_their_own_customers(db, customers, actors, branch, people) -> None:  # type: ignore[no-untyped-def]
    manager = authenticate(db, "manager1", DEMO_PASSWORD)
    RelationshipManagers(customers).assign(actors.lobby, people["gold"], manager.user_id)
    assert Segments(customers).count(manager, branch.id, SegmentFilter()) == 1


def test_the_export_for_contact_keeps_marketing_consent_masked_and_is_audited(  # type: ignore[no-untyped-def]
        db, customers, actors, branch, people) -> None:
    segments = Segments(customers)
    with pytest.raises(PermissionDenied):
        segments.export_for_contact(actors.teller1, branch.id, SegmentFilter())
    text, rows = segments.export_for_contact(actors.supervisor, branch.id, SegmentFilter())
    assert rows == 2 and "普客" not in text and "普*" not in text  # no consent to marketing: left out
    assert "金*" in text and "138****0001" in text and "13800000001" not in text
    with db.read() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT))
    assert json.loads(entry.detail)["rows"] == 2
