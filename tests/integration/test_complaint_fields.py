"""One list of a complaint's entry fields (complaint_entry.STORED_FIELDS): written by saving and
submitting, shown by reading, on both databases."""

from __future__ import annotations

from dataclasses import fields, replace

from app.db.models import Complaint
from app.domain.complaint_entry import STORED_FIELDS, ComplaintEntry, entry_field_names
from app.services.complaint_reads import HANDLING_FIELDS, VIEW_FIELDS
from app.services.complaint_sealing import MASKERS
from tests.integration.test_complaints import complaints, reads  # noqa: F401 - the same fixtures

from .complaint_helpers import walk_in_entry


def test_the_stored_fields_are_the_entry_and_complaint_columns_of_the_same_name() -> None:
    assert STORED_FIELDS == tuple(name for name in entry_field_names() if name != "attachments")
    assert [f.name for f in fields(ComplaintEntry)] == [*STORED_FIELDS, "attachments"]
    columns = set(Complaint.__table__.columns.keys())
    assert set(VIEW_FIELDS) <= columns and "attachments" in columns
    assert VIEW_FIELDS == STORED_FIELDS + HANDLING_FIELDS and len(set(VIEW_FIELDS)) == len(VIEW_FIELDS)


def test_every_entry_field_saved_is_shown_back(db, complaints, reads, branch, actors,  # noqa: F811
                                               queue) -> None:  # type: ignore[no-untyped-def]
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
    entry = walk_in_entry(agent_name="李四", agent_contact="13900001111", agent_authorisation="授权委托书一份",
                          subject_user_id=actors.teller1.user_id, subject_counter_id=None, ticket_id=ticket.id,
                          subject_note="1号窗口", attachments=("身份证复印件", "交易凭条"))
    assert all(getattr(entry, name) is not None for name in STORED_FIELDS
               if name not in ("customer_id", "subject_counter_id", "org_name", "org_credit_code", "org_legal_rep"))
    draft = complaints.save_draft(actors.lobby, branch.id, entry)
    view = reads.get(actors.lobby, draft)
    assert set(view.fields) == set(VIEW_FIELDS)
    masked = {name: view.fields[name] for name in MASKERS}
    assert all(masked[name] != getattr(entry, name) for name in MASKERS)  # shown masked
    assert view.entry == replace(entry, **masked)  # everything else exactly as saved
