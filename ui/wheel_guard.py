"""A mouse wheel scrolls forms; it never changes an input the user has not chosen.

Qt lets the wheel change whichever combo box, spin box, date edit or slider passes under the
pointer, focused or not. Scrolling a long form (branch settings, the complaint entry form) then
silently changed a branch-wide setting and put the wrong staff member on a printed complaint.
:class:`WheelGuard`, installed once on the application (:func:`install`), hands a wheel event
over such an input that does not have the keyboard focus to the scroll area around it, so the
form scrolls and the value stays. (Handed on explicitly: Qt propagates an ignored wheel event to
the parents only while it is the original, spontaneous one.) Once the user has clicked or tabbed into the input, the
wheel works on it as usual. Inputs also stop taking the focus from the wheel itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QSlider, QWidget

#: The inputs whose value a wheel changes (not scroll bars: the wheel is for them).
GUARDED = (QComboBox, QAbstractSpinBox, QSlider)


class WheelGuard(QObject):
    """The application-wide event filter; see the module's docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Polish and isinstance(watched, GUARDED):
            # A wheel over the input must not give it the focus (which would then let it change).
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif event.type() == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            area = scroll_area_around(watched)
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)  # the form scrolls
            return True
        return False


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def install(app: QApplication) -> WheelGuard:
    """Install the guard on the application: one guard, a child of the application so it lives as
    long (installing again is harmless: Qt keeps a filter once)."""
    existing = app.findChild(WheelGuard)
    guard = existing if isinstance(existing, WheelGuard) else WheelGuard(app)
    app.installEventFilter(guard)
    return guard


def is_guarded(widget: QWidget) -> bool:
    """Whether the wheel is kept off ``widget`` while it has no focus."""
    return isinstance(widget, GUARDED)
