"""The pages of the setup wizard. Each page shows one step of :class:`FirstRunSetup` and checks it
through the flow before the wizard moves on; nothing here decides what is valid or written."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.domain.errors import DomainError
from app.printing.data import PrinterChoice
from app.services.auth import MIN_PASSWORD_LENGTH
from app.services.first_run import (
    MAX_COUNTERS,
    ROLES,
    ConnectionCheck,
    FirstRunSetup,
    SetupResult,
    check_connection,
    display_url,
)
from ui.errors import describe_unexpected
from ui.printing.printer_settings import PrinterSettingsWidget
from ui.setup_texts import connection_text, problem_text
from ui.style import ERROR_TEXT, GOOD_TEXT



def _message_label(name: str) -> QLabel:
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
        self.error = _message_label("pageError")
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


class LanguagePage(SetupPage):
    language_chosen = Signal(str)

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        # Each language is named in itself, so it can be found whatever the current language.
        self.chinese = QRadioButton("简体中文")
        self.chinese.setObjectName("languageZh")
        self.english = QRadioButton("English")
        self.english.setObjectName("languageEn")
        self.group = QButtonGroup(self)
        self.group.addButton(self.chinese)
        self.group.addButton(self.english)
        (self.english if flow.choices.language == "en" else self.chinese).setChecked(True)
        self.chinese.toggled.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chinese)
        layout.addWidget(self.english)
        layout.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Language"))
        self.setSubTitle(self.tr("The language of BranchDesk on this workstation."))

    def _chosen(self) -> None:
        self.flow.choices.language = "zh_CN" if self.chinese.isChecked() else "en"
        self.language_chosen.emit(self.flow.choices.language)


class _ConnectionTester(QObject):
    """Runs :func:`check_connection` on a worker thread (it may wait for a network timeout)."""

    finished = Signal(str, object)

    def start(self, url: str) -> None:
        def work() -> None:
            result = check_connection(url)
            try:
                self.finished.emit(url, result)
            except RuntimeError:  # the wizard was closed meanwhile
                pass

        threading.Thread(target=work, name="branchdesk-connection-test", daemon=True).start()


class DatabasePage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self._passed_url: str | None = flow.choices.database_url.strip() if flow.rerun else None
        self.local = QRadioButton()
        self.local.setObjectName("databaseLocal")
        self.local_path = QLabel(flow.local_database_url().removeprefix("sqlite:///"))
        self.local_path.setStyleSheet("color: #555;")
        self.local_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shared = QRadioButton()
        self.shared.setObjectName("databaseShared")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.url = QLineEdit(flow.choices.database_url)
        self.url.setObjectName("databaseUrl")
        self.url.setPlaceholderText("postgresql://user:password@server:5432/branchdesk")
        self.test_button = QPushButton()
        self.test_button.setObjectName("testConnection")
        self.result = _message_label("connectionResult")
        (self.shared if flow.choices.database_url else self.local).setChecked(True)

        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_path)
        layout.addSpacing(12)
        layout.addWidget(self.shared)
        layout.addLayout(url_row)
        layout.addWidget(self.result)
        layout.addStretch()
        layout.addWidget(self.error)

        self.tester = _ConnectionTester(self)
        self.tester.finished.connect(self._tested)
        self.test_button.clicked.connect(self.test_connection)
        self.url.textChanged.connect(self._url_changed)
        self.shared.toggled.connect(self._mode_changed)
        self._mode_changed()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Database"))
        self.setSubTitle(self.tr("Where BranchDesk keeps the queue, users and records."))
        self.local.setText(self.tr("Local database on this PC (one workstation)"))
        self.shared.setText(self.tr("Shared PostgreSQL server (several workstations or branches)"))
        self.test_button.setText(self.tr("Test connection"))

    def _mode_changed(self) -> None:
        shared = self.shared.isChecked()
        self.url.setEnabled(shared)
        self.test_button.setEnabled(shared)
        self.result.setVisible(shared)
        self.completeChanged.emit()

    def _url_changed(self) -> None:
        if self.url.text().strip() != self._passed_url:
            self.result.clear()
        self.completeChanged.emit()

    def test_connection(self) -> None:
        url = self.url.text().strip()
        self.test_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Connecting…"))
        self.tester.start(url)

    def _tested(self, url: str, result: ConnectionCheck) -> None:
        self.test_button.setEnabled(self.shared.isChecked())
        self.flow.record_connection_test(url, result)
        if url != self.url.text().strip():
            return  # the URL was edited while the test ran
        if result.ok:
            self._passed_url = url
        self.result.setStyleSheet(GOOD_TEXT if result.ok else ERROR_TEXT)
        self.result.setText(connection_text(result))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.local.isChecked() or (bool(self.url.text().strip()) and self.url.text().strip() == self._passed_url)

    def validatePage(self) -> bool:
        self.flow.choices.database_url = self.url.text().strip() if self.shared.isChecked() else ""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self.checked(self.flow.check_database)
        except Exception as error:  # noqa: BLE001 - an unreadable database is shown, not raised
            self.error.setText(self.tr("The database could not be read: {error}").format(error=error))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()


class BranchPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.code = QComboBox()
        self.code.setObjectName("branchCode")
        self.code.setEditable(True)
        self.name = QLineEdit()
        self.name.setObjectName("branchName")
        self.counters = QSpinBox()
        self.counters.setObjectName("branchCounters")
        self.counters.setRange(1, MAX_COUNTERS)
        self.counters.setValue(flow.choices.counters)
        self.note = _message_label("branchNote")
        self.labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.code, self.name, self.counters), strict=True):
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
                                             self.tr("Counters:")), strict=True):
            label.setText(text)
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
        self.name.setEnabled(existing is None)
        self.counters.setEnabled(existing is None)
        if existing is not None:
            self.name.setText(existing.name)
            self.counters.setValue(max(existing.counters, 1))
            self.note.setText(self.tr("Branch {code} is already in the database; its name and counters are kept.")
                              .format(code=existing.code))
        else:
            self.note.setText(self.tr("A new branch is created.") if code.strip() else "")

    def validatePage(self) -> bool:
        choices = self.flow.choices
        choices.branch_code = self.code.currentText().strip()
        choices.branch_name = self.name.text().strip()
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
        self.setSubTitle(self.tr("What this PC is used for."))
        texts = {"counter": self.tr("Counter (teller window)"), "lobby": self.tr("Lobby manager's desk"),
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


class SupervisorPage(SetupPage):
    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.username = QLineEdit()
        self.username.setObjectName("supervisorUsername")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("supervisorName")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password_again = QLineEdit()
        self.password_again.setObjectName("supervisorPasswordAgain")
        for field in (self.password, self.password_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = _message_label("passwordHint")
        fields = (self.username, self.display_name, self.password, self.password_again)
        self.labels = [QLabel() for _ in fields]
        form = QFormLayout()
        for label, field in zip(self.labels, fields, strict=True):
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("First supervisor"))
        self.setSubTitle(self.tr("The database has no users yet. This account signs in first and creates the others."))
        labels = (self.tr("User name:"), self.tr("Name:"), self.tr("Password:"), self.tr("Password again:"))
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        self.hint.setText(self.tr("At least {min} characters.").format(min=MIN_PASSWORD_LENGTH))

    def validatePage(self) -> bool:
        account = self.flow.choices.supervisor
        account.username = self.username.text().strip()
        account.display_name = self.display_name.text().strip()
        account.password = self.password.text()
        account.password_again = self.password_again.text()
        return self.checked(self.flow.check_supervisor)


class SummaryPage(SetupPage):
    """What will be set up; Finish applies it (database first, settings file last)."""

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.summary = _message_label("setupSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.note = _message_label("setupNote")
        self.result: SetupResult | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addStretch()
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("Finish sets up the database and saves these settings."))
        self.note.setText(self.tr("Changes to the language, database or branch take effect when BranchDesk "
                                  "starts again.") if self.flow.rerun else "")
        if self.isVisible():
            self.initializePage()

    def initializePage(self) -> None:
        c = self.flow.choices
        roles = {"counter": self.tr("counter {number}").format(number=c.counter), "lobby": self.tr("lobby desk"),
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
             self.tr("Branch: {code} {name} (new, {counters} counters)")).format(
                code=c.branch_code, name=branch.name if branch else c.branch_name, counters=c.counters),
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

