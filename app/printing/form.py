"""The generic A4 form: title, fields table, sections, signature and date lines.

Checklist records, complaint acknowledgements and replies, and service
receipts are all this one layout filled with different :class:`FormData`.
Long content flows onto further pages; tables split between rows and repeat
their column headers.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing.a4 import A4_BODY_WIDTH, page_decorator, render_a4
from app.printing.data import FormData, FormSection
from xml.sax.saxutils import escape

from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.layout import A4Styles, a4_styles, format_date, para

_GRID = colors.HexColor("#9a9a9a")
_LABEL_FILL = colors.HexColor("#f0f0f0")
_FIELD_LABEL_WIDTH = 26 * mm
#: A section heading starts a new page unless this much room is left below it,
#: so it is never stranded at the foot of a page (keepWithNext would instead
#: push a long table, heading and all, to the next page).
_SECTION_MIN_ROOM = 30 * mm


def _table_style(*extra: tuple) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # plain-string cells too: no Helvetica
            ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]
    )


def _fields_table(fields: list[tuple[str, str]], styles: A4Styles) -> Table:
    """Two (label, value) pairs per row; a long value gets the whole row."""
    value_width = (A4_BODY_WIDTH - 2 * _FIELD_LABEL_WIDTH) / 2
    rows: list[list[object]] = []
    commands: list[tuple] = []
    pending: tuple[str, str] | None = None

    def add_row(cells: list[object], full_width: bool) -> None:
        index = len(rows)
        rows.append(cells)
        commands.append(("BACKGROUND", (0, index), (0, index), _LABEL_FILL))
        if full_width:
            commands.append(("SPAN", (1, index), (3, index)))
        else:
            commands.append(("BACKGROUND", (2, index), (2, index), _LABEL_FILL))

    def cells(label: str, value: str) -> list[object]:
        return [para(label, styles.label), para(value, styles.cell)]

    for label, value in fields:
        if stringWidth(value, FONT_NAME, styles.cell.fontSize) > value_width - 10:
            add_row([*cells(label, value), "", ""], full_width=True)
            continue
        if pending is None:
            pending = (label, value)
            continue
        add_row([*cells(*pending), *cells(label, value)], full_width=False)
        pending = None
    if pending is not None:
        add_row([*cells(*pending), "", ""], full_width=False)

    widths = [_FIELD_LABEL_WIDTH, value_width, _FIELD_LABEL_WIDTH, value_width]
    return Table(rows, colWidths=widths, style=_table_style(*commands), hAlign="LEFT")


def _label_column_width(section: FormSection, styles: A4Styles) -> float:
    """Wide enough for the longest label (within 28–62% of the body), the value gets the rest."""
    labels = [label for label, _ in section.rows]
    if section.column_headers:
        labels.append(section.column_headers[0])
    widest = max((stringWidth(text, FONT_NAME, styles.cell.fontSize) for text in labels), default=0)
    return min(max(widest + 12, A4_BODY_WIDTH * 0.28), A4_BODY_WIDTH * 0.62)


def _section_flowables(section: FormSection, styles: A4Styles) -> list[Flowable]:
    heading = para(section.heading, styles.heading)
    out: list[Flowable] = []
    if section.rows:
        rows: list[list[object]] = []
        commands: list[tuple] = [("BACKGROUND", (0, 0), (0, -1), _LABEL_FILL)]
        if section.column_headers:
            rows.append([para(text, styles.label) for text in section.column_headers])
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dcdcdc")))
        rows.extend([para(label, styles.cell), para(value, styles.cell)] for label, value in section.rows)
        label_width = _label_column_width(section, styles)
        table = Table(
            rows,
            colWidths=[label_width, A4_BODY_WIDTH - label_width],
            style=_table_style(*commands),
            repeatRows=1 if section.column_headers else 0,
            hAlign="LEFT",
        )
        out.extend([CondPageBreak(_SECTION_MIN_ROOM), heading, table])
    else:
        out.extend([CondPageBreak(_SECTION_MIN_ROOM), heading])
    out.extend(para(text, styles.body) for text in section.paragraphs)
    return out


def _signature_block(labels: list[str], styles: A4Styles) -> Flowable:
    """For each label: ``label：________  日期：____年___月___日`` with room to sign."""
    blank_date = "年　　　月　　　日"  # ideographic spaces: room to write by hand
    rows = [[f"{label}：", "", "日期：", blank_date] for label in labels]
    date_width = 52 * mm
    widths = [30 * mm, A4_BODY_WIDTH - 30 * mm - 16 * mm - date_width, 16 * mm, date_width]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
            ("FONTSIZE", (0, 0), (-1, -1), styles.cell.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 16),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (1, 0), (1, -1), 12),
            ("LINEBELOW", (1, 0), (1, -1), 0.7, colors.black),
            ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ("ALIGN", (3, 0), (3, -1), "RIGHT"),
        ]
    )
    return KeepTogether([Spacer(0, 6 * mm), Table(rows, colWidths=widths, style=style, hAlign="LEFT")])


def form_story(data: FormData) -> list[Flowable]:
    """The flowables of a form, for builders that add to the generic layout."""
    styles = a4_styles()
    story: list[Flowable] = [
        para(data.title, styles.title),
        Paragraph(
            f"编号：{escape(data.document_id)}&nbsp;&nbsp;&nbsp;&nbsp;日期：{format_date(data.issued_at)}",
            styles.small_right,
        ),
        Spacer(0, 4 * mm),
    ]
    if data.fields:
        story.append(_fields_table(data.fields, styles))
    for section in data.sections:
        story.extend(_section_flowables(section, styles))
    if data.signature_labels:
        story.append(_signature_block(data.signature_labels, styles))
    return story


def build_form(data: FormData) -> bytes:
    """The form as PDF bytes on as many A4 pages as it needs."""
    ensure_fonts()
    decorate = page_decorator(
        bank_name=data.bank_name,
        branch_name=data.branch_name,
        document_id=data.document_id,
        issued_at=data.issued_at,
    )
    return render_a4(form_story(data), title=data.title, subject=data.title, decorate=decorate)
