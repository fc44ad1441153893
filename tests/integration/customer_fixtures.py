"""Shared helpers for the customer tests: valid numbers and a service with a fresh key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from stdnum.cn import ric, uscc

from app.db.engine import Database
from app.db.models import Ticket
from app.services.customers.records import AccountInput, CustomerInput


def resident_id(region: str = "110101", birth: str = "19900307", sequence: str = "123") -> str:
    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")


def credit_code(body: str = "91110000MA01ABCD2") -> str:
    return body + uscc.calc_check_digit(body)


#: The consent a record registered at the counter needs (app/domain/customer_record.py).
AGREED = {"consent": True, "consent_date": date(2026, 1, 5), "consent_scope": "service"}


def person(name: str, id_number: str, phone: str = "", *, account: str = "", **extra) -> CustomerInput:  # type: ignore[no-untyped-def]
    return CustomerInput(name=name, id_type="resident_id", id_number=id_number, phones=(phone,) if phone else (),
                         accounts=(AccountInput(account),) if account else (), **{**AGREED, **extra})


def company(name: str, code: str, phone: str = "", **extra) -> CustomerInput:  # type: ignore[no-untyped-def]
    return CustomerInput(name=name, id_type="uscc", id_number=code, phones=(phone,) if phone else (),
                         **{**AGREED, **extra})


def link_ticket(db: Database, ticket_id: int, customer_id: int) -> None:
    """Make ``customer_id`` the customer of a ticket, straight in the database. The product links the
    customer when the ticket is issued with their ID number (``issue_ticket(resident_id=…)``), which
    finds the oldest record holding it: a duplicate record made later is never the one linked."""
    with db.write() as session:
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(customer_id=customer_id))
