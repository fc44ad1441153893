"""The colours and text styles the workstation screens share, named by what they mean.

Screens say "an error", "good", "a warning"; the hex values live here only (the calling display
and the kiosk, styled for a distance, keep their own palettes in ui/display/style.py and
ui/kiosk/style.py).
"""

from __future__ import annotations

#: Something went wrong or needs attention now.
ERROR = "#b00020"
#: Fine, done, within the goal.
GOOD = "#1b7f3b"
#: Soon a problem (due soon, watch).
WARNING = "#b26a00"
#: Neither good nor bad.
NEUTRAL = "#8a8a8a"


def text_style(colour: str, *, bold: bool = False) -> str:
    """A label's style sheet for coloured text."""
    return f"color: {colour};" + (" font-weight: bold;" if bold else "")


ERROR_TEXT = text_style(ERROR)
ERROR_TEXT_BOLD = text_style(ERROR, bold=True)
GOOD_TEXT = text_style(GOOD)
GOOD_TEXT_BOLD = text_style(GOOD, bold=True)
WARNING_TEXT = text_style(WARNING)

#: A red banner across a window (the database is unreachable).
BANNER_LARGE = f"background: {ERROR}; color: white; font-size: 20pt; font-weight: bold; padding: 12px;"
BANNER_COMPACT = f"background: {ERROR}; color: white; font-size: 13pt; font-weight: bold; padding: 6px 10px;"
