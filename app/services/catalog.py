"""What a screen lists to choose from: business types, the branch's counters, the branches."""

from __future__ import annotations

from app.db.engine import Database
from app.services import branches
from app.services.branches import BranchView, BusinessTypeView, CounterView


class Catalog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def business_types(self) -> list[BusinessTypeView]:
        return branches.list_business_types(self.db)

    def counters(self, branch_id: int) -> list[CounterView]:
        return branches.list_counters(self.db, branch_id)

    def branches(self) -> list[BranchView]:
        return branches.list_branches(self.db)

    def branch(self, code: str) -> BranchView:
        return branches.get_branch(self.db, code)
