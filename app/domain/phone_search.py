"""Reading a search box as part of a phone number, as a customer says it at the counter.

"The last four digits are 1234" and "138, then 1234": the two parts a masked number keeps
(138****1234, app/domain/masking.mask_phone). A full number is an exact search instead
(app/services/customers/service.py); other digits are searched as a name.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-*]+")


def phone_tail_query(query: str) -> tuple[str, str] | None:
    """(first three digits or "", last four digits) when ``query`` is a phone's tail (1234,
    ****1234) or a mobile's head and tail (138 1234, 138-1234, 138****1234); else None."""
    text = query.strip()
    if not text or not text.isascii():
        return None
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        return "", digits
    masked_gap = "*" in text or len(_SEPARATORS.split(text)) == 2
    if len(digits) == 7 and digits[0] == "1" and masked_gap:
        return digits[:3], digits[3:]
    return None
