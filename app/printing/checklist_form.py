"""The checklist record (业务核对单) on A4: a completed run, or a blank form for paper fallback.

Both are the generic form layout (app/printing/form.py). Customer and teller names and the ID
number are masked here, like on the receipt: the record is filed and may be shown around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.masking import mask_id_number, mask_name
from app.printing.data import FormData, FormSection
from app.printing.form import build_form
from app.printing.layout import format_datetime

_MISSING = "—"
_BLANK = "＿＿＿＿＿＿＿＿"
_FILL_IN = "□ 已完成　□ 跳过/授权免做　" + _BLANK


@dataclass(frozen=True)
class ChecklistFormStep:
    """One step as printed: its title, whether it is required, and (on a record) what happened."""

    title: str
    required: bool
    kind_label: str
    result: str = ""           # 已完成 / 已跳过 / 主管授权免做 (record only)
    value: str = ""            # the input, in words
    note: str = ""             # skip or override reason
    at: datetime | None = None
    by: str = ""               # teller (unmasked; masked when printed)
    approved_by: str = ""      # supervisor (unmasked; masked when printed)
    condition: str = ""        # on a blank form: when the step applies
    rule: str = ""


@dataclass(frozen=True)
class ChecklistFormData:
    bank_name: str
    branch_name: str
    title: str
    business_name: str
    template_version: int
    document_id: str
    issued_at: datetime
    steps: list[ChecklistFormStep]
    blank: bool = False
    ticket_number: str = ""
    counter_label: str = ""
    teller_name: str = ""
    customer_name: str | None = None
    customer_id_number: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    notes: list[str] = field(default_factory=list)


def _step_text(step: ChecklistFormStep) -> str:
    parts = [step.result or _MISSING]
    if step.value:
        parts.append(f"填写：{step.value}")
    if step.note:
        parts.append(f"原因：{step.note}")
    if step.approved_by:
        parts.append(f"授权主管：{mask_name(step.approved_by)}")
    who = mask_name(step.by) if step.by else ""
    when = format_datetime(step.at, seconds=True) if step.at else ""
    if who or when:
        parts.append(f"{when} {who}".strip())
    return "；".join(parts)


def _label(index: int, step: ChecklistFormStep) -> str:
    return f"{index}. {step.title}（{'必做' if step.required else '选做'}·{step.kind_label}）"


def checklist_form(data: ChecklistFormData) -> FormData:
    """The record or the blank form as generic form data, personal data already masked."""
    if data.blank:
        fields = [
            ("网点", data.branch_name), ("业务类型", data.business_name),
            ("模板版本", f"第 {data.template_version} 版"), ("排队号", ""),
            ("客户姓名", ""), ("证件号码", ""), ("经办柜员", ""), ("办理日期", ""),
        ]
        rows = []
        for index, step in enumerate(data.steps, 1):
            text = _FILL_IN
            if step.condition:
                text = f"适用条件：{step.condition}\n{text}"
            rows.append((_label(index, step), text))
        sections = [FormSection(heading="核对事项", rows=rows, column_headers=("核对事项", "结果"))]
    else:
        fields = [
            ("网点", data.branch_name), ("办理窗口", data.counter_label or _MISSING),
            ("业务类型", data.business_name), ("模板版本", f"第 {data.template_version} 版"),
            ("排队号", data.ticket_number), ("经办柜员", mask_name(data.teller_name) or _MISSING),
            ("客户姓名", mask_name(data.customer_name) or _MISSING),
            ("证件号码", mask_id_number(data.customer_id_number) or _MISSING),
            ("开始时间", format_datetime(data.started_at, seconds=True) or _MISSING),
            ("完成时间", format_datetime(data.finished_at, seconds=True) or _MISSING),
        ]
        rows = [(_label(index, step), _step_text(step)) for index, step in enumerate(data.steps, 1)]
        sections = [FormSection(heading="核对事项", rows=rows, column_headers=("核对事项", "办理结果"))]
    rules = sorted({step.rule for step in data.steps if step.rule})
    if rules:
        sections.append(FormSection(heading="依据", paragraphs=["；".join(rules)]))
    if data.notes:
        sections.append(FormSection(heading="说明", paragraphs=list(data.notes)))
    return FormData(
        title=data.title + ("（空白）" if data.blank else ""),
        fields=fields,
        sections=sections,
        signature_labels=["客户签名", "经办柜员", "复核/授权"],
        document_id=data.document_id,
        bank_name=data.bank_name,
        branch_name=data.branch_name,
        issued_at=data.issued_at,
    )


def build_checklist_form(data: ChecklistFormData) -> bytes:
    """The checklist record (or blank form) as A4 PDF bytes."""
    return build_form(checklist_form(data))
