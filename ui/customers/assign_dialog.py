"""Giving a customer their relationship manager (客户经理 / 理财经理) — a lobby manager's or a
supervisor's step; the managers offered are the branch's active ones."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.services.customers.views import Profile
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.errors import role_words
from ui.field_messages import FieldMessages
from ui.message_bar import MessageBar


class AssignManagerDialog(FormDialog):
    def __init__(self, context: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Relationship manager"), self.tr("Who looks after {name}?").format(name=profile.name),
                         parent)
        self.setObjectName("assignManagerDialog")
        self._ctx = context
        self.profile = profile
        self.fields = FieldMessages(self)
        self.message = MessageBar(name="assignMessage")
        self.manager_combo = QComboBox()
        self.manager_combo.setObjectName("managerCombo")
        self.manager_combo.addItem(self.tr("Nobody"), None)
        roles = role_words()
        actor = context.actor
        if actor is not None:
            managers, _ok = self.message.guarded(
                lambda: context.services.relationship_managers.of_branch(actor, context.branch.id))
            for manager in managers or []:
                self.manager_combo.addItem(f"{manager.display_name} ({roles.get(manager.role, manager.role)})",
                                           manager.user_id)
        self.manager_combo.setCurrentIndex(max(0, self.manager_combo.findData(profile.manager_id)))
        self.form.addRow(self.tr("Manager:"), self.fields.wrap("relationship manager", self.manager_combo))
        self.layout().insertWidget(self.layout().count() - 1, self.message)
        self.set_ok_text(self.tr("Save"))

    def accept(self) -> None:
        actor = self._ctx.actor
        if actor is None:
            return
        chosen = self.manager_combo.currentData()
        _, ok = self.message.guarded(
            lambda: self._ctx.services.relationship_managers.assign(actor, self.profile.id, chosen),
            refused=self.fields.show)
        if ok:
            super().accept()
