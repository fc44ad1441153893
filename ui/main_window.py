"""Main window: the panes as tabs, the signed-in user and the connection state in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import __version__
from app.domain.roles import Permission, Role, has_permission
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.queue_pane import QueuePane
from ui.teller_console import TellerConsole


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._bridge = bridge
        self.setWindowTitle(self.tr("BranchDesk — {branch}").format(branch=context.branch.name))
        self.resize(1100, 700)

        self.tabs = QTabWidget()
        self.queue_pane = QueuePane(context, bridge)
        self.tabs.addTab(self.queue_pane, self.tr("Queue"))
        self.teller_console: TellerConsole | None = None
        if self._allowed(Permission.SERVE_AT_COUNTER):
            self.teller_console = TellerConsole(context, bridge)
            self.tabs.addTab(self.teller_console, self.tr("Counter"))
            if context.counter_number:
                self.tabs.setCurrentWidget(self.teller_console)  # a counter PC opens at its counter
        self.customers_pane: QWidget | None = None
        if self._allowed(Permission.VIEW_CUSTOMERS):
            from ui.customers.customers_pane import CustomersPane

            self.customers_pane = CustomersPane(context)
            self.tabs.addTab(self.customers_pane, self.tr("Customers"))
        self.evaluator: QWidget | None = None
        self.setCentralWidget(self.tabs)

        actor = context.actor
        self.user_label = QLabel(self.tr("{name} ({role})").format(
            name=actor.display_name if actor else "", role=self._role_name(actor.role.value if actor else "")))
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.statusBar().addWidget(QLabel(context.branch.name))
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self._show_connection(bridge.connected)
        bridge.connection_changed.connect(self._show_connection)
        self._build_menus()

    def _role_name(self, role: str) -> str:
        return {"teller": self.tr("Teller"), "lobby_manager": self.tr("Lobby manager"),
                "supervisor": self.tr("Supervisor")}.get(role, role)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.setup_action = QAction(self.tr("Setup &wizard…"), self)
        self.setup_action.setObjectName("setupWizardAction")
        actor = self._ctx.actor
        self.setup_action.setEnabled(actor is not None and actor.role is Role.SUPERVISOR)
        self.setup_action.triggered.connect(self.open_setup_wizard)
        file_menu.addAction(self.setup_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self._build_counter_menus()
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About BranchDesk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _allowed(self, permission: Permission) -> bool:
        return self._ctx.actor is not None and has_permission(self._ctx.actor.role, permission)

    def _build_counter_menus(self) -> None:
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.evaluator_action = QAction(self.tr("Customer &evaluator"), self)
        self.evaluator_action.setObjectName("evaluatorAction")
        self.evaluator_action.setCheckable(True)
        self.evaluator_action.setVisible(self.teller_console is not None)
        self.evaluator_action.toggled.connect(self.show_evaluator)
        view_menu.addAction(self.evaluator_action)
        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.appointment_action = QAction(self.tr("Book &appointment…"), self)
        self.appointment_action.setObjectName("appointmentAction")
        self.appointment_action.setVisible(self._allowed(Permission.ISSUE_TICKET))
        self.appointment_action.triggered.connect(self.queue_pane.book_appointment)
        tools_menu.addAction(self.appointment_action)
        self.matrix_action = QAction(self.tr("&Counter services…"), self)
        self.matrix_action.setObjectName("matrixAction")
        self.matrix_action.setVisible(self._allowed(Permission.EDIT_MATRIX))
        self.matrix_action.triggered.connect(self.open_matrix_editor)
        tools_menu.addAction(self.matrix_action)

    def open_matrix_editor(self) -> QWidget:
        from ui.matrix_editor import MatrixEditor

        editor = MatrixEditor(self._ctx, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

    def show_evaluator(self, on: bool) -> None:
        """The customer-facing evaluator for this counter, full screen on a second screen if there is one."""
        from ui.evaluator_window import EvaluatorWindow, show_on_second_screen

        if self.evaluator is not None:
            evaluator, self.evaluator = self.evaluator, None
            evaluator.closed.disconnect(self._evaluator_closed)
            evaluator.close()
        if on and self.teller_console is not None and self.teller_console.counter_number:
            self.evaluator = EvaluatorWindow(self._ctx, self._bridge, self.teller_console.counter_number)
            self.evaluator.closed.connect(self._evaluator_closed)
            show_on_second_screen(self.evaluator)
        elif on:
            self._evaluator_closed()  # no counter to watch: leave the entry unchecked

    def _evaluator_closed(self) -> None:
        self.evaluator = None
        self.evaluator_action.blockSignals(True)
        self.evaluator_action.setChecked(False)
        self.evaluator_action.blockSignals(False)

    def open_setup_wizard(self) -> None:
        from ui.setup_wizard import open_setup_wizard

        open_setup_wizard(self, self._ctx.settings)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About BranchDesk"),
                          self.tr("BranchDesk {version}\nQueue, customers, checklists and complaints for bank branches.")
                          .format(version=__version__))

    def _show_connection(self, connected: bool) -> None:
        if connected:
            self.connection_label.setText(self.tr("● Connected"))
            self.connection_label.setStyleSheet("color: #1b7f3b;")
        else:
            self.connection_label.setText(self.tr("● Not connected"))
            self.connection_label.setStyleSheet("color: #b00020; font-weight: bold;")

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.queue_pane.close()
        if self.teller_console is not None:
            self.teller_console.close()
        if self.evaluator is not None:
            self.evaluator.close()
        if self.customers_pane is not None:
            self.customers_pane.close()
        self._bridge.connection_changed.disconnect(self._show_connection)
        super().closeEvent(event)
