"""The console's side panels: what F1 brings next, the parked tickets, today's own figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.queue import TicketView
from app.services.queue_reads import TellerStats
from ui.labels import priority_label
from ui.table_model import RIGHT, Column, RecordTableModel



def _table(model: RecordTableModel, name: str, stretch: int) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(64)
    view.verticalHeader().setDefaultSectionSize(30)
    return view


class _TicketListBox(QGroupBox):
    def _build(self, title: str, columns: list[Column[TicketView]], name: str, button_text: str,
               empty_text: str) -> None:
        self.setTitle(title)
        self.model: RecordTableModel[TicketView] = RecordTableModel(columns, self)
        self.view = _table(self.model, name, stretch=1)  # the business name takes the spare width
        self.empty = QLabel(empty_text)
        self.empty.setStyleSheet("color: #666;")
        self.button = QPushButton(button_text)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addWidget(self.empty)
        box.addStretch(0)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)

    def set_rows(self, rows: list[TicketView]) -> None:
        chosen = self.selected_number()
        self.model.set_rows(rows)
        for row, ticket in enumerate(rows):
            if ticket.number == chosen:
                self.view.selectRow(row)
        self.empty.setVisible(not rows)
        self.view.setVisible(bool(rows))

    def has_rows(self) -> bool:
        return self.model.rowCount() > 0

    def select(self, number: str) -> None:
        for row, ticket in enumerate(self.model.rows()):
            if ticket.number == number:
                self.view.selectRow(row)
                return
        raise KeyError(number)

    def selected_number(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).number if rows else None


class PreviewBox(_TicketListBox):
    """The tickets this counter calls next, in order, with their estimated waits."""

    def __init__(self, language: str, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._build(self.tr("Next at this counter (F1)"), [
            Column(self.tr("Ticket"), lambda t: t.number),
            Column(self.tr("Business"), lambda t: t.business_name(language)),
            Column(self.tr("Priority"), lambda t: priority_label(t.priority)),
            Column(self.tr("Waited (min)"), lambda t: self._minutes_since(t.arrival_at or t.issued_at), RIGHT),
            Column(self.tr("Est. wait (min)"), lambda t: t.estimated_wait_minutes, RIGHT),
        ], "previewView", self.tr("Call selected ticket…"), self.tr("Nobody is waiting for this counter."))
        self.call_button = self.button
        self.call_button.setObjectName("callSpecificButton")

    def _minutes_since(self, moment: datetime) -> int:
        return max(0, int((self._clock() - moment).total_seconds() // 60))


class ParkedBox(_TicketListBox):
    """Tickets set aside at this counter (the customer is fetching something)."""

    def __init__(self, language: str, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build(self.tr("Parked"), [
            Column(self.tr("Ticket"), lambda t: t.number),
            Column(self.tr("Business"), lambda t: t.business_name(language)),
            Column(self.tr("Called at"),
                   lambda t: t.called_at.astimezone(zone).strftime("%H:%M") if t.called_at else ""),
        ], "parkedView", self.tr("Resume selected"), self.tr("No parked tickets."))
        self.resume_button = self.button
        self.resume_button.setObjectName("resumeParkedButton")
        self.view.setMaximumHeight(110)


class CounterStatsBox(QGroupBox):
    """Today's own figures: served, no-shows, average service minutes, average rating."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("My day"), parent)
        self.setObjectName("statsBox")
        self.served = self._figure("statServed")
        self.no_shows = self._figure("statNoShows")
        self.average_minutes = self._figure("statAverageMinutes")
        self.average_rating = self._figure("statAverageRating")
        grid = QGridLayout(self)
        captions = (self.tr("Served"), self.tr("No-shows"), self.tr("Avg. service (min)"), self.tr("Avg. rating"))
        figures = (self.served, self.no_shows, self.average_minutes, self.average_rating)
        for column, (caption, figure) in enumerate(zip(captions, figures, strict=True)):
            label = QLabel(caption)
            label.setStyleSheet("color: #666;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(figure, 0, column)
            grid.addWidget(label, 1, column)

    @staticmethod
    def _figure(name: str) -> QLabel:
        label = QLabel("—")
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 22px; font-weight: bold; color: #16365c;")
        return label

    def show_stats(self, stats: TellerStats) -> None:
        self.served.setText(str(stats.served))
        self.no_shows.setText(str(stats.no_shows))
        self.average_minutes.setText("—" if stats.average_service_minutes is None
                                     else f"{stats.average_service_minutes:.1f}")
        self.average_rating.setText("—" if stats.average_rating is None else f"{stats.average_rating:.1f}")
