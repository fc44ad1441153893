"""Ticket states, the transitions between them, and ticket numbering rules."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition, ValidationError


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"


class TicketAction(StrEnum):
    ISSUE = "issue"  # creates a ticket; not a transition
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"


#: (action, from-state) -> to-state. Anything missing is a wrong transition.
TRANSITIONS: dict[tuple[TicketAction, TicketStatus], TicketStatus] = {
    (TicketAction.CALL, TicketStatus.WAITING): TicketStatus.CALLED,
    (TicketAction.RECALL, TicketStatus.CALLED): TicketStatus.CALLED,
    (TicketAction.START, TicketStatus.CALLED): TicketStatus.SERVING,
    (TicketAction.FINISH, TicketStatus.CALLED): TicketStatus.FINISHED,
    (TicketAction.FINISH, TicketStatus.SERVING): TicketStatus.FINISHED,
    (TicketAction.NO_SHOW, TicketStatus.CALLED): TicketStatus.NO_SHOW,
}

#: States in which a ticket occupies its counter.
ACTIVE_STATES = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


def next_status(ticket_number: str, current: TicketStatus, action: TicketAction) -> TicketStatus:
    try:
        return TRANSITIONS[(action, current)]
    except KeyError:
        raise InvalidTransition(ticket=ticket_number, status=current.value, action=action.value) from None


MAX_TICKET_NUMBER = 999


def format_ticket_number(prefix: str, number: int) -> str:
    """``A`` + 7 → ``A007``. A day has at most 999 tickets per prefix; past that we refuse
    rather than print a number the calling board and voice cannot read out."""
    if not 1 <= number <= MAX_TICKET_NUMBER:
        raise ValidationError(field="ticket number",
                              reason=f"prefix {prefix} has used all {MAX_TICKET_NUMBER} numbers today")
    return f"{prefix}{number:03d}"


def validate_prefix(prefix: str) -> str:
    if len(prefix) != 1 or not ("A" <= prefix <= "Z"):
        raise ValidationError(field="prefix", reason="must be one capital letter A–Z")
    return prefix
