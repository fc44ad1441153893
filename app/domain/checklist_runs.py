"""Checklist runs: which steps apply, which one is next, what blocks finishing, input checks.

Pure Python over a :class:`~app.domain.checklist_templates.Template` and the results recorded
so far. Steps are worked in order: only the first open applicable step can be completed,
skipped (optional steps, with a reason) or overridden by a supervisor (required steps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.domain.checklist_templates import Step, StepKind, Template, applies, compare
from app.domain.errors import DomainError, ValidationError


class StepStatus(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    OVERRIDDEN = "overridden"


class RunStatus(StrEnum):
    OPEN = "open"
    COMPLETE = "complete"  # nothing required is left open


class RuleViolated(DomainError):
    """Two inputs break a template rule (e.g. product risk above the customer's risk level)."""

    code = "checklist_rule_violated"
    template = "{message}"


@dataclass(frozen=True)
class Result:
    status: StepStatus
    value: Any = None


@dataclass(frozen=True)
class Progress:
    applicable: tuple[Step, ...]
    current: Step | None          # the first applicable step with no result
    blockers: tuple[Step, ...]    # applicable required steps neither done nor overridden
    resolved: int                 # applicable steps with a result

    @property
    def complete(self) -> bool:
        return not self.blockers

    @property
    def total(self) -> int:
        return len(self.applicable)


def inputs_of(results: dict[str, Result]) -> dict[str, Any]:
    return {step_id: r.value for step_id, r in results.items() if r.status is StepStatus.DONE and r.value is not None}


def progress(template: Template, facts: dict[str, Any], results: dict[str, Result]) -> Progress:
    inputs = inputs_of(results)
    applicable = tuple(step for step in template.steps if applies(step, facts, inputs))
    current = next((step for step in applicable if step.id not in results), None)
    blockers = tuple(step for step in applicable if step.required and (
        step.id not in results or results[step.id].status is StepStatus.SKIPPED))
    resolved = sum(1 for step in applicable if step.id in results)
    return Progress(applicable=applicable, current=current, blockers=blockers, resolved=resolved)


def _invalid(step: Step, reason: str, **params: Any) -> ValidationError:
    # The field is the step's title; the UI shows the Chinese one (field_zh) in Chinese.
    return ValidationError(field=step.title_en, field_zh=step.title_zh, reason=reason, step=step.id, **params)


def validate_input(step: Step, raw: Any, today: date) -> Any:
    """The value to store for completing ``step``, or ValidationError naming the step."""
    if step.kind in (StepKind.TICK, StepKind.DOCUMENT, StepKind.SIGNATURE, StepKind.SUPERVISOR):
        return True
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise _invalid(step, "required")
    if step.kind is StepKind.CHOICE:
        values = [option.value for option in step.options]
        if text not in values:
            raise _invalid(step, "one_of", choices=tuple(values), choices_zh=tuple(o.zh for o in step.options))
        return text
    if step.kind is StepKind.NUMBER:
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise _invalid(step, "number") from None
        if step.integer:
            if not number.is_integer():
                raise _invalid(step, "whole_number")
            number = int(number)
        if step.minimum is not None and number < step.minimum:
            raise _invalid(step, "min_value", limit=_plain(step.minimum))
        if step.maximum is not None and number > step.maximum:
            raise _invalid(step, "max_value", limit=_plain(step.maximum))
        return number
    # text
    if len(text) > step.max_length:
        raise _invalid(step, "max_length", limit=step.max_length)
    if step.text_format == "date":
        try:
            when = date.fromisoformat(text)
        except ValueError:
            raise _invalid(step, "date_format") from None
        if when > today:
            raise _invalid(step, "not_in_future")
        if step.max_age_days is not None and when < today - timedelta(days=step.max_age_days):
            raise _invalid(step, "too_old", days=step.max_age_days)
        return when.isoformat()
    if step.pattern and not re.fullmatch(step.pattern, text):
        raise _invalid(step, "bad_format")
    return text


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def check_rules(template: Template, inputs: dict[str, Any]) -> None:
    """Refuse inputs that break a template rule; rules with an input missing are not checked yet."""
    for rule in template.rules:
        if rule.left not in inputs or rule.right not in inputs:
            continue
        left, right = template.step(rule.left), template.step(rule.right)
        a, b = inputs[rule.left], inputs[rule.right]
        if left.kind is StepKind.CHOICE:
            a, b = left.option_index(a), right.option_index(b)
        if not compare(a, rule.op, b):
            raise RuleViolated(message=rule.message_en, message_zh=rule.message_zh, rule=rule.id,
                               step=rule.left)
