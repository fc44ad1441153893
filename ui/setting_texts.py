"""Translated names of the branch-wide settings, their sections, units and value sources.

Spelled out as literal ``QCoreApplication.translate("Settings", "…")`` calls so that
pyside6-lupdate extracts them (see ui/errors.py for why). tests/gui/test_branch_settings_dialog.py
checks that every branch-wide setting in app/settings.py has a name here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def section_title(section: str) -> str:
    return {
        "queue": QCoreApplication.translate("Settings", "Queue and calling"),
        "appointment": QCoreApplication.translate("Settings", "Appointments"),
        "display": QCoreApplication.translate("Settings", "Calling display"),
        "printing": QCoreApplication.translate("Settings", "Printing"),
        "dashboard": QCoreApplication.translate("Settings", "Lobby dashboard"),
        "complaints": QCoreApplication.translate("Settings", "Complaints"),
        "security": QCoreApplication.translate("Settings", "Sign-in and passwords"),
        "customers": QCoreApplication.translate("Settings", "Customers"),
    }.get(section, section)


def setting_labels() -> dict[str, str]:
    return {
        "queue.wait_alert_minutes": QCoreApplication.translate("Settings", "Waiting-time alert after"),
        "queue.starvation_minutes":
            QCoreApplication.translate("Settings", "Normal tickets no longer passed over after"),
        "queue.recalls_before_no_show": QCoreApplication.translate("Settings", "Recalls before a no-show"),
        "queue.service_time_weight":
            QCoreApplication.translate("Settings", "Weight of the newest service in the average"),
        "queue.elderly_age": QCoreApplication.translate("Settings", "Green channel from the age of"),
        "appointment.early_minutes": QCoreApplication.translate("Settings", "Check-in allowed before the slot"),
        "appointment.late_minutes": QCoreApplication.translate("Settings", "Check-in allowed after the slot starts"),
        "display.notice": QCoreApplication.translate("Settings", "Scrolling notice"),
        "printing.slip_notice": QCoreApplication.translate("Settings", "Notice on ticket slips"),
        "printing.bank_name": QCoreApplication.translate("Settings", "Bank name on slips and letters"),
        "dashboard.queue_per_counter":
            QCoreApplication.translate("Settings", "Alert at this many waiting per open counter"),
        "dashboard.satisfaction_goal_percent": QCoreApplication.translate("Settings", "Satisfaction goal"),
        "dashboard.history_weeks": QCoreApplication.translate("Settings", "Weeks averaged for the usual day"),
        "complaints.decide_days": QCoreApplication.translate("Settings", "Decision deadline"),
        "complaints.extended_days": QCoreApplication.translate("Settings", "Deadline after the first extension"),
        "complaints.max_days": QCoreApplication.translate("Settings", "Longest deadline (second extension)"),
        "complaints.review_days": QCoreApplication.translate("Settings", "Period to ask for a review"),
        "complaints.near_due_days": QCoreApplication.translate("Settings", "Highlight as due soon within"),
        "complaints.reference_prefix": QCoreApplication.translate("Settings", "Reference number prefix"),
        "security.max_failed_logins":
            QCoreApplication.translate("Settings", "Wrong passwords in a row before lockout"),
        "security.lockout_minutes": QCoreApplication.translate("Settings", "Keep a locked account locked for"),
        "security.password_min_length": QCoreApplication.translate("Settings", "Minimum password length"),
        "security.password_letters_and_digits":
            QCoreApplication.translate("Settings", "Passwords need a letter and a digit"),
        "security.idle_lock_minutes":
            QCoreApplication.translate("Settings", "Lock an idle workstation after (0: never)"),
        "customers.tier_gold_score": QCoreApplication.translate("Settings", "Gold tier from a score of"),
        "customers.tier_platinum_score": QCoreApplication.translate("Settings", "Platinum tier from a score of"),
        "customers.tier_diamond_score": QCoreApplication.translate("Settings", "Diamond tier from a score of"),
        "customers.reveal_seconds": QCoreApplication.translate("Settings", "Show revealed data for"),
        "customers.review_months": QCoreApplication.translate("Settings", "Review customer records every"),
    }


def setting_label(key: str) -> str:
    return setting_labels().get(key, key)


def unit_suffix(unit: str) -> str:
    """The spin box suffix of a unit declared in app/settings.py (with its leading space)."""
    return {
        "min": QCoreApplication.translate("Settings", " min"),
        "s": QCoreApplication.translate("Settings", " s"),
        "days": QCoreApplication.translate("Settings", " days"),
        "weeks": QCoreApplication.translate("Settings", " weeks"),
        "years": QCoreApplication.translate("Settings", " years"),
        "recalls": QCoreApplication.translate("Settings", " recalls"),
        "attempts": QCoreApplication.translate("Settings", " attempts"),
        "times": QCoreApplication.translate("Settings", " times"),
        "characters": QCoreApplication.translate("Settings", " characters"),
        "people": QCoreApplication.translate("Settings", " people"),
        "points": QCoreApplication.translate("Settings", " points"),
        "months": QCoreApplication.translate("Settings", " months"),
        "%": " %",
    }.get(unit, "")


def source_text(source: str) -> str:
    """Where a value comes from (Settings.source)."""
    return {
        "branch": QCoreApplication.translate("Settings", "set for the branch"),
        "file": QCoreApplication.translate("Settings", "this workstation's file"),
        "default": QCoreApplication.translate("Settings", "default"),
        "environment": QCoreApplication.translate("Settings", "environment variable"),
    }.get(source, source)
