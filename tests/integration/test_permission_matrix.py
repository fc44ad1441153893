"""The whole permission matrix, through the services, for every role, on both databases.

Each row of ``CASES`` is one guarded service call: the permission it needs, and how to make
it once as a given actor (``act``) with whatever it needs prepared beforehand by the system
(``prepare``). For every role the call must succeed exactly when app/domain/roles.py grants
the permission, and otherwise raise PermissionDenied and leave a ``permission_denied`` audit
entry naming the actor and the permission.

Areas that land later append their rows (customers, checklists, complaints, reports) to
``CASES``: one ``Case(...)`` each, nothing else to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.db.engine import Database
from app.domain.errors import DomainError, PermissionDenied
from app.domain.roles import Permission, Role, has_permission
from app.services.actor import SYSTEM, Actor
from app.services.appointments import AppointmentService
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import add_user, authenticate, reset_password, unlock_user
from app.services.backup import BackupNeedsSqlite, BackupService
from app.resources import resource_path
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branch_settings import BranchSettings
from app.services.branches import BranchView, create_branch
from app.services.checklist_templates import TemplateStore
from app.services.checklists import ChecklistService
from app.services.complaint_analysis import ComplaintAnalysis
from app.services.complaint_reads import ComplaintReads
from app.services.complaints import ComplaintService
from app.services.dashboard import DashboardService
from app.services.reports import ReportService
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService, TicketView
from app.services.satisfaction import SatisfactionService
from app.services.customers.accounts import CustomerAccounts
from app.services.customers.editing import CustomerChanges
from app.services.customers.managers import RelationshipManagers
from app.services.customers.records import AccountInput
from app.services.customers.tiers import TierRecompute
from app.services.customers.keeping import CustomerRecords
from app.services.customers.service import CustomerService
from app.services.data_keys import create_data_key
from tests.integration.complaint_helpers import walk_in_entry
from tests.integration.customer_fixtures import person, resident_id
from tests.integration.conftest import Clock

#: Who acts, and at which counter (each role its own, so one role's call never disturbs another's).
ROLES = (("teller1", Role.TELLER, 1), ("lobby", Role.LOBBY_MANAGER, 2), ("supervisor", Role.SUPERVISOR, 3),
         ("manager1", Role.CUSTOMER_MANAGER, 4))


@dataclass
class Env:
    """What a case may use. ``counter`` is the acting role's own counter."""

    db: Database
    clock: Clock
    branch: BranchView
    queue: QueueService
    tmp_path: Path
    counter: int = 0
    #: Shared by one test's three roles (the data key is made once per database).
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def customers(self) -> CustomerService:
        if "cipher" not in self.shared:
            self.shared["cipher"] = create_data_key(self.db)
        return CustomerService(self.db, clock=self.clock, cipher=self.shared["cipher"])

    def customer(self) -> int:
        """A customer registered by the system, its ID number told apart by this role's counter."""
        return self.customers.create(SYSTEM, person(f"客户{self.counter}", resident_id(sequence=f"12{self.counter}")))

    @property
    def desk(self) -> CounterDesk:
        return CounterDesk(self.db, self.clock)

    @property
    def appointments(self) -> AppointmentService:
        return AppointmentService(self.queue)

    def called(self) -> TicketView:
        """A ticket called (by the system) at this role's counter."""
        issued = self.queue.issue_ticket(SYSTEM, self.branch.id, "loan")
        ticket = self.queue.call_ticket(SYSTEM, self.branch.id, self.counter, issued.number, "permission test")
        assert ticket is not None
        return ticket

    def finished(self) -> TicketView:
        self.called()
        return self.queue.finish(SYSTEM, self.branch.id, self.counter)

    def complaint(self, *steps: str) -> int:
        """A complaint submitted by the system and taken through ``steps`` (service method names)."""
        service = ComplaintService(self.db, self.clock)
        reference = service.submit(SYSTEM, self.branch.id, walk_in_entry())
        complaint_id = next(r.id for r in ComplaintReads(self.db, self.clock).list(SYSTEM, self.branch.id)
                            if r.reference == reference)
        arguments = {"decide": ("同意道歉并加强培训",), "send_reply": ("written", "经核实，已对柜员进行批评教育。")}
        for step in steps:
            getattr(service, step)(SYSTEM, complaint_id, *arguments.get(step, ()))
        return complaint_id

    def booking_code(self, minutes_ahead: int = 30) -> str:
        slot = self.clock.now + timedelta(minutes=minutes_ahead)
        return self.appointments.book(SYSTEM, self.branch.id, business_code="loan", customer_name="王五",
                                      phone="13912345678", slot_start=slot).code


Act = Callable[[Env, Actor, Any], Any]


@dataclass(frozen=True)
class Case:
    name: str
    permission: Permission
    act: Act
    prepare: Callable[[Env], Any] = lambda env: None
    #: Errors that mean "the permission check passed; this database cannot do it" (e.g. backup on PostgreSQL).
    allowed_errors: tuple[type[Exception], ...] = ()


def _unique(env: Env, stem: str, actor: Actor) -> str:
    return f"{stem}_{actor.username}"


CASES: list[Case] = [
    # queue
    Case("issue_ticket", Permission.ISSUE_TICKET, lambda e, a, _: e.queue.issue_ticket(a, e.branch.id, "loan")),
    Case("call_next", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.call_next(a, e.branch.id, e.counter),
         prepare=lambda e: e.queue.issue_ticket(SYSTEM, e.branch.id, "loan")),
    Case("call_ticket", Permission.SERVE_AT_COUNTER,
         lambda e, a, t: e.queue.call_ticket(a, e.branch.id, e.counter, t.number, "客户返回"),
         prepare=lambda e: e.queue.issue_ticket(SYSTEM, e.branch.id, "wealth")),
    Case("recall", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.recall(a, e.branch.id, e.counter),
         prepare=Env.called),
    Case("start", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.start(a, e.branch.id, e.counter),
         prepare=Env.called),
    Case("finish", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.finish(a, e.branch.id, e.counter),
         prepare=Env.called),
    Case("requeue", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.requeue(a, e.branch.id, e.counter, "稍候"),
         prepare=Env.called),
    Case("park", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.queue.park(a, e.branch.id, e.counter, "取资料"),
         prepare=Env.called),
    Case("resume", Permission.SERVE_AT_COUNTER, lambda e, a, t: e.queue.resume(a, e.branch.id, e.counter, t.number),
         prepare=lambda e: (e.called(), e.queue.park(SYSTEM, e.branch.id, e.counter, "取资料"))[1]),
    Case("transfer", Permission.SERVE_AT_COUNTER,
         lambda e, a, _: e.queue.transfer(a, e.branch.id, e.counter, to_business="wealth"), prepare=Env.called),
    Case("rate", Permission.SERVE_AT_COUNTER,
         lambda e, a, t: SatisfactionService(e.db, e.clock).rate(a, e.branch.id, t.id, 5, "teller"),
         prepare=Env.finished),
    # appointments
    Case("appointment_book", Permission.ISSUE_TICKET,
         lambda e, a, _: e.appointments.book(a, e.branch.id, business_code="loan", customer_name="李四",
                                             phone="13912345678", slot_start=e.clock.now + timedelta(days=1))),
    Case("appointment_check_in", Permission.ISSUE_TICKET,
         lambda e, a, code: e.appointments.check_in(a, e.branch.id, code), prepare=Env.booking_code),
    Case("appointment_cancel", Permission.ISSUE_TICKET,
         lambda e, a, code: e.appointments.cancel(a, e.branch.id, code), prepare=lambda e: e.booking_code(120)),
    Case("appointment_list", Permission.VIEW_CUSTOMERS, lambda e, a, _: e.appointments.for_day(a, e.branch.id)),
    Case("appointment_reveal", Permission.REVEAL_SENSITIVE,
         lambda e, a, code: e.appointments.reveal(
             a, e.branch.id, next(b.id for b in e.appointments.for_day(SYSTEM, e.branch.id) if b.code == code),
             "phone", "回电确认"), prepare=Env.booking_code),
    # counters
    Case("counter_pause", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.desk.pause(a, e.branch.id, e.counter, "break")),
    Case("counter_resume", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.desk.resume(a, e.branch.id, e.counter),
         prepare=lambda e: e.desk.pause(SYSTEM, e.branch.id, e.counter, "break")),
    Case("counter_close", Permission.SERVE_AT_COUNTER, lambda e, a, _: e.desk.close(a, e.branch.id, e.counter)),
    Case("counter_set_matrix", Permission.EDIT_MATRIX,
         lambda e, a, _: e.desk.set_matrix(a, e.branch.id, e.counter, [MatrixEntry("loan", 0)])),
    # users
    Case("add_user", Permission.MANAGE_USERS,
         lambda e, a, _: add_user(e.db, a, username=_unique(e, "new", a), display_name="新人", password="Secret#2026",
                                  role="teller", clock=e.clock)),
    Case("reset_password", Permission.MANAGE_USERS,
         lambda e, a, _: reset_password(e.db, a, "teller6", "Fresh#2026x", clock=e.clock)),
    Case("unlock_user", Permission.MANAGE_USERS, lambda e, a, _: unlock_user(e.db, a, "teller6", clock=e.clock)),
    # branches
    Case("create_branch", Permission.MANAGE_BRANCH,
         lambda e, a, _: create_branch(e.db, a, code=f"B{a.username[:6]}", name="新网点")),
    # audit
    Case("audit_entries", Permission.VIEW_AUDIT, lambda e, a, _: AuditLog(e.db, e.clock).entries(a)),
    Case("audit_verify", Permission.VIEW_AUDIT, lambda e, a, _: AuditLog(e.db, e.clock).verify(a)),
    Case("audit_export", Permission.VIEW_AUDIT, lambda e, a, _: AuditLog(e.db, e.clock).export_csv(a)),
    # backups
    Case("backup", Permission.MANAGE_BACKUPS,
         lambda e, a, _: BackupService(e.db, e.clock).backup(a, e.tmp_path / a.username),
         allowed_errors=(BackupNeedsSqlite,)),
    Case("restore", Permission.MANAGE_BACKUPS,
         lambda e, a, copy: BackupService(e.db, e.clock).restore(a, copy, safety_dir=e.tmp_path / "safety"),
         prepare=lambda e: BackupService(e.db).backup(SYSTEM, e.tmp_path / "source") if e.db.is_sqlite else None,
         allowed_errors=(BackupNeedsSqlite,)),
    # checklists
    Case("checklist_start_run", Permission.RUN_CHECKLIST,
         lambda e, a, ticket: ChecklistService(e.db, e.clock).start_run(a, ticket.id), prepare=Env.called),
    Case("checklist_preview_import", Permission.MANAGE_CHECKLIST_TEMPLATES,
         lambda e, a, text: TemplateStore(e.db, e.clock).preview_import(a, text, "loan.toml"),
         prepare=lambda e: resource_path("checklists", "loan.toml").read_text(encoding="utf-8"),
         allowed_errors=(DomainError,)),  # allowed, then refused for not raising the version
    # complaints
    Case("complaint_save_draft", Permission.RECORD_COMPLAINT,
         lambda e, a, _: ComplaintService(e.db, e.clock).save_draft(a, e.branch.id, walk_in_entry())),
    Case("complaint_accept", Permission.HANDLE_COMPLAINT,
         lambda e, a, complaint: ComplaintService(e.db, e.clock).accept(a, complaint),
         prepare=lambda e: e.complaint()),
    Case("complaint_extend", Permission.EXTEND_COMPLAINT,
         lambda e, a, complaint: ComplaintService(e.db, e.clock).extend(a, complaint, "案情复杂，需调取录像"),
         prepare=lambda e: e.complaint("accept", "investigate")),
    Case("complaint_close", Permission.CLOSE_COMPLAINT,
         lambda e, a, complaint: ComplaintService(e.db, e.clock).close(a, complaint, satisfied=True),
         prepare=lambda e: e.complaint("accept", "investigate", "decide", "send_reply")),
    # dashboard and reports
    Case("dashboard_snapshot", Permission.VIEW_DASHBOARD,
         lambda e, a, _: DashboardService(e.db, e.clock).snapshot(a, e.branch.id)),
    Case("report_daily", Permission.VIEW_REPORTS,
         lambda e, a, _: ReportService(e.db, e.clock).build(a, "daily", e.clock.now.date())),
    Case("complaint_analysis", Permission.VIEW_REPORTS,
         lambda e, a, _: ComplaintAnalysis(e.db, "测试银行", e.clock).monthly(a, e.branch.id, 2026, 11)),
    # customer records
    Case("customer_create", Permission.EDIT_CUSTOMERS,
         lambda e, a, _: e.customers.create(a, person("王五", resident_id(sequence=f"45{e.counter}")))),
    Case("customer_change", Permission.EDIT_CUSTOMERS,
         lambda e, a, customer: CustomerRecords(e.customers).change(a, customer, CustomerChanges(occupation="教师")),
         prepare=Env.customer),
    Case("customer_account_add", Permission.EDIT_CUSTOMERS,
         lambda e, a, customer: CustomerAccounts(e.customers).add(a, customer, AccountInput(f"62220212345678{e.counter}")),
         prepare=Env.customer),
    Case("tier_recompute", Permission.CHANGE_SETTINGS,
         lambda e, a, _: TierRecompute(e.customers).run(a, e.branch.id)),
    Case("assign_manager", Permission.ASSIGN_CUSTOMERS,
         lambda e, a, customer: RelationshipManagers(e.customers).assign(
             a, customer, authenticate(e.db, "manager1", DEMO_PASSWORD).user_id), prepare=Env.customer),
    Case("customer_history", Permission.VIEW_AUDIT,
         lambda e, a, customer: CustomerRecords(e.customers).history(a, customer), prepare=Env.customer),
    # the branch's shared settings
    Case("branch_settings", Permission.CHANGE_SETTINGS,
         lambda e, a, _: BranchSettings(e.db, clock=e.clock).change(a, e.branch.id, {"queue.elderly_age": 70})),
]


def test_every_permission_is_exercised() -> None:
    """Nothing in the matrix goes untested once its service exists (extend as areas land)."""
    covered = {case.permission for case in CASES}
    assert {Permission.ISSUE_TICKET, Permission.SERVE_AT_COUNTER, Permission.EDIT_MATRIX, Permission.MANAGE_USERS,
            Permission.MANAGE_BRANCH, Permission.VIEW_AUDIT, Permission.MANAGE_BACKUPS, Permission.RUN_CHECKLIST,
            Permission.MANAGE_CHECKLIST_TEMPLATES, Permission.RECORD_COMPLAINT, Permission.HANDLE_COMPLAINT,
            Permission.EXTEND_COMPLAINT, Permission.CLOSE_COMPLAINT, Permission.VIEW_DASHBOARD,
            Permission.VIEW_REPORTS, Permission.CHANGE_SETTINGS} <= covered
    assert len({case.name for case in CASES}) == len(CASES)


def _denials(db: Database, clock: Clock) -> list[tuple[str, str]]:
    entries = AuditLog(db, clock).entries(SYSTEM, AuditFilter(action="permission_denied"), limit=10_000)
    return [(e.username, e.detail.get("permission", "")) for e in entries]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_role_may_exactly_what_the_matrix_says(case: Case, db, branch, actors, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    queue = QueueService(db, clock=clock)
    people = {"teller1": actors.teller1, "lobby": actors.lobby, "supervisor": actors.supervisor,
              "manager1": authenticate(db, "manager1", DEMO_PASSWORD)}
    outcome: dict[str, str] = {}
    shared: dict[str, Any] = {}
    for username, role, counter in ROLES:
        env = Env(db=db, clock=clock, branch=branch, queue=queue, tmp_path=tmp_path, counter=counter, shared=shared)
        actor = people[username]
        assert actor.role is role
        prepared = case.prepare(env)
        before = _denials(db, clock)
        try:
            case.act(env, actor, prepared)
        except PermissionDenied as denied:
            assert denied.params["action"] == case.permission.value
            after = _denials(db, clock)
            assert len(after) == len(before) + 1 and after[0] == (username, case.permission.value)
            outcome[username] = "denied"
        except case.allowed_errors or ():  # type: ignore[misc]
            outcome[username] = "allowed"
        else:
            assert _denials(db, clock) == before
            outcome[username] = "allowed"
    expected = {username: "allowed" if has_permission(role, case.permission) else "denied"
                for username, role, _counter in ROLES}
    assert outcome == expected
