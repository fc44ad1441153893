"""Customer use cases: record, search from one box, profile, reveal, notes, follow-ups, tickets.

Every list and view is masked; the full value of one field comes only from :meth:`reveal`,
which needs ``REVEAL_SENSITIVE`` and a reason and writes its audit entry in the same
transaction. Duplicates and merging live in app/services/customers/merge.py, the CSV import
and export in app/services/customers/importing.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import customer_sql
from app.db.engine import Database
from app.db.models import (
    BusinessType,
    Customer,
    CustomerAccount,
    CustomerNote,
    CustomerPhone,
    FollowUp,
    Ticket,
    User,
)
from app.domain.business_day import business_day, utcnow
from app.domain.customer_record import check_collection_consent, next_review, stored_scope
from app.domain.errors import DomainError, NotFound, ValidationError
from app.domain.identity import Phone, age_on, birth_date_in, parse_phone
from app.domain.masking import age_band, mask_address, mask_name
from app.domain.name_search import prefix_gram, search_form, substring_grams
from app.domain.phone_search import phone_tail_query
from app.domain.priority import PriorityClass
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission, has_permission
from app.domain.text import check_characters, clean_note
from app.domain.tiers import TIER_PRIORITY, Tier, TierPolicy
from app.events import TOPIC_CUSTOMERS, publish
from app.keys import FieldCipher
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.services.customers import sections as _sections  # noqa: F401 - registers the checklists and complaints sections
from app.services.data_keys import open_cipher
from app.services.customers.records import CustomerInput, Prepared, insert_prepared, prepare
from app.services.customers.views import (
    AccountView,
    CustomerHit,
    FollowUpView,
    NoteView,
    PhoneView,
    Profile,
    SearchPage,
    TicketLine,
    profile_sections,
)


Clock = Callable[[], datetime]
REVEAL_FIELDS = ("name", "id_number", "phone", "account", "address")
FOLLOW_UP_KINDS = ("revisit", "birthday")
MAX_PAGE_SIZE = 500
#: Longest reveal reason (it is kept in the audit log) and longest note, in characters.
MAX_REVEAL_REASON = 500
MAX_NOTE = 2000
_ID_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def _age_band(c: Customer, cipher: FieldCipher | None, today: date) -> int | None:
    """The decade of an individual's age, from the encrypted ID (no birth date is stored)."""
    if cipher is None or c.kind != "individual" or c.id_type != "resident_id":
        return None
    birth = birth_date_in(cipher.decrypt("id_number", c.id_cipher))
    return age_band(age_on(birth, today)) if birth is not None else None


def _shown_address(c: Customer) -> str | None:
    """An individual's address down to the district (the rest through an audited reveal); a
    company's registered address is public."""
    return mask_address(c.address) if c.kind == "individual" and c.address else c.address


def display_name(kind: str, name: str) -> str:
    """Individuals' names masked (张*); a company's registered name is public and shown whole."""
    return mask_name(name) if kind == "individual" else name


class CustomerService:
    def __init__(self, db: Database, clock: Clock = utcnow, cipher: FieldCipher | None = None,
                 policy: TierPolicy | None = None, zone: str = "Asia/Shanghai", key_file: str = "",
                 review_months: int = 12) -> None:
        self.db = db
        #: Months between periodic reviews (setting customers.review_months).
        self.review_months = review_months
        self.clock = clock
        self._cipher = cipher
        self.policy = policy or TierPolicy()
        self.zone = zone
        self._key_file = key_file  # used when no cipher is given: see app/keys.py
        self._cipher_lock = threading.Lock()

    @property
    def cipher(self) -> FieldCipher:
        with self._cipher_lock:  # the GUI's background jobs may ask first at the same moment
            if self._cipher is None:
                self._cipher = open_cipher(self.db, self._key_file)
            return self._cipher

    def today(self) -> date:
        return business_day(self.clock(), self.zone)

    # -- recording --------------------------------------------------------------------
    def create(self, actor: Actor, data: CustomerInput, *, override_reason: str | None = None) -> int:
        """Record one customer typed in at the branch (the import has its own door): with the
        customer's consent to the service and its date. A failed credit-code check needs
        OVERRIDE_VALIDATION and a reason."""
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.clock)
        if override_reason and override_reason.strip():
            require(self.db, actor, Permission.OVERRIDE_VALIDATION, clock=self.clock)
        now = self.clock()
        prepared = prepare(data, self.cipher, today=self.today(), now=now, branch_id=actor.branch_id,
                           policy=self.policy, override_reason=override_reason)
        check_collection_consent(stored_scope(prepared.customer["consent_scope"]), prepared.customer["consent_date"],
                                 today=self.today())
        with self.db.write() as session:
            [customer_id] = insert_prepared(session, [prepared])
            # Registered at the counter: identity checked today, the next review scheduled.
            today = self.today()
            session.execute(update(Customer).where(Customer.id == customer_id).values(
                reviewed_on=today, review_due_on=next_review(today, self.review_months,
                                                             prepared.customer["licence_expires_on"])))
            record_in(session, actor, AuditAction.CUSTOMER_CREATE, at=now, target_type="customer",
                      target_id=customer_id, detail={"kind": prepared.customer["kind"]})
            if prepared.customer["id_override_reason"]:
                record_in(session, actor, AuditAction.OVERRIDE, at=now, target_type="customer",
                          target_id=customer_id, detail={"field": "credit code",
                                                         "reason": prepared.customer["id_override_reason"]})
            publish(session, TOPIC_CUSTOMERS, None)  # customers are the bank's, seen from every branch
        return customer_id

    def prepare(self, data: CustomerInput, *, branch_id: int | None = None) -> Prepared:
        return prepare(data, self.cipher, today=self.today(), now=self.clock(), branch_id=branch_id,
                       policy=self.policy)

    # -- search -----------------------------------------------------------------------
    def search(self, actor: Actor, text: str, *, page: int = 0, page_size: int = 50) -> SearchPage:
        """One box: an ID number, phone, card/account number or credit code finds exactly; the
        last four digits of a phone (1234), or its first three and last four (138 1234,
        138****1234), find by the masked number; anything else is a name — names starting with
        the text first, then names containing it."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.clock)
        page, page_size = max(0, page), max(1, min(page_size, MAX_PAGE_SIZE))
        query = " ".join((text or "").split())
        if not search_form(query):
            return SearchPage(query, "empty", page, page_size, (), False)
        with self.db.read() as session:
            exact = self._exact_indexes(query)
            tail = phone_tail_query(query)
            if tail is not None:
                chunk = customer_sql.phone_tail_ids(session, tail[1], prefix=tail[0], offset=page * page_size,
                                                    limit=page_size + 1)
                mode = "phone_tail"
            elif exact is not None:
                ids = customer_sql.exact_ids(session, **exact)
                chunk = ids[page * page_size:(page + 1) * page_size + 1]
                mode = "exact"
            else:
                chunk = self._name_ids(session, query, page * page_size, page_size + 1)
                mode = "name"
            hits = self._hits(session, chunk[:page_size])
        return SearchPage(query, mode, page, page_size, tuple(hits), len(chunk) > page_size)

    def _exact_indexes(self, query: str) -> dict[str, list[str]] | None:
        """Blind indexes to look up when the text is shaped like a number, else None."""
        compact = "".join(ch for ch in query if ch not in " -").upper()
        if not compact.isascii() or not compact or not set(compact) <= _ID_CHARS | {"+"}:
            return None
        c = self.cipher
        found: dict[str, list[str]] = {"id_indexes": [], "phone_indexes": [], "account_indexes": []}
        if len(compact) == 18:
            found["id_indexes"] += c.indexes("resident_id", compact) + c.indexes("uscc", compact)
        phone: Phone | None
        try:
            phone = parse_phone(compact)
        except ValidationError:
            phone = None
        if phone is not None:
            found["phone_indexes"] += c.indexes("phone", phone.number)
        if compact.isdigit() and 10 <= len(compact) <= 30:
            found["account_indexes"] += c.indexes("account", compact)
        # Digits that fit no number's shape (a street number, "3" of 第3分公司) are searched as a name.
        return found if any(found.values()) else None

    def _name_ids(self, session: Session, query: str, offset: int, limit: int) -> list[int]:
        form = search_form(query)
        prefix = prefix_gram(query)
        ids = customer_sql.prefix_ids(session, prefix, form, offset=offset, limit=limit)
        if len(ids) >= limit:
            return ids
        before = offset if ids else customer_sql.prefix_count(session, prefix, form)
        inner_offset = max(0, offset - before) if not ids else 0
        return ids + customer_sql.inner_ids(session, substring_grams(query), prefix, form,
                                            offset=inner_offset, limit=limit - len(ids))

    def hits(self, session: Session, ids: list[int]) -> list[CustomerHit]:
        """Masked hits for these customer ids, in their order."""
        return self._hits(session, ids)

    def _hits(self, session: Session, ids: list[int]) -> list[CustomerHit]:
        if not ids:
            return []
        rows = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
        phones: dict[int, str] = {}
        for customer_id, masked in session.execute(
                select(CustomerPhone.customer_id, CustomerPhone.number_masked)
                .where(CustomerPhone.customer_id.in_(ids)).order_by(CustomerPhone.id)):
            phones.setdefault(customer_id, masked)
        today = self.today()
        try:
            cipher: FieldCipher | None = self.cipher
        except DomainError:  # no key on this workstation: names still found, ages not shown
            cipher = None
        return [CustomerHit(id=c.id, kind=c.kind, name=display_name(c.kind, c.name), id_type=c.id_type,
                            id_masked=c.id_masked, phone_masked=phones.get(c.id, ""), tier=c.tier,
                            compliance=c.compliance, gender=c.gender, age_band=_age_band(c, cipher, today))
                for c in (rows[i] for i in ids if i in rows)]

    # -- profile ----------------------------------------------------------------------
    def profile(self, actor: Actor, customer_id: int) -> Profile:
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.clock)
        today = self.today()
        with self.db.read() as session:
            c = _customer(session, customer_id)
            phones = tuple(PhoneView(p.id, p.kind, p.number_masked) for p in session.scalars(
                select(CustomerPhone).where(CustomerPhone.customer_id == c.id).order_by(CustomerPhone.id)))
            accounts = tuple(AccountView(a.id, a.kind, a.number_masked, a.opened_on, a.status, a.closed_on,
                                         a.close_reason) for a in session.scalars(
                select(CustomerAccount).where(CustomerAccount.customer_id == c.id).order_by(CustomerAccount.id)))
            tickets = _ticket_lines(session, c.id)
            notes = tuple(NoteView(n.id, n.at, author, n.text) for n, author in session.execute(
                select(CustomerNote, User.display_name).outerjoin(User, User.id == CustomerNote.user_id)
                .where(CustomerNote.customer_id == c.id).order_by(CustomerNote.at.desc(), CustomerNote.id.desc())))
            follow_ups = tuple(_follow_up_view(f, c) for f in session.scalars(
                select(FollowUp).where(FollowUp.customer_id == c.id, FollowUp.status == "open")
                .order_by(FollowUp.due_on, FollowUp.id)))
            sections = {name: tuple(loader(session, c.id)) for name, loader in profile_sections().items()}
            return Profile(
                id=c.id, kind=c.kind, name=display_name(c.kind, c.name), id_type=c.id_type, id_masked=c.id_masked,
                id_warning=c.id_warning, gender=c.gender, address=_shown_address(c), occupation=c.occupation,
                legal_representative=c.legal_representative, contact_name=c.contact_name, consent=c.consent,
                consent_date=c.consent_date, asset_band=c.asset_band, activity_band=c.activity_band,
                credit_grade=c.credit_grade, score=c.score, tier=c.tier, compliance=c.compliance, phones=phones,
                accounts=accounts, tickets_today=tuple(t for t in tickets if t.business_day == today),
                tickets_past=tuple(t for t in tickets if t.business_day != today), notes=notes,
                open_follow_ups=follow_ups, sections=sections,
                consent_scope=tuple(scope.value for scope in stored_scope(c.consent_scope)),
                industry=c.industry, enterprise_size=c.enterprise_size, licence_expires_on=c.licence_expires_on,
                review_due_on=c.review_due_on, reviewed_on=c.reviewed_on,
                manager_id=c.manager_id, manager_name=session.scalar(select(User.display_name).where(
                    User.id == c.manager_id)) if c.manager_id is not None else None)

    # -- reveal -----------------------------------------------------------------------
    def reveal(self, actor: Actor, customer_id: int, field: str, reason: str, *, item_id: int | None = None) -> str:
        """The full value of one field (``name``, ``id_number``, or ``phone``/``account`` with ``item_id``).

        Needs REVEAL_SENSITIVE (or REVEAL_OWN_CUSTOMERS for a customer one looks after) and a reason; the audit entry (who, when, which customer, which
        field, why) commits in the same transaction as the read, or the value is not returned."""
        if not (has_permission(actor.role, Permission.REVEAL_SENSITIVE) or self._looks_after(actor, customer_id)):
            require(self.db, actor, Permission.REVEAL_SENSITIVE, clock=self.clock)  # refused, and audited
        if field not in REVEAL_FIELDS:
            raise ValidationError(field="field", reason="one_of", choices=REVEAL_FIELDS)
        check_characters(reason, "reason", allow="\t\n\r")  # the audit log must show what was typed
        reason = " ".join((reason or "").split())
        if len(reason) < 2:
            raise ValidationError(field="reason", reason="required")
        if len(reason) > MAX_REVEAL_REASON:
            raise ValidationError(field="reason", reason="max_length", limit=MAX_REVEAL_REASON)
        with self.db.write() as session:
            c = _customer(session, customer_id)
            if field == "name":  # an individual's name is shown masked (张*); a company's never is
                value = c.name
            elif field == "address":  # as the name: masked below the district for individuals
                value = c.address or ""
            elif field == "id_number":
                value = self.cipher.decrypt("id_number", c.id_cipher)
            else:
                model = CustomerPhone if field == "phone" else CustomerAccount
                row = session.get(model, item_id) if item_id is not None else None
                if row is None or row.customer_id != c.id:
                    raise NotFound(what="Customer " + field, key=item_id)
                value = self.cipher.decrypt(field, row.number_cipher)
            record_in(session, actor, AuditAction.REVEAL, at=self.clock(), target_type="customer", target_id=c.id,
                      detail={"field": field, "item_id": item_id, "reason": reason})
        return value

    # -- notes and follow-ups ---------------------------------------------------------
    def add_note(self, actor: Actor, customer_id: int, text: str) -> int:
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.clock)
        text = clean_note(text, "note", MAX_NOTE, required=True) or ""
        with self.db.write() as session:
            _customer(session, customer_id)
            note = CustomerNote(customer_id=customer_id, branch_id=actor.branch_id, at=self.clock(),
                                user_id=actor.user_id, text=text)
            session.add(note)
            session.flush()
            publish(session, TOPIC_CUSTOMERS, None)
            return note.id

    def add_follow_up(self, actor: Actor, customer_id: int, kind: str, due_on: date, note: str = "") -> int:
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.clock)
        if kind not in FOLLOW_UP_KINDS:
            raise ValidationError(field="follow-up", reason="one_of", choices=FOLLOW_UP_KINDS)
        note = clean_note(note, "note", MAX_NOTE)
        with self.db.write() as session:
            _customer(session, customer_id)
            row = FollowUp(customer_id=customer_id, branch_id=actor.branch_id, kind=kind, due_on=due_on,
                           note=note, status="open", created_at=self.clock(),
                           created_by_id=actor.user_id)
            session.add(row)
            session.flush()
            publish(session, TOPIC_CUSTOMERS, None)
            return row.id

    def complete_follow_up(self, actor: Actor, follow_up_id: int) -> None:
        require(self.db, actor, Permission.EDIT_CUSTOMERS, clock=self.clock)
        with self.db.write() as session:
            row = session.get(FollowUp, follow_up_id)
            if row is None:
                raise NotFound(what="Follow-up", key=follow_up_id)
            row.status, row.done_at, row.done_by_id = "done", self.clock(), actor.user_id
            publish(session, TOPIC_CUSTOMERS, None)

    def _looks_after(self, actor: Actor, customer_id: int) -> bool:
        """The actor is this customer's relationship manager and may reveal their own customers."""
        if actor.user_id is None or not has_permission(actor.role, Permission.REVEAL_OWN_CUSTOMERS):
            return False
        with self.db.read() as session:
            return session.scalar(select(Customer.manager_id).where(Customer.id == customer_id)) == actor.user_id

    def follow_ups_due(self, actor: Actor, branch_id: int, *, within_days: int = 0) -> list[FollowUpView]:
        """Open follow-ups of the branch due by today (+ ``within_days``), oldest first: the lobby
        manager's list; a relationship manager's own customers' only."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.clock)
        until = self.today() + timedelta(days=within_days)
        query = (select(FollowUp, Customer).join(Customer, Customer.id == FollowUp.customer_id)
                 .where(FollowUp.branch_id == branch_id, FollowUp.status == "open", FollowUp.due_on <= until))
        if actor.role in RELATIONSHIP_MANAGERS:
            query = query.where(Customer.manager_id == actor.user_id)
        with self.db.read() as session:
            rows = session.execute(query.order_by(FollowUp.due_on, FollowUp.id)).all()
            return [_follow_up_view(f, c) for f, c in rows]

    # -- identification ---------------------------------------------------------------
    def find_by_id_number(self, session: Session, id_number: str) -> Customer | None:
        compact = "".join(ch for ch in (id_number or "") if ch not in " -").upper()
        indexes = self.cipher.indexes("resident_id", compact) + self.cipher.indexes("uscc", compact)
        return session.scalars(select(Customer).where(Customer.id_index.in_(indexes),
                                                      Customer.merged_into_id.is_(None))
                               .order_by(Customer.id)).first()


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(what="Customer", key=customer_id)
    return customer


def _follow_up_view(f: FollowUp, c: Customer) -> FollowUpView:
    return FollowUpView(id=f.id, customer_id=c.id, customer_name=display_name(c.kind, c.name), kind=f.kind,
                        due_on=f.due_on, note=f.note, status=f.status)


def _ticket_lines(session: Session, customer_id: int, limit: int = 200) -> list[TicketLine]:
    rows = session.execute(
        select(Ticket, BusinessType.name_zh, User.display_name)
        .join(BusinessType, BusinessType.id == Ticket.business_type_id)
        .outerjoin(User, User.id == Ticket.served_by_id)
        .where(Ticket.customer_id == customer_id)
        .order_by(Ticket.issued_at.desc(), Ticket.id.desc()).limit(limit)).all()
    return [TicketLine(id=t.id, number=t.display_number, business_day=t.business_day, business=business,
                       status=t.status, teller=teller, issued_at=t.issued_at, outcome=t.outcome)
            for t, business, teller in rows]


def known_customer(db: Database, id_number: str, cipher: FieldCipher) -> tuple[int, PriorityClass] | None:
    """The customer holding this ID number and the queue priority their tier earns, or None."""
    service = CustomerService(db, cipher=cipher)
    with db.read() as session:
        customer = service.find_by_id_number(session, id_number)
        found = (customer.id, customer.tier) if customer is not None else None
    return (found[0], TIER_PRIORITY[Tier(found[1])]) if found else None


def customer_summary(hit: CustomerHit) -> dict[str, Any]:
    """A masked hit as a plain dict (CLI JSON, exports)."""
    return {"id": hit.id, "kind": hit.kind, "name": hit.name, "id_type": hit.id_type, "id_number": hit.id_masked,
            "phone": hit.phone_masked, "tier": hit.tier, "compliance": hit.compliance}


def customers_from_settings(db: Database, settings: Any, zone: str = "Asia/Shanghai",
                            clock: Clock = utcnow, cipher: FieldCipher | None = None) -> CustomerService:
    """The service as configured: tier thresholds and the data key file from the settings."""
    policy = TierPolicy(settings.get("customers.tier_gold_score"), settings.get("customers.tier_platinum_score"),
                        settings.get("customers.tier_diamond_score"))
    return CustomerService(db, clock, cipher, policy=policy, zone=zone, key_file=settings.get("customers.key_file"),
                           review_months=settings.get("customers.review_months"))
