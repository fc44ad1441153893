"""Main window: the panes as tabs, the signed-in user and the connection state in the status bar."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import __version__
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.queue_pane import QueuePane


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
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About BranchDesk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

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
        self._bridge.connection_changed.disconnect(self._show_connection)
        super().closeEvent(event)
