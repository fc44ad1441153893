"""A branch's shared settings: its queue, complaint, security and tier policy, stored once in the
database for every workstation of the branch.

Before this, each PC read such values from its own settings.toml, so two counters could order
the queue differently and two PCs could give the same branch's complaints different deadlines.
The settings of scope "branch" (app/settings.py) are now read from here at start and at every
sign-in (``Settings.use_branch_values``); a PC's file still applies to a key the branch has not
set. Changes need CHANGE_SETTINGS, are checked against the declared type and bounds, are stored
all or none, and each changed key is audited with its old and new value.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Branch, BranchSetting
from app.domain.business_day import utcnow
from app.domain.complaint_deadline import DeadlinePolicy
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.roles import Permission
from app.domain.tiers import TierPolicy
from app.events import TOPIC_SETTINGS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, Clock, record, record_in, require
from app.services.customers.tiers import recompute_in
from app.services.queue_session import check_branch
from app.settings import BRANCH, SettingsError, SettingSpec, coerce, default, spec

log = logging.getLogger(__name__)

#: Complaint reference numbers are PREFIX-YYYY-NNNN in a 24-character column.
_REFERENCE_PREFIX = re.compile(r"[A-Z0-9]{1,10}")


def bounds(setting: SettingSpec) -> tuple[float, float]:
    """The lowest and highest value a numeric branch setting may take (declared in app/settings.py)."""
    if setting.minimum is None or setting.maximum is None:
        raise ValueError(f"{setting.key}: a branch-wide number needs declared bounds")
    return setting.minimum, setting.maximum


def _checked(setting: SettingSpec, raw: Any) -> Any:
    """The value as stored, or ValidationError naming the setting."""
    try:
        value = coerce(setting, raw, "value")
    except SettingsError:
        raise ValidationError(field=setting.key, reason=_kind(setting)) from None
    if setting.type is bool and not isinstance(raw, (bool, str)):
        raise ValidationError(field=setting.key, reason="yes_or_no")
    if setting.type in (int, float):
        lowest, highest = bounds(setting)
        if value < lowest:
            raise ValidationError(field=setting.key, reason="min_value", limit=_number(lowest))
        if value > highest:
            raise ValidationError(field=setting.key, reason="max_value", limit=_number(highest))
    elif setting.key == "complaints.reference_prefix":
        value = value.strip()
        if not _REFERENCE_PREFIX.fullmatch(value):
            raise ValidationError(field=setting.key, reason="code_characters", minimum=1, maximum=10)
    elif setting.type is str and not value.strip():
        raise ValidationError(field=setting.key, reason="required")
    return value


def _number(bound: float) -> str:
    return f"{bound:g}"


def check_together(values: Mapping[str, Any]) -> None:
    """Rules between settings, on the branch's values (defaults where it has none): deadlines
    must lengthen (15 ≤ 30 ≤ 60 days) and tier scores must rise."""
    def get(key: str) -> Any:
        return values.get(key, default(key))

    DeadlinePolicy(decide_days=get("complaints.decide_days"), extended_days=get("complaints.extended_days"),
                   max_days=get("complaints.max_days"))
    try:
        TierPolicy(get("customers.tier_gold_score"), get("customers.tier_platinum_score"),
                   get("customers.tier_diamond_score"))
    except ValueError:
        raise ValidationError(field="tier scores", reason="tier_scores_order") from None


def _kind(setting: SettingSpec) -> str:
    return {int: "whole_number", float: "number", bool: "yes_or_no"}.get(setting.type, "not_text")


def _branch_spec(key: str) -> SettingSpec:
    try:
        setting = spec(key)
    except KeyError:
        raise ValidationError(field=key, reason="unknown_setting") from None
    if setting.scope != BRANCH:
        raise ValidationError(field=key, reason="workstation_setting")
    return setting


class BranchSettings:
    """Reads and changes one branch's shared settings; see the module docstring."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def values(self, branch_id: int) -> dict[str, Any]:
        """The branch's stored values; a value that no longer fits its declaration is skipped."""
        with self.db.read() as session:
            rows = session.execute(select(BranchSetting.key, BranchSetting.value)
                                   .where(BranchSetting.branch_id == branch_id)).all()
        values: dict[str, Any] = {}
        for key, stored in rows:
            try:
                values[key] = _checked(_branch_spec(key), json.loads(stored))
            except (ValidationError, ValueError):
                log.warning("Branch %s: ignoring stored setting %s=%r", branch_id, key, stored)
        return values

    def change(self, actor: Actor, branch_id: int, changes: Mapping[str, Any]) -> list[str]:
        """Store ``changes`` (key -> value; None returns a key to each PC's file or the default).
        Returns the keys whose value changed."""
        require(self.db, actor, Permission.CHANGE_SETTINGS, clock=self.clock)
        try:
            check_branch(actor, branch_id)
        except PermissionDenied:
            record(self.db, actor, AuditAction.PERMISSION_DENIED, clock=self.clock, branch_id=actor.branch_id,
                   detail={"permission": Permission.CHANGE_SETTINGS.value, "branch": branch_id})
            raise
        wanted = {key: (None if raw is None else _checked(_branch_spec(key), raw)) for key, raw in changes.items()}
        now = self.clock()
        changed = []
        with self.db.write() as session:
            # One change per branch at a time (SQLite's write transaction already is): two supervisors
            # changing deadlines together must not each pass the rules and break them jointly.
            session.execute(select(Branch.id).where(Branch.id == branch_id).with_for_update())
            stored = {row.key: row for row in session.scalars(
                select(BranchSetting).where(BranchSetting.branch_id == branch_id))}
            merged = {key: json.loads(row.value) for key, row in stored.items()}
            merged.update(wanted)
            check_together({key: value for key, value in merged.items() if value is not None})
            for key, value in wanted.items():
                row = stored.get(key)
                old = None if row is None else json.loads(row.value)
                if old == value:
                    continue
                if value is None:
                    session.delete(row)
                elif row is None:
                    session.add(BranchSetting(branch_id=branch_id, key=key, value=json.dumps(value),
                                              updated_at=now, updated_by_id=actor.user_id))
                else:
                    row.value, row.updated_at, row.updated_by_id = json.dumps(value), now, actor.user_id
                record_in(session, actor, AuditAction.SETTINGS_CHANGE, at=now, branch_id=branch_id,
                          target_type="setting", target_id=key, detail={"old": old, "new": value})
                changed.append(key)
            if changed:
                publish(session, TOPIC_SETTINGS, branch_id)
            if any(key in TIER_KEYS for key in changed):
                # New thresholds reach every customer of the branch at once, with the settings.
                recompute_in(session, actor, branch_id, _tier_policy(merged), at=now)
        return changed


#: The thresholds of the tiers (a change recomputes the branch's customers' tiers).
TIER_KEYS = ("customers.tier_gold_score", "customers.tier_platinum_score", "customers.tier_diamond_score")


def _tier_policy(values: Mapping[str, Any]) -> TierPolicy:
    """The branch's thresholds after a change (a key returned to the default takes the default)."""
    return TierPolicy(*(values[key] if values.get(key) is not None else _branch_spec(key).default
                        for key in TIER_KEYS))
