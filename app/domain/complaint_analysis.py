"""Monthly complaint analysis from plain records: counts per dimension, handling days, overdue rate.

A complaint counts in the month it was received. Handling days run from receipt to the
decision, appraisal pauses not counted. The overdue figure (超期) counts the complaints that
missed their deadline (app/domain/complaint_overdue.py): decided after the due date, or
overdue on the report day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.domain.complaint_deadline import Pause, handling_days
from app.domain.complaint_overdue import missed_deadline
from app.domain.complaints_vocab import DIMENSIONS

UNKNOWN = "—"


@dataclass(frozen=True)
class AnalysisRecord:
    reference: str
    status: str
    received_on: date
    due_on: date | None
    decided_on: date | None
    paused: bool
    pauses: tuple[Pause, ...]
    channel: str | None
    business: str | None
    reason: str | None
    category: str | None
    severity: str | None
    counter: str | None
    staff: str | None


@dataclass(frozen=True)
class MonthlyAnalysis:
    year: int
    month: int
    total: int
    decided: int
    open: int
    overdue: int
    average_handling_days: float | None
    max_handling_days: int | None
    #: dimension -> [(code, zh label, count)] in vocabulary order, every term listed (zero counts too)
    by_dimension: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    by_counter: list[tuple[str, int]] = field(default_factory=list)
    by_staff: list[tuple[str, int]] = field(default_factory=list)

    @property
    def overdue_rate(self) -> float:
        return self.overdue / self.total if self.total else 0.0

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def is_overdue(record: AnalysisRecord, today: date) -> bool:
    """Whether the record counts in the overdue figure: it missed its deadline."""
    return missed_deadline(record.status, record.due_on, record.decided_on, record.paused, today)


def analyse(year: int, month: int, records: list[AnalysisRecord], today: date) -> MonthlyAnalysis:
    mine = [r for r in records if (r.received_on.year, r.received_on.month) == (year, month)]
    days = [handling_days(r.received_on, r.decided_on, r.pauses) for r in mine if r.decided_on is not None]
    by_dimension: dict[str, list[tuple[str, str, int]]] = {}
    for name, vocab in DIMENSIONS:
        tally = Counter(getattr(r, name) for r in mine)
        by_dimension[name] = [(t.code, t.zh, tally.get(t.code, 0)) for t in vocab.terms]
    counters = Counter(r.counter or UNKNOWN for r in mine)
    staff = Counter(r.staff or UNKNOWN for r in mine)
    return MonthlyAnalysis(
        year=year, month=month, total=len(mine), decided=len(days), open=len(mine) - len(days),
        overdue=sum(is_overdue(r, today) for r in mine),
        average_handling_days=round(sum(days) / len(days), 1) if days else None,
        max_handling_days=max(days) if days else None, by_dimension=by_dimension,
        by_counter=sorted(counters.items(), key=lambda kv: (-kv[1], kv[0])),
        by_staff=sorted(staff.items(), key=lambda kv: (-kv[1], kv[0])))


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11)."""
    from app.domain.errors import ValidationError

    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError:
        raise ValidationError(field="month", reason="month_format") from None
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(field="month", reason="month_format")
    return year, month
