"""The CJK font every BranchDesk document is set in.

WenQuanYi Micro Hei ships in ``resources/fonts/`` (see the README there) and is
registered with reportlab once per process: parsing the 5 MB collection takes
tens of milliseconds, far more than laying out a ticket slip, so builders call
:func:`ensure_fonts` and pay for it only the first time. reportlab embeds only
the glyphs a document uses (a subset named ``XXXXXX+WenQuanYiMicroHei-0``), so
a slip stays small and prints on machines with no Chinese font installed.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource_path

#: Location under ``resources/`` (shared with the Qt side, ``ui/printing/fonts.py``).
FONT_RESOURCE: tuple[str, ...] = ("fonts", "wqy-microhei.ttc")
#: Face of the collection used for print: 0 = "WenQuanYi Micro Hei" (1 is the Mono face).
FONT_SUBFONT_INDEX = 0
#: reportlab name of the regular face. The font has no bold face; headings use size instead.
FONT_NAME = "BranchDeskSans"

_lock = threading.Lock()
_registered = False


def ensure_fonts() -> str:
    """Register the CJK font with reportlab if not yet done; return its name.

    Safe to call from any thread and as often as wanted: after the first call
    it is one flag check.
    """
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            path = resource_path(*FONT_RESOURCE)
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=FONT_SUBFONT_INDEX))
            # Paragraph markup such as <b> must not fail: map every style to the one face.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _registered = True
    return FONT_NAME
