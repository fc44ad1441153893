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
)


def prepare_database(url: str) -> Database:
    """Open the database, bring its schema to head (backing up SQLite first) and seed business types."""
    db = Database(url)
    backup = upgrade(db)
    if backup:
        log.info("Database backed up to %s before migration", backup)
    seed_business_types(db)
    seed_checklist_templates(db)
    return db


def seed_demo(db: Database) -> BranchView:
    """Create the demo branch, its counters and users once; later calls change nothing."""
    with db.read() as session:
        exists = session.scalar(select(Branch.id).where(Branch.code == DEMO_BRANCH_CODE)) is not None
        users = set(session.scalars(select(User.username)))
    if not exists:
        create_branch(db, SYSTEM, code=DEMO_BRANCH_CODE, name=DEMO_BRANCH_NAME, counters=DEMO_COUNTERS)
    for user in DEMO_USERS:
        if user.username not in users:
            add_user(db, SYSTEM, username=user.username, display_name=user.display_name, password=DEMO_PASSWORD,
                     role=user.role, branch_code=DEMO_BRANCH_CODE)
    return get_branch(db, DEMO_BRANCH_CODE)
