"""A branch's shared settings (app/services/branch_settings.py) on both databases, and the admin CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry, BranchSetting
from app.domain.errors import PermissionDenied, ValidationError
from app.services.branch_settings import BranchSettings
from app.settings import Settings
from tests.integration.conftest import Actors, Clock, OtherBranch
from tests.integration.test_cli import Cli


@pytest.fixture
def shared(db: Database, clock: Clock) -> BranchSettings:
    return BranchSettings(db, clock=clock)


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_supervisor_sets_the_branch_policy_for_every_workstation(db, shared, branch, actors: Actors) -> None:
    changed = shared.change(actors.supervisor, branch.id, {"complaints.decide_days": "10",
                                                          "queue.service_time_weight": 0.5,
                                                          "security.password_letters_and_digits": "no",
                                                          "complaints.reference_prefix": " TSB "})
    assert sorted(changed) == ["complaints.decide_days", "complaints.reference_prefix", "queue.service_time_weight",
                               "security.password_letters_and_digits"]
    assert shared.values(branch.id) == {"complaints.decide_days": 10, "queue.service_time_weight": 0.5,
                                        "security.password_letters_and_digits": False,
                                        "complaints.reference_prefix": "TSB"}
    # Another workstation's settings pick them up.
    settings = Settings(environ={})
    settings.use_branch_values(BranchSettings(db).values(branch.id))
    assert settings.get("complaints.decide_days") == 10

    # The same value again changes nothing and is not audited again; None returns to the file/default.
    assert shared.change(actors.supervisor, branch.id, {"complaints.decide_days": 10}) == []
    assert shared.change(actors.supervisor, branch.id, {"complaints.decide_days": None}) == ["complaints.decide_days"]
    assert "complaints.decide_days" not in shared.values(branch.id)
    entries = [e for e in _audit(db, "settings_change") if e.target_id == "complaints.decide_days"]
    assert [json.loads(e.detail) for e in entries] == [{"old": None, "new": 10}, {"old": 10, "new": None}]
    assert all(e.username == "supervisor" and e.branch_id == branch.id for e in entries)


@pytest.mark.parametrize(("key", "value", "why"), [
    ("complaints.decide_days", "abc", {"reason": "whole_number"}),
    ("complaints.decide_days", 0, {"reason": "min_value", "limit": "1"}),
    ("queue.service_time_weight", 1.5, {"reason": "max_value", "limit": "1"}),
    ("dashboard.satisfaction_goal_percent", 101, {"reason": "max_value", "limit": "100"}),
    ("queue.wait_alert_minutes", -5, {"reason": "min_value", "limit": "1"}),
    ("queue.service_time_weight", 0, {"reason": "min_value", "limit": "0.05"}),
    ("security.lockout_minutes", 0, {"reason": "min_value", "limit": "1"}),
    ("complaints.reference_prefix", "  ", {"reason": "code_characters", "minimum": 1, "maximum": 10}),
    ("complaints.reference_prefix", "COMPLAINT-DESK", {"reason": "code_characters", "minimum": 1, "maximum": 10}),
    ("security.password_letters_and_digits", "ture", {"reason": "yes_or_no"}),
    ("security.password_letters_and_digits", 2, {"reason": "yes_or_no"}),
    ("display.notice", " ", {"reason": "required"}),
    ("ui.language", "en", {"reason": "workstation_setting"}),
    ("no.such", 1, {"reason": "unknown_setting"}),
])
def test_a_bad_value_is_refused_naming_the_setting_and_nothing_is_stored(shared, branch, actors, key, value,
                                                                         why) -> None:
    with pytest.raises(ValidationError) as refused:
        shared.change(actors.supervisor, branch.id, {"queue.elderly_age": 70, key: value})
    assert refused.value.params == {"field": key, **why}
    assert shared.values(branch.id) == {}


def test_a_bound_reads_as_a_plain_number_in_english(shared, branch, actors) -> None:
    with pytest.raises(ValidationError) as refused:
        shared.change(actors.supervisor, branch.id, {"queue.service_time_weight": 0})
    assert str(refused.value) == "queue.service_time_weight: at least 0.05"


def test_only_a_supervisor_of_the_branch_changes_it(db, shared, branch, actors: Actors,
                                                    other_branch: OtherBranch) -> None:
    for actor in (actors.teller1, actors.lobby):
        with pytest.raises(PermissionDenied):
            shared.change(actor, branch.id, {"queue.elderly_age": 70})
    assert [json.loads(e.detail)["permission"] for e in _audit(db, "permission_denied")] == ["change_settings"] * 2
    with pytest.raises(PermissionDenied):
        shared.change(actors.supervisor, other_branch.branch.id, {"queue.elderly_age": 70})
    denied = json.loads(_audit(db, "permission_denied")[-1].detail)
    assert denied == {"permission": "change_settings", "branch": other_branch.branch.id}
    assert shared.values(branch.id) == {} and shared.values(other_branch.branch.id) == {}


def test_each_branch_has_its_own_values(shared, branch, other_branch: OtherBranch) -> None:
    from app.services.actor import SYSTEM  # head office: no branch of its own

    shared.change(SYSTEM, branch.id, {"complaints.decide_days": 10})
    shared.change(SYSTEM, other_branch.branch.id, {"complaints.decide_days": 12})
    assert shared.values(branch.id) == {"complaints.decide_days": 10}
    assert shared.values(other_branch.branch.id) == {"complaints.decide_days": 12}


def test_a_stored_value_that_no_longer_fits_is_skipped(db, shared, branch, clock: Clock) -> None:
    with db.write() as session:
        session.add(BranchSetting(branch_id=branch.id, key="complaints.decide_days", value='"soon"', updated_at=clock()))
        session.add(BranchSetting(branch_id=branch.id, key="retired.setting", value="1", updated_at=clock()))
        session.add(BranchSetting(branch_id=branch.id, key="queue.elderly_age", value="70", updated_at=clock()))
    assert shared.values(branch.id) == {"queue.elderly_age": 70}


def test_the_admin_cli_lists_sets_and_unsets(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(db_url, capsys)
    cli.ok("demo")
    listed = {row["key"]: row for row in cli.json("settings", "list")["settings"]}
    assert listed["complaints.decide_days"]["source"] == "default" and "database.url" not in listed
    assert cli.json("settings", "set", "complaints.decide_days", "10") == {"branch": "DEMO",
                                                                         "changed": ["complaints.decide_days"]}
    listed = {row["key"]: row for row in cli.json("settings", "list", "--all")["settings"]}
    assert listed["complaints.decide_days"]["value"] == 10 and listed["complaints.decide_days"]["source"] == "branch"
    assert listed["database.url"]["scope"] == "workstation"
    assert "complaints.decide_days" in cli.refused("settings", "set", "complaints.decide_days", "soon")
    assert "ui.language" in cli.refused("settings", "set", "ui.language", "en")
    assert cli.json("settings", "unset", "complaints.decide_days")["changed"] == ["complaints.decide_days"]
    assert cli.json("settings", "unset", "complaints.decide_days")["changed"] == []


def test_deadlines_must_lengthen_and_tier_scores_rise(shared, branch, actors: Actors) -> None:
    supervisor = actors.supervisor
    shared.change(supervisor, branch.id, {"complaints.extended_days": 20})
    with pytest.raises(ValidationError) as refused:
        shared.change(supervisor, branch.id, {"complaints.decide_days": 25})  # 25 > the branch's 20
    assert refused.value.params == {"field": "complaint deadlines", "reason": "deadline_order"}
    with pytest.raises(ValidationError) as refused:
        shared.change(supervisor, branch.id, {"customers.tier_gold_score": 80})  # above platinum's 75
    assert refused.value.params["field"] == "tier scores"
    # Changed together, the rule holds.
    shared.change(supervisor, branch.id, {"customers.tier_gold_score": 80, "customers.tier_platinum_score": 85})
    assert shared.values(branch.id) == {"complaints.extended_days": 20, "customers.tier_gold_score": 80,
                                        "customers.tier_platinum_score": 85}


def test_cli_commands_follow_the_branch_values(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Not only ``settings list``: a command's services are built with the branch's values."""
    cli = Cli(db_url, capsys)
    cli.ok("demo")
    ticket = cli.json("ticket", "issue", "--business", "loan")
    cli.json("ticket", "call", "--counter", "1")
    assert "recalled 0 of 2" in cli.refused("ticket", "no-show", "--counter", "1")
    cli.ok("settings", "set", "queue.recalls_before_no_show", "0")
    cli.json("ticket", "no-show", "--counter", "1")
    assert cli.json("ticket", "list", "--status", "no_show")[0]["number"] == ticket["number"]
