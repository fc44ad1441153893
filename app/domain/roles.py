"""Roles and what each may do: the one permission matrix. The services check it; the UI only hides."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TELLER = "teller"
    LOBBY_MANAGER = "lobby_manager"
    SUPERVISOR = "supervisor"
    #: 客户经理 and 理财经理 (wealth): look after their own customers.
    CUSTOMER_MANAGER = "customer_manager"
    WEALTH_MANAGER = "wealth_manager"


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
    #: Full values of the customers one looks after (a relationship manager's).
    REVEAL_OWN_CUSTOMERS = "reveal_own_customers"
    #: Give a customer their relationship manager.
    ASSIGN_CUSTOMERS = "assign_customers"
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
                                          Permission.VIEW_DASHBOARD, Permission.VIEW_REPORTS,
                                          Permission.ASSIGN_CUSTOMERS},
    # Relationship managers: between teller and supervisor — their own customers' full values,
    # follow-ups and notes; no counter work, no branch settings.
    Role.CUSTOMER_MANAGER: _SERVICE_STAFF | {Permission.REVEAL_OWN_CUSTOMERS},
    Role.WEALTH_MANAGER: _SERVICE_STAFF | {Permission.REVEAL_OWN_CUSTOMERS},
    Role.SUPERVISOR: frozenset(Permission),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS[Role(role)]


#: The roles that look after their own customers (客户经理, 理财经理).
RELATIONSHIP_MANAGERS = frozenset({Role.CUSTOMER_MANAGER, Role.WEALTH_MANAGER})
