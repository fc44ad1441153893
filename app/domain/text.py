"""Which characters a person may type or import into a free-text field: the one check.

Refused everywhere (names, addresses, notes, reasons, complaint texts, CSV imports):

- control characters (Unicode category Cc: C0, DEL, C1), surrogates (Cs) and the line and
  paragraph separators U+2028/U+2029 — except the white space a field allows (``allow``);
- format characters (Cf): the bidirectional embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069), the direction marks (U+200E/U+200F, U+061C), zero-width
  characters (U+200B–U+200D, U+2060), the byte-order mark U+FEFF, the soft hyphen, tags …
  They are invisible: a right-to-left override makes a name, an ID number or an audit reason
  *display* as something other than what is stored (the "Trojan Source" trick), and a
  zero-width space makes two names that look the same differ to search and duplicate checks.

``assigned=True`` also refuses private-use (Co) and unassigned (Cn) code points, for texts that
must print in the embedded font (complaints). Customer names do not use it: rare name
characters may come from GBK's user-defined area or a Unicode newer than this Python's.
"""

from __future__ import annotations

import unicodedata

from app.domain.errors import ValidationError

#: White space a multi-line text keeps (``\r\n`` is made ``\n`` first by the callers).
MULTILINE = "\n\t"
_SEPARATORS = "\u2028\u2029"
_REFUSED = frozenset({"Cc", "Cf", "Cs"})


def refused_character(value: str, *, allow: str = "", assigned: bool = False) -> str | None:
    """The first character of ``value`` that is refused, or None."""
    if value.isprintable():  # the usual case, at C speed: no Cc, Cf, Cs, Co, Cn or separator at all
        return None
    for char in value:
        if char not in allow and (unicodedata.category(char) in _REFUSED or char in _SEPARATORS
                                  or (assigned and unicodedata.category(char) in ("Co", "Cn"))):
            return char
    return None


def check_characters(value: str | None, field_name: str, *, allow: str = "", assigned: bool = False) -> None:
    """Raise the ValidationError for ``field_name`` if ``value`` holds a refused character."""
    char = refused_character(value, allow=allow, assigned=assigned) if value else None
    if char is None:
        return
    if unicodedata.category(char) == "Cf":
        raise ValidationError(field=field_name, reason="format_characters")
    raise ValidationError(field=field_name, reason="control_characters")


def clean_note(value: str | None, field_name: str, limit: int, *, required: bool = False) -> str | None:
    """A multi-line free text (a note, a reason): trimmed, ``\\r\\n`` made ``\\n``, characters
    checked, at most ``limit`` characters; empty becomes None (or "required")."""
    text = (value or "").replace("\r\n", "\n").strip()
    check_characters(text, field_name, allow=MULTILINE)
    if required and not text:
        raise ValidationError(field=field_name, reason="required")
    if len(text) > limit:
        raise ValidationError(field=field_name, reason="max_length", limit=limit)
    return text or None
