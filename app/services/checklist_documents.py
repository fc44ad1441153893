"""Printed checklists: the record of a completed run, and a blank form for paper fallback.

Like app/services/documents.py: the service copies what the document needs (times in the
branch's zone, personal data unmasked) into plain records; the builder masks and lays out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Branch, BusinessType, Customer, Ticket
from app.domain.checklist_runs import StepStatus
from app.domain.checklist_templates import Condition, Step, StepKind, Template
from app.domain.errors import Conflict, NotFound
from app.printing.checklist_form import ChecklistFormData, ChecklistFormStep, build_checklist_form
from app.services.actor import Actor
from app.services.checklists import ChecklistService, RunView, StepResultView
from app.services.documents import PrintSettings

KIND_LABELS = {StepKind.TICK: "勾选", StepKind.TEXT: "填写", StepKind.NUMBER: "数值", StepKind.CHOICE: "选择",
               StepKind.DOCUMENT: "证件/资料核验", StepKind.SIGNATURE: "纸质签字",
               StepKind.SUPERVISOR: "主管确认"}
RESULT_LABELS = {StepStatus.DONE: "已完成", StepStatus.SKIPPED: "已跳过", StepStatus.OVERRIDDEN: "主管授权免做"}
FACT_LABELS = {"customer_age": "客户年龄"}


def value_words(step: Step, value: Any) -> str:
    """An input as printed: the option's Chinese label, a number with its unit, or the text."""
    if value is None or step.kind in (StepKind.TICK, StepKind.DOCUMENT, StepKind.SIGNATURE, StepKind.SUPERVISOR):
        return ""
    if step.kind is StepKind.CHOICE:
        return next((option.zh for option in step.options if option.value == value), str(value))
    if step.kind is StepKind.NUMBER:
        number = int(value) if float(value).is_integer() else value
        text = f"{number:,}" if isinstance(number, int) else f"{number:,.2f}"
        return f"{text} {'元' if step.unit == 'CNY' else step.unit}".strip()
    return str(value)


def condition_words(template: Template, conditions: tuple[Condition, ...]) -> str:
    parts = []
    for condition in conditions:
        if condition.source == "fact":
            parts.append(f"{FACT_LABELS.get(condition.name, condition.name)} {condition.op} {condition.value}")
        else:
            step = template.step(condition.name)
            parts.append(f"{step.title_zh} {condition.op} {value_words(step, condition.value) or condition.value}")
    return "，且".join(parts)


class ChecklistDocuments:
    def __init__(self, checklists: ChecklistService, print_settings: PrintSettings) -> None:
        self.checklists = checklists
        self.db: Database = checklists.db
        self.settings = print_settings

    def run_form(self, actor: Actor, run_id: int) -> bytes:
        """The record of a run with nothing required left open (done, skipped or overridden)."""
        run = self.checklists.run(actor, run_id)
        if not run.complete:
            raise Conflict(code="checklist_not_complete",
                           template="The checklist of ticket {ticket} still has required steps open.",
                           ticket=run.ticket_number)
        with self.db.read() as session:
            ticket = session.get(Ticket, run.ticket_id)
            branch = session.get(Branch, run.branch_id)
            assert ticket is not None and branch is not None
            zone = ZoneInfo(branch.timezone)
            counter_label = ticket.counter.name if ticket.counter else ""
            teller = run.started_by_name
            business = ticket.business_type.name_zh
            branch_name, branch_code = branch.name, branch.code
            customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
            # Only the stored masked ID is read: the record never needs the full number.
            customer_name, customer_id = (customer.name, customer.id_masked) if customer else (None, None)

        def local(moment: datetime | None) -> datetime | None:
            return moment.astimezone(zone) if moment else None

        steps = [self._record_step(step, run.results[step.id], local) for step in run.template.steps
                 if step.id in run.applicable and step.id in run.results]
        times = [result.at for result in run.results.values()]
        notes = [f"客户信息：{FACT_LABELS[k]} {v}" for k, v in run.facts.items() if k in FACT_LABELS]
        data = ChecklistFormData(
            bank_name=self.settings.bank_name, branch_name=branch_name, title=run.template.title_zh,
            business_name=business, template_version=run.template.version,
            document_id=f"CL-{branch_code}-{run.started_at.astimezone(zone):%Y%m%d}-{run.ticket_number}-{run.id}",
            issued_at=local(self.checklists.clock()) or self.checklists.clock(), steps=steps,
            ticket_number=run.ticket_number, counter_label=counter_label, teller_name=teller,
            started_at=local(run.started_at), finished_at=local(max(times)) if times else None, notes=notes,
            customer_name=customer_name, customer_id_number=customer_id)
        return build_checklist_form(data)

    @staticmethod
    def _record_step(step: Step, result: StepResultView, local) -> ChecklistFormStep:  # type: ignore[no-untyped-def]
        return ChecklistFormStep(
            title=step.title_zh, required=step.required, kind_label=KIND_LABELS[step.kind],
            result=RESULT_LABELS[result.status], value=value_words(step, result.value),
            note=result.reason or "", at=local(result.at), by=result.user_name,
            approved_by=result.approved_by_name or "", rule=step.rule)

    def blank_form(self, branch_id: int, business_type: str, version: int | None = None) -> bytes:
        """Every step of a template version with boxes to tick by hand, for when the system is down."""
        template = self.checklists.templates.template(business_type, version)
        with self.db.read() as session:
            branch = session.get(Branch, branch_id)
            if branch is None:
                raise NotFound(what="Branch", key=branch_id)
            business = session.scalar(select(BusinessType.name_zh).where(BusinessType.code == business_type))
            zone = ZoneInfo(branch.timezone)
            branch_name, branch_code = branch.name, branch.code
        steps = [ChecklistFormStep(title=step.title_zh, required=step.required, kind_label=KIND_LABELS[step.kind],
                                   condition=condition_words(template, step.when), rule=step.rule)
                 for step in template.steps]
        now = self.checklists.clock().astimezone(zone)
        return build_checklist_form(ChecklistFormData(
            bank_name=self.settings.bank_name, branch_name=branch_name, title=template.title_zh,
            business_name=business or business_type, template_version=template.version,
            document_id=f"CL-{branch_code}-{business_type}-v{template.version}", issued_at=now, steps=steps,
            blank=True, notes=["系统无法使用时以本表纸质办理，恢复后补录系统。必做事项未完成的，须经主管授权并注明原因。"]))


__all__ = ["ChecklistDocuments", "RunView"]
