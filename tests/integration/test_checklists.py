"""Checklist runs on both databases: seeding, version pinning, steps in order, input checks,
skip with a reason, finishing refused while a required step is open, the supervisor override
(wrong password, non-supervisor refused, audited), template import with a diff, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db.models import ChecklistTemplate
from app.domain.checklist_runs import RuleViolated, StepStatus
from app.domain.checklist_templates import TemplateInvalid
from app.domain.errors import AuthenticationFailed, Conflict, NotFound, PermissionDenied, ValidationError
from app.domain.tickets import ServiceOutcome, TicketStatus
from app.services.audit import AuditAction, AuditFilter, AuditLog
from app.services.bootstrap import DEMO_PASSWORD
from app.services.checklist_state import ChecklistIncomplete
from app.services.checklist_templates import TemplateStore, seed_checklist_templates, templates_dir
from app.services.checklists import ChecklistService, SupervisorCredentials

SUPERVISOR = SupervisorCredentials("supervisor", DEMO_PASSWORD)


@pytest.fixture
def checklists(db, clock) -> ChecklistService:  # type: ignore[no-untyped-def]
    return ChecklistService(db, clock=clock)


def serve(queue, actors, branch, code: str, counter: int = 1):  # type: ignore[no-untyped-def]
    """Issue a ticket of this business type, call it to the counter and start serving it."""
    queue.issue_ticket(actors.lobby, branch.id, code)
    ticket = queue.call_next(actors.teller1, branch.id, counter)
    assert ticket is not None and ticket.business_code == code
    queue.start(actors.teller1, branch.id, counter)
    return ticket


def work(checklists, actor, run, answers: dict[str, object]):  # type: ignore[no-untyped-def]
    """Complete the run's steps in order with the given inputs until a step has no answer."""
    while run.current_step is not None and run.current_step in answers:
        run = checklists.complete_step(actor, run.id, run.current_step, answers[run.current_step])
    return run


def test_templates_are_seeded_once_and_listed(db, clock) -> None:  # type: ignore[no-untyped-def]
    store = TemplateStore(db, clock)
    summaries = store.summaries()
    assert {s.business_type for s in summaries} >= {
        "account_opening", "deposit_withdrawal", "loan", "wealth", "loss_report", "remittance",
        "corporate_account", "corporate_settlement", "ebanking"}
    assert all(s.version == 1 and s.step_count > 3 and s.active for s in summaries)
    assert seed_checklist_templates(db) == 0  # idempotent
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistTemplate)) == len(summaries)


def test_a_run_is_worked_in_order_and_lets_the_ticket_finish(queue, checklists, actors, branch, db) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "account_opening")
    run = checklists.start_run(actors.teller1, ticket.id, facts={"customer_age": 40})
    assert run.current_step == "id_original" and run.template.version == 1
    assert "elderly_care" not in run.applicable
    assert checklists.start_run(actors.teller1, ticket.id).id == run.id  # one run per ticket
    with pytest.raises(Conflict) as caught:
        checklists.complete_step(actors.teller1, run.id, "face_match")
    assert caught.value.code == "checklist_out_of_order"
    run = work(checklists, actors.teller1, run, {
        "id_original": None, "id_online_check": None, "face_match": None, "class_one_count": None,
        "purpose": "工资收入", "due_diligence": "low", "account_class": "I", "fraud_declaration": None,
        "agreements": None, "card_issued": None})
    assert run.current_step == "sms_alerts"
    assert run.results["purpose"].value == "工资收入"
    assert run.results["due_diligence"].user_name == "张伟"
    run = checklists.skip_step(actors.teller1, run.id, "sms_alerts", "客户不需要")
    assert run.results["sms_alerts"].status is StepStatus.SKIPPED and run.results["sms_alerts"].reason == "客户不需要"
    assert run.blockers == ("archive",)
    with pytest.raises(ChecklistIncomplete) as refused:
        queue.finish(actors.teller1, branch.id, 1)
    assert refused.value.params["step"] == "Account-opening documents archived"
    assert refused.value.params["step_zh"] == "开户资料归档"
    assert queue.get_ticket(branch.id, ticket.number).status is TicketStatus.SERVING
    run = checklists.complete_step(actors.teller1, run.id, "archive")
    assert run.complete and run.current_step is None
    assert queue.finish(actors.teller1, branch.id, 1).status is TicketStatus.FINISHED
    assert checklists.start_run(actors.teller1, ticket.id).id == run.id  # still readable
    with pytest.raises(Conflict) as closed:
        checklists.skip_step(actors.teller1, run.id, "archive", "late")
    assert closed.value.code == "checklist_ticket_closed"


def test_a_required_step_cannot_be_skipped_and_a_skip_needs_a_reason(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "account_opening")
    run = checklists.start_run(actors.teller1, ticket.id)
    with pytest.raises(Conflict) as caught:
        checklists.skip_step(actors.teller1, run.id, "id_original", "忘带证件")
    assert caught.value.code == "checklist_step_required"
    with pytest.raises(ValidationError):
        checklists.skip_step(actors.teller1, run.id, "id_original", "  ")


def test_an_unknown_age_adds_the_elderly_steps(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "wealth")
    run = checklists.start_run(actors.teller1, ticket.id)
    assert "elderly_care" in run.applicable
    with pytest.raises(ValidationError):
        checklists.start_run(actors.teller1, ticket.id, facts={"shoe_size": 42})


def test_inputs_and_the_suitability_rule_are_validated(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "wealth")
    run = checklists.start_run(actors.teller1, ticket.id, facts={"customer_age": 70})
    run = checklists.complete_step(actors.teller1, run.id, "id_original")
    with pytest.raises(ValidationError) as caught:
        checklists.complete_step(actors.teller1, run.id, "assessment_date", "2025-01-01")  # clock: 2026-11-23
    assert caught.value.params["field"] == "Date of the risk tolerance assessment"
    assert caught.value.params["reason"] == "too_old" and caught.value.params["days"] == 365
    assert caught.value.message == "Date of the risk tolerance assessment: older than 365 days"
    run = work(checklists, actors.teller1, run, {"assessment_date": "2026-03-01", "customer_risk": "C2",
                                                 "product_code": "WM-2026-018"})
    with pytest.raises(RuleViolated):
        checklists.complete_step(actors.teller1, run.id, "product_risk", "R3")
    run = checklists.complete_step(actors.teller1, run.id, "product_risk", "R2")
    with pytest.raises(ValidationError):
        checklists.complete_step(actors.teller1, run.id, "amount", "-5")
    run = work(checklists, actors.teller1, run, {"amount": "100000", "elderly_care": None,
                                                 "recording_started": None, "risk_disclosure": None,
                                                 "customer_confirmation": None})
    with pytest.raises(ValidationError) as bad_id:
        checklists.complete_step(actors.teller1, run.id, "recording_id", "x")
    assert bad_id.value.params["field_zh"] == "双录编号"
    run = checklists.complete_step(actors.teller1, run.id, "recording_id", "SL20261123001")
    assert run.results["amount"].value == 100000


def test_deposit_conditions_follow_inputs(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "deposit_withdrawal")
    run = checklists.start_run(actors.teller1, ticket.id)
    run = work(checklists, actors.teller1, run, {"product": "flexible", "amount": "80000", "id_original": None})
    assert run.current_step == "large_cash_id_check"
    assert "flexible_rate_notice" in run.applicable and "education_term" not in run.applicable


def test_supervisor_override_signs_in_on_the_spot_and_is_audited(queue, checklists, actors, branch, db, clock) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "loss_report")
    run = checklists.start_run(actors.teller1, ticket.id)
    run = checklists.complete_step(actors.teller1, run.id, "report_form", "written")
    with pytest.raises(AuthenticationFailed):
        checklists.override(actors.teller1, run.id, SupervisorCredentials("supervisor", "wrong-password"), "客户急需")
    with pytest.raises(PermissionDenied):
        checklists.override(actors.teller1, run.id, SupervisorCredentials("teller2", DEMO_PASSWORD), "客户急需")
    with pytest.raises(ValidationError):
        checklists.override(actors.teller1, run.id, SUPERVISOR, "")
    with pytest.raises(Conflict):  # not the next step
        checklists.override(actors.teller1, run.id, SUPERVISOR, "客户急需", step_id="stop_payment")
    run = checklists.override(actors.teller1, run.id, SUPERVISOR, "证件在补办中，主管核实身份", step_id="id_original")
    result = run.results["id_original"]
    assert result.status is StepStatus.OVERRIDDEN and result.approved_by_name == "王主管"
    assert result.reason == "证件在补办中，主管核实身份"
    assert run.current_step == "account_details"
    # Finishing with the rest open is refused; a run-wide override lets it through.
    with pytest.raises(ChecklistIncomplete):
        queue.finish(actors.teller1, branch.id, 1)
    run = checklists.override(actors.teller1, run.id, SUPERVISOR, "系统故障，纸质办理")
    assert run.complete
    assert {run.results[s].status for s in ("account_details", "stop_payment", "fee_and_slip")} == {
        StepStatus.OVERRIDDEN}
    queue.finish(actors.teller1, branch.id, 1)
    log = AuditLog(db, clock)
    overrides = log.entries(actors.supervisor, AuditFilter(action=AuditAction.OVERRIDE.value))
    assert [e.username for e in overrides] == ["supervisor", "supervisor"]
    assert overrides[-1].detail["steps"] == ["id_original"] and overrides[-1].detail["teller"] == "teller1"
    assert overrides[0].detail["reason"] == "系统故障，纸质办理"
    failed = log.entries(actors.supervisor, AuditFilter(action=AuditAction.LOGIN_FAILED.value))
    assert failed and failed[0].detail["purpose"] == "checklist_override"
    denied = log.entries(actors.supervisor, AuditFilter(action=AuditAction.PERMISSION_DENIED.value))
    assert denied[0].username == "teller2" and denied[0].detail["permission"] == "override_checklist"


def test_a_supervisor_step_needs_a_supervisor(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "corporate_account")
    run = checklists.start_run(actors.teller1, ticket.id)
    run = work(checklists, actors.teller1, run, {"service": "close", "licence": None, "legal_rep_id": None,
                                                 "closure_balance": None})
    assert run.current_step == "supervisor_review"
    with pytest.raises(ValidationError) as caught:
        checklists.complete_step(actors.teller1, run.id, "supervisor_review")
    assert caught.value.params["reason"] == "supervisor_must_confirm"
    run = checklists.complete_step(actors.teller1, run.id, "supervisor_review", supervisor=SUPERVISOR)
    assert run.results["supervisor_review"].approved_by_name == "王主管"


def test_an_outcome_that_did_not_carry_the_business_out_is_not_held_up(queue, checklists, actors, branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "loan")
    checklists.start_run(actors.teller1, ticket.id)
    finished = queue.finish(actors.teller1, branch.id, 1, outcome=ServiceOutcome.DOCUMENTS_MISSING)
    assert finished.status is TicketStatus.FINISHED


def test_a_run_keeps_its_version_after_an_import(queue, checklists, actors, branch, db, clock) -> None:  # type: ignore[no-untyped-def]
    store = TemplateStore(db, clock)
    ticket = serve(queue, actors, branch, "ebanking")
    old_run = checklists.start_run(actors.teller1, ticket.id)
    text = (templates_dir() / "ebanking.toml").read_text(encoding="utf-8")
    changed = text.replace("version = 1", "version = 2").replace(
        'id = "first_login"\nkind = "tick"\nrequired = false', 'id = "first_login"\nkind = "tick"\nrequired = true')
    with pytest.raises(PermissionDenied):
        store.preview_import(actors.teller1, changed, "ebanking.toml")
    preview = store.preview_import(actors.supervisor, changed, "ebanking.toml")
    assert preview.current_version == 1
    assert preview.diff == ["~ version: 1 → 2", "~ step first_login: required: False → True"]
    store.import_template(actors.supervisor, changed, "ebanking.toml")
    with pytest.raises(Conflict) as again:
        store.import_template(actors.supervisor, changed, "ebanking.toml")
    assert again.value.code == "template_version_not_newer"
    with pytest.raises(TemplateInvalid):
        store.import_template(actors.supervisor, changed.replace('kind = "tick"', 'kind = "tock"'), "e.toml")
    with pytest.raises(NotFound):
        store.import_template(actors.supervisor, changed.replace('"ebanking"', '"no_such_type"'), "x.toml")
    # The running ticket keeps version 1; the next one gets version 2; version 1 stays readable.
    assert checklists.run(actors.teller1, old_run.id).template.version == 1
    assert not checklists.run(actors.teller1, old_run.id).template.step("first_login").required
    assert store.template("ebanking", 1).version == 1
    assert [s.version for s in store.summaries() if s.business_type == "ebanking"] == [2]
    assert [(s.version, s.active) for s in store.summaries(include_retired=True)
            if s.business_type == "ebanking"] == [(1, False), (2, True)]
    queue.finish(actors.teller1, branch.id, 1, outcome=ServiceOutcome.REFERRED)
    new_ticket = serve(queue, actors, branch, "ebanking")
    assert checklists.start_run(actors.teller1, new_ticket.id).template.version == 2
    [change] = AuditLog(db, clock).entries(actors.supervisor, AuditFilter(action=AuditAction.TEMPLATE_CHANGE.value))
    assert change.detail["version"] == 2 and change.detail["previous"] == 1
    assert seed_checklist_templates(db) == 0  # the shipped v1 does not replace the imported v2


def test_permissions_and_branches(queue, checklists, actors, branch, other_branch) -> None:  # type: ignore[no-untyped-def]
    ticket = serve(queue, actors, branch, "remittance")
    with pytest.raises(PermissionDenied):
        checklists.start_run(actors.lobby, ticket.id)
    run = checklists.start_run(actors.teller1, ticket.id)
    with pytest.raises(PermissionDenied):
        checklists.complete_step(other_branch.teller, run.id, "id_original")
    with pytest.raises(PermissionDenied):
        checklists.run_for_ticket(actors.lobby, ticket.id)
    assert checklists.run_for_ticket(actors.teller2, ticket.id).id == run.id


def test_two_workstations_starting_the_same_run_get_one(queue, actors, branch, db, clock) -> None:  # type: ignore[no-untyped-def]
    import threading

    ticket = serve(queue, actors, branch, "wealth")
    barrier = threading.Barrier(4)
    ids: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            service = ChecklistService(db, clock=clock)
            barrier.wait()
            ids.append(service.start_run(actors.teller1, ticket.id).id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(ids) == 4 and len(set(ids)) == 1
