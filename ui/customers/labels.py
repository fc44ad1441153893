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
        "birthday": QCoreApplication.translate("Customers", "Birthday greeting"),
    }.get(code, code)


def kind_label(code: str) -> str:
    return {
        "individual": QCoreApplication.translate("Customers", "Individual"),
        "corporate": QCoreApplication.translate("Customers", "Corporate"),
    }.get(code, code)


def account_kind_label(code: str) -> str:
    return {
        "debit_card": QCoreApplication.translate("Customers", "Debit card"),
        "credit_card": QCoreApplication.translate("Customers", "Credit card"),
        "savings": QCoreApplication.translate("Customers", "Savings account"),
        "settlement": QCoreApplication.translate("Customers", "Settlement account"),
    }.get(code, code)


def account_status_label(code: str) -> str:
    return account_status_words().get(code, code)


def account_status_words() -> dict[str, str]:
    return {
        "active": QCoreApplication.translate("Customers", "Active"),
        "dormant": QCoreApplication.translate("Customers", "Dormant"),
        "frozen": QCoreApplication.translate("Customers", "Frozen"),
        "closed": QCoreApplication.translate("Customers", "Closed"),
        "lost": QCoreApplication.translate("Customers", "Reported lost"),
    }


def visit_status_label(code: str) -> str:
    """A ticket's status as the profile's visit list shows it."""
    return {
        "waiting": QCoreApplication.translate("Customers", "Waiting"),
        "called": QCoreApplication.translate("Customers", "Called"),
        "serving": QCoreApplication.translate("Customers", "Being served"),
        "parked": QCoreApplication.translate("Customers", "Parked"),
        "finished": QCoreApplication.translate("Customers", "Served"),
        "no_show": QCoreApplication.translate("Customers", "No-show"),
        "transferred": QCoreApplication.translate("Customers", "Transferred"),
    }.get(code, code)


def person_text(gender: str | None, age_band: int | None) -> str:
    """``男 · 60–69岁`` / ``male, 60–69``: what tells two masked names apart."""
    parts = []
    if gender in ("male", "female"):
        parts.append(QCoreApplication.translate("Customers", "male") if gender == "male"
                     else QCoreApplication.translate("Customers", "female"))
    if age_band is not None:
        parts.append(QCoreApplication.translate("Customers", "under 20") if age_band < 20 else
                     QCoreApplication.translate("Customers", "{low}–{high}").format(low=age_band, high=age_band + 9))
    return QCoreApplication.translate("Customers", " · ").join(parts)


def tier_input_labels() -> dict[str, dict[str, str]]:
    """The inputs of a tier (field name → code → word), in the form's order."""
    bands = {
        "low": QCoreApplication.translate("Customers", "Low"),
        "middle": QCoreApplication.translate("Customers", "Middle"),
        "high": QCoreApplication.translate("Customers", "High"),
    }
    return {
        "asset band": bands,
        "activity band": dict(bands),
        "credit grade": {
            "good": QCoreApplication.translate("Customers", "Good"),
            "fair": QCoreApplication.translate("Customers", "Fair"),
            "risk": QCoreApplication.translate("Customers", "Risk"),
        },
        "compliance": {code: compliance_label(code) for code in ("compliant", "watch", "risk")},
    }
