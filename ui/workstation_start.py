"""The workstation's start after ``branchdesk`` (ui/main.py) has parsed its arguments and
decided not to supervise: Qt, the settings, the database, the sign-in and the role's window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from app import __version__
from app.domain.errors import DomainError
from app.crash_trace import HEARTBEAT_SECONDS, SessionMarker
from app.services.bootstrap import DEMO_BANK_NAME, prepare_database, seed_demo
from app.services.workstation_keys import start_with_key
from app.services.branches import workstation_branch
from app.services.registry import Services
from app.settings import Settings, SettingsError, log_dir
from app.supervisor import EXIT_REFUSED, UNATTENDED_ROLES
from ui import gc_guard, wheel_guard
from ui.binding_check import binding_is_unsafe, probe_binding, unsafe_binding_message, versions
from ui.context import AppContext
from ui.backup_timer import ScheduledBackups
from ui.crash_dialog import install_excepthook
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.i18n import install_translators
from ui.platform_libraries import missing_message, missing_packages
from ui.printing.fonts import install_app_font
from ui.screens import show_on_screen
from ui.main_window import MainWindow
from ui.session import WorkstationSession, quit_when_cancelled
from ui.startup_screen import StartupScreen
from ui.termination import QuitOnTermination

log = logging.getLogger(__name__)


def refuse_unsafe_binding(app: QApplication, *, headless: bool) -> bool:
    """True (after saying why) when this Qt binding is known to abort the process (ui/binding_check.py)."""
    drift = probe_binding()
    if not binding_is_unsafe(drift):
        log.info("BranchDesk %s on %s", __version__, versions())
        return False
    message = unsafe_binding_message()
    log.critical("Refusing to start on %s: the reference probe lost %s", versions(), drift)
    if headless:
        print(f"BranchDesk self-test FAILED: {message}")
    else:
        QMessageBox.critical(None, "BranchDesk", message)
    return True


def start(args: argparse.Namespace, log_path: Path) -> int:
    """Run the workstation until its window closes; returns the exit code (ui/main.py's docstring)."""
    missing = [] if QApplication.instance() else missing_packages()
    if missing:  # Qt would abort with a page of plugin diagnostics: one line that says what to install
        log.info("Qt cannot start: missing system packages %s", missing)  # (the file; stderr gets one line)
        print(missing_message(missing), file=sys.stderr)
        return EXIT_REFUSED
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("BranchDesk")
    app.setApplicationVersion(__version__)
    gc_guard.install(app)  # a child of the application: lives as long as it
    try:
        settings = Settings()
        language = args.lang or settings.get("ui.language")
    except SettingsError as error:
        QMessageBox.critical(None, "BranchDesk", str(error))
        return 2
    install_app_font(app)  # the embedded CJK font: the UI looks the same on every PC
    translators = install_translators(app, language)  # noqa: F841 - kept alive until exit
    if (args.role or settings.get("workstation.role")) not in (*UNATTENDED_ROLES, "dashboard"):
        wheel_guard.install(app)  # staff forms: the wheel scrolls, never changes an unfocused input
    if refuse_unsafe_binding(app, headless=args.self_test):
        return 1 if args.self_test else EXIT_REFUSED

    if args.self_test:
        from ui.self_test import run_self_test

        ok, summary = run_self_test(app, args.database, language)
        print(summary)
        return 0 if ok else 1

    install_excepthook(log_path)  # after the headless self-test: the hook shows a dialog
    QuitOnTermination(app)  # SIGTERM / Ctrl+C: sign out and end cleanly
    if not args.demo and not settings.exists:
        from ui.setup_wizard import run_first_run

        translators, completed = run_first_run(app, translators, args.lang)
        if not completed:
            return 0
        settings = Settings()
        language = args.lang or settings.get("ui.language")

    role = args.role or settings.get("workstation.role")
    # Painted now: opening the database may take seconds (a server across the network, a
    # migration), and the lobby screen must not stay black meanwhile.
    startup = StartupScreen.begin(role, settings.get("display.screen"))  # closes itself once a window paints
    try:
        # Only --demo, first-run setup and the default data directory create a database; a
        # misspelled --database path is refused (DatabaseMissing) instead of starting an empty one.
        creates = args.demo or (not args.database and not settings.get("database.url"))
        db = prepare_database(args.database or settings.database_url(), create=creates)
        start_with_key(db, settings.get("customers.key_file"))  # sign-ins are sealed too
        branch = seed_demo(db) if args.demo else workstation_branch(db, settings.get("workstation.branch"))
        if args.demo and not settings.get("printing.bank_name"):
            settings.set("printing.bank_name", DEMO_BANK_NAME)  # for this run; the wizard asks a real branch
    except DomainError as error:
        startup.finish()  # (a full-screen start-up screen would cover the message)
        QMessageBox.critical(None, "BranchDesk", describe(error))
        return 2
    except Exception as error:  # noqa: BLE001 - shown to the user, with the log location
        log.exception("Could not open the database")
        startup.finish()
        QMessageBox.critical(None, "BranchDesk", app.translate(
            "Main", "The database could not be opened: {error}\nDetails are in {log}.").format(error=error, log=log_path))
        return 1
    if branch is None:
        startup.finish()
        QMessageBox.warning(None, "BranchDesk", app.translate(
            "Main", "No branch is set up for this workstation. Start with --demo, or create one with "
                    "'branchdesk-admin branch add' and set the branch in the settings."))
        return 2

    marker = SessionMarker(log_dir(), role, __version__)
    ended_abnormally = marker.begin()  # logged; shown in the main window's status bar below
    heartbeat = QTimer(app)
    heartbeat.timeout.connect(marker.beat)
    heartbeat.start(HEARTBEAT_SECONDS * 1000)
    try:
        # Sign-in (except on the calling display), the role's window; "Switch user" repeats it.
        services = Services(db, settings, zone=branch.timezone)
        session = WorkstationSession(services, branch, language, role, open_workstation_window)
        if not session.sign_in_blocking():
            db.dispose()
            return 0
        if ended_abnormally and isinstance(session.window, QMainWindow):
            last = ended_abnormally[-1].last_seen
            session.window.statusBar().showMessage(app.translate(
                "Main", "BranchDesk ended abnormally last time (after {time}); details are in {log}.").format(
                time=last.strftime("%Y-%m-%d %H:%M"), log=log_path), 60_000)
        quit_when_cancelled(session)
        backups = ScheduledBackups(services)  # SQLite installs: the daily backup, kept backup.keep_days
        backups.start()
        try:
            return app.exec()
        finally:
            backups.stop()
            session.end()
            db.dispose()
    finally:
        heartbeat.stop()
        marker.end()


def open_workstation_window(role: str, context: AppContext, bridge: EventBridge) -> QWidget:
    """The window this workstation's role shows: full screen on its monitor for display and kiosk."""
    if role == "display":
        from ui.display.announcer import Announcer
        from ui.display.calling_display import CallingDisplay

        announcer = Announcer.from_settings(context.settings, context.language)
        window: QWidget = CallingDisplay(context, bridge, announcer)
        show_on_screen(window, context.settings.get("display.screen"))
    elif role == "dashboard":
        from ui.dashboard.dashboard_window import DashboardWindow

        window = DashboardWindow(context, bridge)
        window.showFullScreen()
    elif role == "kiosk":
        from ui.connection_banner import add_connection_banner
        from ui.kiosk.kiosk_window import KioskWindow

        window = KioskWindow(context)
        add_connection_banner(window, bridge)  # "not connected" while the database is unreachable
        show_on_screen(window, context.settings.get("display.screen"))
    else:
        window = MainWindow(context, bridge)
        window.show()
    return window
