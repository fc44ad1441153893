"""Tiers recomputed from their inputs (issue #19), on both databases: by command, and with the
branch's new thresholds in the same transaction; audited with the counts moved up and down."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from app.db.models import AuditEntry, Customer
from app.domain.errors import PermissionDenied
from app.domain.tiers import TierPolicy
from app.services.audit import AuditAction
from app.services.branch_settings import BranchSettings
from app.services.customers.tiers import TierRecompute
from tests.integration.customer_fixtures import person, resident_id


@pytest.fixture
def three(customers, actors) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Scores 20 (normal), 60 (gold), 100 (diamond) under the default thresholds 55/75/90."""
    make = customers.create
    return {
        "low": make(actors.teller1, person("甲", resident_id(sequence="111"))),
        "mid": make(actors.teller1, person("乙", resident_id(sequence="222"), asset_band="middle",
                                           activity_band="middle", credit_grade="good")),
        "top": make(actors.teller1, person("丙", resident_id(sequence="333"), asset_band="high",
                                           activity_band="high", credit_grade="good")),
    }


def tiers(db, ids: dict[str, int]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        by_id = dict(session.execute(select(Customer.id, Customer.tier).where(Customer.id.in_(ids.values()))).all())
    return {name: by_id[i] for name, i in ids.items()}


def recompute_entries(db) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    with db.read() as session:
        return [json.loads(e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.TIER_RECOMPUTE).order_by(AuditEntry.id))]


def test_new_thresholds_move_the_branchs_customers_at_once(db, clock, branch, actors, three) -> None:  # type: ignore[no-untyped-def]
    assert tiers(db, three) == {"low": "normal", "mid": "gold", "top": "diamond"}
    BranchSettings(db, clock=clock).change(actors.supervisor, branch.id, {
        "customers.tier_gold_score": 15, "customers.tier_platinum_score": 60, "customers.tier_diamond_score": 100})
    assert tiers(db, three) == {"low": "gold", "mid": "platinum", "top": "diamond"}
    assert recompute_entries(db)[-1] == {"customers": 3, "up": 2, "down": 0, "rescored": 2}


def test_the_command_recomputes_scores_changed_behind_the_records_back(db, customers, actors, branch, three) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:  # as an import's bulk path or an older version could leave them
        session.execute(update(Customer).where(Customer.id == three["top"]).values(
            asset_band="low", activity_band="low"))
    moves = TierRecompute(customers).run(actors.supervisor, branch.id)
    assert (moves.customers, moves.up, moves.down, moves.rescored) == (3, 0, 1, 1)
    assert moves.moves == {("diamond", "normal"): 1}
    assert tiers(db, three)["top"] == "normal"
    again = TierRecompute(customers).run(actors.supervisor, branch.id)
    assert (again.up, again.down, again.rescored) == (0, 0, 0)
    assert recompute_entries(db)[-2:] == [{"customers": 3, "up": 0, "down": 1, "rescored": 1},
                                          {"customers": 3, "up": 0, "down": 0, "rescored": 0}]


def test_stricter_thresholds_move_customers_down(db, customers, actors, branch, three) -> None:  # type: ignore[no-untyped-def]
    moves = TierRecompute(customers).run(actors.supervisor, branch.id, TierPolicy(70, 95, 100))
    assert (moves.up, moves.down) == (0, 1)
    assert tiers(db, three) == {"low": "normal", "mid": "normal", "top": "diamond"}


def test_only_a_supervisor_recomputes_and_only_their_branch(customers, actors, branch, other_branch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        TierRecompute(customers).run(actors.teller1, branch.id)
    with pytest.raises(PermissionDenied):
        TierRecompute(customers).run(actors.supervisor, other_branch.branch.id)
