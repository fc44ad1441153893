"""What a pane may use: the services, the signed-in user, this workstation's place.

Panes receive this object (never the main window), so each one can be built and tested on its
own. The services come from the one registry (app/services/registry.py); the database handle
itself is not here: a pane reaches data only through services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.roles import Permission, has_permission
from app.services.actor import Actor
from app.services.branches import BranchView
from app.services.registry import Services
from app.settings import Settings


@dataclass
class AppContext:
    services: Services
    branch: BranchView
    language: str
    actor: Actor | None = None
    counter_number: int = 0

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.services.clock

    def allows(self, permission: Permission) -> bool:
        """Whether the signed-in user's role grants ``permission``: the UI hides what it does not
        (the services refuse it anyway)."""
        return self.actor is not None and has_permission(self.actor.role, permission)
