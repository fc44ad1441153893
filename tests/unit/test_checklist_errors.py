"""Checklist errors read in the UI's language: step titles and rule messages come from the
template in both languages, and the Chinese UI shows the Chinese ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.checklist_runs import RuleViolated, check_rules, validate_input
from app.domain.checklist_templates import parse_template
from app.domain.errors import ValidationError
from app.services.checklist_state import ChecklistIncomplete
from tests.ui_language import ui_language
from ui.errors import describe

ROOT = Path(__file__).resolve().parents[2]
WEALTH = parse_template((ROOT / "resources" / "checklists" / "wealth.toml").read_text(encoding="utf-8"),
                        "wealth.toml")


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    """The Chinese UI (tests/ui_language.py)."""
    with ui_language("zh_CN"):
        yield


def test_an_input_error_names_the_chinese_step_title(chinese) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        validate_input(WEALTH.step("recording_id"), "x", date(2026, 11, 23))
    assert describe(caught.value) == "双录编号：格式不正确"


def test_a_broken_rule_reads_in_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolated) as caught:
        check_rules(WEALTH, {"customer_risk": "C1", "product_risk": "R2"})
    assert describe(caught.value) == "产品风险等级高于客户风险承受能力等级，不得销售。"


def test_the_finish_refusal_reads_in_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    error = ChecklistIncomplete(ticket="A001", count=2, step="Face match with the ID photo", step_zh="人脸识别比对一致")
    assert describe(error) == ("A001 号不能结束办理：尚有 2 项必做核对事项未完成（首项为“人脸识别比对一致”）。"
                               "请完成，或请主管授权。")


def test_in_english_the_english_titles_stay(qapp) -> None:  # type: ignore[no-untyped-def]
    error = ValidationError(field="Recording id", field_zh="双录编号", reason="bad_format")
    assert describe(error) == "Recording id: not in the expected format"
