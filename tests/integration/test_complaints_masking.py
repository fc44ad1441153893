"""Complaint personal data on both databases: every list and view masked, the full value of one
field only through the audited reveal, drafts completed from their masked view, the CLI masked."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.db.models import Complaint
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.services.audit import AuditFilter, AuditLog
from app.services.complaint_documents import ComplaintDocuments
from app.services.complaint_sealing import REVEAL_FIELDS
from tests.integration.test_cli import Cli
from tests.integration.test_complaints import complaints, reads  # noqa: F401 - the same fixtures
from tests.unit.printing.pdfcheck import all_text, read

from .complaint_helpers import walk_in_entry

FULL = {"complainant_name": "张三", "complainant_id_number": "11010119900307037X",
        "complainant_contact": "13812341234", "agent_name": "李四", "agent_contact": "13900001111"}
MASKED = {"complainant_name": "张*", "complainant_id_number": "110101********037X",
          "complainant_contact": "138****1234", "agent_name": "李*", "agent_contact": "139****1111"}




@pytest.fixture
def complaint_id(complaints, reads, branch, actors) -> int:  # type: ignore[no-untyped-def]
    entry = walk_in_entry(agent_name="李四", agent_contact="13900001111", agent_authorisation="授权委托书一份")
    reference = complaints.submit(actors.teller1, branch.id, entry)
    return next(r.id for r in reads.list(actors.teller1, branch.id) if r.reference == reference)


def audit(db, actors, action: str):  # type: ignore[no-untyped-def]
    return AuditLog(db).entries(actors.supervisor, AuditFilter(action=action))


def leaks(text: str) -> list[str]:
    return [value for value in FULL.values() if value in text]


def test_list_and_view_carry_masked_values_only(reads, branch, actors,
                                                complaint_id) -> None:  # type: ignore[no-untyped-def]
    [row] = reads.list(actors.lobby, branch.id)
    assert row.complainant == "张*"
    view = reads.get(actors.lobby, complaint_id)
    assert {name: view.fields[name] for name in MASKED} == MASKED
    assert leaks(repr(row)) == [] and leaks(repr(view)) == []
    assert set(REVEAL_FIELDS) == set(MASKED)


def test_an_organisation_is_listed_by_its_registered_name(complaints, reads, branch,
                                                          actors) -> None:  # type: ignore[no-untyped-def]
    complaints.submit(actors.lobby, branch.id, walk_in_entry(
        complainant_kind="organisation", org_name="上海某某贸易有限公司",
        org_credit_code="91110000600037341L", org_legal_rep="王五", complainant_name="赵六"))
    [row] = reads.list(actors.lobby, branch.id)
    assert row.complainant == "上海某某贸易有限公司"
    assert reads.get(actors.lobby, row.id).fields["complainant_name"] == "赵*"


def test_reveal_gives_one_full_value_and_audits_who_what_and_why(db, reads, actors,
                                                                 complaint_id) -> None:  # type: ignore[no-untyped-def]
    for field, value in FULL.items():
        assert reads.reveal(actors.teller1, complaint_id, field, "  核对 客户身份 ") == value
    entries = audit(db, actors, "reveal")
    assert len(entries) == len(FULL)
    entry = entries[0]  # newest first
    assert (entry.username, entry.target_type, entry.target_id) == ("teller1", "complaint", str(complaint_id))
    assert entry.detail == {"field": "agent_contact", "reason": "核对 客户身份"}
    assert sorted(e.detail["field"] for e in entries) == sorted(FULL)


def test_reveal_needs_the_permission_and_the_refusal_is_audited(db, reads, actors,
                                                                complaint_id) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):  # the lobby manager handles complaints but may not reveal
        reads.reveal(actors.lobby, complaint_id, "complainant_id_number", "核对身份")
    [denied] = audit(db, actors, "permission_denied")
    assert denied.username == "lobby" and denied.detail == {"permission": "reveal_sensitive"}
    assert audit(db, actors, "reveal") == []


def test_reveal_of_another_branchs_complaint_is_refused_and_audited(
        db, reads, actors, other_branch, complaint_id) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied) as refused:
        reads.reveal(other_branch.teller, complaint_id, "complainant_contact", "核对身份")
    assert refused.value.params["action"] == "work for another branch"
    [denied] = audit(db, actors, "permission_denied")
    assert (denied.username, denied.target_type, denied.target_id) == ("pd_teller", "complaint", str(complaint_id))
    assert denied.detail["field"] == "complainant_contact" and denied.branch_id == other_branch.branch.id
    assert audit(db, actors, "reveal") == []
    with pytest.raises(NotFound):
        reads.reveal(actors.teller1, complaint_id + 999, "complainant_contact", "核对身份")


@pytest.mark.parametrize(("field", "reason", "named", "why"), [
    ("complainant_id_number", "", "reason", {"reason": "required"}),
    ("complainant_id_number", " \t\n ", "reason", {"reason": "required"}),
    ("complainant_id_number", "理" * 501, "reason", {"reason": "max_length", "limit": 500}),
    ("request", "核对身份", "field", {"reason": "one_of", "choices": REVEAL_FIELDS}),
])
def test_reveal_needs_a_reason_and_a_personal_field(db, reads, actors, complaint_id, field, reason, named,
                                                    why) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        reads.reveal(actors.teller1, complaint_id, field, reason)
    assert refused.value.params == {"field": named, **why}
    assert audit(db, actors, "reveal") == []
    assert reads.reveal(actors.teller1, complaint_id, "complainant_name", "理" * 500) == "张三"


def test_a_draft_completed_from_its_masked_view_keeps_the_stored_values(db, complaints, reads, branch,
                                                                        actors) -> None:  # type: ignore[no-untyped-def]
    draft = complaints.save_draft(actors.teller1, branch.id, walk_in_entry(
        request=None, agent_name="李四", agent_contact="13900001111", agent_authorisation="授权委托书一份"))
    view = reads.get(actors.teller1, draft)
    shown = view.entry
    assert shown.complainant_id_number == MASKED["complainant_id_number"]
    # Half-edited masked text is refused by name, and nothing changes.
    with pytest.raises(ValidationError) as refused:
        complaints.save_draft(actors.teller1, branch.id, replace(shown, complainant_contact="138****9999"),
                              complaint_id=draft)
    assert refused.value.params["field"] == "complainant_contact"
    assert refused.value.params["reason"] == "masked_characters"
    # Left as shown: the stored values stay; a value typed anew replaces its stored one.
    complaints.submit(actors.teller1, branch.id, replace(shown, request="要求道歉", agent_contact="13700002222"),
                      complaint_id=draft)
    with db.read() as session:
        stored = session.scalars(select(Complaint).where(Complaint.id == draft)).one()
        kept = {name: complaints.sealer.plain(stored, name) for name in FULL}
    assert kept == {**FULL, "agent_contact": "13700002222"}


def test_cli_complaint_list_json_is_masked(db_url, capsys, complaint_id) -> None:  # type: ignore[no-untyped-def]
    output = Cli(db_url, capsys).ok("complaints", "list", "--json")
    [row] = json.loads(output)
    assert row["complainant"] == "张*" and leaks(output) == []


def test_printed_copies_for_the_branch_mask_the_id_number_and_the_contact(
        db, clock, actors, complaint_id) -> None:  # type: ignore[no-untyped-def]
    """The reply letter goes to the complainant (full name); the branch's file copy masks the name too.
    Neither shows a full ID number or phone number."""
    documents = ComplaintDocuments(db, "BranchDesk 银行", clock=clock)
    file_copy = all_text(read(documents.acknowledgement(actors.lobby, complaint_id, complainant_copy=False)))
    assert leaks(file_copy) == [] and MASKED["complainant_id_number"] in file_copy
    assert MASKED["complainant_contact"] in file_copy and "李*" in file_copy
