"""Roles and what each may do. The services check these; the UI only hides."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TELLER = "teller"
    LOBBY_MANAGER = "lobby_manager"
    SUPERVISOR = "supervisor"


class Permission(StrEnum):
    ISSUE_TICKET = "issue_ticket"
    SERVE_AT_COUNTER = "serve_at_counter"
    VIEW_QUEUE = "view_queue"
    EDIT_MATRIX = "edit_matrix"
    MANAGE_USERS = "manage_users"
    MANAGE_BRANCH = "manage_branch"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.TELLER: frozenset({Permission.ISSUE_TICKET, Permission.SERVE_AT_COUNTER, Permission.VIEW_QUEUE}),
    Role.LOBBY_MANAGER: frozenset({Permission.ISSUE_TICKET, Permission.VIEW_QUEUE}),
    Role.SUPERVISOR: frozenset(Permission),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS[Role(role)]
