"""Customers pane: one search box, masked results paged in the background, the profile beside
them; the lobby manager's follow-ups due; the CSV import (supervisor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission, Role
from app.services.customers.views import CustomerHit, Profile, SearchPage
from ui.context import AppContext
from ui.customers.arrivals_box import ArrivalsBox
from ui.customers.labels import compliance_label, follow_up_label, person_text, tier_label
from ui.customers.profile_view import ProfileView
from ui.errors import describe, describe_unexpected
from ui.message_bar import guarded
from ui.table_model import Column, RecordTableModel
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.event_bridge import EventBridge

# Typing pauses this long before a search starts: one query per word typed, not per key.
SEARCH_DELAY_MS = 250


class CustomersPane(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 bridge: EventBridge | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._bridge = bridge
        self.page = 0
        self.last_page: SearchPage | None = None
        self.import_dialog: QWidget | None = None
        self.search_worker = Worker(self)
        self.search_worker.result.connect(self._show_page)
        self.search_worker.error.connect(self._show_error)
        self.profile_worker = Worker(self)
        self.profile_worker.result.connect(self._show_profile)
        self.profile_worker.error.connect(self._show_error)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("customerSearch")
        self.search_edit.setPlaceholderText(
            self.tr("Name, ID number, phone (or its last 4 digits), card or account number, credit code"))
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: self.search(0))
        self.search_edit.textChanged.connect(lambda _text: self._debounce.start())
        self.search_edit.returnPressed.connect(lambda: self.search(0))

        self.model: RecordTableModel[CustomerHit] = RecordTableModel([
            Column(self.tr("Name"), lambda h: h.name),
            Column(self.tr("Gender · age"), lambda h: person_text(h.gender, h.age_band)),
            Column(self.tr("ID number"), lambda h: h.id_masked),
            Column(self.tr("Phone"), lambda h: h.phone_masked), Column(self.tr("Tier"), lambda h: tier_label(h.tier)),
            Column(self.tr("Compliance"), lambda h: compliance_label(h.compliance))])
        self.results = QTableView()
        self.results.setObjectName("customerResults")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # name and ID number whole
        header.setStretchLastSection(True)
        # One click, Enter or a double click opens the profile (activated is Enter, and a click
        # or double click as the platform has it).
        for signal in (self.results.clicked, self.results.activated):
            signal.connect(lambda index: self.open_profile(self.model.row_at(index.row()).id))
        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search,
                                       context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.prev_button = QPushButton(self.tr("◀ Previous"))
        self.prev_button.setObjectName("prevPage")
        self.prev_button.clicked.connect(lambda: self.search(self.page - 1))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setObjectName("nextPage")
        self.next_button.clicked.connect(lambda: self.search(self.page + 1))
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        paging = QHBoxLayout()
        paging.addWidget(self.status, 1)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.next_button)

        left = QVBoxLayout()
        left.addWidget(self.search_edit)
        left.addWidget(self.results, 1)
        left.addLayout(paging)
        self.due_box = self._build_due_box()
        left.addWidget(self.due_box)
        self.own_box = self._build_own_box()
        left.addWidget(self.own_box)
        self.arrivals: ArrivalsBox | None = None
        actor = context.actor
        if actor is not None and actor.role in (Role.LOBBY_MANAGER, Role.SUPERVISOR, *RELATIONSHIP_MANAGERS):
            self.arrivals = ArrivalsBox(context, bridge, mine_only=actor.role in RELATIONSHIP_MANAGERS)
            self.arrivals.customer_chosen.connect(self.open_profile)
            self.arrivals.arrived.connect(lambda _ticket: self.status.setText(self.tr("A customer has arrived.")))
            left.insertWidget(0, self.arrivals)
        self.reviews_box = self._build_reviews_box()
        left.addWidget(self.reviews_box)
        self.import_button = QPushButton(self.tr("Import customers…"))
        self.import_button.setObjectName("importCustomersButton")
        self.import_button.setVisible(self._allowed(Permission.IMPORT_CUSTOMERS))
        self.import_button.clicked.connect(self.choose_import_file)
        left.addWidget(self.import_button)
        self.register_button = QPushButton(self.tr("Register a customer…"))
        self.register_button.setObjectName("registerCustomerButton")
        self.register_button.setVisible(self._allowed(Permission.EDIT_CUSTOMERS))
        self.register_button.clicked.connect(self.open_register)
        self.record_dialog: QWidget | None = None
        left.addWidget(self.register_button)
        left_widget = QWidget()
        left_widget.setLayout(left)

        self.profile_view = ProfileView(context)
        self.profile_view.changed.connect(self.refresh_profile)
        self.profile_view.open_customer.connect(self.open_profile)
        self.profile_view.hide()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.profile_view)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(scroll)
        splitter.setSizes([480, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._update_paging()
        self.refresh_due()
        self.refresh_own()
        self.refresh_reviews()

    def _allowed(self, permission: Permission) -> bool:
        return self._ctx.allows(permission)

    def _customer_list(self, title: str, name: str, visible: bool) -> tuple[QGroupBox, QListWidget]:
        """A titled list of customers; activating a line opens that customer's profile."""
        box = QGroupBox(title)
        box.setObjectName(name)
        listing = QListWidget()
        listing.setObjectName(f"{name}List")
        listing.itemActivated.connect(lambda item: self.open_profile(item.data(256)))
        QVBoxLayout(box).addWidget(listing)
        box.setVisible(visible)
        return box, listing

    def _build_due_box(self) -> QGroupBox:
        actor = self._ctx.actor
        box, self.due_list = self._customer_list(
            self.tr("Follow-ups due"), "followUpsDue",
            actor is not None and actor.role in (Role.LOBBY_MANAGER, Role.SUPERVISOR, *RELATIONSHIP_MANAGERS))
        return box

    def _build_own_box(self) -> QGroupBox:
        """A relationship manager's own customers (客户经理: "my customers")."""
        actor = self._ctx.actor
        box, self.own_list = self._customer_list(self.tr("My customers"), "ownCustomers",
                                                 actor is not None and actor.role in RELATIONSHIP_MANAGERS)
        return box

    def _build_reviews_box(self) -> QGroupBox:
        """Periodic reviews due within a month (the lobby manager's, a supervisor's, a manager's own);
        whoever watches follow-ups watches reviews."""
        box, self.reviews_list = self._customer_list(self.tr("Reviews due"), "reviewsDue", not self.due_box.isHidden())
        return box

    def _fill(self, box: QGroupBox, listing: QListWidget, read: Callable[[], list[tuple[str, int]]]) -> None:
        """Read a box's lines (text, customer id) unless the box is hidden; a refusal goes to the status line."""
        if box.isHidden():
            return
        lines, ok = guarded(self.status.setText, read)
        if not ok:
            return
        listing.clear()
        for text, customer_id in lines or []:
            listing.addItem(text)
            listing.item(listing.count() - 1).setData(256, customer_id)

    def refresh_reviews(self) -> None:
        self._fill(self.reviews_box, self.reviews_list, lambda: [
            (f"{day}  {hit.name}  {hit.phone_masked}", hit.id) for hit, day in
            self._ctx.services.customer_records.reviews_due(self._ctx.actor, self._ctx.branch.id,  # type: ignore[arg-type]
                                                            within_days=30)])

    def refresh_own(self) -> None:
        self._fill(self.own_box, self.own_list, lambda: [
            (f"{hit.name}  {hit.phone_masked}  {tier_label(hit.tier)}", hit.id)
            for hit in self._ctx.services.relationship_managers.own_customers(self._ctx.actor)])  # type: ignore[arg-type]

    # -- search ------------------------------------------------------------------------
    def search(self, page: int = 0) -> None:
        if self._ctx.actor is None:
            return
        self.page = max(0, page)
        size = self._ctx.settings.get("customers.search_page_size")
        self.status.setText(self.tr("Searching…"))
        self.search_worker.run(self._ctx.services.customers.search, self._ctx.actor, self.search_edit.text(),
                               page=self.page, page_size=size)

    def _show_page(self, page: SearchPage) -> None:
        self.last_page = page
        self.model.set_rows(page.items)
        if page.mode == "empty":
            self.status.setText("")
        elif not page.items:
            self.status.setText(self.tr("No customers found."))
        else:
            self.status.setText(self.tr("Page {page}").format(page=page.page + 1))
        self._update_paging()

    def _update_paging(self) -> None:
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(bool(self.last_page and self.last_page.has_more))

    def _show_error(self, error: object) -> None:
        from ui.worker import Cancelled

        if isinstance(error, Cancelled):
            return
        self.status.setText(describe(error) if isinstance(error, DomainError)
                            else describe_unexpected(error))  # type: ignore[arg-type]

    def focus_search(self) -> None:
        """Ctrl+F: the cursor in the search box, its text selected to type over."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- profile -----------------------------------------------------------------------
    def open_profile(self, customer_id: int) -> None:
        if self._ctx.actor is not None:
            self.profile_worker.run(self._ctx.services.customers.profile, self._ctx.actor, customer_id)

    def refresh_profile(self) -> None:
        if self.profile_view.profile is not None:
            self.open_profile(self.profile_view.profile.id)
        self.refresh_due()
        self.refresh_own()
        self.refresh_reviews()

    def _show_profile(self, profile: Profile) -> None:
        self.profile_view.show_profile(profile)
        self.profile_view.show()

    def refresh_due(self) -> None:
        """The follow-ups due within a week (the lobby manager's, a supervisor's, a manager's own)."""
        self._fill(self.due_box, self.due_list, lambda: [
            (f"{f.due_on}  {f.customer_name}  {follow_up_label(f.kind)}", f.customer_id) for f in
            self._ctx.services.customers.follow_ups_due(self._ctx.actor, self._ctx.branch.id,  # type: ignore[arg-type]
                                                        within_days=7)])

    def open_register(self) -> QWidget:
        """The form for a new customer; their profile opens once they are registered."""
        from ui.customers.record_dialog import CustomerRecordDialog

        dialog = CustomerRecordDialog(self._ctx, None, self)
        dialog.accepted.connect(lambda: dialog.created_id is not None and self.open_profile(dialog.created_id))
        dialog.finished.connect(dialog.deleteLater)
        self.record_dialog = dialog
        dialog.open()
        return dialog

    # -- import ------------------------------------------------------------------------
    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import customers"), "", self.tr("CSV files (*.csv)"))
        if path:
            self.start_import(path)

    def start_import(self, path: str) -> QWidget:
        from ui.customers.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(self._ctx, path, self)
        self.import_dialog.open()
        return self.import_dialog

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.search_worker.cancel()
        self.profile_worker.cancel()
        if self.arrivals is not None:
            self.arrivals.stop_following()
        super().closeEvent(event)
