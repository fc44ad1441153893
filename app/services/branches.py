"""Branches, their counters, and the business types offered (seeded from resources/)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Branch, BusinessType, Counter, CounterService
from app.domain.business_day import branch_zone, utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.domain.tickets import validate_prefix
from app.resources import resource_path
from app.services.audit import require
from app.services.actor import Actor


@dataclass(frozen=True)
class BusinessTypeView:
    id: int
    code: str
    prefix: str
    name_zh: str
    name_en: str
    target_minutes: int

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True)
class BranchView:
    id: int
    code: str
    name: str
    timezone: str


@dataclass(frozen=True)
class CounterView:
    id: int
    number: int
    name: str
    active: bool


def load_business_type_file(path: Path | None = None) -> list[dict]:
    """Read and check the business-type data file; errors name the entry and field."""
    path = path or resource_path("business_types.toml")
    with path.open("rb") as fh:
        entries = tomllib.load(fh).get("business_type", [])
    seen_codes: set[str] = set()
    seen_prefixes: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"{path.name} entry {index}"
        for field in ("code", "prefix", "name_zh", "name_en", "target_minutes"):
            if field not in entry:
                raise ValidationError(field=f"{where}: {field}", reason="required")
        validate_prefix(entry["prefix"])
        if entry["code"] in seen_codes or entry["prefix"] in seen_prefixes:
            raise ValidationError(field=f"{where}: code/prefix", reason="not_unique")
        if not isinstance(entry["target_minutes"], int) or entry["target_minutes"] <= 0:
            raise ValidationError(field=f"{where}: target_minutes", reason="positive_whole_number")
        seen_codes.add(entry["code"])
        seen_prefixes.add(entry["prefix"])
    return entries


def seed_business_types(db: Database, path: Path | None = None) -> int:
    """Insert the business types the database does not have yet; returns how many were added."""
    entries = load_business_type_file(path)
    added = 0
    with db.write() as session:
        existing = set(session.scalars(select(BusinessType.code)))
        for order, entry in enumerate(entries):
            if entry["code"] in existing:
                continue
            session.add(BusinessType(code=entry["code"], prefix=entry["prefix"], name_zh=entry["name_zh"],
                                     name_en=entry["name_en"], target_minutes=entry["target_minutes"],
                                     sort_order=order, active=True))
            added += 1
    return added


def list_business_types(db: Database) -> list[BusinessTypeView]:
    with db.read() as session:
        rows = session.scalars(select(BusinessType).where(BusinessType.active)
                               .order_by(BusinessType.sort_order, BusinessType.code))
        return [BusinessTypeView(r.id, r.code, r.prefix, r.name_zh, r.name_en, r.target_minutes) for r in rows]


def create_branch(db: Database, actor: Actor, *, code: str, name: str, timezone: str = "Asia/Shanghai",
                  counters: int = 0) -> BranchView:
    require(db, actor, Permission.MANAGE_BRANCH)
    code = code.strip()
    if not code or len(code) > 32:
        raise ValidationError(field="branch code", reason="length_range", minimum=1, maximum=32)
    if not name.strip():
        raise ValidationError(field="branch name", reason="required")
    branch_zone(timezone)
    with db.write() as session:
        if session.scalar(select(Branch.id).where(Branch.code == code)) is not None:
            raise Conflict(reason="branch_exists", branch=code)
        branch = Branch(code=code, name=name.strip(), timezone=timezone, created_at=utcnow())
        session.add(branch)
        session.flush()
        # A new counter serves every business type at one rank (by priority class, then
        # arrival) until a supervisor edits the counter–service matrix.
        type_ids = list(session.scalars(select(BusinessType.id).where(BusinessType.active)
                                        .order_by(BusinessType.sort_order, BusinessType.code)))
        for number in range(1, counters + 1):
            counter = Counter(branch_id=branch.id, number=number, name=f"{number}号窗口", active=True,
                              state="open", state_since=branch.created_at)
            counter.services = [CounterService(business_type_id=type_id, position=0) for type_id in type_ids]
            session.add(counter)
        return BranchView(branch.id, branch.code, branch.name, branch.timezone)


def get_branch(db: Database, code: str) -> BranchView:
    with db.read() as session:
        branch = session.scalar(select(Branch).where(Branch.code == code))
        if branch is None:
            raise NotFound(what="Branch", key=code)
        return BranchView(branch.id, branch.code, branch.name, branch.timezone)


def list_branches(db: Database) -> list[BranchView]:
    with db.read() as session:
        return [BranchView(b.id, b.code, b.name, b.timezone)
                for b in session.scalars(select(Branch).order_by(Branch.code))]


def workstation_branch(db: Database, code: str = "") -> BranchView | None:
    """The branch a workstation works for: the one named in its settings, else the only one."""
    if code:
        return get_branch(db, code)
    branches = list_branches(db)
    return branches[0] if len(branches) == 1 else None


def list_counters(db: Database, branch_id: int) -> list[CounterView]:
    with db.read() as session:
        rows = session.scalars(select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number))
        return [CounterView(c.id, c.number, c.name, c.active) for c in rows]
