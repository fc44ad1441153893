"""The lobby calling display (叫号屏): who is called to which counter, readable across the hall.

Live (a :class:`ui.live_pane.LivePane` on the queue topic, read on the worker thread): each
change reads the calls after the last one shown (``calls_since``), so when three counters call
in the same second all three are shown and announced, in order. The same read runs on a clock
every few seconds as the health check: when the database or the change feed is lost the board
says so and blanks the calls rather than show stale ones, and when it answers again it catches
up. The board itself (widgets, scaling, rendering) is ui/display/board.py.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.domain.announcement import announcement_text
from app.domain.errors import DatabaseUnavailable, DomainError
from app.services.queue_reads import CallNotice
from app.topics import TOPIC_QUEUE
from ui.context import AppContext
from ui.display.announcer import Announcer
from ui.display.board import DESIGN_HEIGHT, DESIGN_WIDTH, CallBoard
from ui.event_bridge import EventBridge
from ui.live_refresh import LiveRefresh
from ui.worker import Cancelled, Worker

log = logging.getLogger(__name__)

HEALTH_CHECK_MS = 5_000
#: How often the branch's notice is re-read (see check_notice).
NOTICE_CHECK_MS = 60_000
FLASH_TOGGLE_MS = 450
#: Calls found on catching up after an outage are listed, but only announced when this fresh:
#: a customer called ten minutes ago has already been served or marked a no-show.
STALE_ANNOUNCE_SECONDS = 120
#: Page size when reading the calls feed; a longer backlog is read page by page.
CALLS_PAGE = 50


@dataclass(frozen=True)
class CallsRead:
    """One read of the display: the calls after ``after``, the waiting counts and which of the
    tickets shown are still called (or served); on the first read also what was called before
    (``history``, listed, never announced) and its last id."""

    new: list[CallNotice]
    counts: dict[str, int]
    still_called: frozenset[int]
    history: list[CallNotice] | None = None
    latest_id: int | None = None


class CallingDisplay(CallBoard):
    """The full-screen board. ``connected``, ``is_flashing`` and ``history`` are for tests."""

    topics = (TOPIC_QUEUE,)

    #: A new call was shown (CallNotice).
    call_shown = Signal(object)
    #: The board switched between live (True) and "Not connected" (False).
    connection_state_changed = Signal(bool)

    def __init__(self, context: AppContext, bridge: EventBridge, announcer: Announcer,
                 parent: QWidget | None = None, *, health_check_ms: int = HEALTH_CHECK_MS,
                 notice_check_ms: int = NOTICE_CHECK_MS) -> None:
        super().__init__(context, parent, name="calling display")
        self._bridge = bridge
        self._announcer = announcer
        self._flash_ms = max(0, int(context.settings.get("display.flash_seconds"))) * 1000
        self.last_event_id: int | None = None
        self._db_ok = True
        self._bridge_ok = True

        self._flash_timer = self._timer(FLASH_TOGGLE_MS, self._toggle_flash, start=False)
        self._flash_end = self._timer(max(1, self._flash_ms), self._stop_flash, start=False, single=True)
        # Background reads on changes and on the health clock: an unexpected error is logged and
        # retried, never a box on the lobby screen.
        self.follow(bridge)
        self._health = self.every(health_check_ms)
        self._notice_worker = Worker(self)
        self._notice_worker.result.connect(self._show_notice)
        self._notice_worker.error.connect(self._notice_failed)
        self._notice_check = LiveRefresh(self.check_notice, self, name="calling display notice").every(
            notice_check_ms)
        bridge.connection_changed.connect(self._on_bridge_connection)
        announcer.fallback_used.connect(self._on_voice_fallback)
        if announcer.fallback_reason:
            self._on_voice_fallback(announcer.fallback_reason)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self._toggle_full_screen)

        self.refresh()  # once shown
        self.resize(DESIGN_WIDTH // 2, DESIGN_HEIGHT // 2)

    # -- live data ---------------------------------------------------------------------

    def read_job(self) -> partial[CallsRead]:
        return partial(self._read, self.last_event_id, self._bridge_ok, tuple(n.ticket_id for n in self.history))

    def _read(self, after: int | None, feed_ok: bool, shown: tuple[int, ...]) -> CallsRead:
        """On the worker thread: what changed since ``after`` (None: start with the history)."""
        queue, branch_id = self._ctx.services.queue, self._ctx.branch.id
        history = None
        if after is None:
            after = queue.latest_call_event_id(branch_id)
            recent = queue.recent_calls(branch_id, limit=self._history_size * 4)  # (recalls are merged)
            history = [n for n in recent if n.event_id <= after]
        new = self._calls_after(after) if feed_ok else []
        counts = {c.business_code: c.waiting for c in queue.waiting_counts(branch_id)}
        tickets = {*shown, *(n.ticket_id for n in new), *(n.ticket_id for n in history or ())}
        return CallsRead(new, counts, queue.still_called(branch_id, tickets), history,
                         after if history is not None else None)

    def _calls_after(self, after: int) -> list[CallNotice]:
        found: list[CallNotice] = []
        while True:
            page = self._ctx.services.queue.calls_since(self._ctx.branch.id, after, limit=CALLS_PAGE)
            found.extend(page)
            if len(page) < CALLS_PAGE:
                return found
            after = page[-1].event_id

    def show_result(self, read: CallsRead) -> None:
        """Show the read: new calls (each shown, announced and flashed) and the waiting counts."""
        if read.history is not None and self.last_event_id is None:
            self.history = self._one_row_per_ticket(read.history)  # on start: listed, never announced again
            self.last_event_id = read.latest_id
        self._db_ok = True
        self._counts = read.counts
        self._still_called = read.still_called
        self._update_connection()
        if read.new:
            self._take_new_calls(read.new)
        self._render()

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, DatabaseUnavailable):
            self._database_failed(error)
        else:
            log.warning("Calling display: read refused: %s", error)

    def check_notice(self) -> None:
        """The display never signs in again, so it re-reads the branch's notice (and the bank's name)
        now and then: a supervisor's new notice (Tools ▸ Branch settings…) reaches the lobby within a
        minute."""
        if not self._notice_worker.busy:
            self._notice_worker.run(self._ctx.services.branch_settings.values, self._ctx.branch.id)

    def _show_notice(self, values: dict[str, object]) -> None:
        settings = copy.copy(self._ctx.settings)
        settings.use_branch_values(values)
        self.show_bank_name(settings.get("printing.bank_name"))
        text = settings.get("display.notice")
        if text != self.notice.text():
            self.notice.set_text(text)
            self._footer.setVisible(bool(text) or not self.voice_status.isHidden())

    def _notice_failed(self, error: object) -> None:
        if not isinstance(error, (Cancelled, DomainError)):  # (the health check reports a lost database)
            self._notice_check.failed_with(error)  # type: ignore[arg-type]

    def _take_new_calls(self, notices: list[CallNotice]) -> None:
        now = self._ctx.clock()
        fresh: set[int] = set()
        for notice in notices:
            if self.last_event_id is not None and notice.event_id <= self.last_event_id:
                continue
            self.last_event_id = notice.event_id
            # A recall moves the ticket's row to the top: one row per ticket, never B001 ×3.
            self.history = [n for n in self.history if n.ticket_id != notice.ticket_id]
            self.history.insert(0, notice)
            if now - notice.at <= timedelta(seconds=STALE_ANNOUNCE_SECONDS):
                fresh.add(notice.event_id)
                self._announce(notice)
            self.call_shown.emit(notice)
        del self.history[self._history_size:]
        if fresh:
            self._fresh_ids = fresh
            self._start_flash()

    def _one_row_per_ticket(self, newest_first: list[CallNotice]) -> list[CallNotice]:
        """The newest call of each ticket, newest first, at most the history size."""
        seen: set[int] = set()
        rows = []
        for notice in newest_first:
            if notice.ticket_id not in seen:
                seen.add(notice.ticket_id)
                rows.append(notice)
        return rows[:self._history_size]

    def _announce(self, notice: CallNotice) -> None:
        try:
            text = announcement_text(notice.number, notice.counter_number, self._ctx.language)
        except ValueError:
            log.warning("Call %s to counter %s cannot be announced", notice.number, notice.counter_number)
            return
        self._announcer.announce(text)

    def _database_failed(self, error: Exception) -> None:
        if self._db_ok:
            log.warning("Calling display lost the database: %s", error)
        self._db_ok = False
        self._update_connection()
        self._render()

    def _on_bridge_connection(self, connected: bool) -> None:
        self._bridge_ok = connected
        if connected:
            self.refresh()  # catch up on what happened while the feed was away
        else:
            log.warning("Calling display lost the change feed")
            self._update_connection()
            self._render()

    def _update_connection(self) -> None:
        connected = self._db_ok and self._bridge_ok
        if connected == self.connected:
            return
        self.connected = connected
        self.banner.setVisible(not connected)
        if not connected:
            self._stop_flash()
        else:
            log.info("Calling display reconnected")
        self.connection_state_changed.emit(connected)

    def _on_voice_fallback(self, reason: str) -> None:
        self.voice_status.setText(self.tr("Spoken calls unavailable: chime only"))
        self.voice_status.setToolTip(reason)
        self.voice_status.show()
        self._footer.show()  # (hidden when there is no notice)

    @property
    def is_flashing(self) -> bool:
        return self._flash_end.isActive()

    def _start_flash(self) -> None:
        if self._flash_ms <= 0:
            return
        self._flash_on = True
        self._flash_timer.start()
        self._flash_end.start()

    def _toggle_flash(self) -> None:
        self._flash_on = not self._flash_on
        self._render()

    def _stop_flash(self) -> None:
        self._flash_timer.stop()
        self._flash_end.stop()
        self._flash_on = False
        self._fresh_ids = set()
        self._render()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for timer in (self._clock, self._flash_timer, self._flash_end):
            timer.stop()
        self._notice_check.stop()
        self._notice_worker.forget()
        self.notice.stop()
        self._announcer.stop()
        for signal, slot in ((self._bridge.connection_changed, self._on_bridge_connection),
                             (self._announcer.fallback_used, self._on_voice_fallback)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already disconnected
                pass
        super().closeEvent(event)


__all__ = ["CallingDisplay"]
