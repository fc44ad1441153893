"""The complaint acknowledgement slip (投诉受理回执) and the written reply letter (投诉处理答复书).

Both use the shared A4 form layout. The complainant's own copy carries their name in full
(it is their document); the contact number is shown ``138****1234``, an ID number never
shows its birth date, and the staff member complained about appears as ``张*``. The
branch's file copy masks the complainant's name too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.masking import mask_id_number, mask_name, mask_phone
from app.printing.data import FormData, FormSection
from app.printing.form import build_form

ACK_TITLE = "投诉受理回执"
REPLY_TITLE = "投诉处理答复书"
_MISSING = "—"


@dataclass(frozen=True)
class ComplaintDocData:
    """What a complaint document prints; personal data unmasked (the builders mask it)."""

    bank_name: str
    branch_name: str
    reference: str
    received_on: date
    due_on: date | None
    complainant_name: str
    complainant_contact: str | None
    complainant_id_number: str | None
    organisation: str | None
    agent_name: str | None
    channel: str
    business: str
    reason: str
    request: str
    facts: str
    subject: str  # counter / staff complained about, staff names unmasked
    subject_staff_name: str | None
    owner_name: str
    attachments: list[str]
    issued_at: datetime
    decide_days: int
    review_days: int
    decision: str | None = None
    reply_text: str | None = None
    decided_on: date | None = None
    branch_phone: str | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)


def _date(value: date | None) -> str:
    return value.strftime("%Y年%m月%d日") if value else _MISSING


def _complainant(data: ComplaintDocData, complainant_copy: bool) -> str:
    name = data.complainant_name if complainant_copy else mask_name(data.complainant_name)
    return f"{data.organisation}（{name}）" if data.organisation else name


def acknowledgement_form(data: ComplaintDocData, *, complainant_copy: bool = True) -> FormData:
    subject = data.subject
    if data.subject_staff_name:
        subject = f"{subject} {mask_name(data.subject_staff_name)}".strip()
    fields = [
        ("受理编号", data.reference),
        ("受理日期", _date(data.received_on)),
        ("投诉人", _complainant(data, complainant_copy) or _MISSING),
        ("联系方式", mask_phone(data.complainant_contact) or _MISSING),
        ("证件号码", mask_id_number(data.complainant_id_number) or _MISSING),
        ("代理人", mask_name(data.agent_name) or _MISSING),
        ("投诉渠道", data.channel),
        ("业务类别", data.business),
        ("投诉原因", data.reason),
        ("被投诉对象", subject or _MISSING),
        ("首问责任人", mask_name(data.owner_name) or _MISSING),
        ("预计答复日期", _date(data.due_on)),
        *data.extra,
    ]
    sections = [
        FormSection(heading="投诉请求", paragraphs=[data.request or _MISSING]),
        FormSection(heading="事实与理由", paragraphs=[data.facts or _MISSING]),
    ]
    if data.attachments:
        sections.append(FormSection(heading="收到的材料", rows=[(f"{i}.", item) for i, item in
                                                               enumerate(data.attachments, 1)],
                                    column_headers=("序号", "材料名称")))
    notice = (f"您的投诉已于{_date(data.received_on)}受理。我行将自受理之日起{data.decide_days}日内作出处理决定并告知您；"
              "情况复杂的，经批准可延长处理期限，并另行告知。需外部鉴定的，鉴定时间不计入处理期限。"
              "如您提出新的事实和理由，处理期限重新计算。")
    if data.branch_phone:
        notice += f"咨询电话：{data.branch_phone}。"
    sections.append(FormSection(heading="告知事项", paragraphs=[notice]))
    copy = "（投诉人留存联）" if complainant_copy else "（网点存档联）"
    return FormData(title=ACK_TITLE + copy, fields=fields, sections=sections,
                    signature_labels=["投诉人签名", "受理人签名"], document_id=f"{data.reference}-A",
                    bank_name=data.bank_name, branch_name=data.branch_name, issued_at=data.issued_at)


def reply_form(data: ComplaintDocData) -> FormData:
    fields = [
        ("受理编号", data.reference),
        ("受理日期", _date(data.received_on)),
        ("投诉人", _complainant(data, True) or _MISSING),
        ("联系方式", mask_phone(data.complainant_contact) or _MISSING),
        ("处理决定日期", _date(data.decided_on)),
        ("投诉原因", data.reason),
    ]
    sections = [
        FormSection(heading="您的投诉请求", paragraphs=[data.request or _MISSING]),
        FormSection(heading="调查核实情况及处理决定", paragraphs=[data.decision or _MISSING]),
    ]
    if data.reply_text:
        sections.append(FormSection(heading="答复意见", paragraphs=[data.reply_text]))
    sections.append(FormSection(heading="复核告知", paragraphs=[
        f"如您对上述处理决定有异议，可自收到处理决定之日起{data.review_days}日内向我行上级机构书面提出复核申请。"
    ]))
    return FormData(title=REPLY_TITLE, fields=fields, sections=sections,
                    signature_labels=["经办人", "网点负责人（盖章）"], document_id=f"{data.reference}-R",
                    bank_name=data.bank_name, branch_name=data.branch_name, issued_at=data.issued_at)


def build_complaint_acknowledgement(data: ComplaintDocData, *, complainant_copy: bool = True) -> bytes:
    return build_form(acknowledgement_form(data, complainant_copy=complainant_copy))


def build_complaint_reply(data: ComplaintDocData) -> bytes:
    return build_form(reply_form(data))
