"""Printed documents as PDF bytes (reportlab); the UI previews and prints them.

Each builder takes one plain record from :mod:`app.printing.data` and returns
the whole PDF. No Qt here: ``ui/printing`` shows and prints the bytes.
"""

from app.printing.data import FormData, FormSection, PrinterChoice, ReceiptData, SlipData
from app.printing.form import build_form
from app.printing.receipt import build_service_receipt
from app.printing.slip import build_ticket_slip

__all__ = [
    "FormData",
    "FormSection",
    "PrinterChoice",
    "ReceiptData",
    "SlipData",
    "build_form",
    "build_service_receipt",
    "build_ticket_slip",
]
