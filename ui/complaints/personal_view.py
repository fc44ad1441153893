"""The complainant's and agent's personal values of one complaint, masked as the service gives
them, each with Reveal: a reason, the audited ``ComplaintReads.reveal``, the full value for
``customers.reveal_seconds`` — the same widget and dialog as a customer's profile (ui/reveal.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.domain.roles import Permission
from app.services.complaint_reads import ComplaintReads, ComplaintView
from ui.context import AppContext
from ui.message_bar import guarded
from ui.reveal import MaskedValue, RevealDialog

#: (field, grid row, grid column) of each personal value shown.
PLACES = (("complainant_name", 0, 0), ("complainant_id_number", 0, 1), ("complainant_contact", 0, 2),
          ("agent_name", 1, 0), ("agent_contact", 1, 1))


class ComplaintPersonal(QWidget):
    """``failed(text)`` when a reveal is refused (the pane shows it as its message)."""

    failed = Signal(str)

    def __init__(self, context: AppContext, reads: ComplaintReads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintPersonal")
        self._ctx = context
        self._reads = reads
        self.complaint_id: int | None = None
        self.values: dict[str, MaskedValue] = {}
        self.reveal_dialog: RevealDialog | None = None
        self._shown: tuple[object, ...] | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setColumnStretch(6, 1)  # the pairs keep together on the left; the rest of the row is free

    def labels(self) -> dict[str, str]:
        return {"complainant_name": self.tr("Complainant:"), "complainant_id_number": self.tr("ID number:"),
                "complainant_contact": self.tr("Contact:"), "agent_name": self.tr("Agent:"),
                "agent_contact": self.tr("Agent contact:")}

    def show_view(self, view: ComplaintView | None) -> None:
        """Masked values of ``view`` (nothing for None). The same values again keep a revealed one shown."""
        shown = None if view is None else (view.row.id, view.fields.get("org_name"),
                                           *(view.fields.get(field) for field, _, _ in PLACES))
        if shown == self._shown:
            return
        self._shown = shown
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.values = {}
        self.complaint_id = view.row.id if view else None
        if view is None:
            return
        can_reveal = self._ctx.allows(Permission.REVEAL_SENSITIVE)
        labels = self.labels()
        for field, row, column in PLACES:
            masked = str(view.fields.get(field) or "")
            if not masked and field != "complainant_name":
                continue
            value = MaskedValue(field, None, masked or "—", can_reveal and bool(masked))
            value.reveal_requested.connect(lambda name, _item: self.ask_reveal(name))
            self.values[field] = value
            self.grid.addWidget(QLabel(labels[field]), row, column * 2)
            self.grid.addWidget(value, row, column * 2 + 1)
        if view.fields.get("org_name"):  # an organisation's registered name is public: shown whole
            self.grid.addWidget(QLabel(self.tr("Organisation:")), 2, 0)
            self.grid.addWidget(QLabel(str(view.fields["org_name"])), 2, 1, 1, 5)

    def ask_reveal(self, field: str) -> RevealDialog:
        dialog = RevealDialog(parent=self)
        dialog.accepted.connect(lambda: self._reveal(field, dialog.reason() or ""))
        self.reveal_dialog = dialog
        dialog.open()
        return dialog

    def _reveal(self, field: str, reason: str) -> None:
        if self.complaint_id is None or self._ctx.actor is None or field not in self.values:
            return
        actor, complaint_id = self._ctx.actor, self.complaint_id
        value, ok = guarded(self.failed.emit, lambda: self._reads.reveal(actor, complaint_id, field, reason))
        if not ok:
            return
        self.values[field].show_value(value, self._ctx.settings.get("customers.reveal_seconds"))
