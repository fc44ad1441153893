"""Where this PC stands: its branch (chosen or created with its counters), what it is used
for (counter, lobby desk, display, kiosk, dashboard), and its printers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.printing.data import PrinterChoice
from app.services.first_run import MAX_BANK_NAME, MAX_COUNTERS, ROLES, FirstRunSetup
from ui.printing.printer_settings import PrinterSettingsWidget
from ui.setup_pages.base import SetupPage, message_label


class BranchPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.code = QComboBox()
        self.code.setObjectName("branchCode")
        self.code.setEditable(True)
        self.name = QLineEdit()
        self.name.setObjectName("branchName")
        self.bank = QLineEdit()
        self.bank.setObjectName("bankName")
        self.bank.setMaxLength(MAX_BANK_NAME)
        self.bank.setText(flow.choices.bank_name)
        self.counters = QSpinBox()
        self.counters.setObjectName("branchCounters")
        self.counters.setRange(1, MAX_COUNTERS)
        self.counters.setValue(flow.choices.counters)
        self.note = message_label("branchNote")
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.code, self.name, self.bank, self.counters), strict=True):
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch()
        layout.addWidget(self.error)
        self.code.currentTextChanged.connect(self._code_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Branch"))
        self.setSubTitle(self.tr("The branch this workstation belongs to. A new branch is created with its counters."))
        for label, text in zip(self.labels, (self.tr("Branch code:"), self.tr("Branch name:"),
                                             self.tr("Bank name:"), self.tr("Counters:")), strict=True):
            label.setText(text)
        self.bank.setPlaceholderText(self.tr("As shown to customers on slips and letters"))
        self._code_changed(self.code.currentText())

    def initializePage(self) -> None:
        self.code.blockSignals(True)
        self.code.clear()
        for branch in self.flow.state.branches:
            self.code.addItem(branch.code)
        self.code.setCurrentText(self.flow.choices.branch_code)
        self.code.blockSignals(False)
        self._code_changed(self.code.currentText())

    def _code_changed(self, code: str) -> None:
        existing = self.flow.state.branch(code.strip())
        for field in (self.name, self.bank, self.counters):
            field.setEnabled(existing is None)
        if existing is not None:
            self.name.setText(existing.name)
            self.bank.setText(existing.bank_name)
            self.counters.setValue(max(existing.counters, 1))
            self.note.setText(self.tr("Branch {code} is already in the database; its names and counters are kept.")
                              .format(code=existing.code))
        else:
            self.note.setText(self.tr("A new branch is created.") if code.strip() else "")

    def validatePage(self) -> bool:
        choices = self.flow.choices
        choices.branch_code = self.code.currentText().strip()
        choices.branch_name = self.name.text().strip()
        choices.bank_name = self.bank.text().strip()
        choices.counters = self.counters.value()
        return self.checked(self.flow.check_branch)


class WorkstationPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.buttons: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for role in ROLES:
            button = QRadioButton()
            button.setObjectName(f"role_{role}")
            self.group.addButton(button)
            self.buttons[role] = button
            layout.addWidget(button)
            if role == "counter":
                self.counter = QSpinBox()
                self.counter.setObjectName("counterNumber")
                self.counter_label = QLabel()
                row = QHBoxLayout()
                row.addSpacing(24)
                row.addWidget(self.counter_label)
                row.addWidget(self.counter)
                row.addStretch()
                layout.addLayout(row)
        self.buttons.get(flow.choices.role, self.buttons["counter"]).setChecked(True)
        self.buttons["counter"].toggled.connect(lambda on: self.counter.setEnabled(on))
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("This workstation"))
        self.setSubTitle(self.tr("What this computer is used for."))
        texts = {"counter": self.tr("Teller counter"), "lobby": self.tr("Lobby manager's desk"),
                 "display": self.tr("Calling display (big screen)"), "kiosk": self.tr("Ticket kiosk"),
                 "dashboard": self.tr("Lobby dashboard (big screen)")}
        for role, button in self.buttons.items():
            button.setText(texts[role])
        self.counter_label.setText(self.tr("Counter number:"))

    def initializePage(self) -> None:
        self.counter.setRange(1, max(self.flow.branch_counters(), 1))
        self.counter.setValue(min(max(self.flow.choices.counter, 1), self.counter.maximum()))
        self.counter.setEnabled(self.buttons["counter"].isChecked())

    def validatePage(self) -> bool:
        role = next(r for r, b in self.buttons.items() if b.isChecked())
        self.flow.choices.role = role
        self.flow.choices.counter = self.counter.value() if role == "counter" else 0
        return self.checked(self.flow.check_workstation)


class PrintersPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None, *,
                 printer_names: Sequence[str] | None = None) -> None:
        super().__init__(flow, parent)
        choices = flow.choices
        self.printers = PrinterSettingsWidget(
            PrinterChoice(choices.slip_printer, choices.a4_printer, choices.slip_width_mm), self,
            printer_names=printer_names)
        layout = QVBoxLayout(self)
        layout.addWidget(self.printers)
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Printers"))
        self.setSubTitle(self.tr("Ticket slips go to the slip printer; forms and letters to the A4 printer."))

    def validatePage(self) -> bool:
        choice = self.printers.choice()
        self.flow.choices.slip_printer = choice.slip_printer
        self.flow.choices.a4_printer = choice.a4_printer
        self.flow.choices.slip_width_mm = choice.slip_width_mm
        return self.checked(self.flow.check_printers)
