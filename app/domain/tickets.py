"""Ticket states, the transitions between them, and ticket numbering rules."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition, ValidationError


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"


class TicketAction(StrEnum):
    ISSUE = "issue"  # creates a ticket; not a transition
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    REQUEUE = "requeue"
    PARK = "park"
    RESUME = "resume"
    TRANSFER = "transfer"


#: (action, from-state) -> to-state. Anything missing is a wrong transition.
TRANSITIONS: dict[tuple[TicketAction, TicketStatus], TicketStatus] = {
    (TicketAction.CALL, TicketStatus.WAITING): TicketStatus.CALLED,
    (TicketAction.RECALL, TicketStatus.CALLED): TicketStatus.CALLED,
    (TicketAction.START, TicketStatus.CALLED): TicketStatus.SERVING,
    (TicketAction.FINISH, TicketStatus.CALLED): TicketStatus.FINISHED,
    (TicketAction.FINISH, TicketStatus.SERVING): TicketStatus.FINISHED,
    (TicketAction.NO_SHOW, TicketStatus.CALLED): TicketStatus.NO_SHOW,
    (TicketAction.REQUEUE, TicketStatus.CALLED): TicketStatus.WAITING,
    (TicketAction.PARK, TicketStatus.CALLED): TicketStatus.PARKED,
    (TicketAction.PARK, TicketStatus.SERVING): TicketStatus.PARKED,
    (TicketAction.RESUME, TicketStatus.PARKED): TicketStatus.SERVING,
    (TicketAction.TRANSFER, TicketStatus.CALLED): TicketStatus.TRANSFERRED,
    (TicketAction.TRANSFER, TicketStatus.SERVING): TicketStatus.TRANSFERRED,
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
        raise ValidationError(field="ticket number", reason="numbers_used_up", prefix=prefix,
                              count=MAX_TICKET_NUMBER)
    return f"{prefix}{number:03d}"


def validate_prefix(prefix: str) -> str:
    if len(prefix) != 1 or not ("A" <= prefix <= "Z"):
        raise ValidationError(field="prefix", reason="prefix_letter")
    return prefix


class ServiceOutcome(StrEnum):
    """How a service ended, recorded on finish (for statistics and follow-up)."""

    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    DOCUMENTS_MISSING = "documents_missing"
    REFERRED = "referred"
    CUSTOMER_DECLINED = "customer_declined"
    SYSTEM_UNAVAILABLE = "system_unavailable"
    OTHER = "other"


class TransferPosition(StrEnum):
    FRONT = "front"
    END = "end"
    ARRIVAL = "arrival"


def recalls_left(call_count: int, recalls_before_no_show: int) -> int:
    """How many more recalls a called ticket needs before it may be marked a no-show."""
    return max(0, recalls_before_no_show - max(call_count - 1, 0))


def check_no_show_allowed(ticket_number: str, call_count: int, recalls_before_no_show: int) -> None:
    """A customer is recalled the configured number of times before being marked absent."""
    recalls = max(call_count - 1, 0)
    if recalls_left(call_count, recalls_before_no_show):
        raise InvalidTransition(code="no_show_too_early",
                                template="Ticket {ticket} has been recalled {recalls} of {needed} times; "
                                         "recall it before marking a no-show.",
                                ticket=ticket_number, recalls=recalls, needed=recalls_before_no_show)


def require_reason(reason: str | None, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError(field=field, reason="required")
    if len(text) > 500:
        raise ValidationError(field=field, reason="max_length", limit=500)
    return text
