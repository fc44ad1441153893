"""Roles and what each may do: the one permission matrix. The services check it; the UI only hides."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TELLER = "teller"
    LOBBY_MANAGER = "lobby_manager"
    SUPERVISOR = "supervisor"


class Permission(StrEnum):
    # queue
    ISSUE_TICKET = "issue_ticket"
    SERVE_AT_COUNTER = "serve_at_counter"
    VIEW_QUEUE = "view_queue"
    EDIT_MATRIX = "edit_matrix"
    # customers
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    REVEAL_SENSITIVE = "reveal_sensitive"
    MERGE_CUSTOMERS = "merge_customers"
    IMPORT_CUSTOMERS = "import_customers"
    EXPORT_CUSTOMERS = "export_customers"
    OVERRIDE_VALIDATION = "override_validation"
    # checklists
    RUN_CHECKLIST = "run_checklist"
    OVERRIDE_CHECKLIST = "override_checklist"
    MANAGE_CHECKLIST_TEMPLATES = "manage_checklist_templates"
    # complaints
    RECORD_COMPLAINT = "record_complaint"
    HANDLE_COMPLAINT = "handle_complaint"
    EXTEND_COMPLAINT = "extend_complaint"
    CLOSE_COMPLAINT = "close_complaint"
    # dashboard and reports
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_REPORTS = "view_reports"
    REPORT_ALL_BRANCHES = "report_all_branches"
    # administration
    MANAGE_USERS = "manage_users"
    MANAGE_BRANCH = "manage_branch"
    CHANGE_SETTINGS = "change_settings"
    VIEW_AUDIT = "view_audit"
    MANAGE_BACKUPS = "manage_backups"


_SERVICE_STAFF = frozenset({
    Permission.ISSUE_TICKET, Permission.VIEW_QUEUE,
    Permission.VIEW_CUSTOMERS, Permission.EDIT_CUSTOMERS,
    Permission.RECORD_COMPLAINT,
})

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # A teller serves and sees full identity data when the service needs it (reason + audit).
    Role.TELLER: _SERVICE_STAFF | {Permission.SERVE_AT_COUNTER, Permission.RUN_CHECKLIST,
                                   Permission.REVEAL_SENSITIVE},
    # The lobby manager triages, handles complaints and watches the lobby; no counter work.
    Role.LOBBY_MANAGER: _SERVICE_STAFF | {Permission.HANDLE_COMPLAINT, Permission.CLOSE_COMPLAINT,
                                          Permission.VIEW_DASHBOARD, Permission.VIEW_REPORTS},
    Role.SUPERVISOR: frozenset(Permission),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS[Role(role)]
