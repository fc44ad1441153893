"""Turn domain errors into translated sentences; anything else is logged with a reference.

A domain error carries a stable ``code`` and its ``params`` (see app/domain/errors.py). The
sentence for the code is looked up here; parameter values that are words rather than data
(ticket and counter states, actions, record kinds, role names, the field and the reason of a
ValidationError) are translated by the parameter's name before they are filled in.

Every call below is spelled out in full — ``QCoreApplication.translate("Errors", "…")`` with
literal strings — because pyside6-lupdate only extracts literal calls (never an alias or a
helper function). Where English uses one word for two meanings that Chinese tells apart
(the ticket status "called" and the action "called"), the third argument disambiguates.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.domain.errors import DomainError
from ui.setting_texts import setting_labels

log = logging.getLogger(__name__)


def _templates() -> dict[str, str]:
    """One sentence per error code raised in app/ (``code="…"`` and the DomainError subclasses).

    The setup wizard's own problem codes (app/services/first_run.py) live in ui/setup_texts.py.
    Placeholders match the error's params; translators keep them as they are."""
    return {
        "domain_error": QCoreApplication.translate("Errors", "The operation could not be completed."),
        "authentication_failed": QCoreApplication.translate("Errors", "Wrong user name or password."),
        "permission_denied": QCoreApplication.translate("Errors", "{user} ({role}) may not {action}."),
        "not_found": QCoreApplication.translate("Errors", "{what} {key} does not exist."),
        "invalid_transition": QCoreApplication.translate(
            "Errors", "Ticket {ticket} is {status}; it cannot be {action}."),
        "invalid_field": QCoreApplication.translate("Errors", "{field}: {reason}"),
        "conflict": QCoreApplication.translate("Errors", "{reason}"),
        "counter_busy": QCoreApplication.translate(
            "Errors", "Counter {counter} is still serving {ticket}; finish it or mark it a no-show first."),
        "counter_busy_race": QCoreApplication.translate(
            "Errors", "Counter {counter} was given a ticket by another workstation at the same moment."),
        "counter_idle": QCoreApplication.translate("Errors", "Counter {counter} has no called ticket."),
        "counter_not_open": QCoreApplication.translate("Errors", "Counter {counter} is {state}; resume it first."),
        "counter_state": QCoreApplication.translate("Errors", "Counter {counter} is already {state}."),
        "counter_has_parked": QCoreApplication.translate(
            "Errors", "Counter {counter} still holds parked ticket {ticket}."),
        "no_show_too_early": QCoreApplication.translate(
            "Errors", "Ticket {ticket} has been recalled {recalls} of {needed} times; "
                      "recall it before marking a no-show."),
        "ticket_not_waiting": QCoreApplication.translate("Errors", "Ticket {ticket} is not waiting."),
        "rating_not_finished": QCoreApplication.translate(
            "Errors", "Ticket {ticket} is not finished; rate it after the service."),
        "already_rated": QCoreApplication.translate("Errors", "This service has already been rated."),
        "receipt_not_finished": QCoreApplication.translate(
            "Errors", "Ticket {ticket} is not finished yet; a receipt is printed after service."),
        "appointment_used": QCoreApplication.translate("Errors", "Appointment {booking} is already {status}."),
        "appointment_other_day": QCoreApplication.translate("Errors", "Appointment {booking} is for {day}."),
        "checklist_template_invalid": QCoreApplication.translate("Errors", "{file}: step {step}: {reason}"),
        "checklist_rule_violated": QCoreApplication.translate("Errors", "{message}"),
        "checklist_incomplete": QCoreApplication.translate(
            "Errors", "Ticket {ticket} cannot be finished: {count} required checklist step(s) still open, "
                      "starting with “{step}”. Complete them or ask a supervisor to override."),
        "checklist_all_done": QCoreApplication.translate(
            "Errors", "Every step of this checklist has been dealt with."),
        "checklist_nothing_to_override": QCoreApplication.translate(
            "Errors", "No required step is open; nothing to override."),
        "checklist_out_of_order": QCoreApplication.translate(
            "Errors", "“{step}” is not the next step; “{current}” comes first."),
        "checklist_step_optional": QCoreApplication.translate(
            "Errors", "“{step}” is optional; skip it with a reason instead."),
        "checklist_step_required": QCoreApplication.translate(
            "Errors", "“{step}” is required; it cannot be skipped without a supervisor's override."),
        "checklist_ticket_closed": QCoreApplication.translate(
            "Errors", "Ticket {ticket} is {status}; its checklist can no longer be changed."),
        "checklist_not_complete": QCoreApplication.translate(
            "Errors", "The checklist of ticket {ticket} still has required steps open."),
        "template_version_not_newer": QCoreApplication.translate(
            "Errors", "Template {business_type} version {version} is not newer than version {latest}; "
                      "raise the version in the file."),
        "complaint_invalid_transition": QCoreApplication.translate(
            "Errors", "Complaint {complaint} is {status}; it cannot be {action}."),
        "complaint_max_extended": QCoreApplication.translate(
            "Errors", "The deadline is already at its maximum of {days} days."),
        "complaint_already_paused": QCoreApplication.translate("Errors", "The complaint is already paused."),
        "complaint_not_paused": QCoreApplication.translate("Errors", "The complaint is not paused."),
        "complaint_paused": QCoreApplication.translate(
            "Errors", "Complaint {complaint} is waiting for an appraisal; resume it first."),
        "complaint_review_late": QCoreApplication.translate(
            "Errors", "The review window of {days} days after the decision has passed."),
        "complaint_not_draft": QCoreApplication.translate("Errors", "Complaint {complaint} is no longer a draft."),
        "complaint_not_submitted": QCoreApplication.translate(
            "Errors", "Complaint #{complaint} is still a draft; submit it before printing."),
        "complaint_not_decided": QCoreApplication.translate(
            "Errors", "Complaint {complaint} has no decision yet; the reply is printed after it."),
        "backup_sqlite_only": QCoreApplication.translate(
            "Errors", "This database is on a PostgreSQL server: back it up there with pg_dump (see the README)."),
        "not_a_backup": QCoreApplication.translate("Errors", "{file} is not a BranchDesk database backup: {reason}."),
        "backup_failed": QCoreApplication.translate("Errors", "The backup could not be completed: {reason}."),
        "data_key_missing": QCoreApplication.translate(
            "Errors", "The data key file {path} is missing, and this database's personal data needs the key with "
                      "fingerprint {expected}. Restore the branch's copy of the key file; no new key is made for a "
                      "database that holds encrypted data."),
        "data_key_not_created": QCoreApplication.translate(
            "Errors", "There is no data key yet ({path}). Create one with 'branchdesk-admin keys create' (a "
                      "supervisor), or run the first-run setup; then keep a copy of it with the branch's backups."),
        "data_key_wrong": QCoreApplication.translate(
            "Errors", "The data key from {source} (fingerprint {found}) is not the key this database's personal data "
                      "was encrypted with (fingerprint {expected}). Restore the branch's key file; nothing was changed."),
        "data_key_unreadable": QCoreApplication.translate(
            "Errors", "The data key from {source} cannot be used: {reason}."),
        "database_missing": QCoreApplication.translate(
            "Errors", "There is no database at {path}. Check the path, or create it with 'branchdesk-admin db "
                      "upgrade'."),
        "database_unavailable": QCoreApplication.translate(
            "Errors", "The database cannot be reached: the action was not carried out. BranchDesk reconnects by "
                      "itself as soon as it is back."),
        "account_locked": QCoreApplication.translate(
            "Errors", "Too many wrong passwords: the account is locked for {minutes} more minutes, or until a "
                      "supervisor unlocks it."),
    }


def _statuses() -> dict[str, str]:
    """``status``: a ticket's status (app/domain/tickets.py) or an appointment's."""
    return {
        "waiting": QCoreApplication.translate("Errors", "waiting", "ticket status"),
        "called": QCoreApplication.translate("Errors", "called", "ticket status"),
        "serving": QCoreApplication.translate("Errors", "being served", "ticket status"),
        "parked": QCoreApplication.translate("Errors", "parked", "ticket status"),
        "finished": QCoreApplication.translate("Errors", "finished", "ticket status"),
        "no_show": QCoreApplication.translate("Errors", "a no-show", "ticket status"),
        "transferred": QCoreApplication.translate("Errors", "transferred", "ticket status"),
        "booked": QCoreApplication.translate("Errors", "booked", "appointment status"),
        "checked_in": QCoreApplication.translate("Errors", "checked in", "appointment status"),
        "cancelled": QCoreApplication.translate("Errors", "cancelled", "appointment status"),
        "draft": QCoreApplication.translate("Errors", "a draft", "complaint status"),
        "received": QCoreApplication.translate("Errors", "received", "complaint status"),
        "accepted": QCoreApplication.translate("Errors", "accepted", "complaint status"),
        "investigating": QCoreApplication.translate("Errors", "under investigation", "complaint status"),
        "extended": QCoreApplication.translate("Errors", "extended", "complaint status"),
        "decided": QCoreApplication.translate("Errors", "decided", "complaint status"),
        "reply_sent": QCoreApplication.translate("Errors", "replied to", "complaint status"),
        "closed": QCoreApplication.translate("Errors", "closed", "complaint status"),
        "review_requested": QCoreApplication.translate("Errors", "under review", "complaint status"),
        "withdrawn": QCoreApplication.translate("Errors", "withdrawn", "complaint status"),
        "merged": QCoreApplication.translate("Errors", "merged", "complaint status"),
    }


def _counter_states() -> dict[str, str]:
    """``state``: a counter's state (app/services/counters.py)."""
    return {
        "open": QCoreApplication.translate("Errors", "open", "counter state"),
        "paused": QCoreApplication.translate("Errors", "paused", "counter state"),
        "closed": QCoreApplication.translate("Errors", "closed", "counter state"),
    }


def _actions() -> dict[str, str]:
    """``action``: a ticket action (it cannot be …) or a permission (may not …)."""
    return {
        "call": QCoreApplication.translate("Errors", "called", "ticket action"),
        "recall": QCoreApplication.translate("Errors", "recalled", "ticket action"),
        "start": QCoreApplication.translate("Errors", "started", "ticket action"),
        "finish": QCoreApplication.translate("Errors", "finished", "ticket action"),
        "no_show": QCoreApplication.translate("Errors", "marked a no-show", "ticket action"),
        "requeue": QCoreApplication.translate("Errors", "put back in the queue", "ticket action"),
        "park": QCoreApplication.translate("Errors", "parked", "ticket action"),
        "resume": QCoreApplication.translate("Errors", "resumed", "ticket action"),
        "transfer": QCoreApplication.translate("Errors", "transferred", "ticket action"),
        "issue_ticket": QCoreApplication.translate("Errors", "issue tickets"),
        "serve_at_counter": QCoreApplication.translate("Errors", "serve at a counter"),
        "view_queue": QCoreApplication.translate("Errors", "view the queue"),
        "edit_matrix": QCoreApplication.translate("Errors", "edit the counter services"),
        "manage_users": QCoreApplication.translate("Errors", "manage users"),
        "manage_branch": QCoreApplication.translate("Errors", "manage branches"),
        "work for another branch": QCoreApplication.translate("Errors", "work for another branch"),
        "run_checklist": QCoreApplication.translate("Errors", "work checklists"),
        "override_checklist": QCoreApplication.translate("Errors", "override checklist steps"),
        "manage_checklist_templates": QCoreApplication.translate("Errors", "manage checklist templates"),
        "submit": QCoreApplication.translate("Errors", "submitted", "complaint action"),
        "accept": QCoreApplication.translate("Errors", "accepted", "complaint action"),
        "investigate": QCoreApplication.translate("Errors", "investigated", "complaint action"),
        "extend": QCoreApplication.translate("Errors", "extended", "complaint action"),
        "pause": QCoreApplication.translate("Errors", "paused for an appraisal", "complaint action"),
        "new_facts": QCoreApplication.translate("Errors", "given new facts", "complaint action"),
        "assign": QCoreApplication.translate("Errors", "assigned", "complaint action"),
        "decide": QCoreApplication.translate("Errors", "decided", "complaint action"),
        "send_reply": QCoreApplication.translate("Errors", "replied to", "complaint action"),
        "close": QCoreApplication.translate("Errors", "closed", "complaint action"),
        "request_review": QCoreApplication.translate("Errors", "sent for review", "complaint action"),
        "withdraw": QCoreApplication.translate("Errors", "withdrawn", "complaint action"),
        "merge": QCoreApplication.translate("Errors", "merged", "complaint action"),
        "record_complaint": QCoreApplication.translate("Errors", "record complaints"),
        "handle_complaint": QCoreApplication.translate("Errors", "handle complaints"),
        "extend_complaint": QCoreApplication.translate("Errors", "extend complaint deadlines"),
        "close_complaint": QCoreApplication.translate("Errors", "close complaints"),
        "view_reports": QCoreApplication.translate("Errors", "view reports"),
        "view_customers": QCoreApplication.translate("Errors", "view customer data"),
        "reveal_sensitive": QCoreApplication.translate("Errors", "reveal full personal data"),
    }


def _kinds() -> dict[str, str]:
    """``what``: the kind of record that was not found."""
    return {
        "Branch": QCoreApplication.translate("Errors", "Branch"),
        "Ticket": QCoreApplication.translate("Errors", "Ticket"),
        "Parked ticket": QCoreApplication.translate("Errors", "Parked ticket"),
        "Counter": QCoreApplication.translate("Errors", "Counter"),
        "Business type": QCoreApplication.translate("Errors", "Business type"),
        "Appointment": QCoreApplication.translate("Errors", "Appointment"),
        "Checklist template": QCoreApplication.translate("Errors", "Checklist template"),
        "Checklist run": QCoreApplication.translate("Errors", "Checklist run"),
        "Checklist step": QCoreApplication.translate("Errors", "Checklist step"),
        "Complaint": QCoreApplication.translate("Errors", "Complaint"),
        "User": QCoreApplication.translate("Errors", "User"),
        "Customer": QCoreApplication.translate("Errors", "Customer"),
        "Customer phone": QCoreApplication.translate("Errors", "Customer phone"),
        "Customer account": QCoreApplication.translate("Errors", "Customer account"),
        "Follow-up": QCoreApplication.translate("Errors", "Follow-up"),
    }


def _roles() -> dict[str, str]:
    return {
        "teller": QCoreApplication.translate("Errors", "teller"),
        "lobby_manager": QCoreApplication.translate("Errors", "lobby manager"),
        "supervisor": QCoreApplication.translate("Errors", "supervisor"),
    }


def _fields() -> dict[str, str]:
    """``field`` of a ValidationError: the names app/ gives (``ValidationError(field="…")``)."""
    return {
        "username": QCoreApplication.translate("Errors", "User name"),
        "display name": QCoreApplication.translate("Errors", "Name"),
        "password": QCoreApplication.translate("Errors", "Password"),
        "role": QCoreApplication.translate("Errors", "Role"),
        "branch code": QCoreApplication.translate("Errors", "Branch code"),
        "branch name": QCoreApplication.translate("Errors", "Branch name"),
        "time zone": QCoreApplication.translate("Errors", "Time zone"),
        "pause reason": QCoreApplication.translate("Errors", "Pause reason"),
        "business types": QCoreApplication.translate("Errors", "Business types"),
        "rank": QCoreApplication.translate("Errors", "Order"),
        "prefix": QCoreApplication.translate("Errors", "Ticket prefix"),
        "ticket number": QCoreApplication.translate("Errors", "Ticket number"),
        "customer name": QCoreApplication.translate("Errors", "Customer name"),
        "phone": QCoreApplication.translate("Errors", "Phone"),
        "ID number": QCoreApplication.translate("Errors", "ID number"),
        "slot": QCoreApplication.translate("Errors", "Time slot"),
        "slot length": QCoreApplication.translate("Errors", "Slot length"),
        "outcome": QCoreApplication.translate("Errors", "Outcome"),
        "note": QCoreApplication.translate("Errors", "Note"),
        "reason": QCoreApplication.translate("Errors", "Reason"),
        "transfer target": QCoreApplication.translate("Errors", "Transfer target"),
        "position": QCoreApplication.translate("Errors", "Place in queue"),
        "rating": QCoreApplication.translate("Errors", "Rating"),
        "rating source": QCoreApplication.translate("Errors", "Rating source"),
        "branch": QCoreApplication.translate("Errors", "Branch"),
        "output file": QCoreApplication.translate("Errors", "Output file"),
        "checklist facts": QCoreApplication.translate("Errors", "Customer facts"),
        "customer age": QCoreApplication.translate("Errors", "Customer age"),
        "intake": QCoreApplication.translate("Errors", "Received by"),
        "channel": QCoreApplication.translate("Errors", "Channel"),
        "business": QCoreApplication.translate("Errors", "Business"),
        "category": QCoreApplication.translate("Errors", "Category"),
        "severity": QCoreApplication.translate("Errors", "Severity"),
        "complainant kind": QCoreApplication.translate("Errors", "Kind of complainant"),
        "complainant_name": QCoreApplication.translate("Errors", "Complainant's name"),
        "complainant_id_number": QCoreApplication.translate("Errors", "Complainant's ID number"),
        "complainant_contact": QCoreApplication.translate("Errors", "Complainant's contact"),
        "org_name": QCoreApplication.translate("Errors", "Organisation"),
        "org_credit_code": QCoreApplication.translate("Errors", "Unified social credit code"),
        "org_legal_rep": QCoreApplication.translate("Errors", "Legal representative"),
        "agent_name": QCoreApplication.translate("Errors", "Agent"),
        "agent_contact": QCoreApplication.translate("Errors", "Agent's contact"),
        "agent_authorisation": QCoreApplication.translate("Errors", "Agent's authorisation"),
        "customer_id": QCoreApplication.translate("Errors", "Customer"),
        "subject_user_id": QCoreApplication.translate("Errors", "Staff complained about"),
        "subject_counter_id": QCoreApplication.translate("Errors", "Counter complained about"),
        "ticket_id": QCoreApplication.translate("Errors", "Ticket"),
        "subject_note": QCoreApplication.translate("Errors", "Subject note"),
        "request": QCoreApplication.translate("Errors", "Request"),
        "facts": QCoreApplication.translate("Errors", "Facts and reasons"),
        "attachments": QCoreApplication.translate("Errors", "Documents received"),
        "received_on": QCoreApplication.translate("Errors", "Date received"),
        "reference": QCoreApplication.translate("Errors", "Reference number"),
        "extension reason": QCoreApplication.translate("Errors", "Reason for the extension"),
        "approved by": QCoreApplication.translate("Errors", "Approved by"),
        "extensions": QCoreApplication.translate("Errors", "Extensions"),
        "complaint deadlines": QCoreApplication.translate("Errors", "Complaint deadlines"),
        "pause date": QCoreApplication.translate("Errors", "Pause date"),
        "resume date": QCoreApplication.translate("Errors", "Resume date"),
        "new facts date": QCoreApplication.translate("Errors", "Date of the new facts"),
        "handler": QCoreApplication.translate("Errors", "Handler"),
        "decision": QCoreApplication.translate("Errors", "Decision"),
        "reply method": QCoreApplication.translate("Errors", "Reply by"),
        "reply text": QCoreApplication.translate("Errors", "Reply text"),
        "merge target": QCoreApplication.translate("Errors", "Merge target"),
        "month": QCoreApplication.translate("Errors", "Month"),
        "since": QCoreApplication.translate("Errors", "From"),
        "until": QCoreApplication.translate("Errors", "Until"),
        "credit code": QCoreApplication.translate("Errors", "Unified social credit code"),
        "ID type": QCoreApplication.translate("Errors", "ID type"),
        "address": QCoreApplication.translate("Errors", "Address"),
        "occupation": QCoreApplication.translate("Errors", "Occupation"),
        "legal representative": QCoreApplication.translate("Errors", "Legal representative"),
        "contact": QCoreApplication.translate("Errors", "Contact person"),
        "asset band": QCoreApplication.translate("Errors", "Asset band"),
        "activity band": QCoreApplication.translate("Errors", "Activity band"),
        "credit grade": QCoreApplication.translate("Errors", "Credit grade"),
        "compliance": QCoreApplication.translate("Errors", "Compliance status"),
        "account number": QCoreApplication.translate("Errors", "Account number"),
        "account type": QCoreApplication.translate("Errors", "Account type"),
        "account opened": QCoreApplication.translate("Errors", "Account opening date"),
        "consent": QCoreApplication.translate("Errors", "Consent"),
        "consent date": QCoreApplication.translate("Errors", "Consent date"),
        "file": QCoreApplication.translate("Errors", "File"),
        "field": QCoreApplication.translate("Errors", "Field"),
        "follow-up": QCoreApplication.translate("Errors", "Follow-up type"),
        "tier scores": QCoreApplication.translate("Errors", "Tier scores"),
        "database URL": QCoreApplication.translate("Errors", "Database URL"),
        "text": QCoreApplication.translate("Errors", "Text"),
    }


def _reasons() -> dict[str, str]:
    """Fixed ``reason`` texts of ValidationError and Conflict raised in app/."""
    return {
        "required": QCoreApplication.translate("Errors", "required"),
        "contains a NUL character": QCoreApplication.translate("Errors", "contains a NUL character"),
        "not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk":
            QCoreApplication.translate(
                "Errors", "not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk"),
        "letters, digits, '.' and '_' only": QCoreApplication.translate("Errors", "letters, digits, '.' and '_' only"),
        "1 to 32 characters": QCoreApplication.translate("Errors", "1 to 32 characters"),
        "1 to 100 characters": QCoreApplication.translate("Errors", "1 to 100 characters"),
        "each business type at most once": QCoreApplication.translate("Errors", "each business type at most once"),
        "0 or more": QCoreApplication.translate("Errors", "0 or more"),
        "needs a time zone": QCoreApplication.translate("Errors", "needs a time zone"),
        "must be in the future": QCoreApplication.translate("Errors", "must be in the future"),
        "5 to 240 minutes": QCoreApplication.translate("Errors", "5 to 240 minutes"),
        "1 to 5": QCoreApplication.translate("Errors", "1 to 5"),
        "must be unique": QCoreApplication.translate("Errors", "must be unique"),
        "a positive whole number": QCoreApplication.translate("Errors", "a positive whole number"),
        "must be one capital letter A–Z": QCoreApplication.translate("Errors", "must be one capital letter A–Z"),
        "choose a business type or a counter":
            QCoreApplication.translate("Errors", "choose a business type or a counter"),
        "a mainland mobile number (11 digits) or a landline with area code":
            QCoreApplication.translate("Errors", "a mainland mobile number (11 digits) or a landline with area code"),
        "must have 18 characters": QCoreApplication.translate("Errors", "must have 18 characters"),
        "17 digits followed by a digit or X":
            QCoreApplication.translate("Errors", "17 digits followed by a digit or X"),
        "the check character does not match":
            QCoreApplication.translate("Errors", "the check character does not match"),
        "digits 7–14 are not a valid birth date":
            QCoreApplication.translate("Errors", "digits 7–14 are not a valid birth date"),
        "the birth date is impossible": QCoreApplication.translate("Errors", "the birth date is impossible"),
        "no free booking code; try again": QCoreApplication.translate("Errors", "no free booking code; try again"),
        "front, end or arrival": QCoreApplication.translate("Errors", "front, end or arrival"),
        "evaluator or teller": QCoreApplication.translate("Errors", "evaluator or teller"),
        "ends in .pdf, .csv or .xlsx": QCoreApplication.translate("Errors", "ends in .pdf, .csv or .xlsx"),
        "0 to 150": QCoreApplication.translate("Errors", "0 to 150"),
        "a supervisor must confirm": QCoreApplication.translate("Errors", "a supervisor must confirm"),
        "a number": QCoreApplication.translate("Errors", "a number"),
        "a whole number": QCoreApplication.translate("Errors", "a whole number"),
        "a date YYYY-MM-DD": QCoreApplication.translate("Errors", "a date YYYY-MM-DD"),
        "must not be in the future": QCoreApplication.translate("Errors", "must not be in the future"),
        "not in the expected format": QCoreApplication.translate("Errors", "not in the expected format"),
        "not one of the listed values": QCoreApplication.translate("Errors", "not one of the listed values"),
        "must be text": QCoreApplication.translate("Errors", "must be text"),
        "contains control characters": QCoreApplication.translate("Errors", "contains control characters"),
        "contains invisible formatting characters":
            QCoreApplication.translate("Errors", "contains invisible formatting characters"),
        "not a valid record": QCoreApplication.translate("Errors", "not a valid record"),
        "not a valid unified social credit code":
            QCoreApplication.translate("Errors", "not a valid unified social credit code"),
        "number must be positive": QCoreApplication.translate("Errors", "number must be positive"),
        "in the future": QCoreApplication.translate("Errors", "in the future"),
        "not a user of this branch": QCoreApplication.translate("Errors", "not a user of this branch"),
        "the same complaint": QCoreApplication.translate("Errors", "the same complaint"),
        "not an open complaint of this branch":
            QCoreApplication.translate("Errors", "not an open complaint of this branch"),
        "holds masked characters (*): type the full value or leave it unchanged":
            QCoreApplication.translate("Errors", "holds masked characters (*): type the full value or leave it unchanged"),
        "before the clock started": QCoreApplication.translate("Errors", "before the clock started"),
        "before the last pause ended": QCoreApplication.translate("Errors", "before the last pause ended"),
        "before the pause began": QCoreApplication.translate("Errors", "before the pause began"),
        "at most two extensions": QCoreApplication.translate("Errors", "at most two extensions"),
        "need 0 < decide ≤ extended ≤ maximum":
            QCoreApplication.translate("Errors", "need 0 < decide ≤ extended ≤ maximum"),
        "YYYY-MM": QCoreApplication.translate("Errors", "YYYY-MM"),
        "a .pdf or .csv file": QCoreApplication.translate("Errors", "a .pdf or .csv file"),
        "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)":
            QCoreApplication.translate("Errors", "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"),
        "not a SQLite database": QCoreApplication.translate("Errors", "not a SQLite database"),
        "the BranchDesk tables are missing": QCoreApplication.translate("Errors", "the BranchDesk tables are missing"),
        "no schema revision": QCoreApplication.translate("Errors", "no schema revision"),
        "at least one letter and one digit": QCoreApplication.translate("Errors", "at least one letter and one digit"),
        "must differ from the current password":
            QCoreApplication.translate("Errors", "must differ from the current password"),
        "8 digits then 10 digits or capital letters (no I, O, S, V, Z)": QCoreApplication.translate("Errors", "8 digits then 10 digits or capital letters (no I, O, S, V, Z)"),
        "yes or no": QCoreApplication.translate("Errors", "yes or no"),
        "neither UTF-8 nor GBK text": QCoreApplication.translate("Errors", "neither UTF-8 nor GBK text"),
        "a date as YYYY-MM-DD": QCoreApplication.translate("Errors", "a date as YYYY-MM-DD"),
        "more fields than the header": QCoreApplication.translate("Errors", "more fields than the header"),
        "fewer fields than the header": QCoreApplication.translate("Errors", "fewer fields than the header"),
        "a quote opened on this line is not closed":
            QCoreApplication.translate("Errors", "a quote opened on this line is not closed"),
        "a customer cannot be merged into itself": QCoreApplication.translate("Errors", "a customer cannot be merged into itself"),
        "this customer was already merged": QCoreApplication.translate("Errors", "this customer was already merged"),
        "an individual and a company cannot be merged": QCoreApplication.translate("Errors", "an individual and a company cannot be merged"),
        "resident_id or uscc": QCoreApplication.translate("Errors", "resident ID or credit code"),
        "10 to 30 digits": QCoreApplication.translate("Errors", "10 to 30 digits"),
        "no such setting": QCoreApplication.translate("Errors", "no such setting"),
        "set on each workstation, not for the branch":
            QCoreApplication.translate("Errors", "set on each workstation, not for the branch"),
        "a supervisor sets the settings of their own branch":
            QCoreApplication.translate("Errors", "a supervisor sets the settings of their own branch"),
        "must rise: gold ≤ platinum ≤ diamond":
            QCoreApplication.translate("Errors", "must rise: gold ≤ platinum ≤ diamond"),
        "1 to 10 capital letters or digits": QCoreApplication.translate("Errors", "1 to 10 capital letters or digits"),
    }


def _reason_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """``reason`` texts with a value in them (f-strings in app/): pattern → translated template.

    The named groups of the pattern fill the template's placeholders."""
    return (
        (re.compile(r"'(?P<kind>[^']*)' is not supported \(sqlite or postgresql\)"),
         QCoreApplication.translate("Errors", "'{kind}' is not supported (sqlite or postgresql)")),
        (re.compile(r"the audit log's protecting triggers are missing \((?P<names>.+)\)"),
         QCoreApplication.translate("Errors", "the audit log's protecting triggers are missing ({names})")),
        (re.compile(r"the folder (?P<folder>.+) does not exist"),
         QCoreApplication.translate("Errors", "the folder {folder} does not exist")),
        (re.compile(r"at least (?P<count>\d+) characters"),
         QCoreApplication.translate("Errors", "at least {count} characters")),
        (re.compile(r"at most (?P<count>\d+) characters"),
         QCoreApplication.translate("Errors", "at most {count} characters")),
        (re.compile(r"one of (?P<choices>.+)"),
         QCoreApplication.translate("Errors", "one of {choices}")),
        (re.compile(r"unknown outcome (?P<outcome>.+)"),
         QCoreApplication.translate("Errors", "unknown outcome {outcome}")),
        (re.compile(r"unknown time zone (?P<zone>.+)"),
         QCoreApplication.translate("Errors", "unknown time zone {zone}")),
        (re.compile(r"prefix (?P<prefix>\S+) has used all (?P<count>\d+) numbers today"),
         QCoreApplication.translate("Errors", "prefix {prefix} has used all {count} numbers today")),
        (re.compile(r"user (?P<user>\S+) already exists"),
         QCoreApplication.translate("Errors", "user {user} already exists")),
        (re.compile(r"branch (?P<branch>\S+) already exists"),
         QCoreApplication.translate("Errors", "branch {branch} already exists")),
        (re.compile(r"at least (?P<value>-?[\d.]+)"),
         QCoreApplication.translate("Errors", "at least {value}")),
        (re.compile(r"at most (?P<value>-?[\d.]+)"),
         QCoreApplication.translate("Errors", "at most {value}")),
        (re.compile(r"older than (?P<days>\d+) days"),
         QCoreApplication.translate("Errors", "older than {days} days")),
        (re.compile(r"at most (?P<count>\d+) items"),
         QCoreApplication.translate("Errors", "at most {count} items")),
        (re.compile(r"missing columns: (?P<columns>.+)"),
         QCoreApplication.translate("Errors", "missing columns: {columns}")),
        (re.compile(r"line (?P<line>\d+): (?P<problem>.+)"),
         QCoreApplication.translate("Errors", "line {line}: {problem}")),
    )


def translate_reason(reason: str) -> str:
    """A reason from app/ in the UI language; one that is not known stays as it is."""
    fixed = _reasons().get(reason)
    if fixed is not None:
        return fixed
    for pattern, template in _reason_patterns():
        match = pattern.fullmatch(reason)
        if match:
            return template.format(**match.groupdict())
    return reason


def _param_words() -> dict[str, dict[str, str]]:
    """Which parameters hold words, and their translations."""
    return {
        "status": _statuses(),
        "state": _counter_states(),
        "action": _actions(),
        "what": _kinds(),
        "role": _roles(),
        "field": {**setting_labels(), **_fields()},  # a branch setting's key names its field too
    }


def _chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def translated_params(error: DomainError) -> dict[str, Any]:
    params: dict[str, Any] = dict(error.params)
    # Texts that come from data in both languages (checklist step titles, rule messages)
    # travel as ``name`` (English) and ``name_zh``; the Chinese UI takes the latter as it is.
    chinese = _chinese()
    for name in [key for key in params if key.endswith("_zh")]:
        companion = params.pop(name)
        if chinese and name[:-3] in params and isinstance(companion, str):
            params[name[:-3]] = companion
    for name, words in _param_words().items():
        value = params.get(name)
        if isinstance(value, str):
            params[name] = words.get(value, value)
    if isinstance(params.get("reason"), str):
        params["reason"] = translate_reason(params["reason"])
    return params


def describe(error: DomainError) -> str:
    template = _templates().get(error.code)
    if template is None:
        return error.message
    try:
        return template.format(**translated_params(error))
    except (KeyError, IndexError, ValueError):
        return error.message


def describe_unexpected(error: BaseException) -> str:
    reference = uuid.uuid4().hex[:8].upper()
    log.error("Unexpected error, reference %s", reference, exc_info=error)
    return QCoreApplication.translate(
        "Errors", "Something went wrong (reference {ref}). The details are in the log file.").format(ref=reference)
