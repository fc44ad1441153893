"""The lobby dashboard's read model: today's queue figures per business type and per counter,
alerts with a flexible-window suggestion, satisfaction, and the chart series.

One :meth:`DashboardService.snapshot` is one refresh: a handful of set-based queries (no
query per row), arithmetic in app/domain/kpi.py. The usual day (same weekday, previous
weeks) does not change during a day, so it is computed once per branch and day.

Extending it: pass ``extensions`` — callables ``(session, branch_id, day, now) -> value``
keyed by name. Each runs inside the snapshot's read transaction and its value lands in
``DashboardSnapshot.extras[name]`` (e.g. ``{"complaints": complaint_counts}``).
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings as settings_module
from app.db.engine import Database
from app.db.models import BusinessType, SatisfactionRating, Ticket
from app.domain import kpi
from app.domain.business_day import business_day, utcnow
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus
from app.services.actor import Actor
from app.services.audit import require
from app.services.counters import CounterDesk, CounterState
from app.services.queue_session import branch_of
from app.settings import Settings

SERVED_STATES = (TicketStatus.FINISHED.value, TicketStatus.TRANSFERRED.value)

DashboardExtension = Callable[[Session, int, date, datetime], Any]


@dataclass(frozen=True)
class DashboardThresholds:
    wait_alert_minutes: int
    queue_per_counter: int
    satisfaction_goal: float  # share 0–1
    history_weeks: int

    @classmethod
    def from_settings(cls, settings: Settings) -> DashboardThresholds:
        return cls._read(settings.get)

    @classmethod
    def defaults(cls) -> DashboardThresholds:
        return cls._read(settings_module.default)

    @classmethod
    def _read(cls, get: Callable[[str], Any]) -> DashboardThresholds:
        return cls(wait_alert_minutes=get("queue.wait_alert_minutes"),
                   queue_per_counter=get("dashboard.queue_per_counter"),
                   satisfaction_goal=get("dashboard.satisfaction_goal_percent") / 100,
                   history_weeks=get("dashboard.history_weeks"))


@dataclass(frozen=True)
class BusinessKpi:
    code: str
    name_zh: str
    name_en: str
    waiting: int
    longest_wait_minutes: float | None
    average_wait_minutes: float | None
    average_service_minutes: float | None
    served: int
    open_counters: int

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True)
class CounterKpi:
    number: int
    name: str
    state: CounterState
    state_reason: str | None
    current_number: str | None
    current_status: TicketStatus | None
    serving_minutes: float | None
    served_today: int
    business_codes: tuple[str, ...]


@dataclass(frozen=True)
class SatisfactionKpi:
    ratings: int
    satisfied: int
    rate: float | None
    goal: float

    @property
    def meets_goal(self) -> bool | None:
        return None if self.rate is None else self.rate >= self.goal


@dataclass(frozen=True)
class HourlySeries:
    """Arrivals and services per hour (branch time) today, and on the usual same weekday."""

    hours: tuple[int, ...]
    arrivals: tuple[int, ...]
    served: tuple[int, ...]
    usual_arrivals: tuple[float, ...] | None  # None: no earlier same weekday with tickets
    usual_served: tuple[float, ...] | None
    weeks_averaged: int


@dataclass(frozen=True)
class DashboardSnapshot:
    at: datetime
    day: date
    business: tuple[BusinessKpi, ...]
    counters: tuple[CounterKpi, ...]
    alerts: tuple[kpi.Alert, ...]
    satisfaction: SatisfactionKpi
    hourly: HourlySeries
    wait_buckets: tuple[str, ...]
    wait_histogram: tuple[int, ...]
    thresholds: DashboardThresholds
    extras: Mapping[str, Any] = field(default_factory=dict)

    def business_by_code(self, code: str) -> BusinessKpi:
        return next(b for b in self.business if b.code == code)

    def counter(self, number: int) -> CounterKpi:
        return next(c for c in self.counters if c.number == number)


class DashboardService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 thresholds: DashboardThresholds | None = None,
                 extensions: Mapping[str, DashboardExtension] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.thresholds = thresholds or DashboardThresholds.defaults()
        self.extensions: dict[str, DashboardExtension] = dict(extensions or {})
        self._counters = CounterDesk(db, clock)
        self._usual_cache: dict[tuple[int, date, int], tuple[dict[int, float], dict[int, float], int]] = {}
        self._lock = threading.Lock()

    def snapshot(self, actor: Actor, branch_id: int) -> DashboardSnapshot:
        require(self.db, actor, Permission.VIEW_DASHBOARD, clock=self.clock, branch_id=branch_id)
        now = self.clock()
        counters = self._counters.statuses(branch_id)
        with self.db.read() as session:
            zone = ZoneInfo(branch_of(session, branch_id).timezone)
            day = business_day(now, zone.key)
            types = list(session.scalars(select(BusinessType).where(BusinessType.active)
                                         .order_by(BusinessType.sort_order, BusinessType.id)))
            rows = session.execute(
                select(Ticket.business_type_id, Ticket.status, Ticket.issued_at, Ticket.called_at,
                       Ticket.started_at, Ticket.finished_at)
                .where(Ticket.branch_id == branch_id, Ticket.business_day == day)).all()
            ratings = session.scalars(
                select(SatisfactionRating.rating).join(Ticket, Ticket.id == SatisfactionRating.ticket_id)
                .where(Ticket.branch_id == branch_id, Ticket.business_day == day)).all()
            usual_arrivals, usual_served, weeks = self._usual_day(session, branch_id, day, zone)
            extras = {name: extension(session, branch_id, day, now) for name, extension in self.extensions.items()}

        open_by_type = Tally(code for c in counters if c.state is CounterState.OPEN for code in c.business_codes)
        by_type: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_type[row.business_type_id].append(row)
        business: list[BusinessKpi] = []
        all_waits: list[float] = []
        for bt in types:
            mine = by_type.get(bt.id, [])
            waiting_since = [r.issued_at for r in mine if r.status == TicketStatus.WAITING.value]
            waits = [w for r in mine if (w := kpi.wait_minutes(r.issued_at, r.called_at)) is not None]
            services = [s for r in mine if r.status in SERVED_STATES
                        and (s := kpi.service_minutes(r.called_at, r.started_at, r.finished_at)) is not None]
            all_waits.extend(waits)
            business.append(BusinessKpi(
                code=bt.code, name_zh=bt.name_zh, name_en=bt.name_en, waiting=len(waiting_since),
                longest_wait_minutes=kpi.elapsed_minutes(min(waiting_since), now) if waiting_since else None,
                average_wait_minutes=kpi.mean(waits), average_service_minutes=kpi.mean(services),
                served=sum(1 for r in mine if r.status in SERVED_STATES), open_counters=open_by_type[bt.code]))

        counter_kpis = tuple(CounterKpi(
            number=c.number, name=c.name, state=c.state, state_reason=c.state_reason,
            current_number=c.current_number, current_status=c.current_status,
            serving_minutes=kpi.elapsed_minutes(c.current_since, now), served_today=c.served_today,
            business_codes=c.business_codes) for c in counters)
        alerts = kpi.queue_alerts(
            [kpi.QueueLoad(b.code, b.waiting, b.longest_wait_minutes, b.open_counters) for b in business],
            [kpi.SpareCounter(c.number, c.state.value, c.business_codes) for c in counters],
            wait_alert_minutes=self.thresholds.wait_alert_minutes,
            queue_per_counter=self.thresholds.queue_per_counter)
        count, satisfied, share = kpi.satisfaction_rate(ratings)
        return DashboardSnapshot(
            at=now, day=day, business=tuple(business), counters=counter_kpis, alerts=tuple(alerts),
            satisfaction=SatisfactionKpi(count, satisfied, share, self.thresholds.satisfaction_goal),
            hourly=self._hourly(rows, kpi.local_hour(zone, day), usual_arrivals, usual_served, weeks),
            wait_buckets=tuple(kpi.wait_bucket_labels()), wait_histogram=tuple(kpi.wait_histogram(all_waits)),
            thresholds=self.thresholds, extras=extras)

    @staticmethod
    def _hourly(rows: list[Any], hour_of: Callable[[datetime], int], usual_arrivals: dict[int, float],
                usual_served: dict[int, float], weeks: int) -> HourlySeries:
        arrivals = Tally(hour_of(r.issued_at) for r in rows)
        served = Tally(hour_of(r.finished_at) for r in rows
                       if r.status in SERVED_STATES and r.finished_at is not None)
        hours = kpi.hour_range([*arrivals, *served, *usual_arrivals, *usual_served])
        return HourlySeries(
            hours=tuple(hours), arrivals=tuple(arrivals[h] for h in hours), served=tuple(served[h] for h in hours),
            usual_arrivals=tuple(usual_arrivals.get(h, 0.0) for h in hours) if weeks else None,
            usual_served=tuple(usual_served.get(h, 0.0) for h in hours) if weeks else None,
            weeks_averaged=weeks)

    def _usual_day(self, session: Session, branch_id: int, day: date,
                   zone: ZoneInfo) -> tuple[dict[int, float], dict[int, float], int]:
        """Average arrivals and services per hour on the same weekday of the previous weeks
        that had tickets (a closed holiday does not pull the average down). Cached per day."""
        key = (branch_id, day, self.thresholds.history_weeks)
        with self._lock:
            if key in self._usual_cache:
                return self._usual_cache[key]
        days = [day - timedelta(weeks=w) for w in range(1, self.thresholds.history_weeks + 1)]
        rows = session.execute(
            select(Ticket.business_day, Ticket.status, Ticket.issued_at, Ticket.finished_at)
            .where(Ticket.branch_id == branch_id, Ticket.business_day.in_(days))).all() if days else []
        weeks = len({r.business_day for r in rows})
        arrivals: dict[int, float] = defaultdict(float)
        served: dict[int, float] = defaultdict(float)
        for r in rows:
            arrivals[r.issued_at.astimezone(zone).hour] += 1 / weeks
            if r.status in SERVED_STATES and r.finished_at is not None:
                served[r.finished_at.astimezone(zone).hour] += 1 / weeks
        result = (dict(arrivals), dict(served), weeks)
        with self._lock:
            self._usual_cache = {k: v for k, v in self._usual_cache.items() if k[1] == day}
            self._usual_cache[key] = result
        return result
