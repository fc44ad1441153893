"""The lobby dashboard and the branch reports with every area's figures wired in.

DashboardService and ReportService know only the queue; they take extensions. This module
adds the complaints figures (open / due soon / overdue on the dashboard, a complaints
summary in the reports) and builds both services from the settings, so the GUI and the
admin CLI show the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Branch, Complaint, ComplaintPause
from app.domain.business_day import business_day, utcnow
from app.domain.complaint_deadline import Pause, handling_days
from app.domain.complaint_overdue import missed_deadline
from app.domain.complaints import ComplaintStatus
from app.domain.complaints_vocab import CATEGORIES
from app.services.complaint_reads import ComplaintCounts, ComplaintReads
from app.services.complaints import ComplaintPolicy
from app.services.dashboard import DashboardService, DashboardThresholds
from app.services.reports import ReportScope, ReportService, ReportTable
from app.settings import Settings

#: Never submitted (drafts) or counted in the complaint they were merged into.
_NOT_COUNTED = (ComplaintStatus.DRAFT.value, ComplaintStatus.MERGED.value)


def complaint_counts(reads: ComplaintReads) -> Callable[[Session, int, date, datetime], ComplaintCounts]:
    """Dashboard extension: the branch's open, near-due and overdue complaints today."""
    def extension(session: Session, branch_id: int, day: date, _now: datetime) -> ComplaintCounts:
        return reads.counts_in(session, branch_id, day)
    return extension


def complaints_summary(clock: Callable[[], datetime]) -> Callable[[Session, ReportScope], ReportTable | None]:
    """Report section: complaints received in the period, by the bank's category.

    Returns None (no section) when none were received: a report never shows an empty table."""
    def section(session: Session, scope: ReportScope) -> ReportTable | None:
        complaints = session.execute(
            select(Complaint.id, Complaint.status, Complaint.category, Complaint.received_on, Complaint.due_on,
                   Complaint.decided_on, Complaint.paused_since)
            .where(Complaint.branch_id.in_(scope.branch_ids), Complaint.status.not_in(_NOT_COUNTED),
                   Complaint.received_on >= scope.start, Complaint.received_on <= scope.end)).all()
        if not complaints:
            return None
        pauses: dict[int, list[Pause]] = defaultdict(list)
        for pause in session.scalars(select(ComplaintPause).where(
                ComplaintPause.complaint_id.in_([c.id for c in complaints])).order_by(ComplaintPause.id)):
            pauses[pause.complaint_id].append(Pause(pause.start_on, pause.end_on))
        branch = session.get(Branch, scope.branch_ids[0])
        today = business_day(clock(), branch.timezone if branch else "Asia/Shanghai")  # overdue as of today, locally
        groups: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
        for complaint in complaints:
            groups[complaint.category or ""].append(complaint)
        labels = {term.code: term.zh for term in CATEGORIES.terms}
        order = [term.code for term in CATEGORIES.terms] + [""]
        rows = [_summary_row(labels.get(code, "未分类"), groups[code], pauses, today) for code in order if groups[code]]
        rows.append(_summary_row("合计", list(complaints), pauses, today))
        return ReportTable("complaints", "投诉汇总", ("类别", "受理", "已办结", "处理中", "逾期", "平均处理天数",
                                                 "最长处理天数"), tuple(rows), chart_columns=(1,))
    return section


def _summary_row(label: str, complaints: list, pauses: dict[int, list[Pause]], today: date) -> tuple:  # type: ignore[type-arg]
    days = [handling_days(c.received_on, c.decided_on, tuple(pauses[c.id])) for c in complaints
            if c.decided_on is not None]
    late = sum(missed_deadline(c.status, c.due_on, c.decided_on, c.paused_since is not None, today)
               for c in complaints)
    return (label, len(complaints), len(days), len(complaints) - len(days), late,
            round(sum(days) / len(days), 1) if days else None, max(days) if days else None)


def dashboard_service(db: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> DashboardService:
    reads = ComplaintReads(db, clock, ComplaintPolicy.from_settings(settings))
    return DashboardService(db, clock, thresholds=DashboardThresholds.from_settings(settings),
                            extensions={"complaints": complaint_counts(reads)})


def report_service(db: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> ReportService:
    return ReportService(db, clock, satisfaction_goal_percent=settings.get("dashboard.satisfaction_goal_percent"),
                         sections={"complaints": complaints_summary(clock)})
