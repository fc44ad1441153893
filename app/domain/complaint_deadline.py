"""Complaint deadlines in calendar days (银行业保险业消费投诉处理管理办法, 2020).

Day 0 is the day the clock starts (the receipt, or the day new facts restarted it);
the decision is due ``limit`` calendar days later. The limit is the base term (15)
until a supervisor extends it to the first extended term (30) and, once more, to the
maximum (60). Days spent waiting for an outside appraisal are not counted: each paused
day pushes the due date one day later; a pause still open counts up to today.

All figures come from a :class:`DeadlinePolicy` built from the settings
(``complaints.*``), never from literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app.domain.errors import Conflict, ValidationError


@dataclass(frozen=True)
class DeadlinePolicy:
    decide_days: int = 15
    extended_days: int = 30
    max_days: int = 60
    review_days: int = 30
    near_due_days: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.decide_days <= self.extended_days <= self.max_days:
            raise ValidationError(field="complaint deadlines", reason="deadline_order")

    def limit(self, extensions: int) -> int:
        terms = (self.decide_days, self.extended_days, self.max_days)
        if not 0 <= extensions < len(terms):
            raise ValidationError(field="extensions", reason="max_extensions", count=len(terms) - 1)
        return terms[extensions]

    @property
    def max_extensions(self) -> int:
        return 2


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None = None  # None: still waiting for the appraisal

    def days(self, clock_start: date, today: date) -> int:
        """Paused calendar days on or after ``clock_start`` (an open pause runs to ``today``)."""
        begin = max(self.start, clock_start)
        finish = self.end if self.end is not None else max(today, self.start)
        return max(0, (finish - begin).days)


@dataclass(frozen=True)
class ComplaintClock:
    """Where a complaint's deadline stands: everything the due date depends on."""

    start: date
    extensions: int = 0
    pauses: tuple[Pause, ...] = field(default_factory=tuple)

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None

    def paused_days(self, today: date) -> int:
        return sum(p.days(self.start, today) for p in self.pauses)

    def due(self, policy: DeadlinePolicy, today: date) -> date:
        """The due date as of ``today``; whether that makes the complaint overdue is the one rule of
        app/domain/complaint_overdue.py, applied to the stored due date."""
        return self.start + timedelta(days=policy.limit(self.extensions) + self.paused_days(today))

    # -- changes (each returns a new clock) ---------------------------------------------

    def extend(self, policy: DeadlinePolicy, *, reason: str, approved_by: str) -> ComplaintClock:
        """One more extension; needs the approving supervisor and a reason."""
        if not (reason or "").strip():
            raise ValidationError(field="extension reason", reason="required")
        if not (approved_by or "").strip():
            raise ValidationError(field="approved by", reason="required")
        if self.extensions >= policy.max_extensions:
            raise Conflict(code="complaint_max_extended",
                           template="The deadline is already at its maximum of {days} days.", days=policy.max_days)
        return replace(self, extensions=self.extensions + 1)

    def pause(self, on: date) -> ComplaintClock:
        if self.paused:
            raise Conflict(code="complaint_already_paused", template="The complaint is already paused.")
        if on < self.start:
            raise ValidationError(field="pause date", reason="before_clock_start")
        if self.pauses and self.pauses[-1].end is not None and on < self.pauses[-1].end:
            raise ValidationError(field="pause date", reason="before_last_pause_end")
        return replace(self, pauses=(*self.pauses, Pause(on)))

    def resume(self, on: date) -> ComplaintClock:
        if not self.paused:
            raise Conflict(code="complaint_not_paused", template="The complaint is not paused.")
        last = self.pauses[-1]
        if on < last.start:
            raise ValidationError(field="resume date", reason="before_pause_start")
        return replace(self, pauses=(*self.pauses[:-1], Pause(last.start, on)))

    def restart(self, on: date) -> ComplaintClock:
        """New facts: the clock starts again on ``on``; the extension level stays, earlier pauses drop out.

        A restart never brings the due date forward (the new start is not before the old one)."""
        if on < self.start:
            raise ValidationError(field="new facts date", reason="before_clock_start")
        kept = tuple(Pause(on, None) for p in self.pauses if p.end is None)
        return replace(self, start=on, pauses=kept)


def handling_days(received_on: date, decided_on: date, pauses: tuple[Pause, ...] = ()) -> int:
    """Calendar days from receipt to decision, appraisal pauses not counted."""
    clipped = (Pause(p.start, min(p.end or decided_on, decided_on)) for p in pauses if p.start <= decided_on)
    paused = sum(p.days(received_on, decided_on) for p in clipped)
    return max(0, (decided_on - received_on).days - paused)
