"""The spoken call: Mandarin for a Chinese UI, English otherwise; never a translated UI string."""

from __future__ import annotations

import pytest

from app.domain.announcement import announcement_text, speaks_chinese


def test_chinese_sentence_as_the_branch_says_it() -> None:
    assert announcement_text("A023", 3, "zh_CN") == "请 A023 号到 3 号窗口办理业务"


def test_english_sentence_for_an_english_ui() -> None:
    assert announcement_text("A023", 3, "en") == "Number A023, please go to counter 3"


def test_number_is_normalised() -> None:
    assert announcement_text(" v003 ", 12, "zh_CN") == "请 V003 号到 12 号窗口办理业务"


@pytest.mark.parametrize("language", ["zh_CN", "zh", "zh-CN", "ZH_cn", "zh_TW"])
def test_chinese_language_codes(language: str) -> None:
    assert speaks_chinese(language)
    assert announcement_text("B017", 1, language).startswith("请 B017 号")


@pytest.mark.parametrize("language", ["en", "en_US", "", "fr"])
def test_other_languages_speak_english(language: str) -> None:
    assert not speaks_chinese(language)
    assert announcement_text("B017", 1, language) == "Number B017, please go to counter 1"


@pytest.mark.parametrize("number", ["", "023", "A", "A-023", "请A023", "A0234567"])
def test_rejects_what_is_not_a_ticket_number(number: str) -> None:
    with pytest.raises(ValueError):
        announcement_text(number, 3, "zh_CN")


@pytest.mark.parametrize("counter", [0, -1, True, "3", None])
def test_rejects_what_is_not_a_counter_number(counter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        announcement_text("A023", counter, "zh_CN")
