"""Monthly complaint analysis of a branch, as figures, PDF (with chart) or CSV; every export is audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.db.engine import Database
from app.db.models import Branch, Complaint, ComplaintPause, Counter, User
from app.domain.business_day import business_day, utcnow
from app.domain.complaint_analysis import AnalysisRecord, MonthlyAnalysis, analyse
from app.domain.complaint_deadline import Pause
from app.domain.complaints import ComplaintStatus
from app.domain.errors import NotFound
from app.domain.roles import Permission
from app.printing.complaint_report import analysis_csv, build_analysis_pdf
from app.services.actor import Actor
from app.services.audit import AuditAction, record, require

#: Not complaints of their own: drafts were never submitted, merged ones count in their original.
_LEFT_OUT = (ComplaintStatus.DRAFT.value, ComplaintStatus.MERGED.value)


class ComplaintAnalysis:
    def __init__(self, db: Database, bank_name: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bank_name = bank_name
        self.clock = clock

    def monthly(self, actor: Actor, branch_id: int, year: int, month: int) -> MonthlyAnalysis:
        require(self.db, actor, Permission.VIEW_REPORTS, clock=self.clock, branch_id=branch_id)
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        subject = aliased(User)
        with self.db.read() as session:
            branch = self._branch(session, branch_id)
            today = business_day(self.clock(), branch.timezone)
            rows = session.execute(
                select(Complaint, Counter.name, subject.display_name)
                .outerjoin(Counter, Counter.id == Complaint.subject_counter_id)
                .outerjoin(subject, subject.id == Complaint.subject_user_id)
                .where(Complaint.branch_id == branch_id, Complaint.status.not_in(_LEFT_OUT),
                       Complaint.received_on >= first, Complaint.received_on < following)).all()
            pauses: dict[int, list[Pause]] = defaultdict(list)
            ids = [row[0].id for row in rows]
            if ids:
                for pause in session.scalars(select(ComplaintPause).where(ComplaintPause.complaint_id.in_(ids))
                                             .order_by(ComplaintPause.id)):
                    pauses[pause.complaint_id].append(Pause(pause.start_on, pause.end_on))
            records = [AnalysisRecord(
                reference=c.reference or "", status=c.status, received_on=c.received_on, due_on=c.due_on,
                decided_on=c.decided_on, paused=c.paused_since is not None, pauses=tuple(pauses[c.id]),
                channel=c.channel, business=c.business, reason=c.reason, category=c.category, severity=c.severity,
                counter=counter, staff=staff) for c, counter, staff in rows]
        return analyse(year, month, records, today)

    def pdf(self, actor: Actor, branch_id: int, year: int, month: int) -> bytes:
        analysis = self.monthly(actor, branch_id, year, month)
        with self.db.read() as session:
            branch = self._branch(session, branch_id)
            name, code, zone = branch.name, branch.code, ZoneInfo(branch.timezone)
        pdf = build_analysis_pdf(analysis, bank_name=self.bank_name, branch_name=name, branch_code=code,
                                 issued_at=self.clock().astimezone(zone))
        self._audit(actor, branch_id, analysis, "pdf")
        return pdf

    def csv(self, actor: Actor, branch_id: int, year: int, month: int) -> str:
        analysis = self.monthly(actor, branch_id, year, month)
        text = analysis_csv(analysis)
        self._audit(actor, branch_id, analysis, "csv")
        return text

    def _audit(self, actor: Actor, branch_id: int, analysis: MonthlyAnalysis, kind: str) -> None:
        record(self.db, actor, AuditAction.REPORT, clock=self.clock, target_type="complaint_analysis",
               target_id=analysis.label, detail={"format": kind, "complaints": analysis.total}, branch_id=branch_id)

    @staticmethod
    def _branch(session, branch_id: int) -> Branch:  # type: ignore[no-untyped-def]
        branch = session.get(Branch, branch_id)
        if branch is None:
            raise NotFound(what="Branch", key=branch_id)
        return branch
