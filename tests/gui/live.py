"""Waiting for live panes (ui/live_pane.py) in tests: their reads run on the worker thread."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.live_pane import LivePane


def settle(qtbot, *widgets: QWidget, timeout: int = 3000) -> None:  # type: ignore[no-untyped-def]
    """Wait until every visible live pane in ``widgets`` (and inside them) has shown its read."""
    panes = [pane for widget in widgets
             for pane in ([widget] if isinstance(widget, LivePane) else []) + widget.findChildren(LivePane)]
    qtbot.waitUntil(lambda: all(pane.settled for pane in panes if pane.isVisible()), timeout=timeout)
