"""Branch settings (网点参数): the policy every workstation of the branch shares.

A supervisor sees each branch-wide setting (app/settings.py, scope "branch") with its current
value and where it comes from, edits some, and saves them together; the service checks types,
bounds and the rules between settings, and stores all or none. Each workstation — this one
included — uses the new values from its next sign-in.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from app.domain.errors import DomainError, ValidationError
from app.services.branch_settings import bounds
from app.settings import GROUPS, SettingSpec, branch_specs
from ui.context import AppContext
from ui.dialogs.base import save_revert_close
from ui.setting_texts import section_title, setting_label, source_text, unit_suffix
from ui.message_bar import MessageBar

#: Errors about a rule between settings name the group; the dialog then shows its first member.
_GROUP_FIELDS = {"complaint deadlines": GROUPS[0], "tier scores": GROUPS[1]}


class BranchSettingsDialog(QDialog):
    # The keys saved (after a successful save).
    saved = Signal(list)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.service = context.services.branch_settings
        self.setWindowTitle(self.tr("Branch settings — {branch}").format(branch=context.branch.name))
        self.setMinimumSize(640, 600)
        self.editors: dict[str, QWidget] = {}
        self.sources: dict[str, QLabel] = {}
        self._loaded: dict[str, Any] = {}

        body = QWidget()
        body_layout = QVBoxLayout(body)
        groups: dict[str, QFormLayout] = {}
        for setting in branch_specs():
            section = setting.key.split(".", 1)[0]
            if section not in groups:
                box = QGroupBox(section_title(section))
                groups[section] = QFormLayout(box)
                body_layout.addWidget(box)
            editor = self._editor(setting)
            editor.setObjectName(f"setting_{setting.key}")
            self.editors[setting.key] = editor
            source = QLabel()
            source.setStyleSheet("color: #666;")
            source.setMinimumWidth(max(source.fontMetrics().horizontalAdvance(source_text(name))
                                       for name in ("branch", "file", "default", "environment")) + 6)
            self.sources[setting.key] = source
            row = QHBoxLayout()
            row.addWidget(editor, 1)
            row.addWidget(source)
            groups[section].addRow(setting_label(setting.key), row)
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)

        explanation = QLabel(self.tr("These values are the same on every workstation of the branch. Each "
                                     "workstation uses the saved values from its next sign-in."))
        explanation.setWordWrap(True)
        self.message = MessageBar(name="branchSettingsMessage")
        self.save_button, self.revert_button, buttons = save_revert_close(
            self, (self.tr("Save"), self.tr("Revert")), save=self.save, revert=self.load, save_name="branchSettingsSave")

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.load()

    def _editor(self, setting: SettingSpec) -> QWidget:
        if setting.type is bool:
            check = QCheckBox()
            check.toggled.connect(self._edited)
            return check
        if setting.type is str:
            line = QLineEdit()
            line.textEdited.connect(self._edited)
            return line
        lowest, highest = bounds(setting)
        spin: QSpinBox | QDoubleSpinBox
        if setting.type is float:
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setSingleStep(0.05 if highest <= 1 else 0.5)
            spin.setRange(lowest, highest)
        else:
            spin = QSpinBox()
            spin.setRange(int(lowest), int(highest))
        spin.setSuffix(unit_suffix(setting.unit))
        spin.valueChanged.connect(self._edited)
        return spin

    # -- values ----------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QLineEdit):
            return editor.text()
        return editor.value()  # type: ignore[attr-defined]

    def set_value(self, key: str, value: Any) -> None:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))  # (emits no textEdited)
            if not editor.signalsBlocked():
                self._edited()
        else:
            editor.setValue(value)  # type: ignore[attr-defined]

    def load(self) -> None:
        """Show the values this workstation resolves now, the branch's own ones marked."""
        stored, ok = self.message.guarded(lambda: self.service.values(self._ctx.branch.id))
        if not ok:
            return
        # A copy: this session's services keep the values they were built with until the next sign-in.
        settings = copy.copy(self._ctx.settings)
        settings.use_branch_values(stored)
        for key, editor in self.editors.items():
            editor.blockSignals(True)
            self.set_value(key, settings.get(key))
            editor.blockSignals(False)
            self.sources[key].setText(source_text(settings.source(key)))
        self._loaded = {key: self.value(key) for key in self.editors}
        self._set_dirty(False)
        self._show("")

    def changes(self) -> dict[str, Any]:
        return {key: self.value(key) for key in self.editors if self.value(key) != self._loaded[key]}

    def _edited(self) -> None:
        self._set_dirty(bool(self._loaded) and bool(self.changes()))

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.outcome(text, error=error)

    def _point_at(self, field: str, changes: dict[str, Any]) -> None:
        """Scroll to and focus the setting an error names (for a group rule, its first changed member)."""
        group = _GROUP_FIELDS.get(field, (field,))
        key = next((k for k in group if k in changes), group[0])
        editor = self.editors.get(key)
        if editor is not None:
            self.scroll.ensureWidgetVisible(editor)
            editor.setFocus()

    def save(self) -> bool:
        changes = self.changes()
        def point_at_field(error: DomainError) -> None:
            if isinstance(error, ValidationError):
                self._point_at(str(error.params.get("field", "")), changes)

        saved, ok = self.message.guarded(
            lambda: self.service.change(self._ctx.actor, self._ctx.branch.id, changes),  # type: ignore[arg-type]
            refused=point_at_field)
        if not ok:
            return False
        self.load()
        self._show(self.tr("Branch settings saved: {count}. Each workstation uses them from its next "
                           "sign-in.").format(count=len(saved)))
        self.saved.emit(saved)
        return True
