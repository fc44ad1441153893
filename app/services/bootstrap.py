"""Opening a database for use: migrate to head, seed reference data, and the demo branch."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.db.models import Branch, User
from app.services.actor import SYSTEM
from app.services.auth import add_user
from app.services.branches import BranchView, create_branch, get_branch, seed_business_types
from app.services.checklist_templates import seed_checklist_templates

log = logging.getLogger(__name__)

DEMO_BRANCH_CODE = "DEMO"
DEMO_BRANCH_NAME = "BranchDesk 示范支行"
DEMO_BANK_NAME = "示范银行"
DEMO_COUNTERS = 6
DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("supervisor", "王主管", "supervisor"),
    DemoUser("lobby", "李经理", "lobby_manager"),
    *(DemoUser(f"teller{n}", name, "teller")
      for n, name in enumerate(("张伟", "刘洋", "陈静", "杨帆", "赵敏", "周杰"), start=1)),
    DemoUser("manager1", "孙经理", "customer_manager"),
    DemoUser("wealth1", "钱经理", "wealth_manager"),
)


def prepare_database(url: str, *, create: bool = True) -> Database:
    """Open the database, bring its schema to head (backing up SQLite first) and seed business types.

    ``create=False`` refuses an SQLite file that does not exist (``DatabaseMissing``)."""
    db = Database(url, create=create)
    backup = upgrade(db)
    if backup:
        log.info("Database backed up to %s before migration", backup)
    seed_business_types(db)
    seed_checklist_templates(db)
    return db


DEMO_CUSTOMERS = 3000


def seed_demo(db: Database, *, customers: int = DEMO_CUSTOMERS) -> BranchView:
    """Create the demo branch, its counters and users once; later calls change nothing.

    Also seeds ``customers`` generated customers (valid ID numbers) when there are none yet;
    tests pass a small number (or 0) to stay fast."""
    with db.read() as session:
        exists = session.scalar(select(Branch.id).where(Branch.code == DEMO_BRANCH_CODE)) is not None
        users = set(session.scalars(select(User.username)))
    if not exists:
        create_branch(db, SYSTEM, code=DEMO_BRANCH_CODE, name=DEMO_BRANCH_NAME, counters=DEMO_COUNTERS)
    for user in DEMO_USERS:
        if user.username not in users:
            add_user(db, SYSTEM, username=user.username, display_name=user.display_name, password=DEMO_PASSWORD,
                     role=user.role, branch_code=DEMO_BRANCH_CODE)
    branch = get_branch(db, DEMO_BRANCH_CODE)
    if customers > 0:
        from app.services.data_keys import create_data_key

        create_data_key(db)  # the demo is a setup: it makes the key its customers are encrypted with
        seed_demo_customers(db, branch.id, customers)
    return branch


def seed_demo_customers(db: Database, branch_id: int, count: int) -> int:
    """Generated customers for the demo, in batches; nothing when the database already has customers."""
    from app.db.models import Customer
    from app.services.customers.records import insert_prepared
    from app.services.customers.service import CustomerService
    from app.services.customers.demo import generate

    with db.read() as session:
        if session.scalar(select(Customer.id).limit(1)) is not None:
            return 0
    service = CustomerService(db)
    seen: set[str] = set()
    batch = []
    for data in generate(count):
        prepared = service.prepare(data, branch_id=branch_id)
        if prepared.id_number in seen:
            continue
        seen.add(prepared.id_number)
        batch.append(prepared)
    with db.write() as session:
        insert_prepared(session, batch)
    return len(batch)
