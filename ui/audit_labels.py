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
from ui.error_fields import field_names
from ui.errors import permission_words, role_words
from ui.setting_texts import setting_label, setting_labels


def _t(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


def action_labels() -> dict[str, str]:
    A = AuditAction
    return {
        A.LOGIN: _t("Signed in"), A.LOGIN_FAILED: _t("Sign-in failed"), A.LOCKOUT: _t("Account locked"),
        A.LOGOUT: _t("Signed out"), A.UNLOCK: _t("Account unlocked"), A.PERMISSION_DENIED: _t("Refused: no permission"),
        A.REVEAL: _t("Full value shown"), A.OVERRIDE: _t("Supervisor override"), A.IMPORT: _t("Import"),
        A.IMPORT_BATCH: _t("Import batch"), A.EXPORT: _t("Export"), A.MERGE: _t("Customers merged"),
        A.SETTINGS_CHANGE: _t("Setting changed"), A.MATRIX_CHANGE: _t("Counter services changed"),
        A.TEMPLATE_CHANGE: _t("Checklist template imported"), A.USER_CREATE: _t("User created"),
        A.USER_CHANGE: _t("User changed"), A.PASSWORD_RESET: _t("Password reset"), A.BACKUP: _t("Backup"),
        A.RESTORE: _t("Restore"), A.KEY_ROTATION: _t("Data key rotated"), A.REPORT: _t("Report"),
    }


def target_labels() -> dict[str, str]:
    return {
        "appointment": _t("Appointment"), "audit_log": _t("Audit log"), "checklist_run": _t("Checklist"),
        "checklist_template": _t("Checklist template"), "complaint": _t("Complaint"),
        "complaint_analysis": _t("Complaint analysis"), "counter": _t("Counter"), "customer": _t("Customer"),
        "customers": _t("Customers"), "data_key": _t("Data key"), "file": _t("File"), "report": _t("Report"),
        "setting": _t("Setting"), "user": _t("User"), "ticket": _t("Ticket"),
    }


def detail_names() -> dict[str, str]:
    """The names of the details the services record (app/services/*: ``detail={…}``)."""
    return {
        "role": _t("role"), "branch": _t("branch"), "branches": _t("branches"), "all_branches": _t("all branches"),
        "reason": _t("reason"), "via": _t("via"), "failures": _t("failed attempts"), "minutes": _t("minutes"),
        "change": _t("change"), "was_locked": _t("was locked"), "format": _t("format"),
        "complaints": _t("complaints"), "file": _t("file"), "bytes": _t("bytes"), "label": _t("label"),
        "revision": _t("revision"), "previous": _t("previous copy"), "field": _t("field"), "item_id": _t("item"),
        "kept": _t("kept"), "merged": _t("merged"), "moved": _t("moved"), "run": _t("run"), "batch": _t("batch"),
        "imported": _t("imported"), "masked": _t("masked"), "ticket": _t("ticket"), "teller": _t("teller"),
        "username": _t("user"), "purpose": _t("purpose"), "permission": _t("permission"), "old": _t("before"),
        "new": _t("after"), "services": _t("services"), "key": _t("key"), "rows": _t("rows"),
        "action": _t("action"), "business_type": _t("business type"), "version": _t("version"),
        "created": _t("created"), "fingerprint": _t("fingerprint"), "step": _t("step"),
    }


def _value_words() -> dict[str, dict[str, str]]:
    """Details whose values are codes, and the codes' words."""
    return {
        "reason": {"unknown user": _t("unknown user"), "inactive": _t("account inactive"),
                   "locked": _t("account locked"), "wrong password": _t("wrong password")},
        "via": {"sign_in": _t("sign-in window"), "admin_cli": _t("admin command"), "idle_unlock": _t("lock screen")},
        "change": {"own password": _t("own password")},
        "field": {**setting_labels(), **field_names()},
        "permission": permission_words(),
        "role": role_words(),
        "action": {**action_labels()},
    }


def number_text(value: float) -> str:
    """``1.0`` → ``1``; other numbers as Python writes them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def value_text(name: str, value: Any, business: Mapping[str, str] | None = None) -> str:
    """One detail's value in words; ``business``: business type code → its name (the counter
    services of a matrix change, a template's business type)."""
    business = business or {}
    if isinstance(value, bool):
        return _t("yes") if value else _t("no")
    if isinstance(value, (int, float)):
        return number_text(value)
    if value is None:
        return "—"
    if isinstance(value, str):
        if name == "business_type":
            return business.get(value, value)
        return _value_words().get(name, {}).get(value, value)
    if isinstance(value, Mapping):
        return _t(", ").join(f"{business.get(str(key), key)} {value_text(name, item, business)}"
                             for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return _t(", ").join(value_text(name, item, business) for item in value)
    return json.dumps(value, ensure_ascii=False)


def detail_text(detail: Mapping[str, Any] | None, business: Mapping[str, str] | None = None) -> str:
    """``{"field": "phone", "reason": "…"}`` → ``field: 电话; reason: …`` (in the UI's language)."""
    if not detail:
        return ""
    names = detail_names()
    separator = _t("; ")
    return separator.join(f"{names.get(key, key)}: {value_text(key, value, business)}" for key, value in detail.items())


def target_text(target_type: str | None, target_id: str | None) -> str:
    if not target_type:
        return ""
    kind = target_labels().get(target_type, target_type)
    if target_type == "setting" and target_id:
        return f"{kind}: {setting_label(target_id)}"
    return f"{kind}: {target_id}" if target_id else kind
