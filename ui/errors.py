"""Turn domain errors into translated sentences; anything else is logged with a reference.

A domain error carries a stable ``code`` and its ``params`` (see app/domain/errors.py). The
sentence for the code is looked up here; parameter values that are words rather than data
(ticket and counter states, actions, record kinds, role names, the field of a ValidationError)
are translated by the parameter's name before they are filled in. A ``reason`` parameter is a
reason code: its sentence comes from ui/error_reasons.py, filled with the other parameters; the
field names are in ui/error_fields.py. A list parameter (``choices``…) is joined in the UI
language, each value that is a word translated.

Every call below is spelled out in full — ``QCoreApplication.translate("Errors", "…")`` with
literal strings — because pyside6-lupdate only extracts literal calls (never an alias or a
helper function). Where English uses one word for two meanings that Chinese tells apart
(the ticket status "called" and the action "called"), the third argument disambiguates.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.domain.errors import DomainError
from app.domain.reasons import english_params
from ui.error_fields import field_names
from ui.error_reasons import choice_words, list_separator, reason_sentences
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
        "appointment_other_day": QCoreApplication.translate("Errors", "Appointment {booking} is for {day}, not today."),
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
            "Errors", "Complaint {complaint} has no decision yet; the reply letter is printed after the decision."),
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
        "reply_sent": QCoreApplication.translate("Errors", "answered", "complaint status"),
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
        "run_checklist": QCoreApplication.translate("Errors", "complete checklists"),
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
        "reveal_own_customers": QCoreApplication.translate("Errors", "reveal their own customers' full data"),
        "assign_customers": QCoreApplication.translate("Errors", "give customers their relationship manager"),
        "edit_customers": QCoreApplication.translate("Errors", "register and change customers"),
        "merge_customers": QCoreApplication.translate("Errors", "merge customer records"),
        "change_settings": QCoreApplication.translate("Errors", "change the branch's settings"),
        "view_audit": QCoreApplication.translate("Errors", "read the audit log"),
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
        "customer_manager": QCoreApplication.translate("Errors", "customer manager"),
        "wealth_manager": QCoreApplication.translate("Errors", "wealth manager"),
    }


def permission_words() -> dict[str, str]:
    """A permission's (or a ticket or complaint action's) code in words, as in "may not …"."""
    return _actions()


def role_words() -> dict[str, str]:
    return _roles()


def _param_words() -> dict[str, dict[str, str]]:
    """Which parameters hold words, and their translations."""
    return {
        "status": _statuses(),
        "state": _counter_states(),
        "action": _actions(),
        "what": _kinds(),
        "role": _roles(),
        "field": {**setting_labels(), **field_names()},  # a branch setting's key names its field too
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
        if chinese and name[:-3] in params and isinstance(companion, (str, tuple)):
            params[name[:-3]] = companion
    for name, words in _param_words().items():
        value = params.get(name)
        if isinstance(value, str):
            params[name] = words.get(value, value)
    lists = [name for name, value in params.items() if isinstance(value, (tuple, list, set, frozenset))]
    if lists:  # only ``choices`` are words; columns, keywords, names… are typed as they are
        words = {**field_names(), **choice_words()} if "choices" in lists else {}
        separator = list_separator()
        for name in lists:
            values = [str(value) for value in params[name]]
            params[name] = separator.join(words.get(v, v) if name == "choices" else v for v in values)
    code = params.get("reason")
    if isinstance(code, str):
        params["reason"] = translate_reason(code, params, error)
    return params


def translate_reason(code: str, params: dict[str, Any], error: DomainError) -> str:
    """The sentence of a reason code in the UI language, filled from the (translated) params.

    A code without a sentence here (tests/unit/test_translations.py keeps that from happening)
    shows the English one, and a reason that is no code at all is shown as it is."""
    sentence = reason_sentences().get(code)
    if sentence is not None:
        try:
            return sentence.format(**params)
        except (KeyError, IndexError, ValueError):
            pass
    return str(english_params(error.params).get("reason", code))


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
