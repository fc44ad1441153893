"""Printed documents for queue tickets: the records app/printing lays out, filled from the database.

Times are handed over in the branch's own time zone; personal data goes over unmasked
and the builders mask it (see app/printing/data.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Branch, Ticket
from app.domain.business_day import business_day
from app.domain.errors import Conflict, NotFound
from app.domain.tickets import TicketStatus
from app.printing import ReceiptData, SlipData, build_service_receipt, build_ticket_slip
from app.services.checklist_state import checklist_summary_in
from app.services.queue import QueueService
from app.settings import Settings


@dataclass(frozen=True)
class PrintSettings:
    """What the workstation's settings contribute to a document."""

    bank_name: str
    slip_notice: str
    slip_width_mm: int

    @classmethod
    def from_settings(cls, settings: Settings) -> PrintSettings:
        return cls(bank_name=settings.get("printing.bank_name"), slip_notice=settings.get("printing.slip_notice"),
                   slip_width_mm=settings.get("printing.slip_width_mm"))


class DocumentService:
    def __init__(self, queue: QueueService, print_settings: PrintSettings) -> None:
        self.queue = queue
        self.db: Database = queue.db
        self.settings = print_settings

    def ticket_slip(self, branch_id: int, number: str, *, day: date | None = None,
                    width_mm: int | None = None) -> bytes:
        ticket = self.queue.get_ticket(branch_id, number, day)
        branch = self._branch(branch_id)
        zone = ZoneInfo(branch.timezone)
        return build_ticket_slip(SlipData(
            bank_name=self.settings.bank_name, branch_name=branch.name, business_name=ticket.business_name_zh,
            business_name_en=ticket.business_name_en, ticket_number=ticket.number,
            waiting_ahead=ticket.waiting_ahead or 0, estimated_wait_minutes=ticket.estimated_wait_minutes,
            issued_at=ticket.issued_at.astimezone(zone), notice=self.settings.slip_notice,
            roll_width_mm=width_mm or self.settings.slip_width_mm))

    def service_receipt(self, branch_id: int, number: str, *, day: date | None = None) -> bytes:
        """The 业务回单 of a finished ticket; refused while the ticket is still open."""
        with self.db.read() as session:
            branch = session.get(Branch, branch_id)
            if branch is None:
                raise NotFound(what="Branch", key=branch_id)
            zone = ZoneInfo(branch.timezone)
            day = day or business_day(self.queue.clock(), branch.timezone)
            ticket = session.scalar(select(Ticket).where(
                Ticket.branch_id == branch_id, Ticket.business_day == day,
                Ticket.display_number == number.strip().upper()).order_by(Ticket.segment.desc()).limit(1))
            if ticket is None:
                raise NotFound(what="Ticket", key=number)
            if ticket.status != TicketStatus.FINISHED.value:
                raise Conflict(code="receipt_not_finished",
                               template="Ticket {ticket} is not finished yet; a receipt is printed after service.",
                               ticket=ticket.display_number)

            def local(moment: datetime | None) -> datetime | None:
                return moment.astimezone(zone) if moment else None

            data = ReceiptData(
                bank_name=self.settings.bank_name, branch_name=branch.name,
                counter_label=ticket.counter.name if ticket.counter else "",
                teller_name=ticket.served_by.display_name if ticket.served_by else "",
                business_name=ticket.business_type.name_zh, ticket_number=ticket.display_number,
                called_at=local(ticket.called_at), started_at=local(ticket.started_at),
                finished_at=local(ticket.finished_at), customer_name=None, customer_id_number=None,
                checklist_summary=checklist_summary_in(session, ticket),
                document_id=f"R-{branch.code}-{ticket.business_day:%Y%m%d}-{ticket.display_number}",
                issued_at=local(self.queue.clock()) or self.queue.clock())
        return build_service_receipt(data)

    def _branch(self, branch_id: int) -> Branch:
        with self.db.read() as session:
            branch = session.get(Branch, branch_id)
            if branch is None:
                raise NotFound(what="Branch", key=branch_id)
            return branch
