"""Checklist templates: the data format (TOML in resources/checklists/), its validator, conditions.

A template is one business type's service SOP as ordered steps. Each step has a *kind*
(what the teller does), is required or optional, carries Chinese and English text and the
rule it comes from, and may apply only under a condition on the run's facts (e.g. the
customer's age) or on an earlier step's input (e.g. the amount). Template-level *rules*
compare two inputs (a wealth product's risk level may not exceed the customer's).

Pure Python: the validator names the file, the step and the reason of every problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.errors import DomainError
from app.domain.reasons import english_params


class StepKind(StrEnum):
    TICK = "tick"                # done / not done
    TEXT = "text"                # free text (optionally a pattern, or a date)
    NUMBER = "number"            # a number within bounds
    CHOICE = "choice"            # one of the listed options
    DOCUMENT = "document"        # original document seen and checked
    SIGNATURE = "signature"      # customer signed on paper
    SUPERVISOR = "supervisor"    # a supervisor confirms on the spot

    @property
    def takes_input(self) -> bool:
        return self in (StepKind.TEXT, StepKind.NUMBER, StepKind.CHOICE)


#: Facts a run may know about its customer and visit; conditions may test them.
FACTS: frozenset[str] = frozenset({"customer_age"})
OPERATORS: frozenset[str] = frozenset({">=", ">", "<=", "<", "==", "!="})
TEXT_FORMATS: frozenset[str] = frozenset({"date"})
_ID = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


class TemplateInvalid(DomainError):
    """A template file that does not follow the format; names the file, the step and why."""

    code = "checklist_template_invalid"
    template = "{file}: step {step}: {reason}"


@dataclass(frozen=True)
class Problem:
    file: str
    step: str  # step id, "#n" when the step has no usable id, or "-" for the template itself
    reason_code: str  # a code of app/domain/reasons.py, filled from params
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The English sentence (the admin CLI's report and the log)."""
        return str(english_params({**self.params, "reason": self.reason_code})["reason"])

    def __str__(self) -> str:
        return f"{self.file}: step {self.step}: {self.reason}"


@dataclass(frozen=True)
class Option:
    value: str
    zh: str
    en: str


@dataclass(frozen=True)
class Condition:
    """``subject op value``: the subject is a fact (``fact``) or an earlier step's input (``input``)."""

    source: str  # "fact" | "input"
    name: str
    op: str
    value: Any

    def describe(self) -> str:
        return f"{self.name} {self.op} {self.value}"


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    required: bool
    title_zh: str
    title_en: str
    help_zh: str = ""
    help_en: str = ""
    rule: str = ""
    when: tuple[Condition, ...] = ()
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    unit: str = ""
    pattern: str = ""
    max_length: int = 200
    text_format: str = ""
    max_age_days: int | None = None

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en

    def help(self, language: str) -> str:
        return self.help_zh if language.startswith("zh") else self.help_en

    def option_index(self, value: str) -> int:
        return [option.value for option in self.options].index(value)


@dataclass(frozen=True)
class InputRule:
    """``left op right`` between two input steps (choices compare by option order)."""

    id: str
    left: str
    op: str
    right: str
    message_zh: str
    message_en: str
    rule: str = ""


@dataclass(frozen=True)
class Template:
    business_type: str
    version: int
    title_zh: str
    title_en: str
    steps: tuple[Step, ...]
    rules: tuple[InputRule, ...] = ()
    source: str = field(default="", compare=False)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en


# -- conditions -------------------------------------------------------------------------------

def compare(left: Any, op: str, right: Any) -> bool:
    return {">=": left >= right, ">": left > right, "<=": left <= right, "<": left < right,
            "==": left == right, "!=": left != right}[op]


def applies(step: Step, facts: dict[str, Any], inputs: dict[str, Any]) -> bool:
    """Whether the step is part of this run. All conditions must hold.

    A fact nobody supplied (the customer's age when the customer is not identified) makes
    the condition hold: the stricter checklist is the safe one. An input not given yet
    (an optional earlier step that was skipped) makes it fail."""
    for condition in step.when:
        if condition.source == "fact":
            value = facts.get(condition.name)
            if value is None:
                continue
        else:
            value = inputs.get(condition.name)
            if value is None:
                return False
        try:
            if not compare(value, condition.op, condition.value):
                return False
        except TypeError:
            return False
    return True


# -- parsing and validation -------------------------------------------------------------------

def _text(entry: dict, key: str, where: str, problems: list[Problem], file: str, *, needed: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        problems.append(Problem(file, where, "key_not_text", {"key": key}))
        return ""
    if needed and not value.strip():
        problems.append(Problem(file, where, "key_required", {"key": key}))
    return value.strip()


def _number(entry: dict, key: str, where: str, problems: list[Problem], file: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem(file, where, "key_not_number", {"key": key}))
        return None
    return value


def _conditions(raw: Any, where: str, earlier: dict[str, Step], problems: list[Problem],
                file: str) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out: list[Condition] = []
    for item in items:
        if not isinstance(item, dict):
            problems.append(Problem(file, where, "when_not_table"))
            continue
        op = item.get("op")
        if op not in OPERATORS:
            problems.append(Problem(file, where, "key_one_of",
                                    {"key": "when: op", "keywords": tuple(sorted(OPERATORS))}))
            continue
        if "value" not in item:
            problems.append(Problem(file, where, "key_required", {"key": "when: value"}))
            continue
        value = item["value"]
        if "fact" in item:
            if item["fact"] not in FACTS:
                problems.append(Problem(file, where, "when_unknown_fact", {"fact": str(item["fact"])}))
                continue
            out.append(Condition("fact", item["fact"], op, value))
        elif "input" in item:
            target = earlier.get(item["input"])
            if target is None:
                problems.append(Problem(file, where, "when_not_earlier", {"input": str(item["input"])}))
                continue
            if not target.kind.takes_input:
                problems.append(Problem(file, where, "when_no_input", {"target": target.id}))
                continue
            if target.kind is StepKind.CHOICE and value not in [o.value for o in target.options]:
                problems.append(Problem(file, where, "when_not_option", {"value": repr(value), "target": target.id}))
                continue
            if target.kind is StepKind.NUMBER and (isinstance(value, bool) or not isinstance(value, (int, float))):
                problems.append(Problem(file, where, "when_not_number", {"target": target.id}))
                continue
            out.append(Condition("input", target.id, op, value))
        else:
            problems.append(Problem(file, where, "when_fact_or_input"))
    return tuple(out)


def _step(entry: Any, index: int, earlier: dict[str, Step], problems: list[Problem], file: str) -> Step | None:
    if not isinstance(entry, dict):
        problems.append(Problem(file, f"#{index}", "step_not_table"))
        return None
    step_id = entry.get("id")
    where = step_id if isinstance(step_id, str) and step_id else f"#{index}"
    before = len(problems)
    if not isinstance(step_id, str) or not _ID.match(step_id):
        problems.append(Problem(file, where, "step_id_format"))
    elif step_id in earlier:
        problems.append(Problem(file, where, "step_id_repeated"))
    try:
        kind = StepKind(entry.get("kind"))
    except ValueError:
        problems.append(Problem(file, where, "key_one_of", {"key": "kind", "keywords": tuple(StepKind)}))
        return None
    required = entry.get("required", True)
    if not isinstance(required, bool):
        problems.append(Problem(file, where, "key_not_bool", {"key": "required"}))
    titles = {key: _text(entry, key, where, problems, file) for key in ("title_zh", "title_en")}
    helps = {key: _text(entry, key, where, problems, file, needed=False) for key in ("help_zh", "help_en")}
    rule = _text(entry, "rule", where, problems, file)
    options: list[Option] = []
    if kind is StepKind.CHOICE:
        raw_options = entry.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            problems.append(Problem(file, where, "choice_options"))
        else:
            for option in raw_options:
                if not isinstance(option, dict) or not all(isinstance(option.get(k), str) and option.get(k)
                                                           for k in ("value", "zh", "en")):
                    problems.append(Problem(file, where, "option_parts"))
                    continue
                options.append(Option(option["value"], option["zh"], option["en"]))
            if len({o.value for o in options}) != len(options):
                problems.append(Problem(file, where, "option_values_repeated"))
    elif "options" in entry:
        problems.append(Problem(file, where, "options_only_choice"))
    minimum = _number(entry, "min", where, problems, file)
    maximum = _number(entry, "max", where, problems, file)
    if (minimum is not None or maximum is not None) and kind is not StepKind.NUMBER:
        problems.append(Problem(file, where, "min_max_only_number"))
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append(Problem(file, where, "min_above_max"))
    pattern = entry.get("pattern", "")
    if pattern:
        if kind is not StepKind.TEXT:
            problems.append(Problem(file, where, "pattern_only_text"))
        else:
            try:
                re.compile(pattern)
            except (re.error, TypeError):
                problems.append(Problem(file, where, "pattern_invalid"))
    text_format = entry.get("format", "")
    if text_format and (kind is not StepKind.TEXT or text_format not in TEXT_FORMATS):
        problems.append(Problem(file, where, "format_only_date"))
    max_age = entry.get("max_age_days")
    if max_age is not None and (text_format != "date" or not isinstance(max_age, int) or max_age <= 0):
        problems.append(Problem(file, where, "max_age_days"))
    max_length = entry.get("max_length", 200)
    if not isinstance(max_length, int) or not 1 <= max_length <= 2000:
        problems.append(Problem(file, where, "max_length_range", {"minimum": 1, "maximum": 2000}))
        max_length = 200
    integer = entry.get("integer", False)
    when = _conditions(entry.get("when"), where, earlier, problems, file)
    known = {"id", "kind", "required", "title_zh", "title_en", "help_zh", "help_en", "rule", "when", "options",
             "min", "max", "integer", "unit", "pattern", "max_length", "format", "max_age_days"}
    for key in sorted(set(entry) - known):
        problems.append(Problem(file, where, "unknown_key", {"key": key}))
    if len(problems) > before:
        return None
    return Step(id=step_id, kind=kind, required=required, title_zh=titles["title_zh"], title_en=titles["title_en"],
                help_zh=helps["help_zh"], help_en=helps["help_en"], rule=rule, when=when, options=tuple(options),
                minimum=minimum, maximum=maximum, integer=bool(integer), unit=str(entry.get("unit", "")),
                pattern=pattern, max_length=max_length, text_format=text_format, max_age_days=max_age)


def _rules(raw: Any, steps: dict[str, Step], problems: list[Problem], file: str) -> tuple[InputRule, ...]:
    out: list[InputRule] = []
    for index, entry in enumerate(raw or [], start=1):
        where = f"rule {entry.get('id', index) if isinstance(entry, dict) else index}"
        if not isinstance(entry, dict):
            problems.append(Problem(file, where, "rule_not_table"))
            continue
        left, right = steps.get(entry.get("left", "")), steps.get(entry.get("right", ""))
        if left is None or right is None:
            problems.append(Problem(file, where, "rule_steps"))
            continue
        if not (left.kind.takes_input and right.kind.takes_input) or left.kind is not right.kind or \
                left.kind is StepKind.TEXT:
            problems.append(Problem(file, where, "rule_kinds"))
            continue
        if entry.get("op") not in OPERATORS:
            problems.append(Problem(file, where, "key_one_of", {"key": "op", "keywords": tuple(sorted(OPERATORS))}))
            continue
        messages = {key: _text(entry, key, where, problems, file) for key in ("message_zh", "message_en")}
        out.append(InputRule(id=str(entry.get("id", index)), left=left.id, op=entry["op"], right=right.id,
                             message_zh=messages["message_zh"], message_en=messages["message_en"],
                             rule=str(entry.get("rule", ""))))
    return tuple(out)


def check_template(data: dict, file: str, *, source: str = "") -> tuple[Template | None, list[Problem]]:
    """The template and an empty list, or None and every problem found."""
    problems: list[Problem] = []
    head = data.get("template")
    if not isinstance(head, dict):
        return None, [Problem(file, "-", "template_table")]
    business_type = _text(head, "business_type", "-", problems, file)
    version = head.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(Problem(file, "-", "template_version"))
    title_zh = _text(head, "title_zh", "-", problems, file)
    title_en = _text(head, "title_en", "-", problems, file)
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(Problem(file, "-", "template_steps"))
        raw_steps = []
    steps: dict[str, Step] = {}
    for index, entry in enumerate(raw_steps, start=1):
        step = _step(entry, index, steps, problems, file)
        if step is not None:
            steps[step.id] = step
    rules = _rules(data.get("rule"), steps, problems, file)
    if problems:
        return None, problems
    return Template(business_type=business_type, version=version, title_zh=title_zh, title_en=title_en,
                    steps=tuple(steps.values()), rules=rules, source=source), []


def parse_template(text: str, file: str) -> Template:
    """Parse and validate TOML text; raises TemplateInvalid naming the first problem."""
    template, problems = check_text(text, file)
    if template is None:
        first = problems[0]
        raise TemplateInvalid(file=first.file, step=first.step, reason=first.reason_code, count=len(problems),
                              **first.params)
    return template


def check_text(text: str, file: str) -> tuple[Template | None, list[Problem]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(file, "-", "toml_invalid", {"detail": str(exc)})]
    return check_template(data, file, source=text)
