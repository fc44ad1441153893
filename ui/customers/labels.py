"""Translated words for the customer codes (tiers, compliance, kinds) shown in the pane."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from ui.style import ERROR, GOOD, WARNING


def tier_label(code: str) -> str:
    return {
        "normal": QCoreApplication.translate("Customers", "Standard"),
        "gold": QCoreApplication.translate("Customers", "Gold"),
        "platinum": QCoreApplication.translate("Customers", "Platinum"),
        "diamond": QCoreApplication.translate("Customers", "Diamond"),
    }.get(code, code)


def compliance_label(code: str) -> str:
    return {
        "compliant": QCoreApplication.translate("Customers", "Compliant"),
        "watch": QCoreApplication.translate("Customers", "Watch"),
        "risk": QCoreApplication.translate("Customers", "Risk"),
    }.get(code, code)


# Badge colours: compliant green, watch amber, risk red.
COMPLIANCE_COLOURS = {"compliant": GOOD, "watch": WARNING, "risk": ERROR}


def follow_up_label(code: str) -> str:
    return {
        "revisit": QCoreApplication.translate("Customers", "Follow-up visit"),
        "birthday": QCoreApplication.translate("Customers", "Birthday care"),
    }.get(code, code)


def kind_label(code: str) -> str:
    return {
        "individual": QCoreApplication.translate("Customers", "Individual"),
        "corporate": QCoreApplication.translate("Customers", "Corporate"),
    }.get(code, code)
