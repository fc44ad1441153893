"""Service receipts: A4, masked teller and customer, checklist table."""

from __future__ import annotations

import pytest

from app.printing.receipt import build_service_receipt

from . import samples
from .pdfcheck import A4_POINTS, all_text, assert_fonts_are_embedded_subsets, page_size, read


def test_receipt_is_a4_with_embedded_subset_font() -> None:
    reader = read(build_service_receipt(samples.receipt()))
    assert page_size(reader) == pytest.approx(A4_POINTS, abs=0.5)
    assert_fonts_are_embedded_subsets(reader)


def test_receipt_content() -> None:
    data = samples.receipt()
    text = all_text(read(build_service_receipt(data)))
    for expected in (
        "业务回单",
        data.bank_name,
        data.branch_name,
        data.counter_label,
        data.business_name,
        data.ticket_number,
        "业务核对清单",
        "核验身份证原件有效",
        "客户已签字",
        "14分30秒",  # started → finished
        "客户签名",
        data.document_id,
        "第1/1页",
    ):
        assert expected in text


def test_personal_data_is_masked_never_in_full() -> None:
    text = all_text(read(build_service_receipt(samples.receipt())))
    assert "李**" in text and samples.TELLER not in text
    assert "张**" in text and samples.CUSTOMER not in text
    assert "110101********037X" in text
    assert samples.ID_NUMBER not in text
    assert "19900307" not in text


def test_receipt_without_checklist_or_customer() -> None:
    data = samples.receipt(checklist_summary=[], customer_name=None, customer_id_number=None, called_at=None)
    text = all_text(read(build_service_receipt(data)))
    assert "业务核对清单" not in text
    assert "—" in text  # missing values are shown as a dash, not left blank
