"""The profile's accounts and cards: the list (masked), and Add, Change status and Close.

Closing asks for the customer's reason and is final; the service refuses what the rules
refuse (a number another customer holds, a closed account) and the box says so in its line."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.customers.accounts import SETTABLE_STATUSES
from app.services.customers.records import ACCOUNT_KINDS, AccountInput
from app.services.customers.views import AccountView, Profile
from app.domain.business_day import business_day
from ui.context import AppContext
from ui.customers.labels import account_kind_label, account_status_label
from ui.dialogs.base import FormDialog
from ui.dialogs.reason_dialog import ReasonDialog
from ui.field_inputs import date_input
from ui.field_messages import FieldMessages
from ui.message_bar import MessageBar
from ui.table_model import Column, RecordTableModel


class AccountsBox(QWidget):
    #: An account was added, changed or closed: the profile is read again.
    changed = Signal()

    def __init__(self, context: AppContext, message: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._message = message
        self.customer_id: int | None = None
        self.dialog: QWidget | None = None
        self.model: RecordTableModel[AccountView] = RecordTableModel([
            Column(self.tr("Type"), lambda a: account_kind_label(a.kind)), Column(self.tr("Number"), lambda a: a.masked),
            Column(self.tr("Opened"), lambda a: a.opened_on),
            Column(self.tr("Status"), lambda a: account_status_label(a.status) if a.closed_on is None else
                   self.tr("{status} {day}: {reason}").format(status=account_status_label(a.status), day=a.closed_on,
                                                             reason=a.close_reason or ""))],
            self, key=lambda a: a.id)
        self.table = QTableView()
        self.table.setObjectName("accountsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(140)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton(self.tr("Add account…"))
        self.add_button.setObjectName("addAccountButton")
        self.add_button.clicked.connect(self.open_add)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("accountStatusCombo")
        for code in SETTABLE_STATUSES:
            self.status_combo.addItem(account_status_label(code), code)
        self.status_button = QPushButton(self.tr("Set status"))
        self.status_button.setObjectName("setAccountStatusButton")
        self.status_button.clicked.connect(self.set_status)
        self.close_button = QPushButton(self.tr("Close account…"))
        self.close_button.setObjectName("closeAccountButton")
        self.close_button.clicked.connect(self.ask_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status_combo)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_profile(self, profile: Profile, *, can_edit: bool) -> None:
        self.customer_id = profile.id
        self.model.update_rows(list(profile.accounts))
        for widget in (self.add_button, self.status_combo, self.status_button, self.close_button):
            widget.setVisible(can_edit)
        self._update_buttons()

    def selected(self) -> AccountView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        account = self.selected()
        usable = account is not None and account.status != "closed"
        self.status_button.setEnabled(usable)
        self.close_button.setEnabled(usable)

    # -- steps ---------------------------------------------------------------------------
    def open_add(self) -> QWidget | None:
        if self.customer_id is None:
            return None
        dialog = AddAccountDialog(self._ctx, self.customer_id, self)
        dialog.accepted.connect(lambda: self._done(self.tr("Account added.")))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_status(self) -> None:
        account, actor = self.selected(), self._ctx.actor
        if account is None or actor is None:
            return
        status = self.status_combo.currentData()
        _, ok = self._message.guarded(lambda: self._ctx.services.customer_accounts.set_status(actor, account.id, status))
        if ok:
            self._done(self.tr("{account}: {status}.").format(account=account.masked,
                                                              status=account_status_label(status)))

    def ask_close(self) -> QWidget | None:
        account = self.selected()
        if account is None:
            return None
        dialog = ReasonDialog(self.tr("Close account"), self.tr("Close {account} for good?").format(
            account=account.masked), placeholder=self.tr("The customer's reason"), parent=self)
        dialog.set_hint(self.tr("A closed account stays on the record with the day and the reason."))
        dialog.set_ok_text(self.tr("Close account"))
        dialog.accepted.connect(lambda: self._close(account, dialog.reason() or ""))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _close(self, account: AccountView, reason: str) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        _, ok = self._message.guarded(lambda: self._ctx.services.customer_accounts.close(actor, account.id, reason))
        if ok:
            self._done(self.tr("{account} closed.").format(account=account.masked))

    def _done(self, text: str) -> None:
        self.changed.emit()
        self._message.report(text)


class AddAccountDialog(FormDialog):
    def __init__(self, context: AppContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add account"), self.tr("A new account or card"), parent)
        self.setObjectName("addAccountDialog")
        self._ctx = context
        self.customer_id = customer_id
        self.fields = FieldMessages(self)
        self.message = MessageBar(name="addAccountMessage")
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("accountNumberEdit")
        self.number_edit.setMaxLength(40)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("accountKindCombo")
        for code in ACCOUNT_KINDS:
            self.kind_combo.addItem(account_kind_label(code), code)
        self.opened_date = date_input(business_day(context.clock(), context.branch.timezone))
        self.opened_date.setObjectName("accountOpenedDate")
        self.form.addRow(self.tr("Number:"), self.fields.wrap("account number", self.number_edit))
        self.form.addRow(self.tr("Type:"), self.fields.wrap("account type", self.kind_combo))
        self.form.addRow(self.tr("Opened on:"), self.opened_date)
        self.layout().insertWidget(self.layout().count() - 1, self.message)
        self.fields.all_cleared.connect(self.message.clear)
        self.set_ok_text(self.tr("Add"))

    def accept(self) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        account = AccountInput(self.number_edit.text(), self.kind_combo.currentData(),
                               self.opened_date.date().toPython())  # type: ignore[arg-type]
        _, ok = self.message.guarded(
            lambda: self._ctx.services.customer_accounts.add(actor, self.customer_id, account), refused=self.fields.show)
        if ok:
            super().accept()
