"""A pane that follows the database live: declared topics, reads off the GUI thread, hidden panes wait.

The teller console, the checklist pane and the lobby dashboard each grew the same logic: on a
change, re-read if visible, else note "stale" and re-read in ``showEvent``; read on a
:class:`ui.worker.Worker`; guard background refreshes with :class:`ui.live_refresh.LiveRefresh`.
:class:`LivePane` is that logic once. A pane:

- declares ``topics`` (app/topics.py): only a change of one of them makes it re-read;
- implements :meth:`LivePane.read_job` (GUI thread: what to read, as a callable) and
  :meth:`LivePane.show_result` (GUI thread: show what the job returned), and optionally
  :meth:`LivePane.show_refusal` (a ``DomainError`` such as "database unavailable") and
  :meth:`LivePane.defer_refresh` (changes wait while the pane's own dialog is open);
- calls :meth:`LivePane.follow` with the event bridge, and :meth:`LivePane.every` for a clock.

A change while the pane is visible starts one read on the worker; changes that come while a read
is under way cause exactly one more read after it (a stream of changes never starves the pane of
results, as "latest job wins" would). A hidden pane never reads: it is marked stale and reads
once when it is shown. An unexpected error is logged and retried (LiveRefresh), never a box.
A change this process committed itself (the user's own F-key, a dialog's save) is not read again
by a pane that has already shown a read begun after that commit finished — the action's own
:meth:`LivePane.show_now` showed it (the "echo"; ``EventBridge.committed_here``).

Keeping the selection is the table model's part: refresh lists with
:meth:`ui.table_model.RecordTableModel.update_rows` (keyed), not ``set_rows``.

Example::

    class QueueBoard(LivePane):
        topics = (TOPIC_QUEUE,)

        def __init__(self, context: AppContext, bridge: EventBridge) -> None:
            super().__init__(name="queue board")
            self._ctx = context
            self.model = RecordTableModel(COLUMNS, self, key=lambda ticket: ticket.id)
            ...
            self.follow(bridge)
            self.refresh()

        def read_job(self) -> Callable[[], object] | None:
            return partial(self._ctx.services.queue.list_tickets, self._ctx.branch.id, status=WAITING)

        def show_result(self, tickets: list[TicketView]) -> None:
            self.model.update_rows(tickets)  # the selected ticket stays selected

        def show_refusal(self, error: DomainError) -> None:
            self.message.setText(describe(error))
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from app.domain.errors import DomainError
from ui.live_refresh import RETRY_MS, LiveRefresh
from ui.worker import Cancelled, Worker

if TYPE_CHECKING:
    from ui.event_bridge import EventBridge

log = logging.getLogger(__name__)

#: What a pane reads off the GUI thread: a callable without arguments (``functools.partial``).
ReadJob = Callable[[], Any]


class LivePane(QWidget):
    """Base of the panes that follow the database; see the module's docstring."""

    #: The topics (app/topics.py) whose change makes this pane re-read.
    topics: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QWidget | None = None, *, name: str | None = None,
                 retry_ms: int = RETRY_MS) -> None:
        super().__init__(parent)
        #: A change (or the clock) asked for a read that has not been made: the pane was hidden,
        #: or deferred it. True at first, so the first show reads even without a change.
        self.stale = True
        #: A read was asked for while one was under way: read once more when it is done.
        self._again = False
        #: When the read under way began, and the one whose result is shown (time.monotonic()).
        self._read_began = 0.0
        self._shown_as_of: float | None = None
        self.worker = Worker(self)
        self.worker.result.connect(self._on_result)
        self.worker.error.connect(self._on_error)
        self.live = LiveRefresh(self._start_read, self, name=name or type(self).__name__, retry_ms=retry_ms,
                                reports_itself=True)

    # -- what a pane implements ------------------------------------------------------------

    def read_job(self) -> ReadJob | None:
        """On the GUI thread: what to read now, as a callable run on the worker thread (it must open
        its own session, as the services do), or None when there is nothing to read."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        """On the GUI thread: show what the read job returned."""
        raise NotImplementedError

    def show_refusal(self, error: DomainError) -> None:
        """On the GUI thread: the read was refused with an explanation (the database is away…).
        Not retried by the clock: the next change or a reconnection reads again."""
        log.info("%s: read refused: %s", self.live.name, error)

    def defer_refresh(self) -> bool:
        """True while a change must wait although the pane is visible (its own dialog is open):
        it is kept like a hidden pane's; call :meth:`catch_up` when the wait is over."""
        return False

    # -- wiring ----------------------------------------------------------------------------

    def follow(self, bridge: EventBridge) -> None:
        """Re-read when the bridge reports one of :attr:`topics` (until the pane is closed)."""
        self.live.follow(bridge.changed, self.topics, seen=lambda topic: self._has_shown(bridge, topic))

    def every(self, interval_ms: int) -> QTimer:
        """Re-read on a clock too (waits grow without changes); a hidden pane only turns stale."""
        return self.live.every(interval_ms)

    def stop_following(self) -> None:
        """No more reads: changes and clocks are no longer followed, a read under way is dropped."""
        self.live.stop()
        self.worker.forget()
        self._again = False

    # -- refreshing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read in the background now if the pane is visible, else once it is shown. Never raises."""
        self.live.trigger()

    def catch_up(self) -> None:
        """Make the read a change asked for while the pane was hidden or deferring, if any."""
        if self.stale:
            self.refresh()

    def show_now(self) -> bool:
        """Read on the GUI thread and show at once: after the user's own action (a write, a filter),
        whose result they wait for. A background read under way is older and is dropped. A refusal
        goes to :meth:`show_refusal` (False); any other error reaches the caller (the user's action
        shows the crash box with its reference)."""
        self.worker.forget()
        self._again = False
        self.stale = False
        job = self.read_job()
        if job is None:
            return True
        began = time.monotonic()
        try:
            result = job()
        except DomainError as error:
            self.show_refusal(error)
            return False
        self._show_read(result, began)
        return True

    @property
    def settled(self) -> bool:
        """Nothing to read: no read under way, none asked for, and the pane is not stale
        (what a test waits for after a change or a show)."""
        return not (self.stale or self._again or self.worker.busy)

    def _start_read(self) -> None:
        """LiveRefresh's callable (so a bug here is logged and retried, never a box)."""
        if not self.isVisible() or self.defer_refresh():
            self.stale = True
            self.live.succeeded()  # waiting is not failing
            return
        if self.worker.busy:
            self._again = True
            return
        self.stale = False
        job = self.read_job()
        if job is None:
            self.live.succeeded()
            return
        self._read_began = time.monotonic()
        self.worker.run(job)

    def _show_read(self, result: object, began: float) -> None:
        self.show_result(result)
        self._shown_as_of = began

    def _has_shown(self, bridge: EventBridge, topic: str) -> bool:
        """The change being reported was committed by this process before the read now shown began."""
        committed = bridge.committed_here(topic)
        return committed is not None and self._shown_as_of is not None and self._shown_as_of > committed

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self.live.run(self._show_read, result, self._read_began)
        self._read_again_if_asked()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, DomainError):
            self.live.run(self.show_refusal, error)
        else:
            self.live.failed_with(error)  # type: ignore[arg-type]
        self._read_again_if_asked()

    def _read_again_if_asked(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    # -- Qt --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.catch_up()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.stop_following()
        super().closeEvent(event)
