"""The security audit log (安全审计日志) for supervisors: filter by user, action and dates; export CSV.

Reading the log is itself checked by the service (Permission.VIEW_AUDIT); the menu entry is
only hidden for other roles. Dates are days in the branch's time zone, both ends included.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.time_range import day_start
from app.output_files import write_text
from app.services.audit import AuditAction, AuditEntryView, AuditFilter
from ui.audit_labels import AuditTexts
from ui.context import AppContext
from ui.field_inputs import date_input
from ui.message_bar import MessageBar
from ui.table_model import Column, RecordTableModel

DEFAULT_DAYS = 7
MAX_ROWS = 1000


class AuditDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.log = context.services.audit_log
        self._tz = context.branch.timezone
        self.setWindowTitle(self.tr("Audit log"))
        self.resize(900, 560)

        self.user_field = QLineEdit()
        self.user_field.setObjectName("auditUser")
        self.user_field.setPlaceholderText(self.tr("All users"))
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("auditAction")
        self.action_combo.addItem(self.tr("All actions"), "")
        texts = AuditTexts({bt.code: bt.name(context.language) for bt in context.services.catalog.business_types()})
        for action in AuditAction:
            self.action_combo.addItem(texts.action(action), action.value)
        #: Today in the branch's time zone (the filter's days are the branch's days).
        self.today = QDate(context.clock().astimezone(ZoneInfo(self._tz)).date())
        today = self.today
        self.since_edit = date_input(today.addDays(-DEFAULT_DAYS))
        self.until_edit = date_input(today)
        self.search_button = QPushButton(self.tr("&Search"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.export_button.clicked.connect(self.choose_export_file)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("User:")))
        filters.addWidget(self.user_field, 1)
        filters.addWidget(QLabel(self.tr("Action:")))
        filters.addWidget(self.action_combo, 1)
        filters.addWidget(QLabel(self.tr("From:")))
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel(self.tr("Until:")))
        filters.addWidget(self.until_edit)
        filters.addWidget(self.search_button)
        filters.addWidget(self.export_button)

        self.model: RecordTableModel[AuditEntryView] = RecordTableModel([
            Column(self.tr("Time"), self._local_time),
            Column(self.tr("User"), lambda e: self.tr("System") if e.by_system else e.username),
            Column(self.tr("Action"), lambda e: texts.action(e.action)),
            Column(self.tr("Target"), lambda e: texts.target(e.target_type, e.target_id)),
            Column(self.tr("Details"), lambda e: texts.detail(e.detail)),
        ], self)
        self.view = QTableView()
        self.view.setObjectName("auditView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.message = MessageBar(name="auditMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.refresh()

    def _local_time(self, entry: AuditEntryView) -> str:
        return entry.at.astimezone(ZoneInfo(self._tz)).strftime("%Y-%m-%d %H:%M:%S")

    def current_filter(self) -> AuditFilter:
        since: date = self.since_edit.date().toPython()  # type: ignore[assignment]
        until: date = self.until_edit.date().toPython()  # type: ignore[assignment]
        return AuditFilter(username=self.user_field.text().strip() or None,
                           action=self.action_combo.currentData() or None,
                           since=day_start(since, self._tz), until=day_start(until + timedelta(days=1), self._tz))

    def refresh(self) -> None:
        entries, ok = self.message.guarded(
            lambda: self.log.entries(self._ctx.actor, self.current_filter(), limit=MAX_ROWS))  # type: ignore[arg-type]
        self.model.set_rows(entries if ok else [])
        if not ok:
            return
        if len(entries) >= MAX_ROWS:
            self.message.show_info(self.tr("Showing the newest {count} entries; narrow the filter to see older ones.")
                                   .format(count=MAX_ROWS))
        else:
            self.message.show_info(self.tr("Entries: {count}").format(count=len(entries)))

    def choose_export_file(self) -> None:
        path, _selected = QFileDialog.getSaveFileName(self, self.tr("Export audit log"), "audit.csv",
                                                      self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """Write the filtered entries (all of them, oldest first) as CSV; the export is audited."""
        text, ok = self.message.guarded(
            lambda: self.log.export_csv(self._ctx.actor, self.current_filter()))  # type: ignore[arg-type]
        if not ok:
            return False
        try:
            write_text(path, text, encoding="utf-8-sig")  # the BOM lets Excel read UTF-8
        except OSError as error:
            self.message.show_error(self.tr("The file could not be written: {error}").format(error=error.strerror))
            return False
        self.message.show_ok(self.tr("Exported to {path}.").format(path=str(path)))
        return True
