"""Spreadsheet cells that cannot run anything (CSV / formula injection).

A CSV or XLSX cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) is read by Excel and WPS as a formula: a company named ``=HYPERLINK("http://…")`` or a
user name typed as ``@SUM(…)`` at sign-in would run when a supervisor opens the export. Every
CSV and XLSX file BranchDesk writes passes its text cells through :func:`neutralise`, which puts an
apostrophe in front (OWASP's advice: the spreadsheet shows the text as typed). Numbers, and text
that is just a number such as ``-12.5``, stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def neutralise(value: Any) -> Any:
    """``value`` as a cell no spreadsheet evaluates; non-text values are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]
