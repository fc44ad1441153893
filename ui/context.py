"""What a pane may use: the services, the signed-in user, this workstation's place.

Panes receive this object (never the main window), so each one can be built and tested
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db.engine import Database
from app.domain.roles import Permission, has_permission
from app.services.actor import Actor
from app.services.branches import BranchView
from app.services.customers.service import CustomerService, customers_from_settings
from app.services.documents import DocumentService, PrintSettings
from app.services.queue import QueueService
from app.services.queue_policy import QueuePolicy
from app.settings import Settings


@dataclass
class AppContext:
    db: Database
    settings: Settings
    branch: BranchView
    language: str
    actor: Actor | None = None
    counter_number: int = 0
    queue: QueueService = field(init=False)
    documents: DocumentService = field(init=False)
    customers: CustomerService = field(init=False)

    def allows(self, permission: Permission) -> bool:
        """Whether the signed-in user's role grants ``permission``: the UI hides what it does not
        (the services refuse it anyway)."""
        return self.actor is not None and has_permission(self.actor.role, permission)

    def __post_init__(self) -> None:
        self.queue = QueueService(self.db, policy=QueuePolicy.from_settings(self.settings),
                                  key_file=self.settings.get("customers.key_file"))
        self.documents = DocumentService(self.queue, PrintSettings.from_settings(self.settings))
        self.customers = customers_from_settings(self.db, self.settings, self.branch.timezone)
