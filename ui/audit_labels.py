"""What a supervisor reads in the audit log: every stored code as words.

The log keeps codes (``login_failed``, ``matrix_change``, ``{"field": "complainant_id_number"}``)
so that it stays comparable and exportable; the screen shows them translated: the action, the
kind of record it concerns, and the details as ``name: value`` pairs with names and known values
in words, numbers as people write them (a whole number never as ``1.0``). The CSV export keeps
the codes (it is data for other tools).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.services.audit import AuditAction
from ui.customers.labels import account_status_words
from ui.error_fields import field_names
from ui.errors import permission_words, role_words
from ui.setting_texts import setting_label, setting_labels


def action_labels() -> dict[str, str]:
    A = AuditAction
    return {
        A.LOGIN: QCoreApplication.translate("Audit", "Signed in"),
        A.LOGIN_FAILED: QCoreApplication.translate("Audit", "Sign-in failed"),
        A.LOCKOUT: QCoreApplication.translate("Audit", "Account locked"),
        A.LOGOUT: QCoreApplication.translate("Audit", "Signed out"),
        A.UNLOCK: QCoreApplication.translate("Audit", "Account unlocked"),
        A.PERMISSION_DENIED: QCoreApplication.translate("Audit", "Refused: no permission"),
        A.REVEAL: QCoreApplication.translate("Audit", "Full value shown"),
        A.OVERRIDE: QCoreApplication.translate("Audit", "Supervisor override"),
        A.IMPORT: QCoreApplication.translate("Audit", "Import"),
        A.IMPORT_BATCH: QCoreApplication.translate("Audit", "Import batch"),
        A.EXPORT: QCoreApplication.translate("Audit", "Export"),
        A.MERGE: QCoreApplication.translate("Audit", "Customers merged"),
        A.CUSTOMER_CREATE: QCoreApplication.translate("Audit", "Customer registered"),
        A.CUSTOMER_CHANGE: QCoreApplication.translate("Audit", "Customer record changed"),
        A.TIER_RECOMPUTE: QCoreApplication.translate("Audit", "Tiers recomputed"),
        A.CUSTOMER_REVIEW: QCoreApplication.translate("Audit", "Periodic review"),
        A.SETTINGS_CHANGE: QCoreApplication.translate("Audit", "Setting changed"),
        A.MATRIX_CHANGE: QCoreApplication.translate("Audit", "Counter services changed"),
        A.TEMPLATE_CHANGE: QCoreApplication.translate("Audit", "Checklist template imported"),
        A.USER_CREATE: QCoreApplication.translate("Audit", "User created"),
        A.USER_CHANGE: QCoreApplication.translate("Audit", "User changed"),
        A.PASSWORD_RESET: QCoreApplication.translate("Audit", "Password reset"),
        A.BACKUP: QCoreApplication.translate("Audit", "Backup"),
        A.RESTORE: QCoreApplication.translate("Audit", "Restore"),
        A.KEY_ROTATION: QCoreApplication.translate("Audit", "Data key rotated"),
        A.REPORT: QCoreApplication.translate("Audit", "Report"),
    }


def target_labels() -> dict[str, str]:
    return {
        "appointment": QCoreApplication.translate("Audit", "Appointment"),
        "audit_log": QCoreApplication.translate("Audit", "Audit log"),
        "checklist_run": QCoreApplication.translate("Audit", "Checklist"),
        "checklist_template": QCoreApplication.translate("Audit", "Checklist template"),
        "complaint": QCoreApplication.translate("Audit", "Complaint"),
        "complaint_analysis": QCoreApplication.translate("Audit", "Complaint analysis"),
        "counter": QCoreApplication.translate("Audit", "Counter"),
        "customer": QCoreApplication.translate("Audit", "Customer"),
        "customers": QCoreApplication.translate("Audit", "Customers"),
        "data_key": QCoreApplication.translate("Audit", "Data key"),
        "file": QCoreApplication.translate("Audit", "File"),
        "report": QCoreApplication.translate("Audit", "Report"),
        "setting": QCoreApplication.translate("Audit", "Setting"),
        "user": QCoreApplication.translate("Audit", "User"),
        "ticket": QCoreApplication.translate("Audit", "Ticket"),
    }


def detail_names() -> dict[str, str]:
    """The names of the details the services record (app/services/*: ``detail={…}``)."""
    return {
        "role": QCoreApplication.translate("Audit", "role"),
        "branch": QCoreApplication.translate("Audit", "branch"),
        "branches": QCoreApplication.translate("Audit", "branches"),
        "all_branches": QCoreApplication.translate("Audit", "all branches"),
        "reason": QCoreApplication.translate("Audit", "reason"),
        "via": QCoreApplication.translate("Audit", "via"),
        "failures": QCoreApplication.translate("Audit", "failed attempts"),
        "minutes": QCoreApplication.translate("Audit", "minutes"),
        "change": QCoreApplication.translate("Audit", "change"),
        "was_locked": QCoreApplication.translate("Audit", "was locked"),
        "format": QCoreApplication.translate("Audit", "format"),
        "complaints": QCoreApplication.translate("Audit", "complaints"),
        "file": QCoreApplication.translate("Audit", "file"),
        "bytes": QCoreApplication.translate("Audit", "bytes"),
        "label": QCoreApplication.translate("Audit", "label"),
        "revision": QCoreApplication.translate("Audit", "revision"),
        "previous": QCoreApplication.translate("Audit", "previous copy"),
        "field": QCoreApplication.translate("Audit", "field"),
        "item_id": QCoreApplication.translate("Audit", "item"),
        "kept": QCoreApplication.translate("Audit", "kept"),
        "merged": QCoreApplication.translate("Audit", "merged"),
        "moved": QCoreApplication.translate("Audit", "moved"),
        "run": QCoreApplication.translate("Audit", "import run"),
        "batch": QCoreApplication.translate("Audit", "batch"),
        "imported": QCoreApplication.translate("Audit", "imported"),
        "masked": QCoreApplication.translate("Audit", "masked"),
        "ticket": QCoreApplication.translate("Audit", "ticket"),
        "teller": QCoreApplication.translate("Audit", "teller"),
        "username": QCoreApplication.translate("Audit", "user"),
        "purpose": QCoreApplication.translate("Audit", "purpose"),
        "permission": QCoreApplication.translate("Audit", "permission"),
        "old": QCoreApplication.translate("Audit", "before"),
        "new": QCoreApplication.translate("Audit", "after"),
        "services": QCoreApplication.translate("Audit", "services"),
        "key": QCoreApplication.translate("Audit", "key"),
        "rows": QCoreApplication.translate("Audit", "rows"),
        "action": QCoreApplication.translate("Audit", "action"),
        "business_type": QCoreApplication.translate("Audit", "business type"),
        "version": QCoreApplication.translate("Audit", "version"),
        "created": QCoreApplication.translate("Audit", "created"),
        "fingerprint": QCoreApplication.translate("Audit", "fingerprint"),
        "step": QCoreApplication.translate("Audit", "step"),
        "fields": QCoreApplication.translate("Audit", "fields"),
        "status": QCoreApplication.translate("Audit", "status"),
        "customers": QCoreApplication.translate("Audit", "customers"),
        "up": QCoreApplication.translate("Audit", "moved up"),
        "down": QCoreApplication.translate("Audit", "moved down"),
        "rescored": QCoreApplication.translate("Audit", "scores recomputed"),
        "manager": QCoreApplication.translate("Audit", "manager (user)"),
        "confirmed": QCoreApplication.translate("Audit", "confirmed"),
        "segment": QCoreApplication.translate("Audit", "segment"),
        "next": QCoreApplication.translate("Audit", "next due"),
        "kind": QCoreApplication.translate("Audit", "kind"),
    }


def _value_words() -> dict[str, dict[str, str]]:
    """Details whose values are codes, and the codes' words."""
    return {
        "reason": {
            "unknown user": QCoreApplication.translate("Audit", "unknown user"),
            "inactive": QCoreApplication.translate("Audit", "account inactive"),
            "locked": QCoreApplication.translate("Audit", "account locked"),
            "wrong password": QCoreApplication.translate("Audit", "wrong password"),
        },
        "via": {
            "sign_in": QCoreApplication.translate("Audit", "sign-in window"),
            "admin_cli": QCoreApplication.translate("Audit", "admin command"),
            "idle_unlock": QCoreApplication.translate("Audit", "lock screen"),
        },
        "change": {"own password": QCoreApplication.translate("Audit", "own password")},
        "field": {**setting_labels(), **field_names()},
        "fields": field_names(),
        "status": account_status_words(),
        "confirmed": {"identity": QCoreApplication.translate("Audit", "identity"),
                      "contact": QCoreApplication.translate("Audit", "contact"),
                      "address": QCoreApplication.translate("Audit", "address"),
                      "occupation": QCoreApplication.translate("Audit", "occupation"),
                      "licence": QCoreApplication.translate("Audit", "business licence")},
        "kind": {"individual": QCoreApplication.translate("Audit", "individual"),
                 "corporate": QCoreApplication.translate("Audit", "corporate")},
        "permission": permission_words(),
        "role": role_words(),
        "action": {**action_labels()},
    }


def number_text(value: float) -> str:
    """``1.0`` → ``1``; other numbers as Python writes them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class AuditTexts:
    """The words for one language, looked up once: a table asks for every cell it paints, and the
    word lists are dozens of translations each.

    ``business``: business type code → its name (the counter services of a matrix change, a
    template's business type)."""

    def __init__(self, business: Mapping[str, str] | None = None) -> None:
        self.actions = action_labels()
        self._targets = target_labels()
        self._names = detail_names()
        self._values = _value_words()
        self._business = dict(business or {})
        self._yes = QCoreApplication.translate("Audit", "yes")
        self._no = QCoreApplication.translate("Audit", "no")
        self._comma = QCoreApplication.translate("Audit", ", ")
        self._separator = QCoreApplication.translate("Audit", "; ")

    def action(self, code: str) -> str:
        return self.actions.get(code, code)

    def value(self, name: str, value: Any) -> str:
        """One detail's value in words."""
        if isinstance(value, bool):
            return self._yes if value else self._no
        if isinstance(value, (int, float)):
            return number_text(value)
        if value is None:
            return "—"
        if isinstance(value, str):
            if name == "business_type":
                return self._business.get(value, value)
            return self._values.get(name, {}).get(value, value)
        if isinstance(value, Mapping):
            return self._comma.join(f"{self._business.get(str(key), key)} {self.value(name, item)}"
                                    for key, item in value.items())
        if isinstance(value, (list, tuple)):
            return self._comma.join(self.value(name, item) for item in value)
        return json.dumps(value, ensure_ascii=False)

    def detail(self, detail: Mapping[str, Any] | None) -> str:
        """``{"field": "phone", "reason": "…"}`` → ``field: 电话; reason: …`` (in the UI's language)."""
        if not detail:
            return ""
        return self._separator.join(f"{self._names.get(key, key)}: {self.value(key, value)}"
                                    for key, value in detail.items())

    def target(self, target_type: str | None, target_id: str | None) -> str:
        if not target_type:
            return ""
        kind = self._targets.get(target_type, target_type)
        if target_type == "setting" and target_id:
            return f"{kind}: {setting_label(target_id)}"
        return f"{kind}: {target_id}" if target_id else kind
