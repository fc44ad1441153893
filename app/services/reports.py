"""Daily and monthly branch reports: the figures as plain tables, ready for PDF, CSV and XLSX.

A report is a list of :class:`ReportTable` (title, columns, rows of plain values). The
three formats render the same tables (app/printing/report_pdf.py, app/services/report_export.py),
so what a supervisor prints is what a spreadsheet reads.

Conventions: see app/domain/kpi.py (wait, service time, satisfied, p90). A transfer
counts as a ticket of its new business type. Minutes carry one decimal; rates are percent
with one decimal (the column title says ``%``).

Scope: one's own branch with ``VIEW_REPORTS``; another branch, or all branches of a shared
server, also needs ``REPORT_ALL_BRANCHES`` and is audited (``AuditAction.REPORT``).

Extending it: ``sections`` maps a name to a provider ``(session, scope) -> ReportTable | None``;
its table is appended (and rendered in every format) only when it returns one — e.g. the
complaints summary.
"""

from __future__ import annotations

import calendar
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings as settings_module
from app.db.engine import Database
from app.db.models import Branch, BusinessType, SatisfactionRating, Ticket, User
from app.domain import kpi
from app.domain.business_day import utcnow
from app.domain.errors import NotFound, ValidationError
from app.domain.roles import Permission, has_permission
from app.domain.tickets import TicketStatus
from app.services.actor import Actor
from app.services.audit import AuditAction, record, require

SERVED = (TicketStatus.FINISHED.value, TicketStatus.TRANSFERRED.value)


class ReportKind(StrEnum):
    DAILY = "daily"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class ReportScope:
    branch_ids: tuple[int, ...]
    start: date  # first business day, inclusive
    end: date  # last business day, inclusive


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    #: Draw a bar chart of these value columns against column 0 (PDF only).
    chart_columns: tuple[int, ...] = ()


@dataclass(frozen=True)
class BranchReport:
    kind: ReportKind
    title: str
    period: str
    scope: ReportScope
    branch_names: tuple[str, ...]
    generated_at: datetime
    generated_by: str
    tables: tuple[ReportTable, ...]

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)

    @property
    def file_stem(self) -> str:
        return f"report-{self.kind.value}-{self.scope.start:%Y%m%d}"


ReportSection = Callable[[Session, ReportScope], "ReportTable | None"]


def period_of(kind: ReportKind, day: date) -> tuple[date, date]:
    if kind is ReportKind.DAILY:
        return day, day
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(part: int, whole: int) -> float | None:
    share = kpi.rate(part, whole)
    return None if share is None else round(share * 100, 1)


def _spread_cells(values: list[float]) -> tuple[float | None, float | None, float | None]:
    spread = kpi.Spread.of(values)
    return _minutes(spread.average), _minutes(spread.p90), _minutes(spread.maximum)


@dataclass(frozen=True)
class _BranchInfo:
    id: int
    code: str
    name: str
    timezone: str


@dataclass
class _Row:
    """One ticket as the report needs it (columns only, no ORM objects: 60,000 of these)."""

    branch_id: int
    business_type_id: int
    business_day: date
    status: str
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    served_by_id: int | None

    @property
    def served(self) -> bool:
        return self.status in SERVED

    @property
    def wait(self) -> float | None:
        return kpi.wait_minutes(self.issued_at, self.called_at)

    @property
    def service(self) -> float | None:
        return kpi.service_minutes(self.called_at, self.started_at, self.finished_at) if self.served else None


class ReportService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, *,
                 satisfaction_goal_percent: int | None = None,
                 sections: Mapping[str, ReportSection] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.goal = (satisfaction_goal_percent if satisfaction_goal_percent is not None
                     else settings_module.default("dashboard.satisfaction_goal_percent"))
        self.sections: dict[str, ReportSection] = dict(sections or {})

    # -- scope and permission ----------------------------------------------------------

    def _branches(self, actor: Actor, branch_code: str | None, all_branches: bool) -> list[_BranchInfo]:
        require(self.db, actor, Permission.VIEW_REPORTS, clock=self.clock)
        with self.db.read() as session:
            if all_branches:
                branches = list(session.scalars(select(Branch).order_by(Branch.code)))
            elif branch_code:
                branch = session.scalar(select(Branch).where(Branch.code == branch_code))
                if branch is None:
                    raise NotFound(what="Branch", key=branch_code)
                branches = [branch]
            elif actor.branch_id is not None:
                branches = [session.get(Branch, actor.branch_id)]
            else:
                raise ValidationError(field="branch", reason="required")
            branches = [_BranchInfo(b.id, b.code, b.name, b.timezone) for b in branches if b is not None]
        if not branches:
            raise NotFound(what="Branch", key="*")
        if all_branches or any(b.id != actor.branch_id for b in branches):
            require(self.db, actor, Permission.REPORT_ALL_BRANCHES, clock=self.clock)
        return branches

    def build(self, actor: Actor, kind: ReportKind | str, day: date, *, branch_code: str | None = None,
              all_branches: bool = False) -> BranchReport:
        """The daily report of ``day`` or the monthly report of its month."""
        kind = ReportKind(kind)
        branches = self._branches(actor, branch_code, all_branches)
        start, end = period_of(kind, day)
        scope = ReportScope(tuple(b.id for b in branches), start, end)
        if all_branches or any(b.id != actor.branch_id for b in branches):
            record(self.db, actor, AuditAction.REPORT, clock=self.clock, target_type="report",
                   target_id=f"{kind.value}:{start.isoformat()}",
                   detail={"branches": [b.code for b in branches], "all_branches": all_branches})
        zones = {b.id: ZoneInfo(b.timezone) for b in branches}
        with self.db.read() as session:
            rows = [_Row(*r) for r in session.execute(
                select(Ticket.branch_id, Ticket.business_type_id, Ticket.business_day, Ticket.status,
                       Ticket.issued_at, Ticket.called_at, Ticket.started_at, Ticket.finished_at,
                       Ticket.served_by_id)
                .where(Ticket.branch_id.in_(scope.branch_ids), Ticket.business_day >= start,
                       Ticket.business_day <= end))]
            ratings = session.execute(
                select(SatisfactionRating.rating, SatisfactionRating.user_id, Ticket.branch_id)
                .join(Ticket, Ticket.id == SatisfactionRating.ticket_id)
                .where(Ticket.branch_id.in_(scope.branch_ids), Ticket.business_day >= start,
                       Ticket.business_day <= end)).all()
            types = list(session.execute(select(BusinessType.id, BusinessType.name_zh)
                                         .order_by(BusinessType.sort_order, BusinessType.id)))
            teller_ids = {r.served_by_id for r in rows if r.served_by_id} | {r.user_id for r in ratings if r.user_id}
            names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(teller_ids))).all()) \
                if teller_ids else {}
            extra = [t for t in (provider(session, scope) for provider in self.sections.values()) if t is not None]

        tables = [self._summary(rows, ratings), self._by_business(rows, types), self._by_hour(rows, zones)]
        if kind is ReportKind.MONTHLY:
            tables.append(self._by_day(rows, start, end))
        if len(branches) > 1:
            tables.append(self._by_branch(rows, ratings, branches))
        tables += [self._by_teller(rows, ratings, names), self._satisfaction(ratings), *extra]
        title = "网点服务日报" if kind is ReportKind.DAILY else "网点服务月报"
        period = f"{start:%Y年%m月%d日}" if kind is ReportKind.DAILY else f"{start:%Y年%m月}（{start:%m-%d} 至 {end:%m-%d}）"
        return BranchReport(kind=kind, title=title, period=period, scope=scope,
                            branch_names=tuple(b.name for b in branches),
                            generated_at=self.clock().astimezone(zones[branches[0].id]),
                            generated_by=actor.display_name, tables=tuple(tables))

    # -- tables ------------------------------------------------------------------------

    def _summary(self, rows: list[_Row], ratings: list[Any]) -> ReportTable:
        served = [r for r in rows if r.served]
        no_shows = sum(1 for r in rows if r.status == TicketStatus.NO_SHOW.value)
        waits = [w for r in rows if (w := r.wait) is not None]
        services = [s for r in served if (s := r.service) is not None]
        count, satisfied, _ = kpi.satisfaction_rate(r.rating for r in ratings)
        cells = [
            ("取号数", len(rows)), ("办结数", len(served)), ("过号数", no_shows),
            ("过号率(%)", _percent(no_shows, len(rows))),
            ("平均等候(分钟)", _minutes(kpi.mean(waits))), ("等候P90(分钟)", _minutes(kpi.percentile(waits, 90))),
            ("最长等候(分钟)", _minutes(max(waits) if waits else None)),
            ("平均办理(分钟)", _minutes(kpi.mean(services))),
            ("评价数", count), ("满意率(%)", _percent(satisfied, count)), ("满意率目标(%)", self.goal),
        ]
        return ReportTable("summary", "概览", ("指标", "数值"), tuple(cells))

    @staticmethod
    def _by_business(rows: list[_Row], types: list[Any]) -> ReportTable:
        grouped: dict[int, list[_Row]] = defaultdict(list)
        for r in rows:
            grouped[r.business_type_id].append(r)
        out = []
        for type_id, name in types:
            mine = grouped.get(type_id)
            if not mine:
                continue
            no_shows = sum(1 for r in mine if r.status == TicketStatus.NO_SHOW.value)
            waits = [w for r in mine if (w := r.wait) is not None]
            services = [s for r in mine if (s := r.service) is not None]
            out.append((name, len(mine), sum(1 for r in mine if r.served), no_shows,
                        _percent(no_shows, len(mine)), *_spread_cells(waits), *_spread_cells(services)))
        return ReportTable("by_business", "按业务类型", (
            "业务类型", "取号", "办结", "过号", "过号率(%)", "平均等候(分钟)", "等候P90(分钟)", "最长等候(分钟)",
            "平均办理(分钟)", "办理P90(分钟)", "最长办理(分钟)"), tuple(out), chart_columns=(1, 2))

    @staticmethod
    def _by_hour(rows: list[_Row], zones: Mapping[int, ZoneInfo]) -> ReportTable:
        arrivals = Tally(r.issued_at.astimezone(zones[r.branch_id]).hour for r in rows)
        served = Tally(r.finished_at.astimezone(zones[r.branch_id]).hour for r in rows
                       if r.served and r.finished_at is not None)
        waits: dict[int, list[float]] = defaultdict(list)
        for r in rows:
            if (w := r.wait) is not None:
                waits[r.issued_at.astimezone(zones[r.branch_id]).hour].append(w)
        hours = kpi.hour_range([*arrivals, *served])
        return ReportTable("by_hour", "按时段", ("时段", "取号", "办结", "平均等候(分钟)"), tuple(
            (f"{h:02d}:00", arrivals[h], served[h], _minutes(kpi.mean(waits[h]))) for h in hours),
            chart_columns=(1, 2))

    @staticmethod
    def _by_day(rows: list[_Row], start: date, end: date) -> ReportTable:
        grouped: dict[date, list[_Row]] = defaultdict(list)
        for r in rows:
            grouped[r.business_day].append(r)
        out = []
        for number in range(start.day, end.day + 1):
            mine = grouped.get(start.replace(day=number), [])
            no_shows = sum(1 for r in mine if r.status == TicketStatus.NO_SHOW.value)
            waits = [w for r in mine if (w := r.wait) is not None]
            out.append((f"{start.replace(day=number):%m-%d}", len(mine), sum(1 for r in mine if r.served), no_shows,
                        _minutes(kpi.mean(waits))))
        return ReportTable("by_day", "按日", ("日期", "取号", "办结", "过号", "平均等候(分钟)"), tuple(out),
                           chart_columns=(1,))

    @staticmethod
    def _by_branch(rows: list[_Row], ratings: list[Any], branches: list[_BranchInfo]) -> ReportTable:
        grouped: dict[int, list[_Row]] = defaultdict(list)
        for r in rows:
            grouped[r.branch_id].append(r)
        rated: dict[int, list[int]] = defaultdict(list)
        for rating in ratings:
            rated[rating.branch_id].append(rating.rating)
        out = []
        for b in branches:
            mine = grouped.get(b.id, [])
            no_shows = sum(1 for r in mine if r.status == TicketStatus.NO_SHOW.value)
            waits = [w for r in mine if (w := r.wait) is not None]
            count, satisfied, _ = kpi.satisfaction_rate(rated.get(b.id, []))
            out.append((f"{b.code} {b.name}", len(mine), sum(1 for r in mine if r.served),
                        _percent(no_shows, len(mine)), _minutes(kpi.mean(waits)), _percent(satisfied, count)))
        return ReportTable("by_branch", "按网点", ("网点", "取号", "办结", "过号率(%)", "平均等候(分钟)", "满意率(%)"),
                           tuple(out))

    @staticmethod
    def _by_teller(rows: list[_Row], ratings: list[Any], names: Mapping[int, str]) -> ReportTable:
        served: dict[int, list[float]] = defaultdict(list)
        finished: Tally[int] = Tally()
        no_shows: Tally[int] = Tally()
        for r in rows:
            if r.served_by_id is None:
                continue
            if r.served:
                finished[r.served_by_id] += 1
                if (s := r.service) is not None:
                    served[r.served_by_id].append(s)
            elif r.status == TicketStatus.NO_SHOW.value:
                no_shows[r.served_by_id] += 1
        rated: dict[int, list[int]] = defaultdict(list)
        for rating in ratings:
            if rating.user_id is not None:
                rated[rating.user_id].append(rating.rating)
        out = []
        for user_id in sorted(set(finished) | set(no_shows) | set(rated), key=lambda u: names.get(u, "")):
            values = rated.get(user_id, [])
            count, satisfied, _ = kpi.satisfaction_rate(values)
            average, p90, _ = _spread_cells(served.get(user_id, []))
            out.append((names.get(user_id, str(user_id)), finished[user_id], no_shows[user_id], average, p90, count,
                        _percent(satisfied, count), round(sum(values) / count, 2) if count else None))
        return ReportTable("by_teller", "按柜员", ("柜员", "办结", "过号", "平均办理(分钟)", "办理P90(分钟)", "评价数",
                                                 "满意率(%)", "平均评分"), tuple(out))

    def _satisfaction(self, ratings: list[Any]) -> ReportTable:
        tally = Tally(r.rating for r in ratings)
        labels = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
        return ReportTable("satisfaction", "满意度", ("评价", "数量", "占比(%)"), tuple(
            (f"{value} {labels[value]}", tally[value], _percent(tally[value], len(ratings))) for value in labels),
            chart_columns=(1,))


def can_report_all_branches(actor: Actor) -> bool:
    return has_permission(actor.role, Permission.REPORT_ALL_BRANCHES)


def flatten(tables: Iterable[ReportTable]) -> list[list[Any]]:
    """Every table as lines (title, header, rows, blank), e.g. for CSV."""
    lines: list[list[Any]] = []
    for table in tables:
        lines += [[table.title], list(table.columns), *[list(row) for row in table.rows], []]
    return lines
