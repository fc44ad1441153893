"""What every BranchDesk document shares: page sizes, type styles, the letterhead, dates.

Two families of paper:

* thermal rolls (80 mm or 58 mm) for ticket slips — the page is exactly the
  roll width and as tall as its content; the printable band is narrower than
  the roll (72 mm and 48 mm on common 203-dpi kiosk printers);
* A4 for receipts and forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from app.printing.data import ROLL_WIDTHS_MM
from app.printing.fonts import FONT_NAME, ensure_fonts

A4_SIZE: tuple[float, float] = A4  # (595.27, 841.89) points

#: Printable width of each supported roll, mm (the print head is narrower than the paper).
ROLL_PRINTABLE_MM: dict[int, float] = {80: 72.0, 58: 48.0}

A4_MARGIN_X = 20 * mm
A4_MARGIN_TOP = 30 * mm  # leaves room for the letterhead drawn on every page
A4_MARGIN_BOTTOM = 20 * mm  # leaves room for the footer


@dataclass(frozen=True)
class RollGeometry:
    """Horizontal geometry of a thermal roll, in points."""

    width_mm: int
    page_width: float
    printable_width: float
    side_margin: float
    top_margin: float = 4 * mm
    bottom_margin: float = 10 * mm  # paper fed past the cutter after the last line


def roll_geometry(width_mm: int) -> RollGeometry:
    """Geometry of an 80 mm or 58 mm roll; ``ValueError`` for any other width."""
    if width_mm not in ROLL_WIDTHS_MM:
        allowed = " or ".join(str(w) for w in ROLL_WIDTHS_MM)
        raise ValueError(f"Unsupported roll width {width_mm!r} mm; use {allowed} mm")
    page_width = width_mm * mm
    printable = ROLL_PRINTABLE_MM[width_mm] * mm
    return RollGeometry(width_mm, page_width, printable, (page_width - printable) / 2)


# --- Type styles ------------------------------------------------------------------


@dataclass(frozen=True)
class RollStyles:
    bank: ParagraphStyle
    branch: ParagraphStyle
    business: ParagraphStyle
    business_en: ParagraphStyle
    ticket: ParagraphStyle
    status: ParagraphStyle
    small: ParagraphStyle
    notice: ParagraphStyle


@dataclass(frozen=True)
class A4Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle


def _style(name: str, size: float, *, leading: float | None = None, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_NAME,
        fontSize=size,
        leading=leading if leading is not None else size * 1.3,
        wordWrap="CJK",  # break lines between Chinese characters, not only at spaces
        **kw,
    )


@lru_cache(maxsize=None)
def roll_styles(width_mm: int) -> RollStyles:
    """Styles for a roll; the 58 mm roll uses smaller type so lines still fit."""
    ensure_fonts()
    k = 1.0 if width_mm >= 80 else 0.8
    return RollStyles(
        bank=_style("roll-bank", 13 * k, alignment=TA_CENTER),
        branch=_style("roll-branch", 10 * k, alignment=TA_CENTER, spaceAfter=2),
        business=_style("roll-business", 15 * k, alignment=TA_CENTER, spaceBefore=4),
        business_en=_style("roll-business-en", 8.5 * k, alignment=TA_CENTER),
        ticket=_style("roll-ticket", 52 * k, leading=58 * k, alignment=TA_CENTER, spaceBefore=4, spaceAfter=4),
        status=_style("roll-status", 12 * k, alignment=TA_CENTER, spaceAfter=1),
        small=_style("roll-small", 8.5 * k, alignment=TA_CENTER),
        notice=_style("roll-notice", 8 * k, leading=11 * k, alignment=TA_LEFT),
    )


@lru_cache(maxsize=None)
def a4_styles() -> A4Styles:
    ensure_fonts()
    return A4Styles(
        title=_style("a4-title", 18, alignment=TA_CENTER, spaceAfter=2),
        heading=_style("a4-heading", 12, spaceBefore=10, spaceAfter=4),
        body=_style("a4-body", 10.5, leading=16, spaceAfter=4),
        label=_style("a4-label", 10, textColor=colors.HexColor("#333333")),
        cell=_style("a4-cell", 10),
        small=_style("a4-small", 8.5, textColor=colors.HexColor("#444444")),
        small_right=_style("a4-small-right", 8.5, alignment=TA_RIGHT, textColor=colors.HexColor("#444444")),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped, newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# --- Letterhead -------------------------------------------------------------------


def roll_letterhead(bank_name: str, branch_name: str, styles: RollStyles) -> list[Flowable]:
    """Bank and branch name, centred, at the top of a roll document (the branch alone while the bank's
    name is not set)."""
    if not bank_name.strip():
        return [para(branch_name, styles.bank)]
    return [para(bank_name, styles.bank), para(branch_name, styles.branch)]


def draw_a4_letterhead(canvas: Canvas, bank_name: str, branch_name: str) -> None:
    """Bank name, branch name and a rule across the top margin of an A4 page (the branch in the bank's
    place while the bank's name is not set)."""
    if not bank_name.strip():
        bank_name, branch_name = branch_name, ""
    width, height = A4_SIZE
    top = height - 14 * mm
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setFont(FONT_NAME, 14)
    canvas.drawString(A4_MARGIN_X, top, bank_name)
    canvas.setFont(FONT_NAME, 10)
    canvas.setFillColor(colors.HexColor("#333333"))
    canvas.drawRightString(width - A4_MARGIN_X, top, branch_name)
    canvas.setStrokeColor(colors.HexColor("#8a1c1c"))  # the bank-red rule of a letterhead
    canvas.setLineWidth(1.2)
    canvas.line(A4_MARGIN_X, top - 4 * mm, width - A4_MARGIN_X, top - 4 * mm)
    canvas.restoreState()


# --- Dates and times --------------------------------------------------------------
# Times print in the zone they carry: the services hand them over in the branch's own
# zone, since a counter PC's clock zone is not to be trusted to be the branch's.


def format_datetime(dt: datetime | None, *, seconds: bool = False) -> str:
    """``2024-05-06 09:15`` (or with seconds); empty for ``None``."""
    if dt is None:
        return ""
    return dt.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def format_date(dt: datetime | None) -> str:
    """``2024年05月06日``, as dates are written on Chinese forms."""
    if dt is None:
        return ""
    return dt.strftime("%Y年%m月%d日")


def format_time(dt: datetime | None) -> str:
    """``09:15:02``; empty for ``None``."""
    if dt is None:
        return ""
    return dt.strftime("%H:%M:%S")


def format_duration(delta: timedelta) -> str:
    """``8分30秒`` / ``1小时05分``; negative spans (clock skew) print as ``0秒``."""
    total = max(0, int(delta.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes:02d}分"
    if minutes:
        return f"{minutes}分{secs:02d}秒"
    return f"{secs}秒"
