"""The CJK font is registered once per process, from any thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from reportlab.pdfbase import pdfmetrics

from app.printing import fonts


def test_font_registered_once_and_reused() -> None:
    name = fonts.ensure_fonts()
    first = pdfmetrics.getFont(name)
    assert fonts.ensure_fonts() == name
    assert pdfmetrics.getFont(name) is first


def test_concurrent_registration_is_safe() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        names = list(pool.map(lambda _: fonts.ensure_fonts(), range(32)))
    assert set(names) == {fonts.FONT_NAME}


def test_font_covers_chinese_and_latin() -> None:
    face = pdfmetrics.getFont(fonts.ensure_fonts()).face
    for char in "网点服务台前面还有人等候预计分钟号窗口ABCxyz0123456789：，。":
        assert ord(char) in face.charToGlyph, char
