"""The one line under a pane or dialog that says what just happened, and the guarded call.

A refused request (a ``DomainError``: a permission, a rule, the database away) becomes one
translated sentence in the bar, never a box and never a traceback. Anything else is a bug and
goes on to the crash handler (ui/crash_dialog.py), which logs it with a reference.

The bar's ``severity`` property ("error", "ok", "" for plain) says what it shows, so a test asks
for the meaning rather than a colour, and one style sheet colours it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

from app.domain.errors import DomainError
from ui.errors import describe
from ui.style import ERROR, GOOD

T = TypeVar("T")

STYLE = f'QLabel[severity="error"] {{ color: {ERROR}; }} QLabel[severity="ok"] {{ color: {GOOD}; }}'
BOLD_STYLE = (f'QLabel[severity="error"] {{ color: {ERROR}; font-weight: bold; }} '
              f'QLabel[severity="ok"] {{ color: {GOOD}; font-weight: bold; }}')


class MessageBar(QLabel):
    def __init__(self, parent: QWidget | None = None, *, name: str = "message", bold: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(BOLD_STYLE if bold else STYLE)
        self._set_severity("")

    @property
    def severity(self) -> str:
        return str(self.property("severity") or "")

    def _set_severity(self, severity: str) -> None:
        self.setProperty("severity", severity)
        self.style().unpolish(self)  # a dynamic property: the style sheet is applied again
        self.style().polish(self)

    def show_error(self, text: str) -> None:
        self.setText(text)
        self._set_severity("error")

    def show_ok(self, text: str) -> None:
        self.setText(text)
        self._set_severity("ok")

    def show_info(self, text: str) -> None:
        self.setText(text)
        self._set_severity("")

    def report(self, text: str, *, error: bool = False) -> None:
        """``error``: the text reports a failure; otherwise plain information."""
        if error:
            self.show_error(text)
        else:
            self.show_info(text)

    def outcome(self, text: str, *, error: bool = False) -> None:
        """The result of a save or an import: a failure, else a success (shown as ok)."""
        if error:
            self.show_error(text)
        else:
            self.show_ok(text)

    def clear(self) -> None:
        self.setText("")
        self._set_severity("")

    def guarded(self, action: Callable[[], T], *,
                refused: Callable[[DomainError], object] | None = None) -> tuple[T | None, bool]:
        """Run a service call: ``(result, True)``, or ``(None, False)`` with the refusal shown
        (then ``refused`` gets the error, e.g. to put the cursor in the field it names).
        A success clears an error shown before."""
        try:
            result = action()
        except DomainError as error:
            self.show_error(describe(error))
            if refused is not None:
                refused(error)
            return None, False
        if self.severity == "error":
            self.clear()
        return result, True


def guarded(show_error: Callable[[str], object], action: Callable[[], T]) -> tuple[T | None, bool]:
    """The same for a message shown elsewhere (a kiosk page's label, a dialog's own line)."""
    try:
        return action(), True
    except DomainError as error:
        show_error(describe(error))
        return None, False
