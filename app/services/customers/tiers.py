"""Tiers recomputed from their inputs, for a branch's customers at once.

A tier is stored with the record (lists and the kiosk read it without arithmetic), computed
from the bands and grade when the record is saved. New thresholds, or bands changed by an
import, would otherwise reach only the records saved afterwards. :meth:`TierRecompute.run`
computes every live customer of a branch again — the score from the bands and grade, the tier
from the branch's thresholds — in two set-based statements (the moves counted, then written),
one transaction, one ``tier_recompute`` audit entry with the counts moved up and down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import Customer
from app.domain.roles import Permission
from app.domain.tiers import ACTIVITY_POINTS, ASSET_POINTS, CREDIT_POINTS, Tier, TierPolicy
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.customers.service import CustomerService

_RANK = {tier.value: rank for rank, tier in enumerate(Tier)}  # normal < gold < platinum < diamond


@dataclass(frozen=True)
class TierMoves:
    """What a recompute changed: customers looked at, moved up, moved down, and each move's count."""

    customers: int
    up: int
    down: int
    rescored: int
    moves: dict[tuple[str, str], int] = field(default_factory=dict)


def _points(column: ColumnElement, points: dict) -> ColumnElement:  # type: ignore[type-arg]
    return case(*((column == key.value, value) for key, value in points.items()), else_=0)


def score_sql() -> ColumnElement:  # type: ignore[type-arg]
    """app.domain.tiers.composite_score, as SQL over a customer row."""
    return (_points(Customer.asset_band, ASSET_POINTS) + _points(Customer.activity_band, ACTIVITY_POINTS)
            + _points(Customer.credit_grade, CREDIT_POINTS))


def tier_sql(score: ColumnElement, policy: TierPolicy) -> ColumnElement:  # type: ignore[type-arg]
    """app.domain.tiers.tier_for, as SQL."""
    return case((score >= policy.diamond_score, Tier.DIAMOND.value),
                (score >= policy.platinum_score, Tier.PLATINUM.value),
                (score >= policy.gold_score, Tier.GOLD.value), else_=Tier.NORMAL.value)


class TierRecompute:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def run(self, actor: Actor, branch_id: int, policy: TierPolicy | None = None) -> TierMoves:
        """Recompute the branch's customers with ``policy`` (default: the service's, i.e. the
        branch's thresholds). A supervisor's step: it follows the branch's settings."""
        require(self.db, actor, Permission.CHANGE_SETTINGS, clock=self.customers.clock, branch_id=branch_id)
        with self.db.write() as session:
            return recompute_in(session, actor, branch_id, policy or self.customers.policy, at=self.customers.clock())


def recompute_in(session: Session, actor: Actor, branch_id: int, policy: TierPolicy, *, at: datetime) -> TierMoves:
    """The recompute in the caller's write transaction (a change of the thresholds runs it with
    the new ones, so settings and tiers change together)."""
    score = score_sql()
    tier = tier_sql(score, policy)
    live = and_(Customer.branch_id == branch_id, Customer.merged_into_id.is_(None))
    stale = and_(live, (Customer.score != score) | (Customer.tier != tier))
    total = session.scalar(select(func.count()).select_from(Customer).where(live)) or 0
    moves = {(old, new): count for old, new, count in session.execute(
        select(Customer.tier, tier, func.count()).where(stale).group_by(Customer.tier, tier))}
    rescored = sum(moves.values())
    if rescored:
        session.execute(update(Customer).where(stale).values(score=score, tier=tier)
                        .execution_options(synchronize_session=False))
    changed = {pair: count for pair, count in moves.items() if pair[0] != pair[1]}
    up = sum(count for (old, new), count in changed.items() if _RANK.get(new, 0) > _RANK.get(old, 0))
    down = sum(changed.values()) - up
    record_in(session, actor, AuditAction.TIER_RECOMPUTE, at=at, target_type="customers", branch_id=branch_id,
              detail={"customers": total, "up": up, "down": down, "rescored": rescored})
    if changed:
        publish(session, TOPIC_CUSTOMERS, None)
    return TierMoves(total, up, down, rescored, changed)
