"""A customer's accounts and cards kept at the counter: added, their status changed, closed.

An account number belongs to one customer: adding one that another record holds is refused
(found through its blind index, never by decrypting). A closed account keeps its row, the day
and the reason, and changes no more. Each step is a ``customer_change`` audit entry on the
customer naming the account by its id and the new status, never its number.
"""

from __future__ import annotations

from sqlalchemy import select

from app.db.models import Customer, CustomerAccount
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.domain.text import check_characters
from app.events import TOPIC_CUSTOMERS, publish
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.customers.keeping import CUSTOMER_TARGET
from app.services.customers.records import AccountInput, prepare_account
from app.services.customers.service import CustomerService, _customer

#: The statuses a teller may set; "closed" only through :meth:`CustomerAccounts.close`.
SETTABLE_STATUSES = ("active", "dormant", "frozen", "lost")
CLOSED = "closed"
#: Longest reason for closing (it is kept with the account and in the audit log).
MAX_CLOSE_REASON = 500


class CustomerAccounts:
    def __init__(self, customers: CustomerService) -> None:
        self.customers = customers
        self.db = customers.db

    def add(self, actor: Actor, customer_id: int, account: AccountInput) -> int:
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.customers.clock)
        row = prepare_account(AccountInput(account.number, account.kind, account.opened_on, "active"),
                              self.customers.cipher)
        with self.db.write() as session:
            customer = _customer(session, customer_id)
            if customer.merged_into_id is not None:
                raise ValidationError(field="customer", reason="merged_record", into=customer.merged_into_id)
            holder = session.scalar(
                select(CustomerAccount.customer_id).join(Customer, Customer.id == CustomerAccount.customer_id)
                .where(CustomerAccount.number_index == row["number_index"], Customer.merged_into_id.is_(None)))
            if holder is not None:
                raise Conflict(reason="account_held", customer=holder)
            added = CustomerAccount(customer_id=customer_id, **row)
            session.add(added)
            session.flush()
            self._audit(session, actor, customer_id, added.id, "active")
        return added.id

    def set_status(self, actor: Actor, account_id: int, status: str) -> None:
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.customers.clock)
        status = (status or "").strip().lower()
        if status not in SETTABLE_STATUSES:
            raise ValidationError(field="account status", reason="one_of", choices=SETTABLE_STATUSES)
        with self.db.write() as session:
            account = self._open_account(session, account_id)
            if account.status == status:
                raise ValidationError(field="account status", reason="nothing_changed")
            account.status = status
            self._audit(session, actor, account.customer_id, account.id, status)

    def close(self, actor: Actor, account_id: int, reason: str) -> None:
        """Close for good, with the reason the customer gave (销户原因)."""
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.customers.clock)
        check_characters(reason, "reason")
        text = " ".join((reason or "").split())
        if not text:
            raise ValidationError(field="reason", reason="required")
        if len(text) > MAX_CLOSE_REASON:
            raise ValidationError(field="reason", reason="max_length", limit=MAX_CLOSE_REASON)
        with self.db.write() as session:
            account = self._open_account(session, account_id)
            account.status, account.closed_on, account.close_reason = CLOSED, self.customers.today(), text
            self._audit(session, actor, account.customer_id, account.id, CLOSED, reason=text)

    @staticmethod
    def _open_account(session, account_id: int) -> CustomerAccount:  # type: ignore[no-untyped-def]
        account = session.get(CustomerAccount, account_id, with_for_update=True)
        if account is None:
            raise NotFound(what="Account", key=account_id)
        if account.status == CLOSED:
            raise ValidationError(field="account status", reason="account_closed")
        return account

    def _audit(self, session, actor: Actor, customer_id: int, account_id: int, status: str,  # type: ignore[no-untyped-def]
               **extra: str) -> None:
        record_in(session, actor, AuditAction.CUSTOMER_CHANGE, at=self.customers.clock(), target_type=CUSTOMER_TARGET,
                  target_id=customer_id, detail={"fields": ["account"], "item_id": account_id, "status": status,
                                                 **extra})
        publish(session, TOPIC_CUSTOMERS, None)
