"""Customer classification from the seeds: bands, credit grade, composite score, service tier.

Asset size and activity fall into high / middle / low bands; the credit grade is 优质 /
一般 / 风险; the composite score (0–100) adds points for each and sets the service tier
普通 / 金卡 / 白金 / 钻石. The score thresholds of the tiers are *configurable*
(``customers.tier_*_score`` in app/settings.py); the points per band are the scale the
thresholds are expressed in, so they stay here. Compliance (合规 / 关注 / 风险) is a
separate badge set by the bank's review, never derived from the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.priority import PriorityClass


class Band(StrEnum):
    HIGH = "high"
    MIDDLE = "middle"
    LOW = "low"


class CreditGrade(StrEnum):
    GOOD = "good"      # 优质
    FAIR = "fair"      # 一般
    RISK = "risk"      # 风险


class Tier(StrEnum):
    NORMAL = "normal"      # 普通
    GOLD = "gold"          # 金卡
    PLATINUM = "platinum"  # 白金
    DIAMOND = "diamond"    # 钻石


class Compliance(StrEnum):
    COMPLIANT = "compliant"  # 合规
    WATCH = "watch"          # 关注
    RISK = "risk"            # 风险


ASSET_POINTS = {Band.HIGH: 50, Band.MIDDLE: 25, Band.LOW: 5}
ACTIVITY_POINTS = {Band.HIGH: 30, Band.MIDDLE: 15, Band.LOW: 5}
CREDIT_POINTS = {CreditGrade.GOOD: 20, CreditGrade.FAIR: 10, CreditGrade.RISK: 0}

#: Chinese labels as the seeds name them (for exports and the CLI; the GUI translates the codes).
TIER_LABELS = {Tier.NORMAL: "普通", Tier.GOLD: "金卡", Tier.PLATINUM: "白金", Tier.DIAMOND: "钻石"}
COMPLIANCE_LABELS = {Compliance.COMPLIANT: "合规", Compliance.WATCH: "关注", Compliance.RISK: "风险"}

#: The queue priority a tier earns (VIP tiers go before normal tickets, after green/appointments).
TIER_PRIORITY = {Tier.NORMAL: PriorityClass.NORMAL, Tier.GOLD: PriorityClass.VIP_GOLD,
                 Tier.PLATINUM: PriorityClass.VIP_PLATINUM, Tier.DIAMOND: PriorityClass.VIP_DIAMOND}


@dataclass(frozen=True)
class TierPolicy:
    gold_score: int = 55
    platinum_score: int = 75
    diamond_score: int = 90

    def __post_init__(self) -> None:
        if not 0 <= self.gold_score <= self.platinum_score <= self.diamond_score <= 100:
            raise ValueError("tier scores must rise: 0 ≤ gold ≤ platinum ≤ diamond ≤ 100")


def composite_score(asset: Band, activity: Band, credit: CreditGrade) -> int:
    return ASSET_POINTS[asset] + ACTIVITY_POINTS[activity] + CREDIT_POINTS[credit]


def tier_for(score: int, policy: TierPolicy = TierPolicy()) -> Tier:
    if score >= policy.diamond_score:
        return Tier.DIAMOND
    if score >= policy.platinum_score:
        return Tier.PLATINUM
    if score >= policy.gold_score:
        return Tier.GOLD
    return Tier.NORMAL


def parse_choice(enum: type[StrEnum], value: str | None, *, field: str, default: StrEnum) -> StrEnum:
    """A band/grade/status code from input; an empty value takes the default. Chinese
    labels are accepted too (高/中/低, 优质/一般/风险, 合规/关注/风险)."""
    if not value:
        return default
    cached = _PARSED.get((enum, value))
    if cached is not None:
        return cached
    text = value.strip().lower()
    if not text:
        return default
    text = _ALIASES.get(text, text)
    try:
        parsed = enum(text)
    except ValueError:
        raise ValidationError(field=field, reason="one_of", choices=tuple(m.value for m in enum)) from None
    if len(_PARSED) < 1000:  # a bulk import repeats the same few spellings
        _PARSED[(enum, value)] = parsed
    return parsed


_PARSED: dict[tuple[type[StrEnum], str], StrEnum] = {}
_ALIASES = {"高": "high", "中": "middle", "低": "low", "优质": "good", "一般": "fair",
            "风险": "risk", "合规": "compliant", "关注": "watch"}
