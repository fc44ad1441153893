"""Main window: the panes as tabs, the signed-in user and the connection state in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QStackedWidget, QTabWidget, QWidget

from app import __version__
from app.domain.roles import RELATIONSHIP_MANAGERS, Permission, Role
from ui.checklists.pane import ChecklistPane
from ui.complaints.complaints_pane import ComplaintsPane
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.idle_lock import IdleWatcher, LockScreen, idle_ms
from ui.queue.queue_pane import QueuePane
from ui.queue.teller_console import TellerConsole
from ui.style import ERROR_TEXT_BOLD, GOOD_TEXT


class MainWindow(QMainWindow):
    #: "Switch user" was chosen (File menu or lock screen); the session closes this window.
    switch_user_requested = Signal()

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
            if context.counter_number or (context.actor is not None and context.actor.role is Role.TELLER):
                self.tabs.setCurrentWidget(self.teller_console)  # a teller starts at the counter
            self._f_keys_reach(self.teller_console)
        self.complaints_pane: ComplaintsPane | None = None
        if self._allowed(Permission.RECORD_COMPLAINT):
            self.complaints_pane = ComplaintsPane(context, bridge)
            self.tabs.addTab(self.complaints_pane, self.tr("Complaints"))
            if self.teller_console is not None:
                self.teller_console.complaint_requested.connect(self.record_complaint_for_ticket)
        self.customers_pane: QWidget | None = None
        if self._allowed(Permission.VIEW_CUSTOMERS):
            from ui.customers.customers_pane import CustomersPane

            self.customers_pane = CustomersPane(context, bridge=bridge)
            self.tabs.addTab(self.customers_pane, self.tr("Customers"))
            if context.actor is not None and context.actor.role in RELATIONSHIP_MANAGERS:
                self.tabs.setCurrentWidget(self.customers_pane)  # a relationship manager starts at their customers
            if self.teller_console is not None:
                self.teller_console.customer_requested.connect(self.open_customer)
                self.teller_console.counter_changed.connect(self._preload_customer)
        self.evaluator: QWidget | None = None
        self.dashboard: QWidget | None = None
        self.dashboard_window: QWidget | None = None
        if self._allowed(Permission.VIEW_DASHBOARD):
            from ui.dashboard.dashboard_window import DashboardWindow

            self.dashboard = DashboardWindow(context, bridge)
            self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        self.checklist_pane: ChecklistPane | None = None
        if self._allowed(Permission.RUN_CHECKLIST):
            console = self.teller_console
            self.checklist_pane = ChecklistPane(
                context, bridge, lambda: console.counter_number if console is not None else context.counter_number)
            self.tabs.addTab(self.checklist_pane, self.tr("Checklist"))
            if console is not None:
                console.counter_changed.connect(lambda _ticket: self.checklist_pane.refresh())
                console.checklist_requested.connect(self.open_checklist)
        self.lock_screen = LockScreen(context)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.switch_user.connect(self.switch_user_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        self._hidden_dialogs: list[QWidget] = []
        self.idle_watcher = IdleWatcher(idle_ms(context.settings.get("security.idle_lock_minutes")), self)
        self.idle_watcher.idle.connect(self.lock)
        if idle_ms(context.settings.get("security.idle_lock_minutes")) > 0 and context.actor is not None:
            self.idle_watcher.start()

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
                "supervisor": self.tr("Supervisor"), "customer_manager": self.tr("Customer manager"),
                "wealth_manager": self.tr("Wealth manager")}.get(role, role)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.setup_action = QAction(self.tr("Setup &wizard…"), self)
        self.setup_action.setObjectName("setupWizardAction")
        actor = self._ctx.actor
        self.setup_action.setEnabled(actor is not None and actor.role is Role.SUPERVISOR)
        self.setup_action.triggered.connect(self.open_setup_wizard)
        file_menu.addAction(self.setup_action)
        file_menu.addSeparator()
        self.switch_user_action = QAction(self.tr("S&witch user…"), self)
        self.switch_user_action.setObjectName("switchUserAction")
        self.switch_user_action.triggered.connect(self.switch_user_requested)
        file_menu.addAction(self.switch_user_action)
        self.lock_action = QAction(self.tr("&Lock workstation"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        file_menu.addAction(self.lock_action)
        self.change_password_action = QAction(self.tr("Change &password…"), self)
        self.change_password_action.setObjectName("changePasswordAction")
        self.change_password_action.setEnabled(actor is not None)
        self.change_password_action.triggered.connect(self.open_change_password)
        file_menu.addAction(self.change_password_action)
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
        return self._ctx.allows(permission)

    def _build_counter_menus(self) -> None:
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.evaluator_action = QAction(self.tr("Customer &evaluator"), self)
        self.evaluator_action.setObjectName("evaluatorAction")
        self.evaluator_action.setCheckable(True)
        self.evaluator_action.setVisible(self.teller_console is not None)
        self.evaluator_action.toggled.connect(self.show_evaluator)
        view_menu.addAction(self.evaluator_action)
        self.dashboard_action = QAction(self.tr("Lobby &dashboard (full screen)"), self)
        self.dashboard_action.setObjectName("dashboardAction")
        self.dashboard_action.setVisible(self._allowed(Permission.VIEW_DASHBOARD))
        self.dashboard_action.triggered.connect(self.open_dashboard_window)
        view_menu.addAction(self.dashboard_action)
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
        self.reports_action = QAction(self.tr("Branch &reports…"), self)
        self.reports_action.setObjectName("reportsAction")
        self.reports_action.setVisible(self._allowed(Permission.VIEW_REPORTS))
        self.reports_action.triggered.connect(self.open_reports)
        tools_menu.addAction(self.reports_action)
        self.templates_action = QAction(self.tr("Checklist &templates…"), self)
        self.templates_action.setObjectName("templatesAction")
        self.templates_action.setVisible(self._allowed(Permission.MANAGE_CHECKLIST_TEMPLATES))
        self.templates_action.triggered.connect(self.open_templates)
        tools_menu.addAction(self.templates_action)
        self.audit_action = QAction(self.tr("Audit &log…"), self)
        self.audit_action.setObjectName("auditAction")
        self.audit_action.setVisible(self._allowed(Permission.VIEW_AUDIT))
        self.audit_action.triggered.connect(self.open_audit_log)
        tools_menu.addAction(self.audit_action)
        self.branch_settings_action = QAction(self.tr("Branch &settings…"), self)
        self.branch_settings_action.setObjectName("branchSettingsAction")
        self.branch_settings_action.setVisible(self._allowed(Permission.CHANGE_SETTINGS))
        self.branch_settings_action.triggered.connect(self.open_branch_settings)
        tools_menu.addAction(self.branch_settings_action)
        self.reset_password_action = QAction(self.tr("&Reset password or unlock…"), self)
        self.reset_password_action.setObjectName("resetPasswordAction")
        self.reset_password_action.setVisible(self._allowed(Permission.MANAGE_USERS))
        self.reset_password_action.triggered.connect(self.open_reset_password)
        tools_menu.addAction(self.reset_password_action)

    def _f_keys_reach(self, console: TellerConsole) -> None:
        """F1–F6 work from every tab: they bring the console to the front and act there."""
        console.front_requested.connect(lambda: self.tabs.setCurrentWidget(console))
        for key in console.action_panel.f_keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda key=key: console.press_f_key(key))

    def open_matrix_editor(self) -> QWidget:
        from ui.queue.matrix_editor import MatrixEditor

        editor = MatrixEditor(self._ctx, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

    def open_reports(self) -> QWidget:
        from ui.dashboard.report_dialog import ReportDialog

        dialog = ReportDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_branch_settings(self) -> QWidget:
        from ui.branch_settings_dialog import BranchSettingsDialog

        dialog = BranchSettingsDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_audit_log(self) -> QWidget:
        from ui.audit_dialog import AuditDialog

        dialog = AuditDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_dashboard_window(self) -> QWidget:
        """The dashboard in a window of its own, full screen (e.g. on the lobby's big screen)."""
        from ui.dashboard.dashboard_window import DashboardWindow

        if self.dashboard_window is not None:
            self.dashboard_window.close()
        self.dashboard_window = DashboardWindow(self._ctx, self._bridge)
        self.dashboard_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dashboard_window.destroyed.connect(self._dashboard_window_gone)
        self.dashboard_window.showFullScreen()
        return self.dashboard_window

    def _dashboard_window_gone(self) -> None:
        self.dashboard_window = None
    def open_change_password(self) -> QWidget:
        from ui.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_reset_password(self) -> QWidget:
        from ui.password_dialog import ResetPasswordDialog

        dialog = ResetPasswordDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_evaluator(self, on: bool) -> None:
        """The customer-facing evaluator for this counter, full screen on a second screen if there is one."""
        from ui.queue.evaluator_window import EvaluatorWindow, show_on_second_screen

        if self.evaluator is not None:
            evaluator, self.evaluator = self.evaluator, None
            evaluator.closed.disconnect(self._evaluator_closed)
            evaluator.close()
            evaluator.deleteLater()  # a window of its own: nothing else would ever delete it
        if on and self.teller_console is not None and self.teller_console.counter_number:
            self.evaluator = EvaluatorWindow(self._ctx, self._bridge, self.teller_console.counter_number)
            self.evaluator.closed.connect(self._evaluator_closed)
            show_on_second_screen(self.evaluator)
        elif on:
            self._evaluator_closed()  # no counter to watch: leave the entry unchecked

    def _evaluator_closed(self) -> None:
        if self.evaluator is not None:  # closed on its own screen
            self.evaluator.deleteLater()
        self.evaluator = None
        self.evaluator_action.blockSignals(True)
        self.evaluator_action.setChecked(False)
        self.evaluator_action.blockSignals(False)

    def open_templates(self) -> QWidget:
        from ui.checklists.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_checklist(self) -> None:
        """From the teller console: show the checklist of the ticket being served, starting it if need be."""
        if self.checklist_pane is None:
            return
        self.tabs.setCurrentWidget(self.checklist_pane)
        if self.checklist_pane.show_now() and self.checklist_pane.run is None:
            self.checklist_pane.start_run()

    def open_customer(self, customer_id: int) -> None:
        """From the teller console: the Customers tab with the profile of the customer being served."""
        if self.customers_pane is not None:
            self.tabs.setCurrentWidget(self.customers_pane)
            self.customers_pane.open_profile(customer_id)  # type: ignore[attr-defined]

    def _preload_customer(self, ticket: object) -> None:
        """A called ticket with a known customer: their profile is loaded, ready in the Customers tab."""
        customer_id = getattr(ticket, "customer_id", None)
        if customer_id is not None and self.customers_pane is not None:
            self.customers_pane.open_profile(customer_id)  # type: ignore[attr-defined]

    def record_complaint_for_ticket(self, ticket_id: int) -> QWidget | None:
        """From the teller console: open the complaints tab with an entry about that ticket."""
        if self.complaints_pane is None:
            return None
        self.tabs.setCurrentWidget(self.complaints_pane)
        return self.complaints_pane.record_for_ticket(ticket_id)

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
            self.connection_label.setStyleSheet(GOOD_TEXT)
        else:
            self.connection_label.setText(self.tr("● Not connected"))
            self.connection_label.setStyleSheet(ERROR_TEXT_BOLD)

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Hide the panes (and any open dialog) behind the lock screen."""
        if self.is_locked or self._ctx.actor is None:
            return
        self.idle_watcher.stop()
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        self.menuBar().setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()

    def unlock(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.menuBar().setEnabled(True)
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []
        if self.idle_watcher.timeout_ms > 0:  # as built at sign-in (settings may have changed since)
            self.idle_watcher.start()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.idle_watcher.stop()
        self.queue_pane.close()
        if self.teller_console is not None:
            self.teller_console.close()
        if self.checklist_pane is not None:
            self.checklist_pane.close()
        if self.complaints_pane is not None:
            self.complaints_pane.close()
        if self.evaluator is not None:
            self.evaluator.close()
        if self.dashboard is not None:
            self.dashboard.close()
        if self.dashboard_window is not None:
            self.dashboard_window.close()
        if self.customers_pane is not None:
            self.customers_pane.close()
        self._bridge.connection_changed.disconnect(self._show_connection)
        super().closeEvent(event)
