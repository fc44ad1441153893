"""Duplicates of a customer record, side by side, and merging two into the one kept (supervisor).

The list is the service's (same ID number, or same name and a shared phone). Choosing one
shows both records' facts beside each other, all masked; the supervisor picks the record that
stays, gives a reason, and confirms twice — once by ticking "cannot be undone", once in the
final question — because a merge moves every visit, note, account and complaint for good."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.customers.views import Duplicate, Profile
from ui.context import AppContext
from ui.customers.labels import kind_label, tier_label
from ui.message_bar import MessageBar
from ui.table_model import Column, RecordTableModel


class MergeDialog(QDialog):
    def __init__(self, context: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Duplicate records"))
        self.resize(860, 620)
        self._ctx = context
        self.profile = profile
        self.other: Profile | None = None
        #: After a merge: the record kept.
        self.kept_id: int | None = None
        self.question: QMessageBox | None = None
        reasons = {"same ID number": self.tr("same ID number"), "same name and phone": self.tr("same name and phone")}
        self.model: RecordTableModel[Duplicate] = RecordTableModel([
            Column(self.tr("Record"), lambda d: d.customer_id), Column(self.tr("Name"), lambda d: d.name),
            Column(self.tr("ID number"), lambda d: d.id_masked),
            Column(self.tr("Why"), lambda d: reasons.get(d.reason, d.reason))], self, key=lambda d: d.customer_id)
        self.table = QTableView()
        self.table.setObjectName("duplicatesTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._compare_selected())
        self.empty = QLabel(self.tr("No other record has this ID number, or this name and one of these phones."))
        self.empty.setObjectName("noDuplicates")
        self.empty.setWordWrap(True)

        self.this_box, self.this_form = _facts_box(self.tr("This record"))
        self.other_box, self.other_form = _facts_box(self.tr("The other record"))
        self.keep_this = QRadioButton(self.tr("Keep this record"))
        self.keep_this.setObjectName("keepThis")
        self.keep_this.setChecked(True)
        self.keep_other = QRadioButton(self.tr("Keep the other record"))
        self.keep_other.setObjectName("keepOther")
        self.keep_group = QButtonGroup(self)  # one choice, though the buttons sit in two boxes
        self.keep_group.addButton(self.keep_this)
        self.keep_group.addButton(self.keep_other)
        self.this_box.layout().addWidget(self.keep_this)
        self.other_box.layout().addWidget(self.keep_other)
        side_by_side = QHBoxLayout()
        side_by_side.addWidget(self.this_box)
        side_by_side.addWidget(self.other_box)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("mergeReason")
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setPlaceholderText(self.tr("Why these are one customer (kept in the audit log)"))
        self.final_check = QCheckBox(self.tr("I have checked both records: the merge cannot be undone"))
        self.final_check.setObjectName("mergeUnderstood")
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.ask_merge)
        for signal in (self.reason_edit.textChanged, self.final_check.toggled):
            signal.connect(lambda *_: self._update_merge())
        self.message = MessageBar(name="mergeMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Records that may be the same customer as {name}:").format(name=profile.name)))
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(side_by_side, 1)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.final_check)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        _fill_facts(self.this_form, profile)
        self._load()

    def _load(self) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        found, ok = self.message.guarded(lambda: self._ctx.services.customer_merge.duplicates_of(actor, self.profile.id))
        rows = (found or []) if ok else []
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.other_box.setVisible(bool(rows))
        if rows:
            self.table.selectRow(0)
        self._update_merge()

    def _compare_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        actor = self._ctx.actor
        if not rows or actor is None:
            self.other = None
        else:
            duplicate = self.model.row_at(rows[0].row())
            other, ok = self.message.guarded(
                lambda: self._ctx.services.customers.profile(actor, duplicate.customer_id))
            self.other = other if ok else None
        if self.other is not None:
            _fill_facts(self.other_form, self.other)
        self._update_merge()

    def _update_merge(self) -> None:
        self.merge_button.setEnabled(self.other is not None and bool(self.reason_edit.text().strip())
                                     and self.final_check.isChecked())

    def kept_and_dropped(self) -> tuple[int, int] | None:
        if self.other is None:
            return None
        if self.keep_this.isChecked():
            return self.profile.id, self.other.id
        return self.other.id, self.profile.id

    def ask_merge(self) -> QMessageBox | None:
        """The second confirmation: names the record kept and the one that goes."""
        pair = self.kept_and_dropped()
        if pair is None:
            return None
        keep, drop = pair
        question = QMessageBox(QMessageBox.Icon.Warning, self.tr("Merge records"), self.tr(
            "Merge record {drop} into record {keep}? Its visits, notes, accounts, follow-ups and complaints "
            "move to record {keep}, and record {drop} is closed. This cannot be undone.").format(keep=keep, drop=drop),
            QMessageBox.StandardButton.Cancel, self)
        question.setObjectName("mergeQuestion")
        go = question.addButton(self.tr("Merge for good"), QMessageBox.ButtonRole.DestructiveRole)
        go.setObjectName("mergeForGood")
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.buttonClicked.connect(lambda button: self._merge(keep, drop) if button is go else None)
        question.finished.connect(question.deleteLater)
        self.question = question
        question.open()
        return question

    def _merge(self, keep: int, drop: int) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        reason = self.reason_edit.text()
        _, ok = self.message.guarded(lambda: self._ctx.services.customer_merge.merge(actor, keep, drop, reason))
        if ok:
            self.kept_id = keep
            self.accept()


def _facts_box(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    column = QVBoxLayout(box)
    form = QFormLayout()
    column.addLayout(form)
    column.addStretch(1)
    return box, form


def _fill_facts(form: QFormLayout, profile: Profile) -> None:
    """What tells two records apart, masked as everywhere."""
    while form.rowCount():
        form.removeRow(0)
    visits = len(profile.tickets_today) + len(profile.tickets_past)
    comma = QCoreApplication.translate("MergeDialog", ", ")
    for label, value in (
            (QCoreApplication.translate("MergeDialog", "Record:"), f"{profile.id} · {kind_label(profile.kind)}"),
            (QCoreApplication.translate("MergeDialog", "Name:"), profile.name),
            (QCoreApplication.translate("MergeDialog", "ID number:"), profile.id_masked),
            (QCoreApplication.translate("MergeDialog", "Phones:"), comma.join(p.masked for p in profile.phones) or "—"),
            (QCoreApplication.translate("MergeDialog", "Accounts:"),
             comma.join(a.masked for a in profile.accounts) or "—"),
            (QCoreApplication.translate("MergeDialog", "Tier:"), tier_label(profile.tier)),
            (QCoreApplication.translate("MergeDialog", "Visits:"), str(visits)),
            (QCoreApplication.translate("MergeDialog", "Notes:"), str(len(profile.notes)))):
        text = QLabel(value)
        text.setWordWrap(True)
        form.addRow(label, text)
