"""Plain data the rest of the app fills in to print a document.

No database objects and no formatting here: services copy what a document
needs into these records and the builders in this package lay them out.
Personal data (teller and customer names, ID numbers) is handed over
*unmasked*; the builders mask it, so no caller can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Thermal roll widths the slip builder supports, in millimetres.
ROLL_WIDTHS_MM: tuple[int, ...] = (80, 58)


@dataclass(frozen=True)
class SlipData:
    """A queue ticket slip, printed on a thermal roll at the kiosk or the lobby desk."""

    bank_name: str
    branch_name: str
    business_name: str
    business_name_en: str | None
    ticket_number: str
    waiting_ahead: int
    estimated_wait_minutes: int | None
    issued_at: datetime
    notice: str
    roll_width_mm: int = 80


@dataclass(frozen=True)
class ReceiptData:
    """A service receipt (业务回单) printed when a teller finishes serving a ticket."""

    bank_name: str
    branch_name: str
    counter_label: str
    teller_name: str
    business_name: str
    ticket_number: str
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    customer_name: str | None
    customer_id_number: str | None
    checklist_summary: list[tuple[str, str]]
    document_id: str
    issued_at: datetime


@dataclass(frozen=True)
class FormSection:
    """One titled part of an A4 form.

    ``rows`` are (label, value) pairs laid out as a two-column table, headed by
    ``column_headers`` when given; ``paragraphs`` are free text printed after
    the rows. Either may be empty.
    """

    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    column_headers: tuple[str, str] | None = None


@dataclass(frozen=True)
class FormData:
    """The generic A4 document: checklists, complaint acknowledgements and replies, receipts."""

    title: str
    fields: list[tuple[str, str]]
    sections: list[FormSection]
    signature_labels: list[str]
    document_id: str
    bank_name: str
    branch_name: str
    issued_at: datetime


@dataclass(frozen=True)
class PrinterChoice:
    """Which printer gets which document. An empty printer name means the system default."""

    slip_printer: str = ""
    a4_printer: str = ""
    slip_width_mm: int = 80
