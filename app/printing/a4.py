"""A4 page frame shared by every A4 document: letterhead, footer, "第 x / n 页".

The page count is only known once the story is laid out, so the canvas keeps
each finished page's state and draws the letterhead and footer on all of them
when the document is saved (the usual reportlab two-step for "page x of n").
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.layout import (
    A4_MARGIN_BOTTOM,
    A4_MARGIN_TOP,
    A4_MARGIN_X,
    A4_SIZE,
    draw_a4_letterhead,
    format_datetime,
)

PageDecorator = Callable[[Canvas, int, int], None]


class _NumberedCanvas(Canvas):
    """Canvas that decorates every page once the total number of pages is known."""

    def __init__(self, *args: Any, decorate: PageDecorator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


def page_decorator(
    *, bank_name: str, branch_name: str, document_id: str, issued_at: datetime
) -> PageDecorator:
    """Letterhead on top; document id, page x / n and print time in the footer."""

    def decorate(canvas: Canvas, page: int, total: int) -> None:
        draw_a4_letterhead(canvas, bank_name, branch_name)
        width, _ = A4_SIZE
        y = 12 * mm
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(A4_MARGIN_X, y + 4 * mm, width - A4_MARGIN_X, y + 4 * mm)
        canvas.setFont(FONT_NAME, 8.5)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawString(A4_MARGIN_X, y, f"编号：{document_id}")
        canvas.drawCentredString(width / 2, y, f"第 {page} / {total} 页")
        canvas.drawRightString(width - A4_MARGIN_X, y, f"打印时间：{format_datetime(issued_at)}")
        canvas.restoreState()

    return decorate


def render_a4(
    story: list[Flowable], *, title: str, subject: str, decorate: PageDecorator
) -> bytes:
    """Lay ``story`` out on as many A4 pages as it needs; PDF bytes."""
    ensure_fonts()
    buffer = io.BytesIO()
    width, height = A4_SIZE
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4_SIZE,
        leftMargin=A4_MARGIN_X,
        rightMargin=A4_MARGIN_X,
        topMargin=A4_MARGIN_TOP,
        bottomMargin=A4_MARGIN_BOTTOM,
        title=title,
        subject=subject,
        creator="BranchDesk",
        author="BranchDesk",
        lang="zh-CN",
        initialFontName=FONT_NAME,
        pageCompression=1,
    )
    frame = Frame(
        A4_MARGIN_X,
        A4_MARGIN_BOTTOM,
        width - 2 * A4_MARGIN_X,
        height - A4_MARGIN_TOP - A4_MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])

    def canvasmaker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, decorate=decorate, **kwargs)

    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


#: Width of the text column on an A4 page, points.
A4_BODY_WIDTH = A4_SIZE[0] - 2 * A4_MARGIN_X
