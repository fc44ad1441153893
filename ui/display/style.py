"""Look of the calling display: colours as a style sheet, type sizes for a 1920×1080 screen.

Deep navy with warm gold numbers reads well across a bright lobby and keeps high contrast
(gold #FFD34D on navy #0B2447 is about 11:1). A flash swaps them: navy on gold.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

NAVY = "#0B2447"
NAVY_PANEL = "#12325E"
NAVY_DEEP = "#071A33"
GOLD = "#FFD34D"
GOLD_DARK = "#C9A227"
INK = "#F4F7FB"
MUTED = "#9DB4D3"
ALERT = "#C62828"

#: objectName → (pixel size at 1080 lines, bold)
FONT_PX: dict[str, tuple[int, bool]] = {
    "branchName": (44, True),
    "subtitle": (24, False),
    "dateLabel": (30, False),
    "clockLabel": (56, True),
    "banner": (40, True),
    "heroCaption": (40, True),
    "heroNumber": (220, True),
    "heroPrompt": (48, False),
    "heroCounter": (112, True),
    "heroBusiness": (36, False),
    "panelTitle": (34, True),
    "columnHead": (26, False),
    "historyNumber": (60, True),
    "historyCounter": (46, False),
    "tilePrefix": (30, True),
    "tileName": (24, False),
    "tileCount": (50, True),
    "notice": (34, False),
    "voiceStatus": (20, False),
}

DISPLAY_STYLE = f"""
QWidget#callingDisplay {{ background: {NAVY}; }}
QLabel {{ color: {INK}; background: transparent; }}

QFrame#header {{ background: {NAVY_DEEP}; border-bottom: 4px solid {GOLD_DARK}; }}
QLabel#branchName {{ color: {INK}; }}
QLabel#subtitle {{ color: {MUTED}; }}
QLabel#dateLabel {{ color: {MUTED}; }}
QLabel#clockLabel {{ color: {GOLD}; }}

QLabel#banner {{ background: {ALERT}; color: white; padding: 18px 36px; }}

QFrame#hero {{ background: {NAVY_PANEL}; border: 3px solid #1E4B85; border-radius: 28px; }}
QFrame#hero[flash="true"] {{ background: {GOLD}; border-color: white; }}
QFrame#hero[offline="true"] {{ background: #1A2433; border-color: #2A3547; }}
QLabel#heroCaption {{ color: {MUTED}; letter-spacing: 4px; }}
QLabel#heroNumber {{ color: {GOLD}; }}
QLabel#heroPrompt {{ color: {INK}; }}
QLabel#heroCounter {{ color: white; }}
QLabel#heroBusiness {{ color: {MUTED}; }}
QFrame#hero[flash="true"] QLabel#heroNumber {{ color: {NAVY}; }}
QFrame#hero[flash="true"] QLabel#heroCaption,
QFrame#hero[flash="true"] QLabel#heroPrompt,
QFrame#hero[flash="true"] QLabel#heroCounter,
QFrame#hero[flash="true"] QLabel#heroBusiness {{ color: {NAVY_DEEP}; }}
QFrame#hero[offline="true"] QLabel {{ color: #56657A; }}

QFrame#historyBox, QFrame#waitingBox {{ background: {NAVY_PANEL}; border-radius: 22px; }}
QFrame#historyBox[offline="true"], QFrame#waitingBox[offline="true"] {{ background: #1A2433; }}
QLabel#panelTitle {{ color: {INK}; }}
QLabel#columnHead {{ color: {MUTED}; }}
QFrame#historyRow {{ border-top: 1px solid #244A7C; }}
QFrame#historyRow[latest="true"] {{ background: #1B467F; border-top-color: #1B467F; }}
QFrame#historyRow[flash="true"] {{ background: {GOLD}; }}
QLabel#historyNumber {{ color: {GOLD}; }}
QLabel#historyCounter {{ color: {INK}; }}
QFrame#historyRow[flash="true"] QLabel {{ color: {NAVY}; }}

QFrame#waitingTile {{ background: {NAVY}; border-radius: 16px; }}
QLabel#tilePrefix {{ background: {GOLD_DARK}; color: {NAVY_DEEP}; border-radius: 10px; }}
QLabel#tileName {{ color: {INK}; }}
QLabel#tileCount {{ color: {GOLD}; }}
QFrame#waitingTile[offline="true"] {{ background: #222C3B; }}
QFrame#waitingTile[offline="true"] QLabel#tileCount {{ color: #56657A; }}

QFrame#footer {{ background: {NAVY_DEEP}; border-top: 3px solid {GOLD_DARK}; }}
QLabel#voiceStatus {{ color: {MUTED}; }}
"""


def repolish(*widgets: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    for widget in widgets:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
