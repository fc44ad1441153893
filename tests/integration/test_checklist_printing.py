"""The printed checklist read back with pypdf: a completed run (results, masked names, skip and
override reasons, Chinese text) and the blank paper-fallback form."""

from __future__ import annotations

import pytest

from app.domain.errors import Conflict
from app.services.bootstrap import DEMO_PASSWORD
from app.services.checklist_documents import ChecklistDocuments
from app.services.checklists import ChecklistService, SupervisorCredentials
from app.services.documents import PrintSettings
from tests.unit.printing.pdfcheck import all_text, page_size, read

PRINT = PrintSettings(bank_name="示范银行", slip_notice="", slip_width_mm=80)


@pytest.fixture
def checklists(db, clock) -> ChecklistService:  # type: ignore[no-untyped-def]
    return ChecklistService(db, clock=clock)


def test_a_completed_run_prints_with_results_and_masked_names(queue, checklists, actors, branch, clock) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "deposit_withdrawal")
    ticket = queue.call_next(actors.teller1, branch.id, 2)
    queue.start(actors.teller1, branch.id, 2)
    run = checklists.start_run(actors.teller1, ticket.id, facts={"customer_age": 72})
    documents = ChecklistDocuments(checklists, PRINT)
    answers = {"product": "education", "amount": "60000", "id_original": None}
    for step_id, value in answers.items():
        clock.advance(seconds=30)
        run = checklists.complete_step(actors.teller1, run.id, step_id, value)
    with pytest.raises(Conflict) as early:
        documents.run_form(actors.teller1, run.id)
    assert early.value.code == "checklist_not_complete"
    run = checklists.override(actors.teller1, run.id, SupervisorCredentials("supervisor", DEMO_PASSWORD),
                              "联网核查系统故障，人工核验", step_id="large_cash_id_check")
    run = checklists.skip_step(actors.teller1, run.id, "large_cash_source", "客户拒绝说明")
    for step_id, value in {"education_grade": None, "education_term": "3y", "education_principal": "20000",
                           "school_certificate": None, "customer_confirmation": None}.items():
        run = checklists.complete_step(actors.teller1, run.id, step_id, value)
    assert run.complete
    text = all_text(read(documents.run_form(actors.teller1, run.id)))
    for expected in ("存取款业务核对单", "示范银行", "BranchDesk示范支行", "存取款", "第1版", ticket.number,
                     "储种", "教育储蓄", "60,000元", "已完成", "主管授权免做", "联网核查系统故障，人工核验",
                     "授权主管：王*", "张*", "客户签名", "经办柜员", "复核/授权", "《教育储蓄管理办法》",
                     "客户年龄72", "客户姓名—", "已跳过", "客户拒绝说明", "三年", "20,000元"):
        assert expected in text, expected
    assert "张伟" not in text and "王主管" not in text  # names are masked


def test_a_blank_form_lists_every_step_with_its_condition(checklists, branch, db) -> None:  # type: ignore[no-untyped-def]
    documents = ChecklistDocuments(checklists, PRINT)
    pdf = documents.blank_form(branch.id, "wealth")
    reader = read(pdf)
    assert page_size(reader) == pytest.approx((595.28, 841.89), abs=1)
    text = all_text(reader)
    template = checklists.templates.template("wealth")
    for step in template.steps:
        assert "".join(step.title_zh.split()) in text, step.id
    for expected in ("理财产品销售核对单（空白）", "适用条件：客户年龄>=65", "□已完成", "双录编号", "第1版"):
        assert expected in text, expected


def test_the_service_receipt_lists_the_checklist(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    from app.services.documents import DocumentService

    queue.issue_ticket(actors.lobby, branch.id, "consultation")
    ticket = queue.call_next(actors.teller1, branch.id, 1)
    queue.start(actors.teller1, branch.id, 1)
    run = checklists.start_run(actors.teller1, ticket.id)
    run = checklists.complete_step(actors.teller1, run.id, "topic", "question")
    run = checklists.complete_step(actors.teller1, run.id, "summary", "咨询大额存单利率")
    run = checklists.skip_step(actors.teller1, run.id, "answered", "需总行答复")
    queue.finish(actors.teller1, branch.id, 1)
    text = all_text(read(DocumentService(queue, PRINT).service_receipt(branch.id, ticket.number)))
    for expected in ("业务核对清单", "来访事由", "诉求摘要", "已完成", "已当场答复", "已跳过"):
        assert expected in text, expected
    assert "投诉已登记" not in text  # does not apply to a question
