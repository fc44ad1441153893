"""Turn domain errors into translated sentences; anything else is logged with a reference."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QCoreApplication

from app.domain.errors import DomainError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def _templates() -> dict[str, str]:
    # Placeholders match the error's params; translators keep them as they are.
    return {
        "authentication_failed": _tr("Wrong user name or password."),
        "permission_denied": _tr("{user} ({role}) may not {action}."),
        "not_found": _tr("{what} {key} does not exist."),
        "invalid_transition": _tr("Ticket {ticket} is {status}; it cannot be {action}."),
        "counter_busy": _tr("Counter {counter} is still serving {ticket}; finish it or mark it a no-show first."),
        "counter_busy_race": _tr("Counter {counter} was given a ticket by another workstation at the same moment."),
        "counter_idle": _tr("Counter {counter} has no called ticket."),
        "invalid_field": _tr("{field}: {reason}"),
    }


def describe(error: DomainError) -> str:
    template = _templates().get(error.code)
    if template is None:
        return error.message
    try:
        return template.format(**error.params)
    except (KeyError, IndexError):
        return error.message


def describe_unexpected(error: BaseException) -> str:
    reference = uuid.uuid4().hex[:8].upper()
    log.error("Unexpected error, reference %s", reference, exc_info=error)
    return _tr("Something went wrong (reference {ref}). The details are in the log file.").format(ref=reference)
