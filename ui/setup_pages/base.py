"""What every setup wizard page shares: the flow it shows a step of, the red error line, and
retranslating when the language changes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget, QWizardPage

from app.domain.errors import DomainError
from app.services.first_run import FirstRunSetup
from ui.setup_texts import problem_text
from ui.style import ERROR_TEXT


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SetupPage(QWizardPage):
    """Base: texts set in :meth:`retranslate` (again when the language changes); a red error line."""

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.error = message_label("pageError")
        self.error.setStyleSheet(ERROR_TEXT)

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def checked(self, step) -> bool:  # type: ignore[no-untyped-def]
        """Run one of the flow's checks; show its problem and stay on the page if it fails."""
        try:
            step()
        except DomainError as error:
            self.error.setText(problem_text(error))
            return False
        self.error.clear()
        return True
