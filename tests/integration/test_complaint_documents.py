"""Complaint acknowledgement and reply letters: built from the database, read back as PDFs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.models import Counter, User
from app.domain.errors import Conflict
from app.services.complaint_documents import ComplaintDocuments
from app.services.complaint_reads import ComplaintReads
from app.services.complaints import ComplaintService
from tests.unit.printing.pdfcheck import all_text, read

from .complaint_helpers import walk_in_entry


@pytest.fixture
def setup(db, clock, branch, actors):  # type: ignore[no-untyped-def]
    service = ComplaintService(db, clock=clock)
    with db.read() as session:
        counter = session.scalar(select(Counter.id).where(Counter.branch_id == branch.id, Counter.number == 2))
        teller = session.scalar(select(User.id).where(User.username == "teller2"))
    reference = service.submit(actors.teller1, branch.id, walk_in_entry(
        subject_counter_id=counter, subject_user_id=teller, attachments=("身份证复印件", "存款凭条")))
    cid = next(r.id for r in ComplaintReads(db, clock=clock).list(actors.lobby, branch.id) if r.reference == reference)
    return service, ComplaintDocuments(db, "BranchDesk 银行", clock=clock), cid


def test_acknowledgement_for_the_complainant_shows_their_name_and_masks_the_rest(setup, actors) -> None:  # type: ignore[no-untyped-def]
    _, documents, cid = setup
    text = all_text(read(documents.acknowledgement(actors.teller1, cid)))
    assert "投诉受理回执（投诉人留存联）" in text
    assert "TS-2026-0001" in text and "2026年11月23日" in text and "2026年12月08日" in text
    assert "张三" in text and "138****1234" in text and "110101********037X" in text
    assert "13812341234" not in text and "19900307" not in text
    assert "刘*" in text and "刘洋" not in text  # the staff member complained about, masked
    assert "张*" in text  # first responder 张伟, masked
    assert "营业现场" in text and "人民币储蓄" in text and "服务态度及服务质量" in text
    assert "存款凭条" in text and "15日内" in text


def test_file_copy_masks_the_complainant_name(setup, actors) -> None:  # type: ignore[no-untyped-def]
    _, documents, cid = setup
    text = all_text(read(documents.acknowledgement(actors.lobby, cid, complainant_copy=False)))
    assert "网点存档联" in text and "张三" not in text


def test_reply_letter_only_after_the_decision(setup, actors) -> None:  # type: ignore[no-untyped-def]
    service, documents, cid = setup
    with pytest.raises(Conflict) as early:
        documents.reply_letter(actors.lobby, cid)
    assert early.value.code == "complaint_not_decided"
    service.accept(actors.lobby, cid)
    service.investigate(actors.lobby, cid)
    service.decide(actors.lobby, cid, "经核查监控，柜员服务用语不规范，已责令整改并向您致歉。")
    text = all_text(read(documents.reply_letter(actors.lobby, cid)))
    assert "投诉处理答复书" in text and "TS-2026-0001" in text and "张三" in text
    assert "已责令整改并向您致歉" in text and "30日内" in text and "复核" in text


def test_draft_cannot_be_printed(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    draft = ComplaintService(db, clock=clock).save_draft(actors.lobby, branch.id, walk_in_entry())
    with pytest.raises(Conflict) as refused:
        ComplaintDocuments(db, "银行", clock=clock).acknowledgement(actors.lobby, draft)
    assert refused.value.code == "complaint_not_submitted"
