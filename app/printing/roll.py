"""Render flowables onto one thermal-roll page exactly as tall as its content.

Platypus frames would split onto a second page when an estimate is off by a
point; here each flowable is measured once at the printable width and the page
height is the sum, so a slip is always one page with no blank tail.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.layout import roll_geometry

_UNBOUNDED = 100_000.0  # points: more than any roll document can need


def render_roll(flowables: list[Flowable], width_mm: int, *, title: str, subject: str = "") -> bytes:
    """One page ``width_mm`` wide, as tall as ``flowables`` stacked, as PDF bytes."""
    ensure_fonts()
    geo = roll_geometry(width_mm)
    placed: list[tuple[Flowable, float, float, float]] = []
    height = geo.top_margin + geo.bottom_margin
    for flowable in flowables:
        _, h = flowable.wrap(geo.printable_width, _UNBOUNDED)
        before, after = flowable.getSpaceBefore(), flowable.getSpaceAfter()
        placed.append((flowable, before, h, after))
        height += before + h + after

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(geo.page_width, height),
        pageCompression=1,
        initialFontName=FONT_NAME,  # no reference to an unembedded Helvetica
        lang="zh-CN",
    )
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setCreator("BranchDesk")
    y = height - geo.top_margin
    for flowable, before, h, after in placed:
        y -= before + h
        flowable.drawOn(canvas, geo.side_margin, y)
        y -= after
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
