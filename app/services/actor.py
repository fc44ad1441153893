"""Who is acting: passed into every use case, checked against the role's permissions."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import PermissionDenied
from app.domain.roles import Permission, Role, has_permission


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: Role
    branch_id: int | None = None

    def require(self, permission: Permission) -> None:
        if not has_permission(self.role, permission):
            raise PermissionDenied(user=self.username, role=self.role.value, action=permission.value)


#: The admin CLI run by branch IT on the server itself acts with full rights.
SYSTEM = Actor(user_id=None, username="system", display_name="System", role=Role.SUPERVISOR)
