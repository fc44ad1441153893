"""Checklist template versions: files on disk, seeding, listing, and a supervisor's import.

Templates live as TOML files in resources/checklists/ (one per business type) and, once
seeded or imported, as rows of ``checklist_templates``: one row per version, never edited.
An import adds a higher version and retires the previous one; runs keep the version they
started with, so a retired version stays readable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import BusinessType, ChecklistTemplate
from app.domain.business_day import utcnow
from app.domain.checklist_diff import diff_templates
from app.domain.checklist_templates import Problem, Template, TemplateInvalid, check_text, parse_template
from app.domain.errors import Conflict, NotFound
from app.domain.roles import Permission
from app.events import TOPIC_CHECKLISTS, publish
from app.resources import resources_dir
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def templates_dir() -> Path:
    return resources_dir() / "checklists"


def template_files(path: Path | None = None) -> list[Path]:
    """The .toml files of a folder (sorted), or the one file given."""
    path = path or templates_dir()
    return sorted(path.glob("*.toml")) if path.is_dir() else [path]


def check_file(path: Path, known_codes: set[str] | None = None) -> tuple[Template | None, list[Problem]]:
    """Validate one file; with ``known_codes`` its business type must be one of them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path.name, "-", "unreadable", {"detail": str(exc)})]
    template, problems = check_text(text, path.name)
    if template is not None and known_codes is not None and template.business_type not in known_codes:
        return None, [Problem(path.name, "-", "unknown_business_type",
                               {"business_type": template.business_type})]
    return template, problems


@dataclass(frozen=True)
class TemplateSummary:
    id: int
    business_type: str
    version: int
    title_zh: str
    title_en: str
    step_count: int
    active: bool
    imported_at: datetime

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en


@dataclass(frozen=True)
class ImportPreview:
    template: Template
    current_version: int | None
    diff: list[str]


class TemplateStore:
    """Reads template versions; parsed templates are cached (a version never changes)."""

    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._parsed: dict[int, Template] = {}

    def parsed(self, row: ChecklistTemplate) -> Template:
        template = self._parsed.get(row.id)
        if template is None:
            template = parse_template(row.source, row.file_name)
            self._parsed[row.id] = template
        return template

    def summaries(self, *, include_retired: bool = False) -> list[TemplateSummary]:
        query = select(ChecklistTemplate).order_by(ChecklistTemplate.business_type_code, ChecklistTemplate.version)
        if not include_retired:
            query = query.where(ChecklistTemplate.active)
        with self.db.read() as session:
            rows = session.scalars(query).all()
            return [self._summary(row) for row in rows]

    def _summary(self, row: ChecklistTemplate) -> TemplateSummary:
        return TemplateSummary(id=row.id, business_type=row.business_type_code, version=row.version,
                               title_zh=row.title_zh, title_en=row.title_en,
                               step_count=len(self.parsed(row).steps), active=row.active,
                               imported_at=row.imported_at)

    def template(self, business_type: str, version: int | None = None) -> Template:
        """A version of a type's template (the active one when no version is given)."""
        with self.db.read() as session:
            row = self.row_in(session, business_type, version)
            return self.parsed(row)

    def row_in(self, session: Session, business_type: str, version: int | None = None) -> ChecklistTemplate:
        query = select(ChecklistTemplate).where(ChecklistTemplate.business_type_code == business_type)
        query = query.where(ChecklistTemplate.version == version) if version is not None else \
            query.where(ChecklistTemplate.active)
        row = session.scalar(query)
        if row is None:
            raise NotFound(what="Checklist template", key=business_type if version is None else
                           f"{business_type} v{version}")
        return row

    # -- import ---------------------------------------------------------------------------

    def preview_import(self, actor: Actor, text: str, file_name: str) -> ImportPreview:
        """Validate a template file and show how it differs from the active version; changes nothing."""
        require(self.db, actor, Permission.MANAGE_CHECKLIST_TEMPLATES, clock=self.clock)
        template = parse_template(text, file_name)
        with self.db.read() as session:
            self._check_importable(session, template)
            current = session.scalar(select(ChecklistTemplate).where(
                ChecklistTemplate.business_type_code == template.business_type, ChecklistTemplate.active))
            old = self.parsed(current) if current is not None else None
        return ImportPreview(template, old.version if old else None, diff_templates(old, template))

    def import_template(self, actor: Actor, text: str, file_name: str) -> TemplateSummary:
        """Store a new version and retire the previous one; audited with the diff."""
        require(self.db, actor, Permission.MANAGE_CHECKLIST_TEMPLATES, clock=self.clock)
        template = parse_template(text, file_name)
        now = self.clock()
        with self.db.write() as session:
            self._check_importable(session, template)
            current = session.scalar(select(ChecklistTemplate).where(
                ChecklistTemplate.business_type_code == template.business_type, ChecklistTemplate.active))
            diff = diff_templates(self.parsed(current) if current is not None else None, template)
            row = self._store(session, template, file_name, text, actor, now)
            record_in(session, actor, AuditAction.TEMPLATE_CHANGE, at=now, target_type="checklist_template",
                      target_id=row.id, detail={"business_type": template.business_type,
                                                "version": template.version,
                                                "previous": current.version if current is not None else None,
                                                "diff": diff})
            publish(session, TOPIC_CHECKLISTS, None)  # templates are the bank's
            return self._summary(row)

    @staticmethod
    def _check_importable(session: Session, template: Template) -> None:
        if session.scalar(select(BusinessType.id).where(BusinessType.code == template.business_type)) is None:
            raise NotFound(what="Business type", key=template.business_type)
        latest = session.scalar(select(func.max(ChecklistTemplate.version)).where(
            ChecklistTemplate.business_type_code == template.business_type))
        if latest is not None and template.version <= latest:
            raise Conflict(code="template_version_not_newer",
                           template="Template {business_type} version {version} is not newer than "
                                    "version {latest}; raise the version in the file.",
                           business_type=template.business_type, version=template.version, latest=latest)

    @staticmethod
    def _store(session: Session, template: Template, file_name: str, text: str, actor: Actor | None,
               now: datetime) -> ChecklistTemplate:
        for old in session.scalars(select(ChecklistTemplate).where(
                ChecklistTemplate.business_type_code == template.business_type, ChecklistTemplate.active)):
            old.active = False
            old.retired_at = now
        row = ChecklistTemplate(business_type_code=template.business_type, version=template.version,
                                title_zh=template.title_zh, title_en=template.title_en, file_name=file_name,
                                source=text, active=True, imported_at=now,
                                imported_by_id=actor.user_id if actor else None)
        session.add(row)
        session.flush()
        return row


def seed_checklist_templates(db: Database, path: Path | None = None, clock: Clock = utcnow) -> int:
    """Store each resource template whose version is newer than what the database has; idempotent.

    A version a supervisor imported that is newer than the shipped file is kept. Returns how
    many versions were added."""
    try:
        return _seed(db, template_files(path), clock())
    except IntegrityError:
        # Another workstation seeded the same version at the same moment (PostgreSQL): it won.
        log.info("checklist templates were seeded by another workstation meanwhile")
        return 0


def _seed(db: Database, files: list[Path], now: datetime) -> int:
    added = 0
    with db.write() as session:
        known = set(session.scalars(select(BusinessType.code)))
        for file in files:
            template, problems = check_file(file, known)
            if template is None:
                # A shipped file is checked by the tests; never let one bad file stop the app.
                log.error("checklist template not seeded: %s", "; ".join(map(str, problems)))
                continue
            latest = session.scalar(select(func.max(ChecklistTemplate.version)).where(
                ChecklistTemplate.business_type_code == template.business_type))
            if latest is not None and latest >= template.version:
                continue
            TemplateStore._store(session, template, file.name, template.source, None, now)
            added += 1
    return added


__all__ = ["ImportPreview", "TemplateInvalid", "TemplateStore", "TemplateSummary", "check_file",
           "seed_checklist_templates", "template_files", "templates_dir"]
