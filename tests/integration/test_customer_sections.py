"""The customer profile lists the customer's checklists and complaints; a merge moves complaints too."""

from __future__ import annotations

from app.services.checklists import ChecklistService
from app.services.complaint_sealing import ComplaintSealer
from app.services.complaints import ComplaintService
from app.services.customers.merge import CustomerMerge
from app.services.data_keys import open_cipher
from app.services.customers.service import CustomerService
from app.services.actor import SYSTEM
from tests.integration.complaint_helpers import walk_in_entry
from tests.integration.customer_fixtures import link_ticket, person, resident_id

ID_A = resident_id("110101", "19900307", "123")


def test_profile_sections_and_merge(db, queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    customers = CustomerService(db, clock=clock, cipher=open_cipher(db))
    wang = customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    twin = customers.create(actors.teller1, person("王志强", ID_A, "13800000000"))
    ticket = queue.issue_ticket(actors.lobby, branch.id, "account_opening")
    link_ticket(db, ticket.id, twin)  # the duplicate record was served
    queue.call_ticket(actors.teller1, branch.id, 1, ticket.number, "客户预约")
    run = ChecklistService(db, clock).start_run(actors.teller1, ticket.id)
    assert run.facts["customer_age"] == 36  # from the identified customer's birth date (1990-03-07)
    complaints = ComplaintService(db, clock=clock, sealer=ComplaintSealer(customers.cipher))  # one key for both
    reference = complaints.submit(actors.lobby, branch.id, walk_in_entry(customer_id=twin, category="product"))
    complaints.save_draft(actors.lobby, branch.id, walk_in_entry(customer_id=twin))  # drafts are not listed

    profile = customers.profile(actors.teller1, twin)
    [checklist] = profile.sections["checklists"]
    assert (checklist.ticket, checklist.complete, checklist.resolved) == (ticket.number, False, 0)
    assert checklist.total == run.total and "个人开户" in checklist.summary
    [complaint] = profile.sections["complaints"]
    assert (complaint.reference, complaint.category, complaint.status) == (reference, "产品类", "received")
    assert reference in complaint.summary and "期限" in complaint.summary
    assert customers.profile(actors.teller1, wang).sections == {"checklists": (), "complaints": ()}

    moved = CustomerMerge(customers).merge(actors.supervisor, wang, twin, "重复建档")
    assert moved["complaints"] == 2 and moved["tickets"] == 1  # the draft follows the customer too
    kept = customers.profile(SYSTEM, wang)
    assert [c.reference for c in kept.sections["complaints"]] == [reference]
    assert [c.ticket for c in kept.sections["checklists"]] == [ticket.number]


def test_checklist_record_names_the_identified_customer_masked(db, queue, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    from app.services.bootstrap import DEMO_PASSWORD
    from app.services.checklist_documents import ChecklistDocuments
    from app.services.checklists import SupervisorCredentials
    from app.services.documents import PrintSettings
    from tests.unit.printing.pdfcheck import all_text, read

    customers = CustomerService(db, clock=clock, cipher=open_cipher(db))
    customers.create(actors.teller1, person("王志强", ID_A, "13812341234"))
    ticket = queue.issue_ticket(actors.lobby, branch.id, "loan", resident_id=ID_A)  # Wang identified
    queue.call_ticket(actors.teller1, branch.id, 1, ticket.number, "客户预约")
    checklists = ChecklistService(db, clock)
    run = checklists.start_run(actors.teller1, ticket.id)
    run = checklists.override(actors.teller1, run.id, SupervisorCredentials("supervisor", DEMO_PASSWORD),
                              "系统故障，纸质核对")
    text = all_text(read(ChecklistDocuments(checklists, PrintSettings("示范银行", "", 80)).run_form(
        actors.teller1, run.id)))
    assert "王**" in text or "王*" in text
    assert "110101********123" in text and ID_A not in text and "王志强" not in text
