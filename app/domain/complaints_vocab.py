"""Complaint classification vocabularies: JR/T 0169-2018 and the bank's own split.

Each term is stored as a stable ASCII code (what the database keeps and reports
group by) with its Chinese label (the standard's wording, printed on documents)
and an English label. Codes never change once shipped; labels may be reworded.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import ValidationError


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, closed list of terms; ``field`` names it in validation errors."""

    field: str
    terms: tuple[Term, ...]

    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def term(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise ValidationError(field=self.field, reason="not_listed")

    def validate(self, code: str | None) -> str:
        if not code:
            raise ValidationError(field=self.field, reason="required")
        return self.term(code).code

    def zh(self, code: str | None) -> str:
        return self.term(code).zh if code else ""


#: JR/T 0169-2018 dimension 1: the channel through which the complained-about business happened.
CHANNELS = Vocabulary("channel", (
    Term("branch_counter", "营业现场", "Branch premises"),
    Term("self_service", "自助机具", "Self-service machines"),
    Term("online_banking", "电子渠道—网银", "Electronic: online banking"),
    Term("phone_banking", "电子渠道—电话", "Electronic: telephone"),
    Term("mobile_app", "电子渠道—移动客户端", "Electronic: mobile app"),
    Term("public_platform", "电子渠道—网络公众平台", "Electronic: public online platform"),
    Term("sms", "电子渠道—短信", "Electronic: SMS"),
    Term("third_party", "第三方渠道", "Third-party channel"),
    Term("other", "其他", "Other"),
))

#: JR/T 0169-2018 dimension 2: the business line.
BUSINESSES = Vocabulary("business", (
    Term("rmb_savings", "人民币储蓄", "RMB savings"),
    Term("loans", "贷款", "Loans"),
    Term("bank_cards", "银行卡", "Bank cards"),
    Term("payment_settlement", "支付结算", "Payment and settlement"),
    Term("debt_collection", "债务催收", "Debt collection"),
    Term("own_wealth", "自营理财", "Own wealth-management products"),
    Term("agency", "银行代理业务", "Agency business"),
    Term("other_intermediary", "其他中间业务", "Other intermediary business"),
    Term("personal_info", "个人金融信息", "Personal financial information"),
    Term("foreign_exchange", "外汇", "Foreign exchange"),
    Term("precious_metals", "贵金属", "Precious metals"),
    Term("treasury", "国库", "Treasury"),
    Term("rmb_management", "人民币管理", "RMB management"),
    Term("other", "其他", "Other"),
))

#: JR/T 0169-2018 dimension 3: the reason for the complaint.
REASONS = Vocabulary("reason", (
    Term("service_attitude", "服务态度及服务质量", "Service attitude and quality"),
    Term("facilities", "服务设施、设备、业务系统", "Facilities, equipment, business systems"),
    Term("rules_process", "管理制度、业务规则与流程", "Management rules, business rules and processes"),
    Term("marketing", "营销方式和手段", "Marketing methods"),
    Term("disclosure", "信息披露", "Information disclosure"),
    Term("free_choice", "自主选择权", "Freedom of choice"),
    Term("pricing_fees", "定价收费", "Pricing and fees"),
    Term("product_returns", "产品收益", "Product returns"),
    Term("contract_terms", "合同条款", "Contract terms"),
    Term("funds_security", "消费者资金安全", "Security of consumer funds"),
    Term("info_security", "消费者信息安全", "Security of consumer information"),
    Term("collection_methods", "债务催收方式和手段", "Debt-collection methods"),
))

#: The bank's own split (seeds).
CATEGORIES = Vocabulary("category", (
    Term("product", "产品类", "Product"),
    Term("service", "服务类", "Service"),
    Term("policy", "制度类", "Policy"),
    Term("other", "其他", "Other"),
))

SEVERITIES = Vocabulary("severity", (
    Term("general", "一般投诉", "General"),
    Term("major", "重大投诉", "Major"),
    Term("malicious", "恶意投诉", "Malicious"),
))

#: How the complaint reached the branch (intake), separate from the JR/T business channel.
INTAKES = Vocabulary("intake", (
    Term("in_person", "现场", "In person"),
    Term("phone", "电话", "Telephone"),
    Term("letter", "信函", "Letter"),
    Term("online", "网络", "Online"),
    Term("regulator", "监管转办", "Forwarded by the regulator"),
))

COMPLAINANT_KINDS = Vocabulary("complainant kind", (
    Term("individual", "个人", "Individual"),
    Term("organisation", "单位", "Organisation"),
))

REPLY_METHODS = Vocabulary("reply method", (
    Term("written", "书面", "Written"),
    Term("phone", "电话", "Telephone"),
))

#: The dimensions the monthly analysis counts by, in print order.
DIMENSIONS: tuple[tuple[str, Vocabulary], ...] = (
    ("channel", CHANNELS), ("business", BUSINESSES), ("reason", REASONS),
    ("category", CATEGORIES), ("severity", SEVERITIES),
)
