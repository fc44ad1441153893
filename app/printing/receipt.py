"""The service receipt (业务回单) a teller prints when a ticket has been served.

Printed on A4 through the shared form layout, on the branch's A4 printer with
the checklist and complaint documents: it carries a signature line for the
customer and the teller, so it is a page people sign and file, not a roll
slip; a long checklist simply continues on a second page.

Teller and customer are masked here (DOMAIN.md, PIPL): the receipt leaves the
branch with the customer.
"""

from __future__ import annotations

from datetime import datetime

from app.domain.masking import mask_id_number, mask_name
from app.printing.data import FormData, FormSection, ReceiptData
from app.printing.form import build_form
from app.printing.layout import format_datetime, format_duration

RECEIPT_TITLE = "业务回单"
_MISSING = "—"
_NOTICE = "本回单为业务办理凭证，请核对无误后妥善保管。如对服务有意见或建议，请向大堂经理反映。"


def _when(value: datetime | None) -> str:
    return format_datetime(value, seconds=True) or _MISSING


def receipt_form(data: ReceiptData) -> FormData:
    """The receipt as generic form data, personal data already masked."""
    fields: list[tuple[str, str]] = [
        ("网点", data.branch_name),
        ("办理窗口", data.counter_label),
        ("业务类型", data.business_name),
        ("排队号", data.ticket_number),
        ("经办柜员", mask_name(data.teller_name) or _MISSING),
        ("客户姓名", mask_name(data.customer_name) or _MISSING),
        ("证件号码", mask_id_number(data.customer_id_number) or _MISSING),
        ("叫号时间", _when(data.called_at)),
        ("开始办理", _when(data.started_at)),
        ("办理结束", _when(data.finished_at)),
    ]
    if data.started_at is not None and data.finished_at is not None:
        fields.append(("办理时长", format_duration(data.finished_at - data.started_at)))

    sections: list[FormSection] = []
    if data.checklist_summary:
        sections.append(
            FormSection(
                heading="业务核对清单",
                rows=[(f"{i}. {step}", result) for i, (step, result) in enumerate(data.checklist_summary, 1)],
                column_headers=("核对事项", "结果"),
            )
        )
    sections.append(FormSection(heading="温馨提示", paragraphs=[_NOTICE]))

    return FormData(
        title=RECEIPT_TITLE,
        fields=fields,
        sections=sections,
        signature_labels=["客户签名", "经办柜员"],
        document_id=data.document_id,
        bank_name=data.bank_name,
        branch_name=data.branch_name,
        issued_at=data.issued_at,
    )


def build_service_receipt(data: ReceiptData) -> bytes:
    """The receipt as A4 PDF bytes."""
    return build_form(receipt_form(data))
