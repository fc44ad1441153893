"""One person's session at a workstation: sign in, the window of the role, sign out.

"Switch user" ends the session cleanly — the window and everything it opened are
closed, the change watcher stops, the sign-out is audited — and shows the sign-in
dialog for the next person. Cancelling that dialog quits the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.errors import DomainError
from app.services.actor import Actor
from app.services.branches import BranchView
from app.services.registry import Services
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.login_dialog import LoginDialog

log = logging.getLogger(__name__)

#: Builds the role's window (ui.workstation_start.open_workstation_window).
WindowFactory = Callable[[str, AppContext, EventBridge], QWidget]


class WorkstationSession(QObject):
    #: A new person signed in (or the display started); the window is shown.
    started = Signal(object)  # the window
    #: The sign-in was cancelled: nobody works here any more.
    cancelled = Signal()

    def __init__(self, services: Services, branch: BranchView, language: str, role: str,
                 open_window: WindowFactory, parent: QObject | None = None) -> None:
        """``services``: this workstation's; each person's session gets them anew (policies as the
        branch's shared settings are at sign-in)."""
        super().__init__(parent)
        self.services, self.branch, self.language, self.role = services, branch, language, role
        self.settings = services.settings
        self._open_window = open_window
        self.window: QWidget | None = None
        self.bridge: EventBridge | None = None
        self.actor: Actor | None = None
        self.login_dialog: LoginDialog | None = None

    def _refresh_branch_settings(self) -> None:
        """The branch's shared policy (app/services/branch_settings.py), as it is now."""
        try:
            self.settings.use_branch_values(self.services.branch_settings.values(self.branch.id))
        except DomainError:  # database unreachable: keep what was read last
            log.warning("could not read the branch settings", exc_info=True)

    def _login(self) -> LoginDialog:
        self._refresh_branch_settings()
        self.services = self.services.renewed()
        dialog = LoginDialog(self.services.accounts, self.branch.name)
        self.login_dialog = dialog
        return dialog

    def sign_in_blocking(self) -> bool:
        """At start-up, before the event loop runs. False when the person cancelled."""
        if self.role == "display":  # the calling display only reads; nobody signs in
            self._begin(None)
            return True
        dialog = self._login()
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.actor is None:
            return False
        self._begin(dialog.actor)
        return True

    def begin_signed_in(self, actor: Actor) -> None:
        """Start the session for someone signed in elsewhere (a script, the soak tool): the branch's
        settings as they are now, then the role's window, as after the sign-in dialog."""
        self._refresh_branch_settings()
        self._begin(actor)

    def switch_user(self) -> None:
        """End this session and ask the next person to sign in (without blocking the event loop)."""
        dialog = self._login()
        dialog.accepted.connect(lambda: self._begin(dialog.actor))
        dialog.rejected.connect(self.cancelled)
        # Deleted once answered: the lambda above holds it (and this session) from inside its own
        # connection, where the garbage collector cannot see, so nothing else ever would.
        dialog.finished.connect(self._forget_login_dialog)
        dialog.open()  # first, so closing the window is not "the last window closed" (which quits)
        self.end()

    @Slot()
    def _forget_login_dialog(self) -> None:
        dialog, self.login_dialog = self.login_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _begin(self, actor: Actor | None) -> None:
        self.actor = actor
        self._refresh_branch_settings()
        self.services = self.services.renewed()
        context = AppContext(self.services, self.branch, self.language, actor=actor,
                             counter_number=self.settings.get("workstation.counter"))
        self.bridge = EventBridge(self.services.db, self.branch.id,
                                  sqlite_poll_ms=self.settings.get("events.sqlite_poll_ms"))
        self.bridge.start()
        self.window = self._open_window(self.role, context, self.bridge)
        switch = getattr(self.window, "switch_user_requested", None)
        if switch is not None:
            switch.connect(self.switch_user)
        self.started.emit(self.window)

    def end(self) -> None:
        """Close the window (which closes its panes and dialogs), stop the watcher, audit the sign-out."""
        window, self.window = self.window, None
        if window is not None:
            window.close()
            window.deleteLater()
        bridge, self.bridge = self.bridge, None
        if bridge is not None:
            bridge.stop()
            bridge.deleteLater()
        actor, self.actor = self.actor, None
        if actor is not None:
            try:
                self.services.accounts.sign_out(actor)
            except DomainError:  # database unreachable: the sign-out still happens on this PC
                log.warning("could not audit the sign-out of %s", actor.username, exc_info=True)


def quit_when_cancelled(session: WorkstationSession) -> None:
    session.cancelled.connect(QApplication.quit)
