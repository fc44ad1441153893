"""Register the bundled CJK font with Qt, so the UI looks the same on every workstation.

The same file the printed documents embed (``resources/fonts``), so screen and
paper match and a Windows machine without Microsoft YaHei still shows Chinese.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.printing.fonts import FONT_RESOURCE
from app.resources import resource_path

log = logging.getLogger(__name__)

#: Family of face 0 of the collection, what the UI uses.
UI_FONT_FAMILY = "WenQuanYi Micro Hei"

_family: str | None = None


def app_font_family() -> str:
    """Register the bundled font with Qt (first call only) and return its family name.

    Needs a QGuiApplication and the GUI thread. If the file is missing or Qt
    rejects it, logs the problem and returns the application's current family
    rather than stopping the app over a font.
    """
    global _family
    if _family is not None:
        return _family
    try:
        path = resource_path(*FONT_RESOURCE)
    except FileNotFoundError:
        log.exception("Bundled UI font is missing")
        return QGuiApplication.font().family()
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
    if not families:
        log.error("Qt could not load the bundled font %s", path)
        return QGuiApplication.font().family()
    # The collection holds the proportional face and a Mono face; the UI wants the former.
    _family = UI_FONT_FAMILY if UI_FONT_FAMILY in families else families[0]
    return _family


def install_app_font(app: QGuiApplication, point_size: float | None = None) -> QFont:
    """Make the bundled font the application default (keeps the platform size unless given)."""
    font = QFont(app.font())
    family = app_font_family()
    fallbacks = [f for f in (font.families() or [font.family()]) if f != family]
    font.setFamilies([family, *fallbacks])
    if point_size is not None:
        font.setPointSizeF(point_size)
    app.setFont(font)
    return font
