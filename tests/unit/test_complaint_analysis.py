"""Monthly complaint analysis from plain records (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.complaint_analysis import AnalysisRecord, analyse, is_overdue, parse_month
from app.domain.complaint_deadline import Pause
from app.domain.errors import ValidationError


def record(received: date, due: date, decided: date | None = None, **kw) -> AnalysisRecord:  # type: ignore[no-untyped-def]
    values = dict(reference="TS", status="decided" if decided else "received", received_on=received, due_on=due,
                  decided_on=decided, paused=False, pauses=(), channel="branch_counter", business="loans",
                  reason="disclosure", category="policy", severity="major", counter="1号窗口", staff="张伟")
    values.update(kw)
    return AnalysisRecord(**values)  # type: ignore[arg-type]


def test_known_answers() -> None:
    records = [
        record(date(2026, 11, 1), date(2026, 11, 16), date(2026, 11, 11)),  # 10 days
        record(date(2026, 11, 2), date(2026, 11, 17), date(2026, 11, 27),  # 25 days - 5 paused = 20, late
               pauses=(Pause(date(2026, 11, 5), date(2026, 11, 10)),), counter=None),
        record(date(2026, 11, 3), date(2026, 11, 18), paused=True),  # paused: not overdue
        record(date(2026, 10, 31), date(2026, 11, 15)),  # other month
    ]
    result = analyse(2026, 11, records, today=date(2026, 12, 1))
    assert (result.total, result.decided, result.open, result.overdue) == (3, 2, 1, 1)
    assert result.average_handling_days == 15.0 and result.max_handling_days == 20
    assert round(result.overdue_rate, 4) == 0.3333
    assert result.by_counter == [("1号窗口", 2), ("—", 1)]
    assert dict((c, n) for c, _, n in result.by_dimension["reason"])["disclosure"] == 3
    assert len(result.by_dimension["business"]) == 14


def test_empty_month() -> None:
    result = analyse(2026, 2, [], today=date(2026, 3, 1))
    assert result.total == 0 and result.overdue_rate == 0.0 and result.average_handling_days is None


def test_overdue_rules() -> None:
    assert is_overdue(record(date(2026, 11, 1), date(2026, 11, 16)), date(2026, 11, 17))
    assert not is_overdue(record(date(2026, 11, 1), date(2026, 11, 16)), date(2026, 11, 16))
    assert not is_overdue(record(date(2026, 11, 1), date(2026, 11, 16), date(2026, 11, 16)), date(2027, 1, 1))
    assert is_overdue(record(date(2026, 11, 1), date(2026, 11, 16), date(2026, 11, 17), status="closed"),
                      date(2027, 1, 1))  # closed late stays in the figure


def test_a_complaint_withdrawn_undecided_is_not_overdue() -> None:
    """The one rule (app/domain/complaint_overdue.py): its deadline stopped with the withdrawal. (Before
    the rule was shared, the monthly figure counted it once its due date had passed.)"""
    withdrawn = record(date(2026, 11, 1), date(2026, 11, 16), status="withdrawn")
    assert not is_overdue(withdrawn, date(2026, 11, 17))
    assert analyse(2026, 11, [withdrawn], today=date(2026, 12, 1)).overdue == 0


def test_parse_month() -> None:
    assert parse_month("2026-11") == (2026, 11)
    for bad in ("2026-13", "11/2026", "", "2026"):
        with pytest.raises(ValidationError):
            parse_month(bad)
