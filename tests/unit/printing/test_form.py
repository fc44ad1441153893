"""The generic A4 form: pagination, page numbers, footer, signatures."""

from __future__ import annotations

import pytest

from app.printing.data import FormData, FormSection
from app.printing.form import build_form

from . import samples
from .pdfcheck import (
    A4_POINTS,
    all_text,
    assert_fonts_are_embedded_subsets,
    page_size,
    page_texts,
    read,
    squash,
)


def test_long_form_paginates_with_numbers_and_document_id() -> None:
    data = samples.long_form(rows=80)
    reader = read(build_form(data))
    total = len(reader.pages)
    assert total >= 2
    texts = [squash(t) for t in page_texts(reader)]
    for number, text in enumerate(texts, start=1):
        assert f"第{number}/{total}页" in text
        assert data.document_id in text  # footer on every page
        assert data.bank_name in text  # letterhead on every page
        assert page_size(reader, number - 1) == pytest.approx(A4_POINTS, abs=0.5)
    assert "第2/" in texts[1]
    joined = "".join(texts)
    for row in (1, 40, 80):
        assert f"第{row}项：核实客户身份与开户意愿" in joined
    assert "客户签名" in texts[-1] and "复核" in texts[-1]
    assert_fonts_are_embedded_subsets(reader)


def test_table_header_repeats_on_continuation_pages() -> None:
    texts = [squash(t) for t in page_texts(read(build_form(samples.long_form(rows=80))))]
    assert all("核对事项" in t for t in texts[:2])


def test_short_form_is_one_page() -> None:
    reader = read(build_form(samples.long_form(rows=3)))
    assert len(reader.pages) == 1
    assert "第1/1页" in all_text(reader)


def test_minimal_form_and_escaping() -> None:
    data = FormData(
        title="投诉受理回执",
        fields=[],
        sections=[FormSection(heading="说明", paragraphs=["金额 <1000> & 以上\n第二行"])],
        signature_labels=[],
        document_id="TS-1",
        bank_name="测试银行",
        branch_name="测试支行",
        issued_at=samples.ISSUED,
    )
    text = all_text(read(build_form(data)))
    assert "投诉受理回执" in text
    assert "金额<1000>&以上第二行" in text


def test_long_field_values_wrap_inside_the_table() -> None:
    long_value = "客户反映排队等候时间过长，柜台窗口开放不足，大堂经理未能及时引导分流。" * 3
    data = samples.long_form(rows=1)
    data = FormData(**{**data.__dict__, "fields": [("投诉事项", long_value), ("渠道", "营业现场")]})
    text = all_text(read(build_form(data)))
    assert squash(long_value) in text
