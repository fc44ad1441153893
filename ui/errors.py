"""Turn domain errors into translated sentences; anything else is logged with a reference."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QCoreApplication

from app.domain.errors import DomainError

log = logging.getLogger(__name__)


def _templates() -> dict[str, str]:
    # Placeholders match the error's params; translators keep them as they are.
    return {
        "authentication_failed": QCoreApplication.translate("Errors", "Wrong user name or password."),
        "permission_denied": QCoreApplication.translate("Errors", "{user} ({role}) may not {action}."),
        "not_found": QCoreApplication.translate("Errors", "{what} {key} does not exist."),
        "invalid_transition": QCoreApplication.translate("Errors", "Ticket {ticket} is {status}; it cannot be {action}."),
        "counter_busy": QCoreApplication.translate("Errors", "Counter {counter} is still serving {ticket}; finish it or mark it a no-show first."),
        "counter_busy_race": QCoreApplication.translate("Errors", "Counter {counter} was given a ticket by another workstation at the same moment."),
        "counter_idle": QCoreApplication.translate("Errors", "Counter {counter} has no called ticket."),
        "invalid_field": QCoreApplication.translate("Errors", "{field}: {reason}"),
        "counter_not_open": QCoreApplication.translate("Errors", "Counter {counter} is {state}; resume it first."),
        "counter_state": QCoreApplication.translate("Errors", "Counter {counter} is already {state}."),
        "counter_has_parked": QCoreApplication.translate("Errors", "Counter {counter} still holds parked ticket {ticket}."),
        "no_show_too_early": QCoreApplication.translate("Errors", "Ticket {ticket} has been recalled {recalls} of {needed} times; recall it before marking a no-show."),
        "ticket_not_waiting": QCoreApplication.translate("Errors", "Ticket {ticket} is not waiting."),
        "rating_not_finished": QCoreApplication.translate("Errors", "Ticket {ticket} is not finished; rate it after the service."),
        "already_rated": QCoreApplication.translate("Errors", "This service has already been rated."),
    }


def _words() -> dict[str, str]:
    """Parameter values that are words rather than data (states, actions, record kinds)."""
    t = QCoreApplication.translate
    return {
        "waiting": t("Errors", "waiting"), "called": t("Errors", "called"), "serving": t("Errors", "being served"),
        "finished": t("Errors", "finished"), "no_show": t("Errors", "a no-show"),
        "call": t("Errors", "called"), "recall": t("Errors", "recalled"), "start": t("Errors", "started"),
        "finish": t("Errors", "finished"), "Ticket": t("Errors", "Ticket"), "Counter": t("Errors", "Counter"),
        "Branch": t("Errors", "Branch"), "Business type": t("Errors", "Business type"),
        "issue_ticket": t("Errors", "issue tickets"), "serve_at_counter": t("Errors", "serve at a counter"),
        "manage_users": t("Errors", "manage users"), "manage_branch": t("Errors", "manage branches"),
        "teller": t("Errors", "teller"), "lobby_manager": t("Errors", "lobby manager"),
        "supervisor": t("Errors", "supervisor"),
        # Spelled out in full so that pyside6-lupdate extracts them (it does not follow an alias).
        "open": QCoreApplication.translate("Errors", "open"),
        "paused": QCoreApplication.translate("Errors", "paused"),
        "closed": QCoreApplication.translate("Errors", "closed"),
        "parked": QCoreApplication.translate("Errors", "parked"),
        "transferred": QCoreApplication.translate("Errors", "transferred"),
        "park": QCoreApplication.translate("Errors", "parked"),
        "resume": QCoreApplication.translate("Errors", "resumed"),
        "requeue": QCoreApplication.translate("Errors", "put back in the queue"),
        "transfer": QCoreApplication.translate("Errors", "transferred"),
        "Parked ticket": QCoreApplication.translate("Errors", "Parked ticket"),
        "edit_matrix": QCoreApplication.translate("Errors", "edit the counter services"),
        "view_queue": QCoreApplication.translate("Errors", "view the queue"),
        "reason": QCoreApplication.translate("Errors", "Reason"),
        "note": QCoreApplication.translate("Errors", "Note"),
        "required": QCoreApplication.translate("Errors", "required"),
        "transfer target": QCoreApplication.translate("Errors", "Transfer target"),
        "choose a business type or a counter":
            QCoreApplication.translate("Errors", "choose a business type or a counter"),
        "customer name": QCoreApplication.translate("Errors", "Customer name"),
        "1 to 100 characters": QCoreApplication.translate("Errors", "1 to 100 characters"),
        "phone": QCoreApplication.translate("Errors", "Phone"),
        "a mainland mobile number (11 digits) or a landline with area code":
            QCoreApplication.translate("Errors", "a mainland mobile number (11 digits) or a landline with area code"),
        "slot": QCoreApplication.translate("Errors", "Time slot"),
        "must be in the future": QCoreApplication.translate("Errors", "must be in the future"),
    }


def describe(error: DomainError) -> str:
    template = _templates().get(error.code)
    if template is None:
        return error.message
    words = _words()
    params = {k: words.get(v, v) if isinstance(v, str) else v for k, v in error.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return error.message


def describe_unexpected(error: BaseException) -> str:
    reference = uuid.uuid4().hex[:8].upper()
    log.error("Unexpected error, reference %s", reference, exc_info=error)
    return QCoreApplication.translate("Errors", "Something went wrong (reference {ref}). The details are in the log file.").format(ref=reference)
