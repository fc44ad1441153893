"""A readable difference between two versions of a checklist template, step by step.

Lines start with ``+`` (step or rule added), ``-`` (removed) or ``~`` (changed: which field,
old → new), so a supervisor sees what an import changes before confirming it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from app.domain.checklist_templates import Step, Template

_COMPARED = [f.name for f in fields(Step) if f.name != "id"]


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        if value and hasattr(value[0], "describe"):
            return "; ".join(item.describe() for item in value) or "—"
        if value and hasattr(value[0], "value"):
            return ", ".join(item.value for item in value)
        return "—"
    if value is None or value == "":
        return "—"
    return str(getattr(value, "value", value))


def _step_line(sign: str, step: Step) -> str:
    required = "required" if step.required else "optional"
    return f"{sign} step {step.id} ({step.kind.value}, {required}): {step.title_zh} / {step.title_en}"


def diff_templates(old: Template | None, new: Template) -> list[str]:
    """Lines describing how ``new`` differs from ``old`` (everything is added when there is no old)."""
    if old is None:
        return [f"+ new template {new.business_type} version {new.version}",
                *(_step_line("+", step) for step in new.steps)]
    lines: list[str] = []
    if old.version != new.version:
        lines.append(f"~ version: {old.version} → {new.version}")
    for name in ("title_zh", "title_en"):
        if getattr(old, name) != getattr(new, name):
            lines.append(f"~ {name}: {getattr(old, name)} → {getattr(new, name)}")
    old_steps = {step.id: step for step in old.steps}
    new_steps = {step.id: step for step in new.steps}
    for step in old.steps:
        if step.id not in new_steps:
            lines.append(_step_line("-", step))
    for step in new.steps:
        before = old_steps.get(step.id)
        if before is None:
            lines.append(_step_line("+", step))
            continue
        for name in _COMPARED:
            a, b = getattr(before, name), getattr(step, name)
            if a != b:
                lines.append(f"~ step {step.id}: {name}: {_show(a)} → {_show(b)}")
    kept_old = [s for s in old_steps if s in new_steps]
    kept_new = [s for s in new_steps if s in old_steps]
    if kept_old != kept_new:
        lines.append(f"~ step order: {', '.join(kept_old)} → {', '.join(kept_new)}")
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    for rule_id, rule in old_rules.items():
        if rule_id not in new_rules:
            lines.append(f"- rule {rule_id}: {rule.left} {rule.op} {rule.right}")
    for rule_id, rule in new_rules.items():
        if rule_id not in old_rules:
            lines.append(f"+ rule {rule_id}: {rule.left} {rule.op} {rule.right}")
        elif rule != old_rules[rule_id]:
            lines.append(f"~ rule {rule_id}: {old_rules[rule_id].left} {old_rules[rule_id].op} "
                         f"{old_rules[rule_id].right} → {rule.left} {rule.op} {rule.right}")
    return lines
