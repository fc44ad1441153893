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

from PySide6.QtCore import QCoreApplication

from app.domain.errors import DomainError

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
    }


def _reasons() -> dict[str, str]:
    """Fixed ``reason`` texts of ValidationError and Conflict raised in app/."""
    return {
        "required": QCoreApplication.translate("Errors", "required"),
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
        "8 digits then 10 digits or capital letters (no I, O, S, V, Z)": QCoreApplication.translate("Errors", "8 digits then 10 digits or capital letters (no I, O, S, V, Z)"),
        "yes or no": QCoreApplication.translate("Errors", "yes or no"),
        "neither UTF-8 nor GBK text": QCoreApplication.translate("Errors", "neither UTF-8 nor GBK text"),
        "a date as YYYY-MM-DD": QCoreApplication.translate("Errors", "a date as YYYY-MM-DD"),
        "more fields than the header": QCoreApplication.translate("Errors", "more fields than the header"),
        "a customer cannot be merged into itself": QCoreApplication.translate("Errors", "a customer cannot be merged into itself"),
        "this customer was already merged": QCoreApplication.translate("Errors", "this customer was already merged"),
        "an individual and a company cannot be merged": QCoreApplication.translate("Errors", "an individual and a company cannot be merged"),
        "contains control characters": QCoreApplication.translate("Errors", "contains control characters"),
        "resident_id or uscc": QCoreApplication.translate("Errors", "resident ID or credit code"),
        "10 to 30 digits": QCoreApplication.translate("Errors", "10 to 30 digits"),
    }


def _reason_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """``reason`` texts with a value in them (f-strings in app/): pattern → translated template.

    The named groups of the pattern fill the template's placeholders."""
    return (
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
        "field": _fields(),
    }


def translated_params(error: DomainError) -> dict[str, Any]:
    params: dict[str, Any] = dict(error.params)
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
