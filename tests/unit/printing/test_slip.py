"""Ticket slips: content, roll geometry, embedded font."""

from __future__ import annotations

import pytest

from app.printing.layout import format_datetime
from app.printing.slip import build_ticket_slip

from . import samples
from .pdfcheck import MM, all_text, assert_fonts_are_embedded_subsets, page_size, read, squash


@pytest.mark.parametrize("width_mm", [80, 58])
def test_slip_is_one_page_exactly_the_roll_width(width_mm: int) -> None:
    reader = read(build_ticket_slip(samples.slip(roll_width_mm=width_mm)))
    assert len(reader.pages) == 1
    width, height = page_size(reader)
    assert width == pytest.approx(width_mm * MM, abs=0.5)
    assert 50 * MM < height < 200 * MM  # fitted to content, not a page format


@pytest.mark.parametrize("width_mm", [80, 58])
def test_slip_text_is_extractable(width_mm: int) -> None:
    data = samples.slip(roll_width_mm=width_mm)
    text = all_text(read(build_ticket_slip(data)))
    for expected in (
        data.bank_name,
        data.branch_name,
        data.business_name,
        "PersonalBanking",
        "A023",
        "前面还有5人等候",
        "预计等候约15分钟",
        squash(format_datetime(data.issued_at, seconds=True)),
        squash(data.notice),
    ):
        assert expected in text


def test_slip_font_is_an_embedded_subset() -> None:
    assert_fonts_are_embedded_subsets(read(build_ticket_slip(samples.slip())))


def test_estimated_wait_omitted_when_unknown() -> None:
    text = all_text(read(build_ticket_slip(samples.slip(estimated_wait_minutes=None, business_name_en=None))))
    assert "预计等候" not in text
    assert "前面还有5人等候" in text


def test_taller_content_gives_taller_slip() -> None:
    short = page_size(read(build_ticket_slip(samples.slip(notice=""))))[1]
    long = page_size(read(build_ticket_slip(samples.slip(notice="请保管好您的号票。" * 12))))[1]
    assert long > short


def test_markup_characters_are_printed_as_text() -> None:
    text = all_text(read(build_ticket_slip(samples.slip(notice="A<B & C>D"))))
    assert "A<B&C>D" in text


def test_long_ticket_number_still_fits_one_line() -> None:
    text = all_text(read(build_ticket_slip(samples.slip(ticket_number="VIP1024", roll_width_mm=58))))
    assert "VIP1024" in text


@pytest.mark.parametrize("width_mm", [0, 57, 76, 110])
def test_unsupported_roll_width_raises(width_mm: int) -> None:
    with pytest.raises(ValueError, match="roll width"):
        build_ticket_slip(samples.slip(roll_width_mm=width_mm))


def test_no_wait_is_said_in_words() -> None:
    """Issue #18: nobody ahead and a counter free — "served shortly", never "about 0 minutes"."""
    text = all_text(read(build_ticket_slip(samples.slip(waiting_ahead=0, estimated_wait_minutes=0))))
    assert "即将为您服务" in text and "预计等候" not in text and "0分钟" not in text
