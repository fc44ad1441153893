"""The complaint workflow: states, the actions between them, and who may take each.

received → accepted → investigating → (extended) → decided → reply_sent → closed
(satisfied or not) / review_requested (within the review window after the decision);
withdrawn from any open state; merged when folded into an earlier complaint.
A draft is an entry not yet submitted (it survives a crash and is completed later).
Pausing for outside appraisal and recording new facts are actions that keep the state.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import InvalidTransition, ValidationError
from app.domain.roles import Permission


class ComplaintStatus(StrEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    EXTENDED = "extended"
    DECIDED = "decided"
    REPLY_SENT = "reply_sent"
    CLOSED = "closed"
    REVIEW_REQUESTED = "review_requested"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class ComplaintAction(StrEnum):
    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"
    ACCEPT = "accept"
    INVESTIGATE = "investigate"
    EXTEND = "extend"
    PAUSE = "pause"  # waiting for an outside appraisal
    RESUME = "resume"
    NEW_FACTS = "new_facts"
    ASSIGN = "assign"
    DECIDE = "decide"
    SEND_REPLY = "send_reply"
    CLOSE = "close"
    REQUEST_REVIEW = "request_review"
    WITHDRAW = "withdraw"
    MERGE = "merge"


S, A = ComplaintStatus, ComplaintAction

#: Open states: the deadline runs (unless paused) and the complaint counts as open.
OPEN_STATES = frozenset({S.RECEIVED, S.ACCEPTED, S.INVESTIGATING, S.EXTENDED})
#: States after the decision: the deadline no longer runs.
DECIDED_STATES = frozenset({S.DECIDED, S.REPLY_SENT, S.CLOSED, S.REVIEW_REQUESTED})

#: (action, from-state) -> to-state. Anything missing is refused.
TRANSITIONS: dict[tuple[ComplaintAction, ComplaintStatus], ComplaintStatus] = {
    (A.SUBMIT, S.DRAFT): S.RECEIVED,
    (A.ACCEPT, S.RECEIVED): S.ACCEPTED,
    (A.INVESTIGATE, S.ACCEPTED): S.INVESTIGATING,
    (A.EXTEND, S.ACCEPTED): S.EXTENDED,
    (A.EXTEND, S.INVESTIGATING): S.EXTENDED,
    (A.EXTEND, S.EXTENDED): S.EXTENDED,
    (A.DECIDE, S.INVESTIGATING): S.DECIDED,
    (A.DECIDE, S.EXTENDED): S.DECIDED,
    (A.SEND_REPLY, S.DECIDED): S.REPLY_SENT,
    (A.CLOSE, S.REPLY_SENT): S.CLOSED,
    (A.CLOSE, S.REVIEW_REQUESTED): S.CLOSED,
    (A.REQUEST_REVIEW, S.DECIDED): S.REVIEW_REQUESTED,
    (A.REQUEST_REVIEW, S.REPLY_SENT): S.REVIEW_REQUESTED,
    (A.REQUEST_REVIEW, S.CLOSED): S.REVIEW_REQUESTED,
    **{(A.PAUSE, s): s for s in (S.ACCEPTED, S.INVESTIGATING, S.EXTENDED)},
    **{(A.RESUME, s): s for s in (S.ACCEPTED, S.INVESTIGATING, S.EXTENDED)},
    **{(A.NEW_FACTS, s): s for s in OPEN_STATES},
    **{(A.ASSIGN, s): s for s in OPEN_STATES | {S.DECIDED}},
    **{(A.WITHDRAW, s): S.WITHDRAWN for s in OPEN_STATES | {S.DECIDED, S.REPLY_SENT}},
    **{(A.MERGE, s): S.MERGED for s in (S.DRAFT, S.RECEIVED, S.ACCEPTED)},
}

#: The permission each action needs (DOMAIN roles: tellers record, lobby managers handle, supervisors extend).
ACTION_PERMISSION: dict[ComplaintAction, Permission] = {
    A.SAVE_DRAFT: Permission.RECORD_COMPLAINT,
    A.SUBMIT: Permission.RECORD_COMPLAINT,
    A.ACCEPT: Permission.HANDLE_COMPLAINT,
    A.INVESTIGATE: Permission.HANDLE_COMPLAINT,
    A.EXTEND: Permission.EXTEND_COMPLAINT,
    A.PAUSE: Permission.HANDLE_COMPLAINT,
    A.RESUME: Permission.HANDLE_COMPLAINT,
    A.NEW_FACTS: Permission.HANDLE_COMPLAINT,
    A.ASSIGN: Permission.HANDLE_COMPLAINT,
    A.DECIDE: Permission.HANDLE_COMPLAINT,
    A.SEND_REPLY: Permission.HANDLE_COMPLAINT,
    A.CLOSE: Permission.CLOSE_COMPLAINT,
    A.REQUEST_REVIEW: Permission.HANDLE_COMPLAINT,
    A.WITHDRAW: Permission.HANDLE_COMPLAINT,
    A.MERGE: Permission.HANDLE_COMPLAINT,
}


def next_status(reference: str, current: ComplaintStatus, action: ComplaintAction) -> ComplaintStatus:
    try:
        return TRANSITIONS[(action, current)]
    except KeyError:
        raise InvalidTransition(code="complaint_invalid_transition",
                                template="Complaint {complaint} is {status}; it cannot be {action}.",
                                complaint=reference, status=current.value, action=action.value) from None


def allowed_actions(current: ComplaintStatus, *, paused: bool = False) -> list[ComplaintAction]:
    """Actions the state allows, in workflow order; pause/resume follow the pause flag."""
    out = [action for action in ComplaintAction if (action, current) in TRANSITIONS]
    if paused:
        out = [a for a in out if a not in (A.PAUSE, A.EXTEND, A.DECIDE)]
    else:
        out = [a for a in out if a is not A.RESUME]
    return out


def review_window_open(decided_on: date, today: date, review_days: int) -> bool:
    """The complainant may ask for review up to and including ``review_days`` after the decision."""
    return decided_on <= today <= decided_on + timedelta(days=review_days)


def check_reference_format(prefix: str, year: int, number: int) -> str:
    """``TS-2026-0001``: prefix, year, number of the branch's year (at least four digits)."""
    if number < 1:
        raise ValidationError(field="reference", reason="positive_whole_number")
    return f"{prefix}-{year:04d}-{number:04d}"
