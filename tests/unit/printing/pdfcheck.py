"""Read built PDFs back with pypdf: text, page sizes, embedded fonts."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

MM = 72 / 25.4
A4_POINTS = (595.28, 841.89)
SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    return PdfReader(io.BytesIO(pdf))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def squash(text: str) -> str:
    """Text without any whitespace: line breaks fall where layout puts them."""
    return "".join(text.split())


def all_text(reader: PdfReader) -> str:
    return squash("".join(page_texts(reader)))


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width), float(box.height)


def fonts(reader: PdfReader) -> list[DictionaryObject]:
    """Every font dictionary the pages use (descendant fonts of Type0 fonts included)."""
    found: dict[int, DictionaryObject] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        font_map = resources.get_object().get("/Font") if resources else None
        if not font_map:
            continue
        for ref in font_map.get_object().values():
            font = ref.get_object()
            found[id(font)] = font
            for descendant in font.get("/DescendantFonts", []):
                found[id(descendant.get_object())] = descendant.get_object()
    return list(found.values())


def assert_fonts_are_embedded_subsets(reader: PdfReader) -> None:
    """Every font with glyph outlines is an embedded TrueType subset ``XXXXXX+Name``."""
    seen = fonts(reader)
    assert seen, "no fonts in the document"
    for font in seen:
        if font.get("/Subtype") == "/Type0":
            continue  # the descendant carries the descriptor
        base = str(font["/BaseFont"])
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{base} is not embedded (no font descriptor)"
        assert "/FontFile2" in descriptor.get_object(), f"{base} has no embedded TrueType program"
        assert SUBSET_NAME.match(base), f"{base} is not a subset name"
