"""The next step of a run: what to do, why (the rule), and the widget its kind needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.checklist_templates import Step, StepKind


class StepEditor(QGroupBox):
    complete_requested = Signal()
    skip_requested = Signal()
    override_requested = Signal()

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Next step"))
        self._language = language
        self.step: Step | None = None
        self.title_label = QLabel()
        self.title_label.setObjectName("stepTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.help_label = QLabel()
        self.help_label.setObjectName("stepHelp")
        self.help_label.setWordWrap(True)
        self.rule_label = QLabel()
        self.rule_label.setObjectName("stepRule")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #555;")
        self.check = QCheckBox()
        self.check.setObjectName("stepCheck")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("stepText")
        self.choice_combo = QComboBox()
        self.choice_combo.setObjectName("stepChoice")
        self.complete_button = QPushButton(self.tr("Complete step"))
        self.complete_button.setObjectName("completeStepButton")
        self.skip_button = QPushButton(self.tr("Skip…"))
        self.skip_button.setObjectName("skipStepButton")
        self.override_button = QPushButton(self.tr("Supervisor override…"))
        self.override_button.setObjectName("overrideStepButton")
        self.complete_button.clicked.connect(self.complete_requested)
        self.skip_button.clicked.connect(self.skip_requested)
        self.override_button.clicked.connect(self.override_requested)
        self.check.toggled.connect(self._update_buttons)
        self.text_edit.textChanged.connect(self._update_buttons)
        self.text_edit.returnPressed.connect(lambda: self.complete_button.isEnabled() and self.complete_button.click())

        buttons = QHBoxLayout()
        for button in (self.complete_button, self.skip_button, self.override_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.title_label, self.help_label, self.rule_label, self.check, self.text_edit,
                       self.choice_combo):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.set_step(None)

    def set_step(self, step: Step | None) -> None:
        self.step = step
        self.check.setChecked(False)
        self.text_edit.clear()
        self.choice_combo.clear()
        for widget in (self.check, self.text_edit, self.choice_combo):
            widget.hide()
        if step is None:
            self.title_label.setText(self.tr("No steps left to do."))
            self.help_label.clear()
            self.rule_label.clear()
            self._update_buttons()
            return
        zh = self._language.startswith("zh")
        badge = self.tr("required") if step.required else self.tr("optional")
        self.title_label.setText(f"{step.title(self._language)}  [{badge}]")
        self.help_label.setText(step.help(self._language))
        self.rule_label.setText(self.tr("Rule: {rule}").format(rule=step.rule))
        if step.kind in (StepKind.TICK, StepKind.DOCUMENT, StepKind.SIGNATURE):
            self.check.setText({StepKind.TICK: self.tr("Done"),
                                StepKind.DOCUMENT: self.tr("Original document seen and checked"),
                                StepKind.SIGNATURE: self.tr("Customer signed on paper")}[step.kind])
            self.check.show()
        elif step.kind is StepKind.CHOICE:
            for option in step.options:
                self.choice_combo.addItem(option.zh if zh else option.en, option.value)
            self.choice_combo.show()
        elif step.kind in (StepKind.TEXT, StepKind.NUMBER):
            if step.text_format == "date":
                self.text_edit.setPlaceholderText(self.tr("Date, e.g. 2026-03-01"))
            elif step.kind is StepKind.NUMBER:
                self.text_edit.setPlaceholderText(self.tr("Number") + (f" ({step.unit})" if step.unit else ""))
            else:
                self.text_edit.setPlaceholderText("")
            self.text_edit.setMaxLength(step.max_length if step.kind is StepKind.TEXT else 32)
            self.text_edit.show()
        self.complete_button.setText(self.tr("Supervisor confirms…") if step.kind is StepKind.SUPERVISOR
                                     else self.tr("Complete step"))
        self._update_buttons()

    def value(self) -> Any:
        if self.step is None:
            return None
        if self.step.kind is StepKind.CHOICE:
            return self.choice_combo.currentData()
        if self.step.kind in (StepKind.TEXT, StepKind.NUMBER):
            return self.text_edit.text()
        return True

    def _update_buttons(self) -> None:
        step = self.step
        ready = step is not None and (
            step.kind in (StepKind.CHOICE, StepKind.SUPERVISOR)
            or (step.kind in (StepKind.TEXT, StepKind.NUMBER) and bool(self.text_edit.text().strip()))
            or (step.kind in (StepKind.TICK, StepKind.DOCUMENT, StepKind.SIGNATURE) and self.check.isChecked()))
        self.complete_button.setEnabled(ready)
        self.skip_button.setEnabled(step is not None and not step.required)
        self.override_button.setEnabled(step is not None and step.required)
