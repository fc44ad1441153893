"""Masking of personal information for display and print (PIPL).

DOMAIN.md: names as ``张*``, phones as ``138****1234``, cards and accounts as
first 6 + last 4, resident ID numbers never showing digits 7–14 (the birth
date). Revealing a full value is a separate, audited service call; these
functions only ever hide.

The rules are written so that an unexpected input (too short, odd length,
stray characters) can only ever show *less* than the rule allows: when the
part to hide would be too small, the whole value is masked. Spaces and hyphens
used as visual separators are dropped before masking; otherwise the output
has the same length as the input, so a masked value still looks like the
kind of value it stands for.
"""

from __future__ import annotations

MASK_CHAR = "*"

# Characters people type to group digits ("138 1234 1234", "6222-0212-...").
_SEPARATORS = str.maketrans("", "", " -\u3000\t")
# Word separators inside names: Latin space, the middle dot of transliterated
# minority names (阿卜杜·热合曼), hyphen, apostrophe, full stop.
_NAME_SEPARATORS = frozenset(" ·•・.-'\u3000")


def _compact(value: str | None) -> str:
    if not value:
        return ""
    return value.strip().translate(_SEPARATORS)


def _mask_all(value: str) -> str:
    return MASK_CHAR * len(value)


def _keep_ends(value: str, keep_start: int, keep_end: int, min_hidden: int) -> str:
    """Keep ``keep_start`` leading and ``keep_end`` trailing characters.

    When fewer than ``min_hidden`` characters would be hidden, masks everything
    instead: a short value must not end up mostly visible.
    """
    hidden = len(value) - keep_start - keep_end
    if hidden < min_hidden:
        return _mask_all(value)
    tail = value[len(value) - keep_end :] if keep_end else ""
    return value[:keep_start] + MASK_CHAR * hidden + tail


def mask_name(name: str | None) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``, ``John Smith`` → ``J*** *****``.

    Keeps the first character only; word separators stay so the shape of the
    name is recognisable. A one-character name is masked entirely.
    """
    if not name:
        return ""
    name = name.strip()
    if len(name) < 2:
        return _mask_all(name)
    rest = "".join(c if c in _NAME_SEPARATORS else MASK_CHAR for c in name[1:])
    return name[0] + rest


def mask_phone(phone: str | None) -> str:
    """``13812341234`` → ``138****1234``: first 3 and last 4 kept.

    Numbers with fewer than 4 characters to hide (short extensions, typos) are
    masked entirely.
    """
    value = _compact(phone)
    return _keep_ends(value, keep_start=3, keep_end=4, min_hidden=4)


def mask_card(number: str | None) -> str:
    """Bank card or account number: first 6 and last 4 kept.

    ``6222021234567890123`` → ``622202*********0123``. The first-6/last-4 form
    needs at least 6 hidden characters (16+ long, as bank cards are); shorter
    account numbers (10–15) show only the last 4; anything shorter is masked
    entirely.
    """
    value = _compact(number)
    if len(value) >= 16:
        return _keep_ends(value, keep_start=6, keep_end=4, min_hidden=6)
    if len(value) >= 10:
        return _keep_ends(value, keep_start=0, keep_end=4, min_hidden=6)
    return _mask_all(value)


def mask_id_number(id_number: str | None) -> str:
    """Resident ID number with the birth date hidden.

    18 characters (GB 11643-1999): region (6) + 8 masked + sequence and check
    (4): ``11010119900307123X`` → ``110101********123X``. 15-character
    first-generation numbers hide their 6-digit birth date the same way:
    ``110101900307123`` → ``110101******123``. Any other length is not a
    resident ID whose layout we know, so it is masked entirely. A lower-case
    check character ``x`` is shown upper-case.
    """
    value = _compact(id_number).upper()
    if len(value) == 18:
        return value[:6] + MASK_CHAR * 8 + value[14:]
    if len(value) == 15:
        return value[:6] + MASK_CHAR * 6 + value[12:]
    return _mask_all(value)


#: Address characters that end the part kept visible (province, city, district or county).
_ADDRESS_AREA_ENDS = "省市区县旗"


def mask_address(address: str | None) -> str:
    """An individual's address down to the district: ``北京市朝阳区建国路88号`` →
    ``北京市朝阳区******``. Kept: up to the last area word (市, 区, 县 …) in the first twelve
    characters, never more than half; an address without one keeps its first third."""
    if not address:
        return ""
    value = address.strip()
    head = value[:12]
    ends = [index + 1 for index, char in enumerate(head) if char in _ADDRESS_AREA_ENDS]
    keep = min(ends[-1] if ends else len(value) // 3, len(value) // 2)
    return value[:keep] + MASK_CHAR * (len(value) - keep)


def age_band(age: int) -> int:
    """The decade an age falls in (``67`` → ``60``): what a list shows to tell customers apart
    without the birth date."""
    return max(0, age) // 10 * 10
