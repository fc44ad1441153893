"""Refusing another branch's business leaves an audit entry, like every other refusal (issue #16).

Two paths: a check before any transaction (``require(..., branch_id=...)``) and a check inside
one, on a row that names its branch — whose entry would roll back with the refused transaction,
so the database layer writes it once that transaction is gone."""

from __future__ import annotations

import pytest

from app.domain.errors import PermissionDenied
from app.services.audit import AuditFilter, AuditLog
from app.services.checklists import ChecklistService


def _refusals(db, actors, clock, username: str):  # type: ignore[no-untyped-def]
    return [e for e in AuditLog(db, clock).entries(actors.supervisor, AuditFilter(action="permission_denied"))
            if e.username == username]


def test_a_refusal_before_the_transaction_is_audited(db, queue, branch, actors, clock, other_branch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied, match="another branch"):
        queue.issue_ticket(other_branch.teller, branch.id, "loan")
    [entry] = _refusals(db, actors, clock, "pd_teller")
    assert entry.detail["branch_id"] == branch.id and entry.detail["reason"] == "another branch"


def test_a_refusal_inside_the_transaction_is_audited_once(db, queue, branch, actors, clock, other_branch) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "account_opening")
    with pytest.raises(PermissionDenied, match="another branch"):
        ChecklistService(db, clock).start_run(other_branch.teller, ticket.id)
    [entry] = _refusals(db, actors, clock, "pd_teller")
    assert entry.detail == {"permission": "work for another branch", "branch_id": branch.id,
                            "reason": "another branch"}


def test_one_own_branch_is_not_refused_or_audited(db, queue, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    assert _refusals(db, actors, clock, "lobby") == []
