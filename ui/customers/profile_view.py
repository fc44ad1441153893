"""One customer's profile: identity (masked), tier and compliance badge, phones and accounts
with Reveal, today's and past tickets, notes (add one), open follow-ups (plan one, mark done).

Reveal asks for a reason, shows the full value for ``customers.reveal_seconds`` and masks it
again; the service writes the audit entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.business_day import business_day
from app.services.customers.views import Profile, TicketLine
from ui.context import AppContext
from ui.customers.labels import (COMPLIANCE_COLOURS, compliance_label, follow_up_label, kind_label, tier_label,
                                 visit_status_label)
from ui.customers.accounts_box import AccountsBox
from ui.style import ERROR_TEXT
from ui.customers.record_dialog import scope_labels, size_labels
from ui.field_inputs import date_input
from ui.message_bar import MessageBar
from ui.reveal import MaskedValue, RevealDialog
from ui.table_model import Column, RecordTableModel


class ProfileView(QWidget):
    changed = Signal()
    #: Show another customer's profile (the record kept by a merge).
    open_customer = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.profile: Profile | None = None
        self.values: dict[tuple[str, int], MaskedValue] = {}
        self.reveal_dialog: RevealDialog | None = None

        self.title = QLabel()
        self.title.setObjectName("profileTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.tier_badge = QLabel()
        self.tier_badge.setObjectName("tierBadge")
        self.compliance_badge = QLabel()
        self.compliance_badge.setObjectName("complianceBadge")
        self.edit_button = QPushButton(self.tr("Change record…"))
        self.edit_button.setObjectName("editRecordButton")
        self.edit_button.clicked.connect(self.open_editor)
        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.setObjectName("recordHistoryButton")
        self.history_button.clicked.connect(self.open_history)
        from app.domain.roles import Permission

        self._can_edit = context.allows(Permission.EDIT_CUSTOMERS)
        self.edit_button.setVisible(self._can_edit)
        self.review_button = QPushButton(self.tr("Record review…"))
        self.review_button.setObjectName("reviewButton")
        self.review_button.clicked.connect(self.open_review)
        self.review_button.setVisible(self._can_edit)
        self.history_button.setVisible(context.allows(Permission.VIEW_AUDIT))
        self.duplicates_button = QPushButton(self.tr("Duplicates…"))
        self.duplicates_button.setObjectName("duplicatesButton")
        self.duplicates_button.clicked.connect(self.open_duplicates)
        self.duplicates_button.setVisible(context.allows(Permission.MERGE_CUSTOMERS))
        self.assign_button = QPushButton(self.tr("Relationship manager…"))
        self.assign_button.setObjectName("assignManagerButton")
        self.assign_button.clicked.connect(self.open_assign)
        self.assign_button.setVisible(context.allows(Permission.ASSIGN_CUSTOMERS))
        self.record_dialog: QWidget | None = None
        self._saved_message = ""
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.tier_badge)
        head.addWidget(self.compliance_badge)
        head.addStretch(1)
        # The record's actions under the title, in two short rows: one row would widen the
        # profile past a 1024-pixel screen's half (and scroll it sideways) for a supervisor.
        self.record_actions = QVBoxLayout()
        for buttons in ((self.edit_button, self.review_button, self.assign_button),
                        (self.history_button, self.duplicates_button)):
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            self.record_actions.addLayout(row)

        self.identity = QFormLayout()
        identity_box = QGroupBox(self.tr("Identity"))
        identity_box.setLayout(self.identity)

        self.tickets_model: RecordTableModel[TicketLine] = RecordTableModel([
            Column(self.tr("Day"), lambda t: t.business_day), Column(self.tr("Ticket"), lambda t: t.number),
            Column(self.tr("Business"), lambda t: t.business), Column(self.tr("Teller"), lambda t: t.teller),
            Column(self.tr("Status"), lambda t: visit_status_label(t.status))])
        self.tickets_table = _table(self.tickets_model, "ticketsTable")

        self.notes = QListWidget()
        self.notes.setObjectName("notesList")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("New note"))
        self.add_note_button = QPushButton(self.tr("Add note"))
        self.add_note_button.setObjectName("addNoteButton")
        self.add_note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.add_note_button)
        notes_box = QGroupBox(self.tr("Notes"))
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)
        notes_layout.addLayout(note_row)

        self.follow_ups = QListWidget()
        self.follow_ups.setObjectName("followUpList")
        self.done_button = QPushButton(self.tr("Mark done"))
        self.done_button.setObjectName("followUpDoneButton")
        self.done_button.clicked.connect(self.complete_follow_up)
        self.follow_kind = QComboBox()
        self.follow_kind.setObjectName("followUpKind")
        for code in ("revisit", "birthday"):
            self.follow_kind.addItem(follow_up_label(code), code)
        # A week from the branch's today (not the PC's: its clock may keep another zone).
        self.follow_due = date_input(business_day(context.clock(), context.branch.timezone) + timedelta(days=7))
        self.follow_due.setObjectName("followUpDue")
        self.add_follow_button = QPushButton(self.tr("Plan follow-up"))
        self.add_follow_button.setObjectName("addFollowUpButton")
        self.add_follow_button.clicked.connect(self.add_follow_up)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.follow_kind)
        plan_row.addWidget(self.follow_due)
        plan_row.addWidget(self.add_follow_button)
        follow_box = QGroupBox(self.tr("Open follow-ups"))
        follow_layout = QVBoxLayout(follow_box)
        follow_layout.addWidget(self.follow_ups)
        follow_layout.addWidget(self.done_button)
        follow_layout.addLayout(plan_row)

        self.message = MessageBar(name="profileMessage")
        self.accounts_box = AccountsBox(context, self.message)
        self.accounts_box.changed.connect(self.changed)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(self.record_actions)
        layout.addWidget(identity_box)
        layout.addWidget(QLabel(self.tr("Accounts and cards")))
        layout.addWidget(self.accounts_box)
        layout.addWidget(QLabel(self.tr("Visits (newest first)")))
        layout.addWidget(self.tickets_table)
        boxes = QHBoxLayout()
        boxes.addWidget(notes_box)
        boxes.addWidget(follow_box)
        layout.addLayout(boxes)
        # Sections other areas register (app/services/customer_views.register_profile_section).
        self.sections_layout = QVBoxLayout()
        self.section_lists: dict[str, QListWidget] = {}
        layout.addLayout(self.sections_layout)
        layout.addWidget(self.message)

    # -- showing -----------------------------------------------------------------------
    def show_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.title.setText(f"{profile.name}  ·  {kind_label(profile.kind)}")
        self.tier_badge.setText(tier_label(profile.tier) + f"  ({profile.score})")
        self.tier_badge.setStyleSheet("background: #f3e5ab; padding: 2px 8px; border-radius: 8px;")
        colour = COMPLIANCE_COLOURS.get(profile.compliance, "#666")
        self.compliance_badge.setText(compliance_label(profile.compliance))
        self.compliance_badge.setStyleSheet(f"background: {colour}; color: white; padding: 2px 8px; border-radius: 8px;")
        while self.identity.rowCount():
            self.identity.removeRow(0)
        self.values = {}
        can_reveal = self._can_reveal(profile)
        if profile.kind == "individual":
            self.identity.addRow(self.tr("Name:"), self._masked("name", None, profile.name, can_reveal))
        id_value = self._masked("id_number", None, profile.id_masked, can_reveal)
        self.identity.addRow(self.tr("ID number:"), id_value)
        if profile.id_warning:
            self.identity.addRow("", QLabel(self.tr("Note: region code not in the reference list")))
        for phone in profile.phones:
            self.identity.addRow(self.tr("Phone:"), self._masked("phone", phone.id, phone.masked, can_reveal))
        for account in profile.accounts:
            self.identity.addRow(self.tr("Account:"), self._masked("account", account.id, account.masked, can_reveal))
        if profile.kind == "individual" and profile.address:  # masked below the district, as the name
            self.identity.addRow(self.tr("Address:"), self._masked("address", None, profile.address, can_reveal))
        else:
            self.identity.addRow(self.tr("Address:"), QLabel(profile.address or ""))
        if profile.kind == "corporate":
            for label, value in ((self.tr("Legal representative:"), profile.legal_representative),
                                 (self.tr("Industry:"), profile.industry),
                                 (self.tr("Enterprise size:"), size_labels().get(profile.enterprise_size or "", "")),
                                 (self.tr("Business licence expires:"), profile.licence_expires_on)):
                if value:
                    self.identity.addRow(label, QLabel(str(value)))
        self.identity.addRow(self.tr("Relationship manager:"), QLabel(profile.manager_name or self.tr("none")))
        review = QLabel(self.tr("due {due} (last {last})").format(due=profile.review_due_on,
                                                                  last=profile.reviewed_on or "—")
                        if profile.review_due_on else self.tr("not scheduled"))
        review.setObjectName("reviewDue")
        if profile.review_due_on is not None and profile.review_due_on <= business_day(
                self._ctx.clock(), self._ctx.branch.timezone):
            review.setStyleSheet(ERROR_TEXT)  # overdue
        self.identity.addRow(self.tr("Periodic review:"), review)
        covers = [text for scope, text in scope_labels().items() if scope.value in profile.consent_scope]
        self.identity.addRow(self.tr("Consent:"), _wrapped(
            self.tr("given on {day}: {covers}").format(day=profile.consent_date, covers=self.tr("; ").join(covers))
            if profile.consent else self.tr("not given")))
        self.accounts_box.show_profile(profile, can_edit=self._can_edit)
        self.tickets_model.set_rows(list(profile.tickets_today) + list(profile.tickets_past))
        self.notes.clear()
        for note in profile.notes:
            self.notes.addItem(f"{note.at:%Y-%m-%d %H:%M}  {note.author or ''}: {note.text}")
        self.follow_ups.clear()
        for f in profile.open_follow_ups:
            item = QListWidgetItem(f"{f.due_on}  {follow_up_label(f.kind)}  {f.note or ''}")
            item.setData(256, f.id)
            self.follow_ups.addItem(item)
        self._show_sections(profile)
        self.message.clear()
        if self._saved_message:  # the record was just changed: say so on the profile read again
            self.message.report(self._saved_message)
            self._saved_message = ""

    def _show_sections(self, profile: Profile) -> None:
        """One box per registered section; a row shows its ``summary`` (or str())."""
        for name, rows in profile.sections.items():
            if name not in self.section_lists:
                box = QGroupBox(self._section_title(name))
                box.setObjectName(f"section_{name}")
                listing = QListWidget()
                listing.setObjectName(f"sectionList_{name}")
                listing.setMaximumHeight(120)
                QVBoxLayout(box).addWidget(listing)
                self.sections_layout.addWidget(box)
                self.section_lists[name] = listing
            listing = self.section_lists[name]
            listing.clear()
            for row in rows:
                listing.addItem(str(getattr(row, "summary", row)))

    def _section_title(self, name: str) -> str:
        return {"checklists": self.tr("Checklists done"), "complaints": self.tr("Complaints")}.get(name, name)

    def _masked(self, field: str, item_id: int | None, masked: str, can_reveal: bool) -> MaskedValue:
        widget = MaskedValue(field, item_id, masked, can_reveal)
        widget.reveal_requested.connect(self.ask_reveal)
        self.values[(field, item_id or 0)] = widget
        return widget

    def _can_reveal(self, profile: Profile) -> bool:
        """Who may: tellers and supervisors; a relationship manager for their own customers."""
        from app.domain.roles import Permission

        actor = self._ctx.actor
        return self._ctx.allows(Permission.REVEAL_SENSITIVE) or (
            self._ctx.allows(Permission.REVEAL_OWN_CUSTOMERS) and actor is not None
            and profile.manager_id is not None and profile.manager_id == actor.user_id)

    # -- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog, on_accept: Callable[[], object] | None = None) -> QDialog:
        """Open one of the record's dialogs (kept as ``record_dialog``), deleted once closed."""
        if on_accept is not None:
            dialog.accepted.connect(on_accept)
        dialog.finished.connect(dialog.deleteLater)
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def open_editor(self) -> QWidget | None:
        """The change form for the record shown; the profile is read again once it is saved."""
        if self.profile is None:
            return None
        from ui.customers.record_dialog import CustomerRecordDialog

        dialog = CustomerRecordDialog(self._ctx, self.profile, self)
        return self._open(dialog, lambda: self._saved(dialog.changed_fields))

    def _saved(self, changed: list[str]) -> None:
        from ui.error_fields import field_names

        names = field_names()
        self._saved_message = self.tr("Saved: {fields}.").format(
            fields=self.tr(", ").join(names.get(name, name) for name in changed))
        self.changed.emit()

    def open_duplicates(self) -> QWidget | None:
        """Records that may be this customer too, side by side, and merging (a supervisor's)."""
        if self.profile is None:
            return None
        from ui.customers.merge_dialog import MergeDialog

        dialog = MergeDialog(self._ctx, self.profile, self)
        return self._open(dialog, lambda: dialog.kept_id is not None and self._merged(dialog.kept_id))

    def _merged(self, kept_id: int) -> None:
        self._saved_message = self.tr("Records merged into record {id}.").format(id=kept_id)
        self.open_customer.emit(kept_id)

    def open_review(self) -> QWidget | None:
        if self.profile is None:
            return None
        from ui.customers.review_dialog import ReviewDialog

        dialog = ReviewDialog(self._ctx, self.profile, self)
        return self._open(dialog, lambda: self._reviewed(dialog.next_due))

    def _reviewed(self, due: object) -> None:
        self._saved_message = self.tr("Review recorded; the next is due on {due}.").format(due=due)
        self.changed.emit()

    def open_assign(self) -> QWidget | None:
        """Give the customer a relationship manager of the branch (or none)."""
        if self.profile is None:
            return None
        from ui.customers.assign_dialog import AssignManagerDialog

        dialog = AssignManagerDialog(self._ctx, self.profile, self)
        return self._open(dialog, lambda: self._saved(["relationship manager"]))

    def open_history(self) -> QWidget | None:
        if self.profile is None:
            return None
        from ui.customers.history_dialog import CustomerHistoryDialog

        dialog = CustomerHistoryDialog(self._ctx, self.profile.id, self.profile.name, self)
        return self._open(dialog)

    def ask_reveal(self, field: str, item_id: int | None) -> RevealDialog:
        words = {"name": self.tr("name"), "id_number": self.tr("ID number"), "phone": self.tr("phone number"),
                 "account": self.tr("account number"), "address": self.tr("address")}
        dialog = RevealDialog(parent=self, what=words.get(field, ""))
        dialog.accepted.connect(lambda: self._reveal(field, item_id, dialog.reason() or ""))
        self.reveal_dialog = dialog
        dialog.open()
        return dialog

    def _reveal(self, field: str, item_id: int | None, reason: str) -> None:
        if self.profile is None or self._ctx.actor is None:
            return
        profile_id = self.profile.id
        value, ok = self.message.guarded(
            lambda: self._ctx.services.customers.reveal(self._ctx.actor, profile_id, field, reason, item_id=item_id))
        if not ok:
            return
        self.values[(field, item_id or 0)].show_value(value, self._ctx.settings.get("customers.reveal_seconds"))

    def add_note(self) -> None:
        if self.profile is None or self._ctx.actor is None:
            return
        profile_id = self.profile.id
        _, ok = self.message.guarded(
            lambda: self._ctx.services.customers.add_note(self._ctx.actor, profile_id, self.note_edit.text()))
        if not ok:
            return
        self.note_edit.clear()
        self.changed.emit()

    def add_follow_up(self) -> None:
        if self.profile is None or self._ctx.actor is None:
            return
        profile_id = self.profile.id
        _, ok = self.message.guarded(lambda: self._ctx.services.customers.add_follow_up(
            self._ctx.actor, profile_id, self.follow_kind.currentData(), self.follow_due.date().toPython()))
        if ok:
            self.changed.emit()

    def complete_follow_up(self) -> None:
        item = self.follow_ups.currentItem()
        if item is None or self._ctx.actor is None:
            return
        _, ok = self.message.guarded(
            lambda: self._ctx.services.customers.complete_follow_up(self._ctx.actor, item.data(256)))
        if ok:
            self.changed.emit()


def _table(model: RecordTableModel, name: str) -> QTableView:  # type: ignore[type-arg]
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setMaximumHeight(140)
    return table


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
