"""Counter services (窗口业务配置): which business types a counter serves, in which order.

Rank 0 is served first; business types of equal rank are served together (by priority
class, then arrival). Saving replaces the counter's row of the counter–service matrix;
the counter's next call follows it. Only supervisors may save (the service checks).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QSpinBox, QTableView, QVBoxLayout, QWidget

from app.services.branches import BusinessTypeView
from app.services.counters import MatrixEntry
from ui.labels import counter_label
from ui.context import AppContext
from ui.dialogs.base import save_revert_close
from ui.table_model import Column, RecordTableModel
from ui.message_bar import MessageBar

MAX_RANK = 20
SERVES, PREFIX, NAME, RANK = range(4)


class MatrixEditor(QDialog):
    saved = Signal(int, list)  # counter number, [MatrixEntry]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.desk = context.services.counter_desk
        self.setWindowTitle(self.tr("Counter services"))
        self.setMinimumSize(560, 520)
        self._dirty = False
        self._loaded_counter = 0

        self.counter_combo = QComboBox()
        self.counter_combo.setObjectName("matrixCounter")
        for counter in context.services.catalog.counters(context.branch.id):
            if counter.active:
                self.counter_combo.addItem(counter_label(counter.number, counter.name), counter.number)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Counter:")))
        top.addWidget(self.counter_combo, 1)

        self.types = context.services.catalog.business_types()
        self.model: RecordTableModel[BusinessTypeView] = RecordTableModel([
            Column(self.tr("Serves"), lambda _bt: None),
            Column(self.tr("Prefix"), lambda bt: bt.prefix, Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("Business type"), lambda bt: bt.name(context.language)),
            Column(self.tr("Rank"), lambda _bt: None),
        ], self)
        self.model.set_rows(self.types)
        self.view = QTableView()
        self.view.setObjectName("matrixView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(34)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.serves: dict[str, QCheckBox] = {}
        self.ranks: dict[str, QSpinBox] = {}
        for row, bt in enumerate(self.types):
            check = QCheckBox()
            check.setObjectName(f"serves_{bt.code}")
            check.toggled.connect(self._edited)
            holder = QWidget()
            inner = QHBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(check, 0, Qt.AlignmentFlag.AlignCenter)
            self.view.setIndexWidget(self.model.index(row, SERVES), holder)
            spin = QSpinBox()
            spin.setObjectName(f"rank_{bt.code}")
            spin.setRange(0, MAX_RANK)
            spin.valueChanged.connect(self._edited)
            self.view.setIndexWidget(self.model.index(row, RANK), spin)
            self.serves[bt.code] = check
            self.ranks[bt.code] = spin

        explanation = QLabel(self.tr("Rank 0 is called first. Business types with the same rank are called "
                                     "together, by priority and then arrival. Changes apply from the counter's "
                                     "next call."))
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #555;")
        self.message = MessageBar(name="matrixMessage")

        self.save_button, self.revert_button, buttons = save_revert_close(
            self, (self.tr("Save"), self.tr("Revert")), save=self.save, revert=self.load, save_name="matrixSave")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(explanation)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.counter_combo.currentIndexChanged.connect(self._counter_changed)
        self.load()

    @property
    def counter_number(self) -> int:
        return int(self.counter_combo.currentData() or 0)

    def _counter_changed(self) -> None:
        if self._dirty and self._loaded_counter and self.isVisible():
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"),
                self.tr("Save the changes to the previous counter first?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard)
            if answer == QMessageBox.StandardButton.Save:
                self._save_for(self._loaded_counter)
        self.load()

    def load(self) -> None:
        """Show the selected counter's current matrix."""
        if not self.counter_number:
            return
        matrix, ok = self.message.guarded(lambda: self.desk.matrix(self._ctx.branch.id, self.counter_number))
        if not ok:
            return
        entries = {e.business_code: e.rank for e in matrix}
        for code, check in self.serves.items():
            spin = self.ranks[code]
            check.blockSignals(True)
            spin.blockSignals(True)
            check.setChecked(code in entries)
            spin.setValue(entries.get(code, 0))
            spin.setEnabled(code in entries)
            check.blockSignals(False)
            spin.blockSignals(False)
        self._loaded_counter = self.counter_number
        self._set_dirty(False)
        self._show("")

    def set_entry(self, code: str, serves: bool, rank: int = 0) -> None:
        self.serves[code].setChecked(serves)
        self.ranks[code].setValue(rank)

    def entries(self) -> list[MatrixEntry]:
        return [MatrixEntry(code, self.ranks[code].value()) for code, check in self.serves.items()
                if check.isChecked()]

    def _edited(self) -> None:
        for code, check in self.serves.items():
            self.ranks[code].setEnabled(check.isChecked())
        self._set_dirty(True)
        if not self.entries():
            self._show(self.tr("This counter will only call tickets transferred to it."))
        else:
            self._show("")

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.outcome(text, error=error)

    def save(self) -> bool:
        return self._save_for(self.counter_number)

    def _save_for(self, number: int) -> bool:
        entries = self.entries()
        stored, ok = self.message.guarded(
            lambda: self.desk.set_matrix(self._ctx.actor, self._ctx.branch.id, number, entries))  # type: ignore[arg-type]
        if not ok:
            return False
        self._set_dirty(False)
        self._show(self.tr("Saved. Counter {counter} uses this from its next call.").format(counter=number))
        self.saved.emit(number, stored)
        return True
