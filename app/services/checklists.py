"""Checklist runs: a teller works a business type's checklist for the ticket being served.

A run is bound to a ticket (the customer comes through the ticket) and pinned to the template
version active when it started. Steps are worked in order: the next step is completed (its
input validated), an optional one skipped with a reason, a required one overridden by a
supervisor who signs in on the spot (audited). ``QueueService.finish`` refuses the ticket
while a required step is open (app/services/checklist_state.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Branch, ChecklistRun, ChecklistStepResult, Customer, Ticket, User
from app.domain.business_day import business_day, utcnow
from app.domain.checklist_runs import RunStatus, StepStatus, check_rules, inputs_of, validate_input
from app.domain.checklist_templates import FACTS, Step, StepKind, Template
from app.domain.identity import age_on, birth_date_in
from app.domain.errors import AuthenticationFailed, Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus, require_reason
from app.events import TOPIC_CHECKLISTS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record, record_in, require
from app.services.auth import authenticate
from app.services.checklist_state import RunState, load_run_state
from app.services.checklist_templates import TemplateStore
from app.keys import FieldCipher
from app.services.data_keys import open_cipher
from app.services.queue_session import check_branch

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

#: A run can be worked while its ticket is at the counter.
_OPEN_TICKET = frozenset({TicketStatus.CALLED.value, TicketStatus.SERVING.value, TicketStatus.PARKED.value})


@dataclass(frozen=True)
class SupervisorCredentials:
    """A supervisor signing in on the spot to confirm or override."""

    username: str
    password: str


@dataclass(frozen=True)
class StepResultView:
    step_id: str
    status: StepStatus
    value: Any
    reason: str | None
    at: datetime
    user_name: str
    approved_by_name: str | None


@dataclass(frozen=True)
class RunView:
    id: int
    ticket_id: int
    ticket_number: str
    branch_id: int
    template: Template
    facts: dict[str, Any]
    started_at: datetime
    started_by_name: str
    results: dict[str, StepResultView]
    applicable: tuple[str, ...]
    current_step: str | None
    blockers: tuple[str, ...]
    resolved: int
    total: int

    @property
    def status(self) -> RunStatus:
        return RunStatus.OPEN if self.blockers else RunStatus.COMPLETE

    @property
    def complete(self) -> bool:
        return not self.blockers

    def step_rows(self) -> list[tuple[Step, StepResultView | None, bool]]:
        """Every step of the template with its result and whether it applies to this run."""
        return [(step, self.results.get(step.id), step.id in self.applicable) for step in self.template.steps]


class ChecklistService:
    def __init__(self, db: Database, clock: Clock = utcnow, templates: TemplateStore | None = None,
                 key_file: str = "", cipher: FieldCipher | None = None) -> None:
        self.db = db
        self.clock = clock
        self.templates = templates or TemplateStore(db, clock)
        self._key_file = key_file  # the customer's age comes from their encrypted ID number
        self._cipher = cipher

    # -- reading ---------------------------------------------------------------------------

    def run(self, actor: Actor, run_id: int) -> RunView:
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        with self.db.read() as session:
            run = self._run(session, run_id)
            check_branch(actor, run.branch_id)
            return self._view(session, load_run_state(session, run))

    def run_for_ticket(self, actor: Actor, ticket_id: int) -> RunView | None:
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        with self.db.read() as session:
            run = session.scalar(select(ChecklistRun).where(ChecklistRun.ticket_id == ticket_id))
            if run is None:
                return None
            check_branch(actor, run.branch_id)
            return self._view(session, load_run_state(session, run))

    # -- working a run ---------------------------------------------------------------------

    def start_run(self, actor: Actor, ticket_id: int, *, facts: dict[str, Any] | None = None) -> RunView:
        """Start the ticket's run on the active template of its business type (or return the one started)."""
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        known = _checked_facts(facts or {})
        now = self.clock()
        try:
            return self._start(actor, ticket_id, known, now)
        except IntegrityError:
            # The same ticket's run was started on another workstation at the same moment.
            view = self.run_for_ticket(actor, ticket_id)
            assert view is not None
            return view

    def _customer_facts(self, session: Session, ticket: Ticket) -> dict[str, Any]:
        """What the identified customer tells the checklist: their age on the business day, from
        the birth date in their (encrypted) ID number. Without the data key the teller enters it."""
        if ticket.customer_id is None:
            return {}
        customer = session.get(Customer, ticket.customer_id)
        if customer is None or customer.id_type != "resident_id":
            return {}
        try:
            cipher = self._cipher or open_cipher(self.db, self._key_file, create=False)
            number = cipher.decrypt("id_number", customer.id_cipher)
        except DomainError as refusal:
            log.warning("the customer's age is not known to the checklist: %s", refusal.code)
            return {}
        birth = birth_date_in(number)
        return {"customer_age": age_on(birth, ticket.business_day)} if birth else {}

    def _start(self, actor: Actor, ticket_id: int, known: dict[str, Any], now: datetime) -> RunView:
        with self.db.write() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFound(what="Ticket", key=ticket_id)
            check_branch(actor, ticket.branch_id)
            existing = session.scalar(select(ChecklistRun).where(ChecklistRun.ticket_id == ticket_id))
            if existing is not None:
                return self._view(session, load_run_state(session, existing))
            self._require_open_ticket(ticket)
            known = {**self._customer_facts(session, ticket), **known}  # what the teller entered wins
            template_row = self.templates.row_in(session, ticket.business_type.code)
            run = ChecklistRun(branch_id=ticket.branch_id, ticket_id=ticket.id, template_id=template_row.id,
                               facts=json.dumps(known, sort_keys=True), started_at=now, started_by_id=actor.user_id)
            run.template = template_row
            session.add(run)
            session.flush()
            publish(session, TOPIC_CHECKLISTS, ticket.branch_id)
            return self._view(session, load_run_state(session, run))

    def complete_step(self, actor: Actor, run_id: int, step_id: str, value: Any = None, *,
                      supervisor: SupervisorCredentials | None = None) -> RunView:
        """Complete the next step; its input is validated (field = the step's title).

        A ``supervisor`` step needs a supervisor's credentials, checked on the spot."""
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        approver = None
        if supervisor is not None:
            approver = self._supervisor(actor, supervisor, run_id, purpose="checklist_confirm")
        now = self.clock()
        with self.db.write() as session:
            state = self._working_state(session, actor, run_id)
            step = self._next_step(state, step_id)
            if step.kind is StepKind.SUPERVISOR and approver is None:
                raise ValidationError(field=step.title_en, field_zh=step.title_zh, reason="supervisor_must_confirm",
                                      step=step.id)
            zone = session.get(Branch, state.run.branch_id).timezone  # type: ignore[union-attr]
            stored = validate_input(step, value, business_day(now, zone))
            if step.kind.takes_input:
                check_rules(state.template, {**inputs_of(state.results), step.id: stored})
            session.add(ChecklistStepResult(
                run_id=state.run.id, step_id=step.id, status=StepStatus.DONE.value, value=json.dumps(stored),
                at=now, user_id=actor.user_id, approved_by_id=approver.user_id if approver else None))
            return self._changed(session, state.run)

    def skip_step(self, actor: Actor, run_id: int, step_id: str, reason: str | None) -> RunView:
        """Skip the next step when it is optional; the reason is kept. A required step needs an override."""
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        text = require_reason(reason)
        now = self.clock()
        with self.db.write() as session:
            state = self._working_state(session, actor, run_id)
            step = self._next_step(state, step_id)
            if step.required:
                raise Conflict(code="checklist_step_required",
                               template="“{step}” is required; it cannot be skipped without a "
                                        "supervisor's override.", step=step.title_en, step_zh=step.title_zh)
            session.add(ChecklistStepResult(run_id=state.run.id, step_id=step.id, status=StepStatus.SKIPPED.value,
                                            reason=text, at=now, user_id=actor.user_id))
            return self._changed(session, state.run)

    def override(self, actor: Actor, run_id: int, credentials: SupervisorCredentials, reason: str | None, *,
                 step_id: str | None = None) -> RunView:
        """A supervisor lets required steps stay undone: the next step (``step_id``) or every open one.

        The supervisor signs in here (user name + password) and must hold OVERRIDE_CHECKLIST;
        the reason and the steps are stored and audited."""
        require(self.db, actor, Permission.RUN_CHECKLIST, clock=self.clock)
        text = require_reason(reason)
        approver = self._supervisor(actor, credentials, run_id, purpose="checklist_override")
        now = self.clock()
        with self.db.write() as session:
            state = self._working_state(session, actor, run_id)
            if step_id is not None:
                step = self._next_step(state, step_id)
                if not step.required:
                    raise Conflict(code="checklist_step_optional",
                                   template="“{step}” is optional; skip it with a reason instead.",
                                   step=step.title_en, step_zh=step.title_zh)
                steps = [step]
            else:
                steps = [step for step in state.progress.blockers if step.id not in state.rows]
                if not steps:
                    raise Conflict(code="checklist_nothing_to_override",
                                   template="No required step is open; nothing to override.")
            for step in steps:
                session.add(ChecklistStepResult(run_id=state.run.id, step_id=step.id,
                                                status=StepStatus.OVERRIDDEN.value, reason=text, at=now,
                                                user_id=actor.user_id, approved_by_id=approver.user_id))
            ticket = session.get(Ticket, state.run.ticket_id)
            record_in(session, approver, AuditAction.OVERRIDE, at=now, target_type="checklist_run",
                      target_id=state.run.id, branch_id=state.run.branch_id,
                      detail={"ticket": ticket.display_number if ticket else None, "teller": actor.username,
                              "steps": [step.id for step in steps], "reason": text,
                              "template": f"{state.template.business_type} v{state.template.version}"})
            return self._changed(session, state.run)

    # -- helpers ---------------------------------------------------------------------------

    def _supervisor(self, actor: Actor, credentials: SupervisorCredentials, run_id: int, *, purpose: str) -> Actor:
        try:
            supervisor = authenticate(self.db, credentials.username.strip(), credentials.password)
        except AuthenticationFailed:
            record(self.db, actor, AuditAction.LOGIN_FAILED, clock=self.clock, target_type="checklist_run",
                   target_id=run_id, detail={"username": credentials.username.strip(), "purpose": purpose})
            raise
        require(self.db, supervisor, Permission.OVERRIDE_CHECKLIST, clock=self.clock)
        if supervisor.branch_id is not None and actor.branch_id is not None and supervisor.branch_id != actor.branch_id:
            raise PermissionDenied(user=supervisor.username, role=supervisor.role.value,
                                   action="work for another branch")
        return supervisor

    @staticmethod
    def _run(session: Session, run_id: int, *, lock: bool = False) -> ChecklistRun:
        query = select(ChecklistRun).where(ChecklistRun.id == run_id)
        if lock:
            query = query.with_for_update()
        run = session.scalar(query)
        if run is None:
            raise NotFound(what="Checklist run", key=run_id)
        return run

    def _working_state(self, session: Session, actor: Actor, run_id: int) -> RunState:
        # Locked: two workstations working the same run take turns.
        run = self._run(session, run_id, lock=True)
        check_branch(actor, run.branch_id)
        ticket = session.get(Ticket, run.ticket_id)
        assert ticket is not None
        self._require_open_ticket(ticket)
        return load_run_state(session, run)

    @staticmethod
    def _require_open_ticket(ticket: Ticket) -> None:
        if ticket.status not in _OPEN_TICKET:
            raise Conflict(code="checklist_ticket_closed",
                           template="Ticket {ticket} is {status}; its checklist can no longer be changed.",
                           ticket=ticket.display_number, status=ticket.status)

    @staticmethod
    def _next_step(state: RunState, step_id: str) -> Step:
        current = state.progress.current
        if current is None:
            raise Conflict(code="checklist_all_done", template="Every step of this checklist has been dealt with.")
        if current.id != step_id:
            try:
                asked = state.template.step(step_id)
            except KeyError:
                raise NotFound(what="Checklist step", key=step_id) from None
            raise Conflict(code="checklist_out_of_order",
                           template="“{step}” is not the next step; “{current}” comes first.",
                           step=asked.title_en, step_zh=asked.title_zh,
                           current=current.title_en, current_zh=current.title_zh)
        return current

    def _changed(self, session: Session, run: ChecklistRun) -> RunView:
        session.flush()
        publish(session, TOPIC_CHECKLISTS, run.branch_id)
        return self._view(session, load_run_state(session, run))

    @staticmethod
    def _view(session: Session, state: RunState) -> RunView:
        run = state.run
        names: dict[int, str] = {}

        def name(user_id: int | None) -> str:
            if user_id is None:
                return ""
            if user_id not in names:
                user = session.get(User, user_id)
                names[user_id] = user.display_name if user else ""
            return names[user_id]

        ticket = session.get(Ticket, run.ticket_id)
        results = {step_id: StepResultView(
            step_id=step_id, status=StepStatus(row.status),
            value=json.loads(row.value) if row.value is not None else None, reason=row.reason, at=row.at,
            user_name=name(row.user_id), approved_by_name=name(row.approved_by_id) or None)
            for step_id, row in state.rows.items()}
        progress = state.progress
        return RunView(id=run.id, ticket_id=run.ticket_id, ticket_number=ticket.display_number if ticket else "",
                       branch_id=run.branch_id, template=state.template, facts=state.facts,
                       started_at=run.started_at, started_by_name=name(run.started_by_id), results=results,
                       applicable=tuple(step.id for step in progress.applicable),
                       current_step=progress.current.id if progress.current else None,
                       blockers=tuple(step.id for step in progress.blockers), resolved=progress.resolved,
                       total=progress.total)


def _checked_facts(facts: dict[str, Any]) -> dict[str, Any]:
    unknown = set(facts) - FACTS
    if unknown:
        raise ValidationError(field="checklist facts", reason="one_of", choices=tuple(sorted(FACTS)))
    age = facts.get("customer_age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 150):
        raise ValidationError(field="customer age", reason="number_range", minimum=0, maximum=150)
    return {key: value for key, value in facts.items() if value is not None}

