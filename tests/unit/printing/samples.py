"""Sample documents for the printing tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.printing.data import FormData, FormSection, ReceiptData, SlipData

BEIJING = timezone(timedelta(hours=8))
ISSUED = datetime(2024, 5, 6, 9, 15, 2, tzinfo=BEIJING)

TELLER = "李明华"
CUSTOMER = "张三丰"
ID_NUMBER = "11010119900307037X"


def slip(**changes: object) -> SlipData:
    values: dict[str, object] = dict(
        bank_name="中国工商银行",
        branch_name="北京分行西单支行",
        business_name="个人业务",
        business_name_en="Personal Banking",
        ticket_number="A023",
        waiting_ahead=5,
        estimated_wait_minutes=15,
        issued_at=ISSUED,
        notice="请留意叫号屏幕和语音提示，过号请重新取号。本号当日有效。",
        roll_width_mm=80,
    )
    values.update(changes)
    return SlipData(**values)  # type: ignore[arg-type]


def receipt(**changes: object) -> ReceiptData:
    values: dict[str, object] = dict(
        bank_name="中国工商银行",
        branch_name="北京分行西单支行",
        counter_label="3号窗口",
        teller_name=TELLER,
        business_name="个人开户",
        ticket_number="A023",
        called_at=ISSUED + timedelta(minutes=20),
        started_at=ISSUED + timedelta(minutes=21),
        finished_at=ISSUED + timedelta(minutes=35, seconds=30),
        customer_name=CUSTOMER,
        customer_id_number=ID_NUMBER,
        checklist_summary=[
            ("核验身份证原件有效", "已完成"),
            ("联网核查及人脸识别", "通过"),
            ("风险提示：出租、出借、出售账户将承担法律责任", "客户已签字"),
        ],
        document_id="RC-20240506-0001",
        issued_at=ISSUED + timedelta(minutes=36),
    )
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def long_form(rows: int = 80, document_id: str = "CL-20240506-0042") -> FormData:
    return FormData(
        title="个人开户业务核对表",
        fields=[("客户姓名", "张*"), ("证件号码", "110101********037X"), ("业务类型", "个人开户"), ("窗口", "3号窗口")],
        sections=[
            FormSection(
                heading="核对步骤",
                rows=[(f"第 {i} 项：核实客户身份与开户意愿", "已完成") for i in range(1, rows + 1)],
                column_headers=("核对事项", "结果"),
            ),
            FormSection(heading="备注", paragraphs=["客户本人办理，资料齐全。"]),
        ],
        signature_labels=["客户签名", "经办柜员", "复核"],
        document_id=document_id,
        bank_name="中国工商银行",
        branch_name="北京分行西单支行",
        issued_at=ISSUED,
    )
