"""The complaint entry form: save as draft at any time, submit when the required fields are in."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain.complaint_entry import SHORT_LIMITS, ComplaintEntry
from app.domain.complaints_vocab import (
    BUSINESSES,
    CATEGORIES,
    CHANNELS,
    COMPLAINANT_KINDS,
    INTAKES,
    REASONS,
    SEVERITIES,
    Vocabulary,
)
from app.domain.errors import DomainError
from app.services.complaint_reads import ComplaintReads
from app.services.complaints import ComplaintService
from ui.context import AppContext
from ui.field_inputs import credit_code_input, id_number_input, phone_input
from ui.field_messages import FieldMessages
from ui.labels import counter_label
from ui.message_bar import MessageBar


class ComplaintEntryDialog(QDialog):
    """``saved(id)`` after a draft is saved; ``submitted(reference)`` after submission (then closes)."""

    saved = Signal(int)
    submitted = Signal(str)

    def __init__(self, context: AppContext, service: ComplaintService, reads: ComplaintReads,
                 entry: ComplaintEntry | None = None, complaint_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._service = service
        self._entry = entry or ComplaintEntry()
        self.complaint_id = complaint_id
        self.reference: str | None = None
        self.setWindowTitle(self.tr("Record complaint"))
        self.resize(720, 760)
        language = context.language

        def combo(name: str, vocab: Vocabulary, value: str | None, *, blank: bool = True) -> QComboBox:
            box = QComboBox()
            box.setObjectName(name)
            if blank:
                box.addItem("—", None)
            for term in vocab.terms:
                box.addItem(term.zh if language.startswith("zh") else term.en, term.code)
            box.setCurrentIndex(max(0, box.findData(value)) if value else 0)
            return box

        def line(name: str, value: str | None) -> QLineEdit:
            edit = QLineEdit(value or "")
            edit.setObjectName(name)
            edit.setMaxLength(SHORT_LIMITS.get(name.removesuffix("Edit"), 200) + 50)
            return edit

        def text(name: str, value: str | None) -> QPlainTextEdit:
            edit = QPlainTextEdit(value or "")
            edit.setObjectName(name)
            edit.setMinimumHeight(70)
            return edit

        e = self._entry
        self.intake = combo("intakeCombo", INTAKES, e.intake)
        self.channel = combo("channelCombo", CHANNELS, e.channel)
        self.business = combo("businessCombo", BUSINESSES, e.business)
        self.reason = combo("reasonCombo", REASONS, e.reason)
        self.category = combo("categoryCombo", CATEGORIES, e.category)
        self.severity = combo("severityCombo", SEVERITIES, e.severity or "general")
        self.kind = combo("kindCombo", COMPLAINANT_KINDS, e.complainant_kind, blank=False)
        self.name = line("complainant_name", e.complainant_name)
        self.id_number = line("complainant_id_number", e.complainant_id_number)
        self.contact = line("complainant_contact", e.complainant_contact)
        self.org_name = line("org_name", e.org_name)
        self.credit_code = line("org_credit_code", e.org_credit_code)
        self.legal_rep = line("org_legal_rep", e.org_legal_rep)
        self.agent_name = line("agent_name", e.agent_name)
        self.agent_contact = line("agent_contact", e.agent_contact)
        self.agent_authorisation = line("agent_authorisation", e.agent_authorisation)
        self.subject_counter = QComboBox()
        self.subject_counter.setObjectName("subjectCounterCombo")
        self.subject_counter.addItem("—", None)
        for cid, number, name in reads.branch_counters(context.branch.id):
            self.subject_counter.addItem(counter_label(number, name), cid)  # "Counter 1" in English
        self.subject_counter.setCurrentIndex(max(0, self.subject_counter.findData(e.subject_counter_id)))
        self.subject_user = QComboBox()
        self.subject_user.setObjectName("subjectUserCombo")
        self.subject_user.addItem("—", None)
        for uid, name in reads.branch_staff(context.branch.id):
            self.subject_user.addItem(name, uid)
        self.subject_user.setCurrentIndex(max(0, self.subject_user.findData(e.subject_user_id)))
        self.subject_note = line("subject_note", e.subject_note)
        self.request = text("request", e.request)
        self.facts = text("facts", e.facts)
        self.attachments = text("attachments", "\n".join(e.attachments))
        self.attachments.setPlaceholderText(self.tr("One document per line, e.g. copy of ID card"))

        self.fields = FieldMessages(self)
        id_number_input(self.id_number)
        for edit in (self.contact, self.agent_contact):
            phone_input(edit)
        credit_code_input(self.credit_code)

        def group(title: str, rows: list[tuple[str, str, QWidget]]) -> QGroupBox:
            box = QGroupBox(title)
            form = QFormLayout(box)
            for label, name, widget in rows:
                form.addRow(label, self.fields.wrap(name, widget))
            return box

        classification = group(self.tr("Classification (JR/T 0169-2018)"), [
            (self.tr("Received via:"), "intake", self.intake), (self.tr("Channel:"), "channel", self.channel),
            (self.tr("Business:"), "business", self.business), (self.tr("Reason:"), "reason", self.reason),
            (self.tr("Category:"), "category", self.category), (self.tr("Severity:"), "severity", self.severity)])
        person = group(self.tr("Complainant"), [
            (self.tr("Type:"), "complainant_kind", self.kind), (self.tr("Name:"), "complainant_name", self.name),
            (self.tr("ID number:"), "complainant_id_number", self.id_number),
            (self.tr("Contact:"), "complainant_contact", self.contact),
            (self.tr("Organisation:"), "org_name", self.org_name),
            (self.tr("Unified social credit code:"), "org_credit_code", self.credit_code),
            (self.tr("Legal representative:"), "org_legal_rep", self.legal_rep),
            (self.tr("Agent:"), "agent_name", self.agent_name),
            (self.tr("Agent contact:"), "agent_contact", self.agent_contact),
            (self.tr("Authorisation:"), "agent_authorisation", self.agent_authorisation)])
        subject = group(self.tr("Complaint"), [
            (self.tr("Counter complained about:"), "subject_counter_id", self.subject_counter),
            (self.tr("Staff complained about:"), "subject_user_id", self.subject_user),
            (self.tr("Subject details:"), "subject_note", self.subject_note),
            (self.tr("Request:"), "request", self.request), (self.tr("Facts and reasons:"), "facts", self.facts),
            (self.tr("Documents received:"), "attachments", self.attachments)])

        body = QWidget()
        column = QVBoxLayout(body)
        for box in (classification, person, subject):
            column.addWidget(box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.message = MessageBar(name="entryMessage")
        self.fields.all_cleared.connect(self.message.clear)  # no stale line once the fields are right
        self.draft_button = QPushButton(self.tr("Save draft"))
        self.draft_button.setObjectName("saveDraftButton")
        self.draft_button.clicked.connect(self.save_draft)
        self.submit_button = QPushButton(self.tr("Submit"))
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("Close"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def entry(self) -> ComplaintEntry:
        """What the form holds now (cleaning and checks are the service's job)."""
        def value(edit: QLineEdit) -> str:
            return edit.text()

        return replace(
            self._entry, intake=self.intake.currentData(), channel=self.channel.currentData(),
            business=self.business.currentData(), reason=self.reason.currentData(),
            category=self.category.currentData(), severity=self.severity.currentData(),
            complainant_kind=self.kind.currentData(), complainant_name=value(self.name),
            complainant_id_number=value(self.id_number), complainant_contact=value(self.contact),
            org_name=value(self.org_name), org_credit_code=value(self.credit_code),
            org_legal_rep=value(self.legal_rep), agent_name=value(self.agent_name),
            agent_contact=value(self.agent_contact), agent_authorisation=value(self.agent_authorisation),
            subject_counter_id=self.subject_counter.currentData(), subject_user_id=self.subject_user.currentData(),
            subject_note=value(self.subject_note), request=self.request.toPlainText(),
            facts=self.facts.toPlainText(),
            attachments=tuple(self.attachments.toPlainText().splitlines()))

    def _mark(self, error: DomainError) -> None:
        """Show a refusal next to the fields it names, the cursor in the first; the bar sums up."""
        if not self.fields.show(error):
            return
        missing = error.params.get("missing")
        if missing:
            self.message.show_error(self.tr("Fill in the marked fields ({count}).").format(count=len(missing)))

    def save_draft(self) -> bool:
        saved, ok = self.message.guarded(lambda: self._service.save_draft(
            self._ctx.actor, self._ctx.branch.id, self.entry(), complaint_id=self.complaint_id), refused=self._mark)
        if not ok:
            return False
        self.complaint_id = saved
        self.message.show_info(self.tr("Draft saved."))
        self.saved.emit(self.complaint_id)
        return True

    def submit(self) -> bool:
        reference, ok = self.message.guarded(lambda: self._service.submit(
            self._ctx.actor, self._ctx.branch.id, self.entry(), complaint_id=self.complaint_id), refused=self._mark)
        if not ok:
            return False
        self.reference = reference
        self.submitted.emit(self.reference)
        self.accept()
        return True
