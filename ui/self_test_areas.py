"""The self-test's round of the other areas: customers, checklists, complaints, dashboard, reports.

Each is driven once through its services on the self-test's throw-away database, and every
pane is built in a supervisor's main window. Personal fields are encrypted with a throw-away
key, so the self-test never creates or reads the workstation's real data key.
"""

from __future__ import annotations

from app.db.engine import Database
from app.domain.business_day import business_day, utcnow
from app.domain.complaint_entry import ComplaintEntry
from app.keys import FieldCipher, KeyRing
from app.printing.report_pdf import build_report_pdf
from app.services.actor import Actor
from app.services.branch_figures import dashboard_service, report_service
from app.services.branches import BranchView
from app.services.checklist_documents import ChecklistDocuments
from app.services.checklists import ChecklistService
from app.services.complaint_documents import ComplaintDocuments
from app.services.complaint_reads import ComplaintReads
from app.services.complaint_sealing import ComplaintSealer
from app.services.complaints import ComplaintService
from app.services.customers.service import CustomerService
from app.services.customers.demo import generate
from app.services.documents import PrintSettings
from app.settings import Settings

#: The panes a supervisor's main window must build (MainWindow attributes).
SUPERVISOR_PANES = ("queue_pane", "customers_pane", "checklist_pane", "complaints_pane", "dashboard")


class AreaFailure(RuntimeError):
    pass


def _pdf(data: bytes, what: str) -> int:
    if not (data.startswith(b"%PDF") and len(data) > 1000):
        raise AreaFailure(f"{what} PDF is empty")
    return len(data)


def check_areas(db: Database, branch: BranchView, settings: Settings, supervisor: Actor) -> str:
    cipher = FieldCipher(KeyRing.generate())
    customers = CustomerService(db, cipher=cipher)
    first = next(generate(1, seed=7))
    customers.create(supervisor, first)
    hits = customers.search(supervisor, first.name[:1]).items
    if not hits or "*" not in hits[0].id_masked:
        raise AreaFailure("customer search found nothing, or showed it unmasked")

    sealer = ComplaintSealer(cipher)
    complaints = ComplaintService(db, sealer=sealer)
    reference = complaints.submit(supervisor, branch.id, ComplaintEntry(
        intake="in_person", channel="branch_counter", business="rmb_savings", reason="service_attitude",
        category="service", severity="general", complainant_name="自检", complainant_contact="13800000000",
        request="自检", facts="自检"))
    complaint = next(r.id for r in ComplaintReads(db, sealer=sealer).list(supervisor, branch.id)
                     if r.reference == reference)
    size = _pdf(ComplaintDocuments(db, settings.get("printing.bank_name"), sealer=sealer)
                .acknowledgement(supervisor, complaint), "complaint acknowledgement")

    documents = ChecklistDocuments(ChecklistService(db), PrintSettings.from_settings(settings))
    size += _pdf(documents.blank_form(branch.id, "account_opening"), "blank checklist form")

    snapshot = dashboard_service(db, settings).snapshot(supervisor, branch.id)
    if snapshot.extras["complaints"].open < 1:
        raise AreaFailure("the dashboard does not count the complaint")
    report = report_service(db, settings).build(supervisor, "daily", business_day(utcnow(), branch.timezone))
    size += _pdf(build_report_pdf(report, bank_name=settings.get("printing.bank_name")), "daily report")
    return f"customers, complaint, checklist, dashboard and report ok ({size} PDF bytes)"


def check_panes(window: object) -> None:
    missing = [name for name in SUPERVISOR_PANES if getattr(window, name, None) is None]
    if missing:
        raise AreaFailure(f"the supervisor's window lacks {', '.join(missing)}")
