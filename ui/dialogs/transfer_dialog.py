"""Transfer the customer (转办): to another business type and/or a named counter.

The visit keeps its ticket number and original arrival time; the new segment queues by
arrival, at the front, or at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.domain.tickets import TransferPosition
from app.services.branches import BusinessTypeView, CounterView
from ui.dialogs.base import FormDialog, radio_choices
from ui.labels import counter_label, transfer_position_labels


@dataclass(frozen=True)
class TransferChoice:
    to_business: str | None
    to_counter: int | None
    position: TransferPosition
    reason: str | None


class TransferDialog(FormDialog):
    def __init__(self, ticket_number: str, current_business: str, business_types: Sequence[BusinessTypeView],
                 counters: Sequence[CounterView], own_counter: int, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Transfer"),
                         self.tr("Transfer {number} to another business type or counter. The customer keeps the "
                                 "number.").format(number=ticket_number), parent)
        self.business_combo = QComboBox()
        self.business_combo.setObjectName("transferBusiness")
        self.business_combo.addItem(self.tr("Same business type"), None)
        for bt in business_types:
            if bt.code != current_business:
                self.business_combo.addItem(f"{bt.prefix}  {bt.name(language)}", bt.code)
        self.form.addRow(self.tr("Business type:"), self.business_combo)

        self.counter_combo = QComboBox()
        self.counter_combo.setObjectName("transferCounter")
        self.counter_combo.addItem(self.tr("Any counter serving it"), None)
        for counter in counters:
            if counter.active and counter.number != own_counter:
                self.counter_combo.addItem(counter_label(counter.number, counter.name), counter.number)
        self.form.addRow(self.tr("Counter:"), self.counter_combo)

        self.position_group, self.position_buttons, holder = radio_choices(
            self, transfer_position_labels(), "position", TransferPosition.ARRIVAL)
        self.form.addRow(self.tr("Place in queue:"), holder)

        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("transferReason")
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setPlaceholderText(self.tr("e.g. needs a wealth adviser"))
        self.form.addRow(self.tr("Reason:"), self.reason_edit)

        self.business_combo.currentIndexChanged.connect(self._update_ok)
        self.counter_combo.currentIndexChanged.connect(self._update_ok)
        self.set_ok_text(self.tr("Transfer"))
        self._update_ok()

    def select_business(self, code: str | None) -> None:
        self.business_combo.setCurrentIndex(0 if code is None else self.business_combo.findData(code))

    def select_counter(self, number: int | None) -> None:
        self.counter_combo.setCurrentIndex(0 if number is None else self.counter_combo.findData(number))

    def select_position(self, position: TransferPosition) -> None:
        self.position_buttons[position].setChecked(True)

    def is_complete(self) -> bool:
        chosen = self.business_combo.currentData() is not None or self.counter_combo.currentData() is not None
        self.set_hint("" if chosen else self.tr("Choose another business type, a counter, or both."))
        return chosen

    def choice(self) -> TransferChoice:
        position = next(p for p, b in self.position_buttons.items() if b.isChecked())
        return TransferChoice(self.business_combo.currentData(), self.counter_combo.currentData(), position,
                              self.reason_edit.text().strip() or None)
