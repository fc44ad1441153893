"""The self-test's round of the areas through their services: customers, complaints, checklists,
the dashboard and a report, once each on the self-test's throw-away database.

Personal fields are encrypted with a throw-away key, so the self-test never creates or reads the
workstation's real data key. The Qt half (panes built in a supervisor's window) is in ui/self_test.py.
"""

from __future__ import annotations

from app.domain.business_day import business_day
from app.domain.complaint_entry import ComplaintEntry
from app.keys import FieldCipher, KeyRing
from app.printing.report_pdf import build_report_pdf
from app.services.actor import Actor
from app.services.branches import BranchView
from app.services.customers.demo import generate
from app.services.registry import Services


class AreaFailure(RuntimeError):
    pass


def with_throwaway_key(services: Services) -> Services:
    """The same database and settings, with a data key that exists only in this process."""
    return Services(services.db, services.settings, services.clock, services.zone,
                    cipher=FieldCipher(KeyRing.generate()))


def _pdf(data: bytes, what: str) -> int:
    if not (data.startswith(b"%PDF") and len(data) > 1000):
        raise AreaFailure(f"{what} PDF is empty")
    return len(data)


def check_areas(services: Services, branch: BranchView, supervisor: Actor) -> str:
    """Each area once; raises AreaFailure naming what did not work. ``services`` carry a throw-away
    key (:func:`with_throwaway_key`)."""
    first = next(generate(1, seed=7))
    services.customers.create(supervisor, first)
    hits = services.customers.search(supervisor, first.name[:1]).items
    if not hits or "*" not in hits[0].id_masked:
        raise AreaFailure("customer search found nothing, or showed it unmasked")

    reference = services.complaints.submit(supervisor, branch.id, ComplaintEntry(
        intake="in_person", channel="branch_counter", business="rmb_savings", reason="service_attitude",
        category="service", severity="general", complainant_name="自检", complainant_contact="13800000000",
        request="自检", facts="自检"))
    complaint = next(r.id for r in services.complaint_reads.list(supervisor, branch.id)
                     if r.reference == reference)
    size = _pdf(services.complaint_documents.acknowledgement(supervisor, complaint), "complaint acknowledgement")
    size += _pdf(services.checklist_documents.blank_form(branch.id, "account_opening"), "blank checklist form")

    snapshot = services.dashboard.snapshot(supervisor, branch.id)
    if snapshot.extras["complaints"].open < 1:
        raise AreaFailure("the dashboard does not count the complaint")
    day = business_day(services.clock(), branch.timezone)
    report = services.reports.build(supervisor, "daily", day)
    bank_name = services.settings.get("printing.bank_name")
    size += _pdf(build_report_pdf(report, bank_name=bank_name), "daily report")
    return f"customers, complaint, checklist, dashboard and report ok ({size} PDF bytes)"
