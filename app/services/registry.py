"""Every service, built once from (database, settings, clock): the one place they are wired.

The GUI (ui/context.py), the admin CLI (app/cli/common.py), the self-test and the test fixtures
all take their services from a :class:`Services`; nothing else calls a service's constructor.
So a policy read from the settings (queue, complaints, tiers, printing, dashboard thresholds),
the data key file and the clock are the same for every screen and command of one process.

Services are made on first use (``functools.cached_property``): a command that only reads the
audit log never loads the customer key. Settings are read when a service is first made, so the
branch's shared settings must join ``settings`` before (the CLI and the sign-in do that first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from app.db.engine import Database
from app.domain.business_day import utcnow
from app.keys import FieldCipher
from app.services.accounts import Accounts
from app.services.appointments import AppointmentService
from app.services.audit import AuditLog
from app.services.backup import BackupService
from app.services.branch_figures import dashboard_service, report_service
from app.services.branch_settings import BranchSettings
from app.services.catalog import Catalog
from app.services.checklist_documents import ChecklistDocuments
from app.services.checklist_templates import TemplateStore
from app.services.checklists import ChecklistService
from app.services.complaint_analysis import ComplaintAnalysis
from app.services.complaint_documents import ComplaintDocuments
from app.services.complaint_reads import ComplaintReads
from app.services.complaint_sealing import ComplaintSealer
from app.services.complaints import ComplaintPolicy, ComplaintService
from app.services.counter_view import CounterView
from app.services.counters import CounterDesk
from app.services.customers.importing import CustomerImport
from app.services.customers.accounts import CustomerAccounts
from app.services.customers.keeping import CustomerRecords
from app.services.customers.managers import RelationshipManagers
from app.services.customers.merge import CustomerMerge
from app.services.customers.segments import Segments
from app.services.customers.tiers import TierRecompute
from app.services.customers.service import CustomerService, customers_from_settings
from app.services.dashboard import DashboardService
from app.services.documents import DocumentService, PrintSettings
from app.services.queue import QueueService
from app.services.queue_policy import QueuePolicy
from app.services.reports import ReportService
from app.services.satisfaction import SatisfactionService
from app.settings import Settings

Clock = Callable[[], datetime]


@dataclass
class Services:
    """The services of one process for one database. ``zone``: the branch's time zone (customer
    ages and birthdays count in it); ``clock``: replaced only by tests. ``cipher``: a data key
    given instead of the workstation's key file (the self-test's throw-away key); otherwise each
    service loads the key file's key when a use case first needs it (and refuses without it)."""

    db: Database
    settings: Settings
    clock: Clock = utcnow
    zone: str = "Asia/Shanghai"
    cipher: FieldCipher | None = None

    def renewed(self) -> Services:
        """New services on the same database: policies read again from the settings as they are now
        (a sign-in applies the branch's shared settings first)."""
        return Services(self.db, self.settings, self.clock, self.zone, self.cipher)

    @property
    def key_file(self) -> str:
        return str(self.settings.get("customers.key_file"))

    # -- people and places ---------------------------------------------------------------

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.db, self.settings, self.clock)

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.db)

    @cached_property
    def branch_settings(self) -> BranchSettings:
        return BranchSettings(self.db, clock=self.clock)

    # -- the queue -----------------------------------------------------------------------

    @cached_property
    def queue(self) -> QueueService:
        return QueueService(self.db, self.clock, policy=QueuePolicy.from_settings(self.settings),
                            key_file=self.key_file, cipher=self.cipher)

    @cached_property
    def counter_desk(self) -> CounterDesk:
        return CounterDesk(self.db, clock=self.clock)

    @cached_property
    def counter_view(self) -> CounterView:
        return CounterView(self.db, clock=self.clock, policy=self.queue.policy)

    @cached_property
    def satisfaction(self) -> SatisfactionService:
        return SatisfactionService(self.db, clock=self.clock)

    @cached_property
    def appointments(self) -> AppointmentService:
        return AppointmentService(self.queue, self.clock, cipher=self.cipher, key_file=self.key_file)

    @cached_property
    def documents(self) -> DocumentService:
        return DocumentService(self.queue, self.print_settings)

    @property
    def print_settings(self) -> PrintSettings:
        return PrintSettings.from_settings(self.settings)

    # -- customers -----------------------------------------------------------------------

    @cached_property
    def customers(self) -> CustomerService:
        return customers_from_settings(self.db, self.settings, self.zone, clock=self.clock, cipher=self.cipher)

    def customer_import(self, *, batch_size: int = 0, workers: int = 1) -> CustomerImport:
        """A new import (it holds one run's progress); ``batch_size`` 0: the setting's."""
        return CustomerImport(self.customers, workers=workers,
                              batch_size=batch_size or self.settings.get("customers.import_batch_size"))

    @cached_property
    def customer_merge(self) -> CustomerMerge:
        return CustomerMerge(self.customers)

    @cached_property
    def customer_records(self) -> CustomerRecords:
        return CustomerRecords(self.customers)

    @cached_property
    def customer_accounts(self) -> CustomerAccounts:
        return CustomerAccounts(self.customers)

    @cached_property
    def relationship_managers(self) -> RelationshipManagers:
        return RelationshipManagers(self.customers)

    @cached_property
    def segments(self) -> Segments:
        return Segments(self.customers)

    @cached_property
    def tier_recompute(self) -> TierRecompute:
        return TierRecompute(self.customers)

    # -- checklists ----------------------------------------------------------------------

    @cached_property
    def checklist_templates(self) -> TemplateStore:
        return TemplateStore(self.db, self.clock)

    @cached_property
    def checklists(self) -> ChecklistService:
        return ChecklistService(self.db, self.clock, templates=self.checklist_templates, key_file=self.key_file,
                                cipher=self.cipher)

    @cached_property
    def checklist_documents(self) -> ChecklistDocuments:
        return ChecklistDocuments(self.checklists, self.print_settings)

    # -- complaints ----------------------------------------------------------------------

    @cached_property
    def complaint_policy(self) -> ComplaintPolicy:
        return ComplaintPolicy.from_settings(self.settings)

    @cached_property
    def complaint_sealer(self) -> ComplaintSealer:
        return ComplaintSealer(self.cipher, key_file=self.key_file, db=self.db)

    @cached_property
    def complaints(self) -> ComplaintService:
        return ComplaintService(self.db, self.clock, self.complaint_policy, sealer=self.complaint_sealer)

    @cached_property
    def complaint_reads(self) -> ComplaintReads:
        return ComplaintReads(self.db, self.clock, self.complaint_policy, sealer=self.complaint_sealer)

    @cached_property
    def complaint_documents(self) -> ComplaintDocuments:
        return ComplaintDocuments(self.db, self.settings.get("printing.bank_name"), self.clock,
                                  self.complaint_policy, sealer=self.complaint_sealer)

    @cached_property
    def complaint_analysis(self) -> ComplaintAnalysis:
        return ComplaintAnalysis(self.db, self.settings.get("printing.bank_name"), self.clock)

    # -- figures, records, housekeeping --------------------------------------------------

    @cached_property
    def dashboard(self) -> DashboardService:
        return dashboard_service(self.db, self.settings, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        return report_service(self.db, self.settings, self.clock)

    @cached_property
    def audit_log(self) -> AuditLog:
        return AuditLog(self.db, clock=self.clock)

    @cached_property
    def backup(self) -> BackupService:
        return BackupService(self.db, clock=self.clock)
