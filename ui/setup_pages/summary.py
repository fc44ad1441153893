"""The last page: what will be set up, and Finish applying it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.services.first_run import FirstRunSetup, SetupResult, display_url
from ui.errors import describe_unexpected
from ui.setup_pages.base import SetupPage, message_label
from ui.setup_texts import problem_text


class SummaryPage(SetupPage):
    """What will be set up; Finish applies it (database first, settings file last)."""

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.summary = message_label("setupSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.note = message_label("setupNote")
        self.result: SetupResult | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("Click Finish to set up the database and save these settings."))
        self.note.setText(self.tr("Changes to the language, database or branch take effect when BranchDesk "
                                  "starts again.") if self.flow.rerun else "")
        if self.isVisible():
            self.initializePage()

    def initializePage(self) -> None:
        c = self.flow.choices
        roles = {"counter": self.tr("counter {number}").format(number=c.counter),
                 "lobby": self.tr("lobby manager's desk"),
                 "display": self.tr("calling display"), "kiosk": self.tr("ticket kiosk"),
                 "dashboard": self.tr("lobby dashboard")}
        branch = self.flow.state.branch(c.branch_code)
        default = self.tr("system default")
        lines = [
            self.tr("Language: {language}").format(language="简体中文" if c.language == "zh_CN" else "English"),
            self.tr("Database: {database}").format(
                database=display_url(c.database_url) or self.tr("local, {path}").format(
                    path=self.flow.local_database_url().removeprefix("sqlite:///"))),
            (self.tr("Branch: {code} {name} (existing)") if branch else
             self.tr("Branch: {code} {name} (new; counters: {counters})")).format(
                code=c.branch_code, name=branch.name if branch else c.branch_name, counters=c.counters),
            self.tr("Bank name: {name}").format(name=(branch.bank_name if branch else c.bank_name) or "—"),
            self.tr("Workstation: {role}").format(role=roles.get(c.role, c.role)),
            self.tr("Slip printer: {printer}, {width} mm").format(printer=c.slip_printer or default,
                                                                  width=c.slip_width_mm),
            self.tr("A4 printer: {printer}").format(printer=c.a4_printer or default),
        ]
        if self.flow.needs_supervisor:
            lines.append(self.tr("First supervisor: {username} ({name})").format(
                username=c.supervisor.username, name=c.supervisor.display_name))
        self.summary.setText("\n".join(lines))

    def validatePage(self) -> bool:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = self.flow.apply()
        except DomainError as error:
            self.error.setText(problem_text(error))
            return False
        except Exception as error:  # noqa: BLE001 - shown on the page; the settings were not saved
            self.error.setText(self.tr("Setup failed; the settings were not saved. {error}\n{reference}").format(
                error=error, reference=describe_unexpected(error)))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True
