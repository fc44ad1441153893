"""Recording a periodic review (定期复核) of a customer's record: what was confirmed with them.
The next review's date follows from the branch's setting (and a company's licence expiry)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.services.customers.views import Profile
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.field_messages import FieldMessages
from ui.message_bar import MessageBar


def review_item_labels() -> dict[str, str]:
    return {
        "identity": QCoreApplication.translate("Customers", "Identity document seen and valid"),
        "contact": QCoreApplication.translate("Customers", "Phones and contact confirmed"),
        "address": QCoreApplication.translate("Customers", "Address confirmed"),
        "occupation": QCoreApplication.translate("Customers", "Occupation confirmed"),
        "licence": QCoreApplication.translate("Customers", "Business licence seen and valid"),
    }


class ReviewDialog(FormDialog):
    def __init__(self, context: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Periodic review"), self.tr("Review of {name}").format(name=profile.name), parent)
        self.setObjectName("reviewDialog")
        self._ctx = context
        self.profile = profile
        self.next_due = None
        self.fields = FieldMessages(self)
        self.message = MessageBar(name="reviewMessage")
        skip = "occupation" if profile.kind == "corporate" else "licence"
        self.checks: dict[str, QCheckBox] = {}
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        for code, label in review_item_labels().items():
            if code == skip:
                continue
            check = QCheckBox(label)
            check.setObjectName(f"review_{code}")
            self.checks[code] = check
            column.addWidget(check)
        self.form.addRow(self.tr("Confirmed:"), self.fields.wrap("review", holder))
        self.set_hint(self.tr("Update what changed with Change record… first; the review records what was checked."))
        self.layout().insertWidget(self.layout().count() - 1, self.message)
        self.set_ok_text(self.tr("Record review"))

    def accept(self) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        confirmed = [code for code, check in self.checks.items() if check.isChecked()]
        due, ok = self.message.guarded(
            lambda: self._ctx.services.customer_records.review(actor, self.profile.id, confirmed),
            refused=self.fields.show)
        if ok:
            self.next_due = due
            super().accept()
