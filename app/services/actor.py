"""Who is acting: passed into every use case; ``app.services.audit.require`` checks its role."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.roles import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: Role
    branch_id: int | None = None


#: The admin CLI run by branch IT on the server itself acts with full rights.
SYSTEM = Actor(user_id=None, username="system", display_name="System", role=Role.SUPERVISOR)
