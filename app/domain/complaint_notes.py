"""How a step's outcome is kept in a complaint event's note, and read back apart from it.

The reply step records its method (``[written] 书面答复已交客户``) and the close step whether the
complainant was satisfied (``satisfied: 客户表示满意``) in the event's note, so the history reads
whole in the database and the CLI. Screens show the outcome in words instead: ``outcome_of``
gives the code (a REPLY_METHODS term, ``satisfied`` or ``not_satisfied``) and the note without it.
"""

from __future__ import annotations

import re

from app.domain.complaints import ComplaintAction

SATISFIED, NOT_SATISFIED = "satisfied", "not_satisfied"
_REPLY = re.compile(r"\[([a-z_]+)\] ?(.*)", re.DOTALL)
_CLOSE = re.compile(r"(satisfied|not satisfied)(?:: (.*))?", re.DOTALL)


def reply_note(method: str, text: str) -> str:
    return f"[{method}] {text}"


def close_note(satisfied: bool, note: str | None) -> str:
    return ("satisfied" if satisfied else "not satisfied") + (f": {note}" if note else "")


def outcome_of(action: str, note: str | None) -> tuple[str | None, str | None]:
    """(outcome code, the note without it); (None, note) for other steps and notes of another form."""
    if note is None:
        return None, None
    if action == ComplaintAction.SEND_REPLY.value and (found := _REPLY.fullmatch(note)):
        return found.group(1), found.group(2)
    if action == ComplaintAction.CLOSE.value and (found := _CLOSE.fullmatch(note)):
        return (SATISFIED if found.group(1) == "satisfied" else NOT_SATISFIED), found.group(2)
    return None, note
