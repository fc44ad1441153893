"""Registering a customer at the counter, or changing a record: one form for both.

New: person or company, name, ID number or credit code, phones, address, occupation (a
person) or legal representative, contact, industry, size and licence expiry (a company), and
the consent — the date and what it covers; keeping the data for the service is required.

Change: the values the services show masked (name, address, phones) are never filled in:
their fields show the masked value as a hint and change only what is typed; a phone is
removed by ticking it and a new one typed. Other values are filled in. The service checks
everything and names the refused field, which the form marks under it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.business_day import business_day
from app.domain.customer_record import ConsentScope, EnterpriseSize
from app.services.customers.editing import CustomerChanges
from app.services.customers.records import CustomerInput
from app.services.customers.views import Profile
from ui.context import AppContext
from ui.customers.labels import tier_input_labels
from ui.dialogs.base import FormDialog
from ui.field_inputs import credit_code_input, date_input, id_number_input, phone_input
from ui.field_messages import FieldMessages
from ui.message_bar import MessageBar


def scope_labels() -> dict[ConsentScope, str]:
    return {
        ConsentScope.SERVICE: QCoreApplication.translate("Customers", "Keep and use the data to serve the customer"),
        ConsentScope.MARKETING: QCoreApplication.translate("Customers", "Contact for marketing and care"),
        ConsentScope.SHARING: QCoreApplication.translate("Customers", "Share within the banking group"),
    }


def size_labels() -> dict[EnterpriseSize, str]:
    return {
        EnterpriseSize.LARGE: QCoreApplication.translate("Customers", "Large"),
        EnterpriseSize.MEDIUM: QCoreApplication.translate("Customers", "Medium"),
        EnterpriseSize.SMALL: QCoreApplication.translate("Customers", "Small"),
        EnterpriseSize.MICRO: QCoreApplication.translate("Customers", "Micro"),
    }


class CustomerRecordDialog(FormDialog):
    """``profile`` None: register a new customer; else change that record."""

    def __init__(self, context: AppContext, profile: Profile | None = None, parent: QWidget | None = None) -> None:
        editing = profile is not None
        super().__init__(self.tr("Change customer record") if editing else self.tr("Register a customer"),
                         self.tr("Change {name}").format(name=profile.name) if profile is not None
                         else self.tr("New customer"), parent)
        self.setObjectName("customerRecordDialog")
        self._ctx = context
        self.profile = profile
        #: After Save: the new customer's id, or the changed fields.
        self.created_id: int | None = None
        self.changed_fields: list[str] = []
        self.fields = FieldMessages(self)
        self.message = MessageBar(name="recordMessage")
        self.fields.all_cleared.connect(self.message.clear)

        # Parented to the dialog: a change form never shows them (a record keeps its type and ID).
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        self.kind_combo.addItem(self.tr("Individual"), "resident_id")
        self.kind_combo.addItem(self.tr("Corporate"), "uscc")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.id_edit = QLineEdit(self)
        self.id_edit.setObjectName("idNumberEdit")
        self.phone_edit = phone_input(QLineEdit())
        self.phone_edit.setObjectName("phoneEdit")
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("addressEdit")
        self.occupation_edit = QLineEdit()
        self.occupation_edit.setObjectName("occupationEdit")
        self.legal_edit = QLineEdit()
        self.legal_edit.setObjectName("legalRepresentativeEdit")
        self.contact_edit = QLineEdit()
        self.contact_edit.setObjectName("contactEdit")
        self.industry_edit = QLineEdit()
        self.industry_edit.setObjectName("industryEdit")
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("sizeCombo")
        self.size_combo.addItem("—", "")
        for size, label in size_labels().items():
            self.size_combo.addItem(label, size.value)
        self.licence_check = QCheckBox(self.tr("Expires on"))
        self.licence_check.setObjectName("licenceCheck")
        self.licence_date = date_input(self._today())
        self.licence_date.setObjectName("licenceDate")
        self.licence_check.toggled.connect(self.licence_date.setEnabled)
        self.licence_date.setEnabled(False)
        self.scope_checks: dict[ConsentScope, QCheckBox] = {}
        scope_box = QWidget()
        scope_column = QVBoxLayout(scope_box)
        scope_column.setContentsMargins(0, 0, 0, 0)
        for scope, label in scope_labels().items():
            check = QCheckBox(label)
            check.setObjectName(f"consent_{scope.value}")
            self.scope_checks[scope] = check
            scope_column.addWidget(check)
        self.consent_date = date_input(self._today())
        self.consent_date.setObjectName("consentDate")
        self.grade_combos = {name: _choice_combo(labels, name) for name, labels in tier_input_labels().items()}
        self.remove_checks: dict[int, QCheckBox] = {}

        form = self.form
        self.kind_combo.setVisible(not editing)
        self.id_edit.setVisible(not editing)
        if profile is None:
            form.addRow(self.tr("Customer type:"), self.kind_combo)
        form.addRow(self.tr("Name:"), self.fields.wrap("customer name", self.name_edit))
        if profile is None:
            form.addRow(self.tr("ID number:"), self.fields.wrap("ID number", self.id_edit))
            self.fields.alias("credit code", "ID number")
        else:
            for phone in profile.phones:
                check = QCheckBox(self.tr("Remove {phone}").format(phone=phone.masked))
                check.setObjectName(f"removePhone_{phone.id}")
                self.remove_checks[phone.id] = check
                form.addRow(self.tr("Phone:"), check)
        form.addRow(self.tr("New phone:") if editing else self.tr("Phone:"), self.fields.wrap("phone", self.phone_edit))
        form.addRow(self.tr("Address:"), self.fields.wrap("address", self.address_edit))
        self._person_rows = [self.fields.wrap("occupation", self.occupation_edit)]
        form.addRow(self.tr("Occupation:"), self._person_rows[0])
        licence_row = QWidget()
        licence_line = QHBoxLayout(licence_row)
        licence_line.setContentsMargins(0, 0, 0, 0)
        licence_line.addWidget(self.licence_check)
        licence_line.addWidget(self.licence_date, 1)
        self._company_rows = [self.fields.wrap("legal representative", self.legal_edit),
                              self.fields.wrap("contact", self.contact_edit),
                              self.fields.wrap("industry", self.industry_edit),
                              self.fields.wrap("enterprise size", self.size_combo), licence_row]
        for label, row in zip((self.tr("Legal representative:"), self.tr("Contact person:"), self.tr("Industry:"),
                               self.tr("Enterprise size:"), self.tr("Business licence:")), self._company_rows):
            form.addRow(label, row)
        form.addRow(self.tr("Consent covers:"), self.fields.wrap("consent", scope_box))
        form.addRow(self.tr("Consent given on:"), self.fields.wrap("consent date", self.consent_date))
        for name, combo in self.grade_combos.items():
            form.addRow(_grade_title(name), self.fields.wrap(name, combo))
        self.layout().insertWidget(self.layout().count() - 1, self.message)
        self.set_ok_text(self.tr("Save"))

        self.kind_combo.currentIndexChanged.connect(self._show_kind)
        if profile is not None:
            self._fill(profile)
        else:  # what an import assumes when a column is empty
            for name, code in (("asset band", "low"), ("activity band", "low"), ("credit grade", "fair"),
                               ("compliance", "compliant")):
                combo = self.grade_combos[name]
                combo.setCurrentIndex(max(0, combo.findData(code)))
        self._show_kind()
        self._set_tab_order()

    # -- filling and showing -------------------------------------------------------------
    def _today(self) -> date:
        return business_day(self._ctx.clock(), self._ctx.branch.timezone)

    def _fill(self, profile: Profile) -> None:
        """Fill in what the profile shows whole; masked values only as hints."""
        self.name_edit.setPlaceholderText(profile.name)
        self.address_edit.setPlaceholderText(profile.address or "")
        self.occupation_edit.setText(profile.occupation or "")
        self.legal_edit.setText(profile.legal_representative or "")
        self.contact_edit.setText(profile.contact_name or "")
        self.industry_edit.setText(profile.industry or "")
        self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(profile.enterprise_size or "")))
        if profile.licence_expires_on is not None:
            self.licence_check.setChecked(True)
            self.licence_date.setDate(profile.licence_expires_on)
        for scope, check in self.scope_checks.items():
            check.setChecked(scope.value in profile.consent_scope)
        if profile.consent_date is not None:
            self.consent_date.setDate(profile.consent_date)
        for name, value in (("asset band", profile.asset_band), ("activity band", profile.activity_band),
                            ("credit grade", profile.credit_grade), ("compliance", profile.compliance)):
            combo = self.grade_combos[name]
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def _is_company(self) -> bool:
        if self.profile is not None:
            return self.profile.kind == "corporate"
        return self.kind_combo.currentData() == "uscc"

    def _show_kind(self) -> None:
        company = self._is_company()
        for rows, visible in ((self._person_rows, not company), (self._company_rows, company)):
            for row in rows:
                row.setVisible(visible)
                label = self.form.labelForField(row)
                if label is not None:
                    label.setVisible(visible)
        if self.profile is None:
            self.id_edit.setValidator(None)
            (credit_code_input if company else id_number_input)(self.id_edit)
            label = self.form.labelForField(self.id_edit.parentWidget())
            if label is not None:
                label.setText(self.tr("Credit code:") if company else self.tr("ID number:"))

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [w for w in (self.kind_combo, self.name_edit, self.id_edit) if self.profile is None
                                or w is self.name_edit]
        chain += list(self.remove_checks.values())
        chain += [self.phone_edit, self.address_edit, self.occupation_edit, self.legal_edit, self.contact_edit,
                  self.industry_edit, self.size_combo, self.licence_check, self.licence_date,
                  *self.scope_checks.values(), self.consent_date, *self.grade_combos.values(), self.ok_button,
                  self.cancel_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- what the form holds --------------------------------------------------------------
    def _scope(self) -> tuple[str, ...]:
        return tuple(scope.value for scope, check in self.scope_checks.items() if check.isChecked())

    def _licence(self) -> date | None:
        return self.licence_date.date().toPython() if self.licence_check.isChecked() else None  # type: ignore[return-value]

    def new_customer(self) -> CustomerInput:
        company = self._is_company()
        scope = self._scope()
        return CustomerInput(
            name=self.name_edit.text(), id_type=self.kind_combo.currentData(), id_number=self.id_edit.text(),
            phones=(self.phone_edit.text(),), address=self.address_edit.text(),
            occupation="" if company else self.occupation_edit.text(), consent=bool(scope), consent_scope=scope,
            consent_date=self.consent_date.date().toPython(),  # type: ignore[arg-type]
            legal_representative=self.legal_edit.text() if company else "",
            contact_name=self.contact_edit.text() if company else "",
            industry=self.industry_edit.text() if company else "",
            enterprise_size=self.size_combo.currentData() if company else "",
            licence_expires_on=self._licence() if company else None,
            **{_INPUT_NAMES[name]: combo.currentData() for name, combo in self.grade_combos.items()})

    def changes(self) -> CustomerChanges:
        """Only what differs from the record (typed masked fields, ticked phones, edited values)."""
        profile = self.profile
        assert profile is not None
        company = profile.kind == "corporate"

        def typed(edit: QLineEdit) -> str | None:
            return edit.text() if edit.text().strip() else None

        scope = self._scope()
        given_on = self.consent_date.date().toPython()
        return CustomerChanges(
            name=typed(self.name_edit), address=typed(self.address_edit),
            occupation=None if company else self.occupation_edit.text(),
            legal_representative=self.legal_edit.text() if company else None,
            contact_name=self.contact_edit.text() if company else None,
            industry=self.industry_edit.text() if company else None,
            enterprise_size=self.size_combo.currentData() if company else None,
            licence_expires_on=self._licence() if company else None,
            consent_scope=scope if scope != profile.consent_scope else None,
            consent_date=given_on if given_on != profile.consent_date else None,  # type: ignore[arg-type]
            add_phones=(self.phone_edit.text(),) if self.phone_edit.text().strip() else (),
            remove_phone_ids=tuple(pid for pid, check in self.remove_checks.items() if check.isChecked()),
            **{_INPUT_NAMES[name]: combo.currentData() for name, combo in self.grade_combos.items()})

    # -- saving ----------------------------------------------------------------------------
    def accept(self) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        if self.profile is None:
            created, ok = self.message.guarded(
                lambda: self._ctx.services.customers.create(actor, self.new_customer()), refused=self.fields.show)
            if ok:
                self.created_id = created
        else:
            profile_id = self.profile.id
            changed, ok = self.message.guarded(
                lambda: self._ctx.services.customer_records.change(actor, profile_id, self.changes()),
                refused=self.fields.show)
            if ok:
                self.changed_fields = changed or []
        if ok:
            super().accept()


#: The form's grade fields → CustomerInput / CustomerChanges attributes.
_INPUT_NAMES = {"asset band": "asset_band", "activity band": "activity_band", "credit grade": "credit_grade",
                "compliance": "compliance"}


def _grade_title(name: str) -> str:
    from ui.error_fields import field_names

    return field_names().get(name, name) + ":"


def _choice_combo(labels: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name.replace(" ", "_") + "Combo")
    for code, label in labels.items():
        combo.addItem(label, code)
    combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return combo

