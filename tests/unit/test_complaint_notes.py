"""A step's outcome kept in its note and read back apart from it (app/domain/complaint_notes.py)."""

from __future__ import annotations

import pytest

from app.domain.complaint_notes import NOT_SATISFIED, SATISFIED, close_note, outcome_of, reply_note


@pytest.mark.parametrize(("action", "note", "expected"), [
    ("send_reply", reply_note("written", "书面答复已交客户"), ("written", "书面答复已交客户")),
    ("send_reply", reply_note("phone", "电话告知\n第二行"), ("phone", "电话告知\n第二行")),
    ("close", close_note(True, "客户表示满意"), (SATISFIED, "客户表示满意")),
    ("close", close_note(False, None), (NOT_SATISFIED, None)),
    ("accept", "[written] looks like a reply", (None, "[written] looks like a reply")),  # only its own step
    ("close", "一段旧的备注", (None, "一段旧的备注")),
    ("decide", None, (None, None)),
])
def test_the_outcome_comes_back_apart_from_the_note(action: str, note: str | None, expected: tuple) -> None:  # type: ignore[type-arg]
    assert outcome_of(action, note) == expected
