"""A customer record's history for a supervisor: registered, changed (which fields), full values
shown, merged — who, when. Read from the audit log; values never appear there."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.audit import AuditEntryView
from ui.audit_labels import AuditTexts
from ui.context import AppContext
from ui.message_bar import MessageBar
from ui.table_model import Column, RecordTableModel


class CustomerHistoryDialog(QDialog):
    def __init__(self, context: AppContext, customer_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerHistoryDialog")
        self.setWindowTitle(self.tr("Record history"))
        self.resize(760, 420)
        zone = ZoneInfo(context.branch.timezone)
        texts = AuditTexts()
        self.model: RecordTableModel[AuditEntryView] = RecordTableModel([
            Column(self.tr("Time"), lambda e: e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")),
            Column(self.tr("User"), lambda e: texts.value("username", e.username) if not e.by_system
                   else self.tr("system")),
            Column(self.tr("What"), lambda e: texts.action(e.action)),
            Column(self.tr("Details"), lambda e: texts.detail(e.detail))], self, key=lambda e: e.id)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.message = MessageBar(name="historyMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Everything done to the record of {name}, newest first.").format(name=name)))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if context.actor is not None:
            actor = context.actor
            entries, ok = self.message.guarded(lambda: context.services.customer_records.history(actor, customer_id))
            if ok:
                self.model.set_rows(entries or [])
