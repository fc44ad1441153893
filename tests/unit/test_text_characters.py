"""Bidi controls and other invisible format characters are refused like control characters,
wherever a person types or imports text (one check: app/domain/text.py)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timezone

import pytest

from app.domain.complaint_entry import clean_text
from app.domain.errors import ValidationError
from app.domain.text import check_characters, clean_note
from app.keys import FieldCipher, KeyRing
from app.domain.tiers import TierPolicy
from app.services.customers.bulk import RowPreparer
from app.services.customers.records import CustomerInput, prepare
from tests.integration.customer_fixtures import resident_id

INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u061c", "\u2060", "\u00ad"]
CIPHER = FieldCipher(KeyRing.generate())
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def test_every_format_character_is_refused_with_its_own_reason() -> None:
    every = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert set(INVISIBLE) <= set(every)
    for char in every:
        with pytest.raises(ValidationError) as refused:
            check_characters(f"张{char}三", "customer name")
        assert refused.value.params == {"field": "customer name", "reason": "format_characters"}


@pytest.mark.parametrize("text", ["张三", "Zhang San", "𠀀𠀁", "王\u3000五", "O'Brien-Smith", "😀"])
def test_ordinary_names_pass(text: str) -> None:
    check_characters(text, "customer name")


@pytest.mark.parametrize("char", INVISIBLE)
def test_a_customer_name_with_an_invisible_character_is_refused(char: str) -> None:
    data = CustomerInput(name=f"张{char}三", id_type="resident_id", id_number=resident_id())
    with pytest.raises(ValidationError) as refused:
        prepare(data, CIPHER, today=TODAY, now=NOW, branch_id=1)
    assert refused.value.message == "customer name: contains invisible formatting characters"


@pytest.mark.parametrize("column, field", [("name", "customer name"), ("address", "address"),
                                           ("occupation", "occupation"), ("contact_name", "contact")])
def test_an_imported_row_with_a_right_to_left_override_is_refused(column: str, field: str) -> None:
    row = {"name": "张三", "id_type": "resident_id", "id_number": resident_id(), "phone": "13812341234",
           "address": "北京市", column: "abc\u202edef"}
    preparer = RowPreparer(CIPHER, today=TODAY, now=NOW, branch_id=1, policy=TierPolicy())
    assert preparer(row) == f"{field}: contains invisible formatting characters"


def test_control_characters_keep_their_reason_and_one_line_fields_keep_their_white_space() -> None:
    with pytest.raises(ValidationError, match="contains control characters"):
        check_characters("a\x07b", "address", allow="\t\n\r")
    check_characters("a\tb\r\nc", "address", allow="\t\n\r")
    data = CustomerInput(name="张\t三", id_type="resident_id", id_number=resident_id())
    assert prepare(data, CIPHER, today=TODAY, now=NOW, branch_id=1).customer["name"] == "张 三"


def test_complaint_texts_refuse_invisible_characters_too() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text("客户\u2066说明", "facts", 4000, multiline=True)
    assert refused.value.params["reason"] == "format_characters"
    assert clean_text("第一行\n第二行", "facts", 4000, multiline=True) == "第一行\n第二行"


def test_a_note_is_trimmed_checked_and_limited() -> None:
    assert clean_note("  第一行\r\n第二行\t完  ", "note", 2000) == "第一行\n第二行\t完"
    assert clean_note("  ", "note", 2000) is None
    for text, params in [("a\u202eb", {"reason": "format_characters"}), ("a\x1bb", {"reason": "control_characters"}),
                         ("x" * 2001, {"reason": "max_length", "limit": 2000}), ("", {"reason": "required"})]:
        with pytest.raises(ValidationError) as refused:
            clean_note(text, "note", 2000, required=True)
        assert refused.value.params == {"field": "note", **params}


def test_the_new_reasons_have_translations_registered() -> None:
    from ui.error_reasons import reason_sentences

    assert {"format_characters", "control_characters", "fewer_fields", "unclosed_quote"} <= set(reason_sentences())
