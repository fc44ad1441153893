"""``branchdesk``: the desktop application.

    branchdesk                 sign in and work on the configured database
    branchdesk --demo          create the demo branch on first run, then sign in
    branchdesk --self-test     headless check of the panes; exits 0 when all is well
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import __version__
from app.db.engine import Database
from app.domain.errors import DomainError
from app.logging_setup import configure_logging
from app.services.bootstrap import prepare_database, seed_demo
from app.services.branches import BranchView, get_branch, list_branches
from app.settings import Settings, SettingsError, choices
from ui import gc_guard
from ui.context import AppContext
from ui.backup_timer import ScheduledBackups
from ui.crash_dialog import install_excepthook
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.i18n import install_translators
from ui.printing.fonts import install_app_font
from ui.main_window import MainWindow
from ui.session import WorkstationSession, quit_when_cancelled

log = logging.getLogger(__name__)

ROLES = choices("workstation.role")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="branchdesk", description="BranchDesk bank-branch service desk")
    parser.add_argument("--demo", action="store_true", help="seed the demo branch and users on first run")
    parser.add_argument("--self-test", action="store_true", help="run a headless self-test and exit")
    parser.add_argument("--database", metavar="URL", help="database URL (overrides settings)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="user-interface language (overrides settings)")
    parser.add_argument("--role", choices=list(ROLES),
                        help="what this workstation shows (overrides settings): the main window at a counter or the "
                             "lobby desk, the calling display, or the ticket kiosk")
    parser.add_argument("--version", action="version", version=f"branchdesk {__version__}")
    return parser.parse_args(argv)


def resolve_branch(db: Database, settings: Settings) -> BranchView | None:
    code = settings.get("workstation.branch")
    if code:
        return get_branch(db, code)
    branches = list_branches(db)
    return branches[0] if len(branches) == 1 else None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_path = configure_logging()
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

    if args.self_test:
        from ui.self_test import run_self_test

        ok, summary = run_self_test(app, args.database, language)
        print(summary)
        return 0 if ok else 1

    install_excepthook(log_path)  # after the headless self-test: the hook shows a dialog
    if not args.demo and not settings.exists:
        from ui.setup_wizard import run_first_run

        translators, completed = run_first_run(app, translators, args.lang)
        if not completed:
            return 0
        settings = Settings()
        language = args.lang or settings.get("ui.language")

    try:
        db = prepare_database(args.database or settings.database_url())
        branch = seed_demo(db) if args.demo else resolve_branch(db, settings)
    except DomainError as error:
        QMessageBox.critical(None, "BranchDesk", describe(error))
        return 2
    except Exception as error:  # noqa: BLE001 - shown to the user, with the log location
        log.exception("Could not open the database")
        QMessageBox.critical(None, "BranchDesk", app.translate(
            "Main", "The database could not be opened: {error}\nDetails are in {log}.").format(error=error, log=log_path))
        return 1
    if branch is None:
        QMessageBox.warning(None, "BranchDesk", app.translate(
            "Main", "No branch is set up for this workstation. Start with --demo, or create one with "
                    "'branchdesk-admin branch add' and set the branch in the settings."))
        return 2

    role = args.role or settings.get("workstation.role")
    # Sign-in (except on the calling display), the role's window; "Switch user" repeats it.
    session = WorkstationSession(db, settings, branch, language, role, open_workstation_window)
    if not session.sign_in_blocking():
        db.dispose()
        return 0
    quit_when_cancelled(session)
    backups = ScheduledBackups(db, settings)  # SQLite installs: the daily backup, kept backup.keep_days
    backups.start()
    try:
        return app.exec()
    finally:
        backups.stop()
        session.end()
        db.dispose()


def open_workstation_window(role: str, context: AppContext, bridge: EventBridge) -> QWidget:
    """The window this workstation's role shows: full screen on its monitor for display and kiosk."""
    if role == "display":
        from ui.display.announcer import Announcer
        from ui.display.calling_display import CallingDisplay, show_on_screen

        announcer = Announcer.from_settings(context.settings, context.language)
        window: QWidget = CallingDisplay(context, bridge, announcer)
        show_on_screen(window, context.settings.get("display.screen"))
    elif role == "dashboard":
        from ui.dashboard.dashboard_window import DashboardWindow

        window = DashboardWindow(context, bridge)
        window.showFullScreen()
    elif role == "kiosk":
        from ui.display.calling_display import show_on_screen
        from ui.connection_banner import add_connection_banner
        from ui.kiosk.kiosk_window import KioskWindow

        window = KioskWindow(context)
        add_connection_banner(window, bridge)  # "not connected" while the database is unreachable
        show_on_screen(window, context.settings.get("display.screen"))
    else:
        window = MainWindow(context, bridge)
        window.show()
    return window


if __name__ == "__main__":
    sys.exit(main())
