"""Look of the ticket kiosk: a bright, high-contrast touch screen; type sizes for 1920×1080."""

from __future__ import annotations

NAVY = "#0B2447"
BLUE = "#1D5FAF"
GOLD = "#C9A227"
GREEN = "#1E7D3A"
PAPER = "#F2F5F9"
CARD = "#FFFFFF"
INK = "#13233A"
MUTED = "#5B6B80"
ERROR = "#B3261E"

#: objectName → (pixel size at 1080 lines, bold)
FONT_PX: dict[str, tuple[int, bool]] = {
    "bankName": (40, True),
    "branchName": (26, False),
    "clockLabel": (44, True),
    "pageTitle": (52, True),
    "pageHint": (28, False),
    "servicePrefix": (48, True),
    "serviceNameZh": (42, True),
    "serviceNameEn": (22, False),
    "identifiedBanner": (28, True),
    "cancelIdentification": (26, True),
    "priorityButton": (30, True),
    "bookingButton": (30, True),
    "message": (28, True),
    "entryField": (56, True),
    "keypadKey": (46, True),
    "backButton": (32, True),
    "primaryButton": (34, True),
    "resultCaption": (34, False),
    "resultNumber": (200, True),
    "resultBusiness": (40, True),
    "resultPriority": (30, True),
    "resultDetail": (38, False),
    "printStatus": (30, True),
    "doneButton": (34, True),
}

KIOSK_STYLE = f"""
QWidget#kiosk {{ background: {PAPER}; }}
QLabel {{ color: {INK}; background: transparent; }}

QFrame#header {{ background: {NAVY}; border-bottom: 4px solid {GOLD}; }}
QFrame#header QLabel {{ color: white; }}
QLabel#branchName {{ color: #C8D6EA; }}
QLabel#pageHint {{ color: {MUTED}; }}

QPushButton#serviceButton {{ background: {CARD}; border: 2px solid #D5DEEA; border-radius: 22px; }}
QPushButton#serviceButton:pressed {{ background: #E3ECF8; border-color: {BLUE}; }}
QPushButton#serviceButton:disabled {{ background: #E9EDF2; }}
QLabel#servicePrefix {{ background: {NAVY}; color: white; border-radius: 14px; }}
QLabel#serviceNameZh {{ color: {INK}; }}
QLabel#serviceNameEn {{ color: {MUTED}; }}

QPushButton#priorityButton {{ background: {GREEN}; color: white; border: none; border-radius: 18px;
                              padding: 18px 28px; text-align: left; }}
QPushButton#priorityButton:pressed {{ background: #155C2A; }}
QPushButton#bookingButton {{ background: {CARD}; color: {BLUE}; border: 3px solid {BLUE}; border-radius: 18px;
                             padding: 18px 28px; text-align: left; }}
QPushButton#bookingButton:pressed {{ background: #E3ECF8; }}

QFrame#identifiedBar {{ background: #E3F3E7; border: 2px solid {GREEN}; border-radius: 16px; }}
QLabel#identifiedBanner {{ color: {GREEN}; }}
QPushButton#cancelIdentification {{ background: white; color: {GREEN}; border: 2px solid {GREEN};
                                    border-radius: 12px; padding: 8px 22px; }}

QLabel#message {{ color: {ERROR}; }}
QLabel#message[info="true"] {{ color: {BLUE}; }}

QLineEdit#entryField {{ background: white; color: {INK}; border: 3px solid {BLUE}; border-radius: 16px;
                        padding: 10px 22px; letter-spacing: 4px; }}
QPushButton#keypadKey {{ background: white; color: {INK}; border: 2px solid #C9D3E0; border-radius: 16px; }}
QPushButton#keypadKey:pressed {{ background: #DCE7F5; }}
QPushButton#backButton {{ background: white; color: {INK}; border: 2px solid #AEBBCC; border-radius: 16px;
                          padding: 14px 36px; }}
QPushButton#primaryButton {{ background: {BLUE}; color: white; border: none; border-radius: 16px;
                             padding: 14px 48px; }}
QPushButton#primaryButton:pressed {{ background: #154A8A; }}
QPushButton#primaryButton:disabled {{ background: #9DB3CF; }}

QFrame#resultCard {{ background: {CARD}; border: 2px solid #D5DEEA; border-radius: 28px; }}
QLabel#resultCaption {{ color: {MUTED}; }}
QLabel#resultNumber {{ color: {NAVY}; }}
QLabel#resultPriority {{ color: white; background: {GREEN}; border-radius: 12px; padding: 6px 20px; }}
QLabel#resultDetail {{ color: {INK}; }}
QLabel#printStatus {{ color: {GREEN}; }}
QLabel#printStatus[failed="true"] {{ color: {ERROR}; }}
QPushButton#doneButton {{ background: {NAVY}; color: white; border: none; border-radius: 16px; padding: 16px 64px; }}
"""
