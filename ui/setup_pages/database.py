"""The database page: a local file or a shared PostgreSQL server, whose connection is tested
on a worker thread before the wizard moves on."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.first_run import ConnectionCheck, FirstRunSetup, check_connection
from ui.setup_pages.base import SetupPage, message_label
from ui.setup_texts import connection_text
from ui.style import ERROR_TEXT, GOOD_TEXT


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
        self.result = message_label("connectionResult")
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
        self.local.setText(self.tr("Local database on this computer (one workstation)"))
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
