"""The words the calling display speaks for a call (DOMAIN.md, Queue).

Spoken text is not a UI string: Chinese customers hear 「请 A023 号到 3 号窗口办理业务」
whatever the translation catalogue holds, so the sentence is built here, in plain Python,
rather than with ``tr()``. A branch running the UI in English hears English instead.
"""

from __future__ import annotations

import re

#: A ticket number as the queue formats it: a letter prefix and digits (A023, V003).
_TICKET_NUMBER = re.compile(r"^[A-Z]{1,3}\d{1,5}$")


def speaks_chinese(language: str) -> bool:
    """True for a Chinese UI language (``zh_CN``, ``zh``…): calls are spoken in Mandarin."""
    return language.lower().replace("-", "_").startswith("zh")


def announcement_text(number: str, counter_number: int, language: str) -> str:
    """The sentence spoken once per repetition for a call of ``number`` to ``counter_number``.

    >>> announcement_text("A023", 3, "zh_CN")
    '请 A023 号到 3 号窗口办理业务'
    >>> announcement_text("a023", 3, "en")
    'Number A023, please go to counter 3'
    """
    ticket = (number or "").strip().upper()
    if not _TICKET_NUMBER.match(ticket):
        raise ValueError(f"not a ticket number: {number!r}")
    if isinstance(counter_number, bool) or not isinstance(counter_number, int) or counter_number < 1:
        raise ValueError(f"not a counter number: {counter_number!r}")
    if speaks_chinese(language):
        return f"请 {ticket} 号到 {counter_number} 号窗口办理业务"
    return f"Number {ticket}, please go to counter {counter_number}"
