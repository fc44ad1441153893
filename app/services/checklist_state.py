"""A run's state read inside a transaction, and the guard that keeps a ticket open while a
required step is open (called from ``QueueService.finish``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import ChecklistRun, ChecklistStepResult, ChecklistTemplate, Ticket
from app.domain.checklist_runs import Progress, Result, StepStatus, progress
from app.domain.checklist_templates import Template, parse_template
from app.domain.errors import DomainError
from app.domain.tickets import ServiceOutcome

#: Template versions never change, so a parsed version is kept by its row id.
_PARSED: dict[int, Template] = {}


class ChecklistIncomplete(DomainError):
    code = "checklist_incomplete"
    template = ("Ticket {ticket} cannot be finished: {count} required checklist step(s) still open, "
                "starting with “{step}”. Complete them or ask a supervisor to override.")


def parsed_template(row: ChecklistTemplate) -> Template:
    template = _PARSED.get(row.id)
    if template is None:
        template = parse_template(row.source, row.file_name)
        _PARSED[row.id] = template
    return template


@dataclass(frozen=True)
class RunState:
    run: ChecklistRun
    template: Template
    facts: dict[str, Any]
    rows: dict[str, ChecklistStepResult]
    results: dict[str, Result]
    progress: Progress


def load_run_state(session: Session, run: ChecklistRun) -> RunState:
    rows = {row.step_id: row for row in session.scalars(
        select(ChecklistStepResult).where(ChecklistStepResult.run_id == run.id).order_by(ChecklistStepResult.id))}
    results = {step_id: Result(StepStatus(row.status), json.loads(row.value) if row.value is not None else None)
               for step_id, row in rows.items()}
    template = parsed_template(run.template)
    facts = json.loads(run.facts or "{}")
    return RunState(run=run, template=template, facts=facts, rows=rows, results=results,
                    progress=progress(template, facts, results))


#: Outcomes that mean the business was not carried out: nothing to check off.
NOT_CARRIED_OUT = frozenset({ServiceOutcome.DOCUMENTS_MISSING, ServiceOutcome.REFERRED,
                             ServiceOutcome.CUSTOMER_DECLINED, ServiceOutcome.SYSTEM_UNAVAILABLE})


def require_checklist_complete(session: Session, ticket: Ticket,
                               outcome: ServiceOutcome = ServiceOutcome.COMPLETED) -> None:
    """Refuse finishing a ticket whose checklist run has a required step neither done nor overridden.

    A ticket without a run is not held up (no checklist was started for it), nor one whose
    outcome says the business was not carried out (documents missing, declined, …)."""
    if outcome in NOT_CARRIED_OUT:
        return
    run = session.scalar(select(ChecklistRun).where(ChecklistRun.ticket_id == ticket.id))
    if run is None:
        return
    state = load_run_state(session, run)
    blockers = state.progress.blockers
    if blockers:
        raise ChecklistIncomplete(ticket=ticket.display_number, count=len(blockers), step=blockers[0].title_en,
                                  step_zh=blockers[0].title_zh, run=run.id)


_RESULT_WORDS = {StepStatus.DONE: "已完成", StepStatus.SKIPPED: "已跳过", StepStatus.OVERRIDDEN: "主管授权免做"}


def checklist_summary_in(session: Session, ticket: Ticket) -> list[tuple[str, str]]:
    """(step, result) of the ticket's run for the service receipt; empty when no run was started."""
    run = session.scalar(select(ChecklistRun).where(ChecklistRun.ticket_id == ticket.id))
    if run is None:
        return []
    state = load_run_state(session, run)
    return [(step.title_zh, _RESULT_WORDS[state.results[step.id].status] if step.id in state.results else "未办理")
            for step in state.progress.applicable]
