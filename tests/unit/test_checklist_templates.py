"""Checklist template format: every shipped file is valid; bad files are refused naming the file,
the step and the reason; conditions and input checks; the rule between two inputs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.checklist_runs import Result, RuleViolated, StepStatus, check_rules, progress, validate_input
from app.domain.checklist_templates import StepKind, TemplateInvalid, check_text, parse_template
from app.domain.errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = ROOT / "resources" / "checklists"
TODAY = date(2026, 11, 23)

GOOD = """
[template]
business_type = "demo"
version = 2
title_zh = "演示"
title_en = "Demo"

[[step]]
id = "amount"
kind = "number"
min = 1
title_zh = "金额"
title_en = "Amount"
rule = "rule A"

[[step]]
id = "big"
kind = "tick"
title_zh = "大额"
title_en = "Large amount"
rule = "rule B"
when = { input = "amount", op = ">=", value = 50000 }

[[step]]
id = "old"
kind = "tick"
required = false
title_zh = "老年"
title_en = "Elderly"
rule = "rule C"
when = { fact = "customer_age", op = ">=", value = 65 }

[[step]]
id = "sign"
kind = "signature"
title_zh = "签字"
title_en = "Signed"
rule = "rule D"
"""


def load(name: str):  # type: ignore[no-untyped-def]
    return parse_template((CHECKLISTS / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")


def problems_of(text: str) -> list[str]:
    template, problems = check_text(text, "bad.toml")
    assert template is None
    return [str(p) for p in problems]


def test_every_shipped_template_is_valid_and_named_after_its_business_type() -> None:
    files = sorted(CHECKLISTS.glob("*.toml"))
    assert len(files) >= 9
    for path in files:
        template = parse_template(path.read_text(encoding="utf-8"), path.name)
        assert template.business_type == path.stem
        assert template.version >= 1
        for step in template.steps:
            assert step.title_zh and step.title_en and step.rule, (path.name, step.id)


def test_a_good_template_parses() -> None:
    template = parse_template(GOOD, "demo.toml")
    assert [s.id for s in template.steps] == ["amount", "big", "old", "sign"]
    assert template.step("amount").kind is StepKind.NUMBER
    assert template.step("old").required is False


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace('kind = "tick"\ntitle_zh = "大额"', 'kind = "stamp"\ntitle_zh = "大额"'),
     "bad.toml: step big: kind must be one of"),
    (lambda t: t.replace('title_en = "Signed"\n', ""), "bad.toml: step sign: title_en is required"),
    (lambda t: t.replace('rule = "rule A"', ""), "bad.toml: step amount: rule is required"),
    (lambda t: t.replace('id = "sign"', 'id = "amount"'), "bad.toml: step amount: id is used by an earlier step"),
    (lambda t: t.replace('input = "amount"', 'input = "sign"'),
     "bad.toml: step big: when: input 'sign' is not an earlier step"),
    (lambda t: t.replace('fact = "customer_age"', 'fact = "shoe_size"'),
     "bad.toml: step old: when: unknown fact 'shoe_size'"),
    (lambda t: t.replace('op = ">=", value = 50000', 'op = "=>", value = 50000'), "bad.toml: step big: when: op"),
    (lambda t: t.replace("version = 2", "version = 0"), "bad.toml: step -: version must be"),
    (lambda t: t.replace("min = 1", "min = 1\npattern = 'x'"), "bad.toml: step amount: only a text step has a pattern"),
    (lambda t: t.replace("min = 1", "min = 1\ncolour = 'red'"), "bad.toml: step amount: unknown key 'colour'"),
    (lambda t: t + '\n[[step]]\nid = "c"\nkind = "choice"\ntitle_zh = "选"\ntitle_en = "C"\nrule = "r"\n'
                   'options = [{ value = "a", zh = "甲", en = "A" }]\n',
     "bad.toml: step c: a choice step needs at least two options"),
    (lambda t: "[template\n", "bad.toml: step -: not valid TOML"),
])
def test_a_bad_template_is_refused_with_file_step_and_reason(change, expected) -> None:  # type: ignore[no-untyped-def]
    found = problems_of(change(GOOD))
    assert any(problem.startswith(expected) for problem in found), found


def test_parse_raises_the_first_problem_with_its_parts() -> None:
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(GOOD.replace('title_en = "Signed"\n', ""), "x.toml")
    assert caught.value.params["file"] == "x.toml"
    assert caught.value.params["step"] == "sign"
    assert caught.value.params["reason"] == "key_required" and caught.value.params["key"] == "title_en"
    assert str(caught.value) == "x.toml: step sign: title_en is required"


def test_a_rule_between_inputs_must_name_two_comparable_steps() -> None:
    text = GOOD + '\n[[rule]]\nid = "r1"\nleft = "amount"\nop = "<="\nright = "sign"\nmessage_zh = "甲"\nmessage_en = "a"\n'
    assert any("rule r1: left and right must be two numbers or two choices" in p for p in problems_of(text))


# -- conditions -------------------------------------------------------------------------------

def ids(template, facts, results):  # type: ignore[no-untyped-def]
    return [s.id for s in progress(template, facts, results).applicable]


def test_an_amount_of_50000_or_more_adds_steps() -> None:
    template = parse_template(GOOD, "demo.toml")
    small = {"amount": Result(StepStatus.DONE, 49999.0)}
    large = {"amount": Result(StepStatus.DONE, 50000.0)}
    assert ids(template, {"customer_age": 40}, small) == ["amount", "sign"]
    assert ids(template, {"customer_age": 40}, large) == ["amount", "big", "sign"]


def test_age_65_adds_steps_and_an_unknown_age_counts_as_applicable() -> None:
    template = parse_template(GOOD, "demo.toml")
    assert "old" not in ids(template, {"customer_age": 64}, {})
    assert "old" in ids(template, {"customer_age": 65}, {})
    assert "old" in ids(template, {}, {})  # not identified: the stricter list


def test_progress_current_step_and_blockers() -> None:
    template = parse_template(GOOD, "demo.toml")
    state = progress(template, {"customer_age": 30}, {})
    assert state.current is not None and state.current.id == "amount"
    assert [s.id for s in state.blockers] == ["amount", "sign"]
    done = {"amount": Result(StepStatus.DONE, 10.0), "sign": Result(StepStatus.OVERRIDDEN)}
    assert progress(template, {"customer_age": 30}, done).complete


def test_deposit_template_steps_follow_the_deposit_type() -> None:
    template = load("deposit_withdrawal")
    education = {"product": Result(StepStatus.DONE, "education"), "amount": Result(StepStatus.DONE, 1000.0)}
    applicable = ids(template, {}, education)
    assert {"education_grade", "education_term", "education_principal", "school_certificate"} <= set(applicable)
    assert "fixed_term" not in applicable and "large_cash_id_check" not in applicable
    flexible = {"product": Result(StepStatus.DONE, "flexible"), "amount": Result(StepStatus.DONE, 60000.0)}
    applicable = ids(template, {}, flexible)
    assert "flexible_rate_notice" in applicable and "large_cash_id_check" in applicable
    assert "education_term" not in applicable
    with pytest.raises(ValidationError):
        validate_input(template.step("education_principal"), "20000.01", TODAY)
    with pytest.raises(ValidationError):
        validate_input(template.step("education_principal"), "49", TODAY)


# -- inputs and rules -------------------------------------------------------------------------

def test_inputs_are_validated_naming_the_step_title() -> None:
    template = load("wealth")
    with pytest.raises(ValidationError) as caught:
        validate_input(template.step("recording_id"), "ab", TODAY)
    assert caught.value.params["field"] == "Recording id (双录编号)"
    assert caught.value.params["field_zh"] == "双录编号"
    assert caught.value.params["reason"] == "bad_format"
    assert validate_input(template.step("recording_id"), " SL-20261123-0001 ", TODAY) == "SL-20261123-0001"
    with pytest.raises(ValidationError, match="a number"):
        validate_input(template.step("amount"), "lots", TODAY)
    with pytest.raises(ValidationError, match="one of C1"):
        validate_input(template.step("customer_risk"), "C9", TODAY)
    with pytest.raises(ValidationError, match="required"):
        validate_input(template.step("product_code"), "  ", TODAY)


def test_a_risk_assessment_older_than_a_year_is_refused() -> None:
    step = load("wealth").step("assessment_date")
    assert validate_input(step, "2025-11-23", TODAY) == "2025-11-23"
    with pytest.raises(ValidationError, match="older than 365 days"):
        validate_input(step, "2025-11-22", TODAY)
    with pytest.raises(ValidationError, match="must not be in the future"):
        validate_input(step, "2026-11-24", TODAY)
    with pytest.raises(ValidationError, match=r"a date \(YYYY-MM-DD\)"):
        validate_input(step, "23/11/2025", TODAY)


def test_product_risk_may_not_exceed_the_customer_level() -> None:
    template = load("wealth")
    check_rules(template, {"customer_risk": "C3", "product_risk": "R3"})
    check_rules(template, {"customer_risk": "C3"})  # not both known yet
    with pytest.raises(RuleViolated) as caught:
        check_rules(template, {"customer_risk": "C2", "product_risk": "R3"})
    assert caught.value.params["message_zh"].startswith("产品风险等级高于")
