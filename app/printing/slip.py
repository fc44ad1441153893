"""The queue ticket slip (排队小票) printed on an 80 mm or 58 mm thermal roll.

Contents follow DOMAIN.md: bank and branch, business type, a large ticket
number, people waiting ahead, estimated wait, date/time and a short notice.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable

from app.printing.data import SlipData
from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.layout import (
    format_datetime,
    para,
    roll_geometry,
    roll_letterhead,
    roll_styles,
)
from app.printing.roll import render_roll


def _dashed_rule() -> HRFlowable:
    return HRFlowable(
        width="100%", thickness=0.6, color=colors.black, dash=(2, 2), spaceBefore=3, spaceAfter=3
    )


class TicketNumber(Flowable):
    """The ticket number, centred, as large as the style allows and set heavy.

    The font has no bold face, so the glyphs are filled *and* stroked (PDF text
    render mode 2) — heavier on a thermal head yet still extractable text. Long
    numbers shrink to fit one line.
    """

    def __init__(self, text: str, font_size: float) -> None:
        super().__init__()
        self.text = text
        self.max_font_size = font_size
        self.font_size = font_size
        self.spaceBefore = font_size * 0.2
        self.spaceAfter = font_size * 0.15

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        natural = stringWidth(self.text, FONT_NAME, self.max_font_size)
        usable = availWidth * 0.95
        self.font_size = self.max_font_size * min(1.0, usable / natural) if natural else self.max_font_size
        self.width = availWidth
        # Capitals and digits only: cap height is ~0.73 em, nothing below the baseline.
        self.height = self.font_size * 0.85
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.font_size * 0.025)
        text = canvas.beginText()
        text.setTextRenderMode(2)
        text.setFont(FONT_NAME, self.font_size)
        x = (self.width - stringWidth(self.text, FONT_NAME, self.font_size)) / 2
        text.setTextOrigin(x, self.font_size * 0.06)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


def build_ticket_slip(data: SlipData) -> bytes:
    """The slip as PDF bytes; ``ValueError`` unless ``data.roll_width_mm`` is 58 or 80."""
    roll_geometry(data.roll_width_mm)  # validates the width before any work
    ensure_fonts()
    styles = roll_styles(data.roll_width_mm)

    story: list[Flowable] = roll_letterhead(data.bank_name, data.branch_name, styles)
    story.append(_dashed_rule())
    story.append(para(data.business_name, styles.business))
    if data.business_name_en:
        story.append(para(data.business_name_en, styles.business_en))
    story.append(TicketNumber(data.ticket_number, styles.ticket.fontSize))
    story.append(para(f"前面还有 {data.waiting_ahead} 人等候", styles.status))
    if data.estimated_wait_minutes == 0:  # nobody ahead and a counter free: words, never "about 0 minutes"
        story.append(para("即将为您服务", styles.status))
    elif data.estimated_wait_minutes is not None:
        story.append(para(f"预计等候约 {data.estimated_wait_minutes} 分钟", styles.status))
    story.append(para(format_datetime(data.issued_at, seconds=True), styles.small))
    if data.notice.strip():
        story.append(_dashed_rule())
        story.append(para(data.notice.strip(), styles.notice))

    return render_roll(
        story,
        data.roll_width_mm,
        title=f"{data.ticket_number} {data.business_name}",
        subject="排队小票",
    )
