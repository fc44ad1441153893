"""The lobby calling display (叫号屏): who is called to which counter, readable across the hall.

Live: every ``queue_changed`` reads the calls after the last one shown (``calls_since``),
so when three counters call in the same second all three are shown and announced, in
order. A health check every few seconds runs a cheap query; when the database or the
change feed is lost the board says so and blanks the calls rather than show stale ones,
and when it answers again it catches up.
"""

from __future__ import annotations

import copy
import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from app.domain.announcement import announcement_text
from app.domain.errors import DatabaseUnavailable, DomainError
from app.services.queue_reads import CallNotice
from ui.context import AppContext
from ui.display.announcer import Announcer
from ui.display.marquee import Marquee
from ui.display.style import DISPLAY_STYLE, FONT_PX, INK, repolish
from ui.event_bridge import EventBridge
from ui.live_refresh import LiveRefresh
from ui.printing.fonts import app_font_family

log = logging.getLogger(__name__)

HEALTH_CHECK_MS = 5_000
#: How often the branch's notice is re-read (see check_notice).
NOTICE_CHECK_MS = 60_000
CLOCK_MS = 1_000
FLASH_TOGGLE_MS = 450
#: Calls found on catching up after an outage are listed, but only announced when this fresh:
#: a customer called ten minutes ago has already been served or marked a no-show.
STALE_ANNOUNCE_SECONDS = 120
#: Page size when reading the calls feed; a longer backlog is read page by page.
CALLS_PAGE = 50
DESIGN_HEIGHT = 1080
DESIGN_WIDTH = 1920
TILE_COLUMNS = 5


def show_on_screen(widget: QWidget, screen_index: int) -> int:
    """Show ``widget`` full screen on monitor ``screen_index`` (0 = first); returns the index used.

    An index that does not exist (a monitor unplugged) falls back to the primary screen."""
    screens = QGuiApplication.screens()
    if 0 <= screen_index < len(screens):
        screen, used = screens[screen_index], screen_index
    else:
        screen = QGuiApplication.primaryScreen()
        used = screens.index(screen) if screen in screens else 0
        log.warning("Screen %d does not exist (%d connected); using screen %d", screen_index, len(screens), used)
    widget.setScreen(screen)
    widget.setGeometry(screen.geometry())
    widget.showFullScreen()
    widget.setCursor(Qt.CursorShape.BlankCursor)
    return used


class _HistoryRow(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyRow")
        self.number = QLabel()
        self.number.setObjectName("historyNumber")
        self.counter = QLabel()
        self.counter.setObjectName("historyCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 0, 28, 0)
        row.addWidget(self.number, 1)
        row.addWidget(self.counter, 1)


class _WaitingTile(QFrame):
    """Prefix badge and count on top, the business name (up to two lines) below."""

    def __init__(self, prefix: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingTile")
        self.prefix = QLabel(prefix)
        self.prefix.setObjectName("tilePrefix")
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = QLabel("—")
        self.count.setObjectName("tileCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.name = QLabel(name)
        self.name.setObjectName("tileName")
        self.name.setWordWrap(True)
        self.name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.prefix)
        top.addWidget(self.count, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 10, 16, 10)
        box.setSpacing(2)
        box.addLayout(top)
        box.addWidget(self.name, 1)


class CallingDisplay(QWidget):
    """The full-screen board. ``connected``, ``is_flashing`` and ``history`` are for tests."""

    #: A new call was shown (CallNotice).
    call_shown = Signal(object)
    #: The board switched between live (True) and "Not connected" (False).
    connection_state_changed = Signal(bool)

    def __init__(self, context: AppContext, bridge: EventBridge, announcer: Announcer,
                 parent: QWidget | None = None, *, health_check_ms: int = HEALTH_CHECK_MS,
                 notice_check_ms: int = NOTICE_CHECK_MS) -> None:
        super().__init__(parent)
        self._ctx = context
        self._bridge = bridge
        self._announcer = announcer
        self._zone = ZoneInfo(context.branch.timezone)
        self._locale = QLocale(context.language)
        settings = context.settings
        self._flash_ms = max(0, int(settings.get("display.flash_seconds"))) * 1000
        self._history_size = max(1, int(settings.get("display.history_size")))
        self.last_event_id: int | None = None
        self.history: list[CallNotice] = []
        self.connected = True
        self._db_ok = True
        self._bridge_ok = True
        self._counts: dict[str, int] = {}
        self._fresh_ids: set[int] = set()
        self._flash_on = False

        self.setObjectName("callingDisplay")
        self.setWindowTitle(self.tr("Calling display — {branch}").format(branch=context.branch.name))
        self.setStyleSheet(DISPLAY_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._family = app_font_family()
        self._build()

        self._clock = self._timer(CLOCK_MS, self._tick_clock)
        self._flash_timer = self._timer(FLASH_TOGGLE_MS, self._toggle_flash, start=False)
        self._flash_end = self._timer(max(1, self._flash_ms), self._stop_flash, start=False, single=True)
        # Background refreshes: an unexpected error is logged and retried, never a box on the lobby screen.
        self._live = LiveRefresh(self.refresh, self, name="calling display").listen(bridge.queue_changed)
        self._health = LiveRefresh(self.check_health, self, name="calling display health check").every(
            health_check_ms)
        self._notice_check = LiveRefresh(self.check_notice, self, name="calling display notice").every(
            notice_check_ms)
        bridge.connection_changed.connect(self._on_bridge_connection)
        announcer.fallback_used.connect(self._on_voice_fallback)
        if announcer.fallback_reason:
            self._on_voice_fallback(announcer.fallback_reason)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self._toggle_full_screen)

        self._tick_clock()
        self.refresh()
        self.resize(DESIGN_WIDTH // 2, DESIGN_HEIGHT // 2)

    # -- building ----------------------------------------------------------------------

    def _timer(self, interval: int, slot, *, start: bool = True, single: bool = False) -> QTimer:  # type: ignore[no-untyped-def]
        timer = QTimer(self)
        timer.setInterval(interval)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        if start:
            timer.start()
        return timer

    def _label(self, name: str, text: str = "", align: Qt.AlignmentFlag | None = None) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        if align is not None:
            label.setAlignment(align)
        return label

    def _build(self) -> None:
        center = Qt.AlignmentFlag.AlignCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

        # Header: branch on the left, date and clock on the right.
        header = QFrame()
        header.setObjectName("header")
        self.branch_label = self._label("branchName", self._ctx.branch.name)
        self.subtitle_label = self._label("subtitle", self.tr("Queue calling"))
        self.date_label = self._label("dateLabel", "", right)
        self.clock_label = self._label("clockLabel", "", right)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.branch_label)
        names.addWidget(self.subtitle_label)
        times = QHBoxLayout()
        times.setSpacing(28)
        times.addWidget(self.date_label)
        times.addWidget(self.clock_label)
        top = QHBoxLayout(header)
        top.setContentsMargins(48, 14, 48, 14)
        top.addLayout(names, 1)
        top.addLayout(times)

        self.banner = self._label("banner", self.tr(
            "Not connected to the queue system — calls are paused. Please ask our staff for help."), center)
        self.banner.setWordWrap(True)
        self.banner.hide()

        # Hero: the newest call, as large as the screen allows.
        self.hero = QFrame()
        self.hero.setObjectName("hero")
        self.hero_caption = self._label("heroCaption", self.tr("Now calling"), center)
        self.hero_number = self._label("heroNumber", "—", center)
        self.hero_prompt = self._label("heroPrompt", "", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.hero_counter = self._label("heroCounter", "", Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.hero_business = self._label("heroBusiness", "", center)
        counter_line = QHBoxLayout()
        counter_line.setSpacing(24)
        counter_line.addStretch(1)
        counter_line.addWidget(self.hero_prompt)
        counter_line.addWidget(self.hero_counter)
        counter_line.addStretch(1)
        hero_box = QVBoxLayout(self.hero)
        hero_box.setContentsMargins(32, 20, 32, 24)
        hero_box.setSpacing(0)
        hero_box.addWidget(self.hero_caption)
        hero_box.addStretch(1)
        hero_box.addWidget(self.hero_number)
        hero_box.addLayout(counter_line)
        hero_box.addSpacing(6)
        hero_box.addWidget(self.hero_business)
        hero_box.addStretch(1)

        # Waiting counts per business type, under the hero.
        self.waiting_box = QFrame()
        self.waiting_box.setObjectName("waitingBox")
        self.waiting_title = self._label("panelTitle", self.tr("Customers waiting"))
        self.waiting_tiles: dict[str, _WaitingTile] = {}
        tiles = QGridLayout()
        tiles.setSpacing(14)
        types = self._ctx.services.catalog.business_types()
        self._business_names = {bt.name_zh: bt.name(self._ctx.language) for bt in types}
        for index, bt in enumerate(types):
            tile = _WaitingTile(bt.prefix, bt.name(self._ctx.language))
            tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.waiting_tiles[bt.code] = tile
            tiles.addWidget(tile, index // TILE_COLUMNS, index % TILE_COLUMNS)
        for column in range(min(TILE_COLUMNS, max(1, len(types)))):
            tiles.setColumnStretch(column, 1)
        waiting = QVBoxLayout(self.waiting_box)
        waiting.setContentsMargins(20, 10, 20, 16)
        waiting.setSpacing(8)
        waiting.addWidget(self.waiting_title)
        waiting.addLayout(tiles)

        # History: the recent calls, newest first.
        self.history_box = QFrame()
        self.history_box.setObjectName("historyBox")
        self.history_title = self._label("panelTitle", self.tr("Recent calls"))
        head = QHBoxLayout()
        head.setContentsMargins(28, 0, 28, 0)
        self.history_number_head = self._label("columnHead", self.tr("Number"))
        self.history_counter_head = self._label("columnHead", self.tr("Counter"), right)
        head.addWidget(self.history_number_head, 1)
        head.addWidget(self.history_counter_head, 1)
        self.history_rows = [_HistoryRow() for _ in range(self._history_size)]
        history = QVBoxLayout(self.history_box)
        history.setContentsMargins(0, 20, 0, 20)
        history.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.setContentsMargins(28, 0, 28, 6)
        title_row.addWidget(self.history_title)
        history.addLayout(title_row)
        history.addLayout(head)
        for row in self.history_rows:
            history.addWidget(row, 1)

        left = QVBoxLayout()
        left.setSpacing(16)
        left.addWidget(self.hero, 1)
        left.addWidget(self.waiting_box)
        body = QHBoxLayout()
        body.setContentsMargins(32, 18, 32, 16)
        body.setSpacing(22)
        body.addLayout(left, 62)
        body.addWidget(self.history_box, 38)

        # Footer: the scrolling notice, and a small note for staff when calls are chimed.
        footer = QFrame()
        footer.setObjectName("footer")
        self.notice = Marquee(self._ctx.settings.get("display.notice"))
        self.notice.setObjectName("notice")
        self.notice.set_color(INK)
        self.voice_status = self._label("voiceStatus", "", right)
        self.voice_status.hide()
        bottom = QHBoxLayout(footer)
        bottom.setContentsMargins(36, 0, 36, 0)
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.voice_status)
        footer.setVisible(bool(self.notice.text()))

        page = QVBoxLayout(self)
        # The board is sized by its screen, never by its content: type scales to fit instead.
        page.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(header)
        page.addWidget(self.banner)
        page.addLayout(body, 1)
        page.addWidget(footer)
        self._header, self._footer = header, footer

    # -- scaling -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        """Type sizes follow the screen: the design is for 1920×1080, smaller screens shrink it."""
        scale = max(0.3, min(self.width() / DESIGN_WIDTH, self.height() / DESIGN_HEIGHT))
        for widget in self.findChildren(QWidget):
            size = FONT_PX.get(widget.objectName())
            if size is None:
                continue
            font = QFont(self._family)
            font.setPixelSize(max(8, round(size[0] * scale)))
            font.setBold(size[1])
            widget.setFont(font)
        self._header.setFixedHeight(round(112 * scale))
        self._footer.setFixedHeight(round(70 * scale))
        for row in self.history_rows:
            row.setMinimumHeight(round(60 * scale))
        for tile in self.waiting_tiles.values():
            tile.prefix.setFixedSize(round(44 * scale), round(44 * scale))

    # -- live data ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what changed: new calls (each shown, announced and flashed) and the waiting counts."""
        branch_id = self._ctx.branch.id
        queue = self._ctx.services.queue
        try:
            if self.last_event_id is None:
                self._load_history()
            new = self._read_new_calls() if self._bridge_ok else []
            counts = queue.waiting_counts(branch_id)
        except DatabaseUnavailable as error:
            self._database_failed(error)
            return
        self._db_ok = True
        self._counts = {c.business_code: c.waiting for c in counts}
        self._update_connection()
        if new:
            self._take_new_calls(new)
        self._render()

    def check_health(self) -> None:
        """The periodic cheap query: notices a lost database, and catches up on a missed change."""
        try:
            latest = self._ctx.services.queue.latest_call_event_id(self._ctx.branch.id)
        except DatabaseUnavailable as error:
            self._database_failed(error)
            return
        if not self.connected or self.last_event_id is None or latest > self.last_event_id:
            self.refresh()

    def check_notice(self) -> None:
        """The display never signs in again, so it re-reads the branch's notice now and then: a
        supervisor's new notice (Tools ▸ Branch settings…) reaches the lobby within a minute."""
        try:
            values = self._ctx.services.branch_settings.values(self._ctx.branch.id)
        except DomainError:
            return  # the health check reports a lost database
        settings = copy.copy(self._ctx.settings)
        settings.use_branch_values(values)
        text = settings.get("display.notice")
        if text != self.notice.text():
            self.notice.set_text(text)
            self._footer.setVisible(bool(text) or not self.voice_status.isHidden())

    def _load_history(self) -> None:
        """On start: what was called before is listed, never announced again."""
        branch_id = self._ctx.branch.id
        latest = self._ctx.services.queue.latest_call_event_id(branch_id)
        recent = self._ctx.services.queue.recent_calls(branch_id, limit=self._history_size)
        self.history = [n for n in recent if n.event_id <= latest]
        self.last_event_id = latest

    def _read_new_calls(self) -> list[CallNotice]:
        assert self.last_event_id is not None
        found: list[CallNotice] = []
        after = self.last_event_id
        while True:
            page = self._ctx.services.queue.calls_since(self._ctx.branch.id, after, limit=CALLS_PAGE)
            found.extend(page)
            if len(page) < CALLS_PAGE:
                return found
            after = page[-1].event_id

    def _take_new_calls(self, notices: list[CallNotice]) -> None:
        now = self._ctx.clock()
        fresh: set[int] = set()
        for notice in notices:
            if self.last_event_id is not None and notice.event_id <= self.last_event_id:
                continue
            self.last_event_id = notice.event_id
            self.history.insert(0, notice)
            if now - notice.at <= timedelta(seconds=STALE_ANNOUNCE_SECONDS):
                fresh.add(notice.event_id)
                self._announce(notice)
            self.call_shown.emit(notice)
        del self.history[self._history_size:]
        if fresh:
            self._fresh_ids = fresh
            self._start_flash()

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
            self._live.trigger()  # catch up on what happened while the feed was away
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
        self.voice_status.setText(self.tr("Voice calls unavailable: chime only"))
        self.voice_status.setToolTip(reason)
        self.voice_status.show()
        self._footer.show()  # (hidden when there is no notice)

    # -- showing -----------------------------------------------------------------------

    def counter_text(self, counter_number: int) -> str:
        return self.tr("Counter {counter}").format(counter=counter_number)

    def _render(self) -> None:
        live = self.connected
        latest = self.history[0] if live and self.history else None
        self.hero.setProperty("offline", not live)
        if latest is None:
            self.hero_number.setText("—")
            self.hero_prompt.setText("")
            self.hero_counter.setText("")
            self.hero_business.setText(self.tr("Please wait for your number to be called")
                                       if live else self.tr("Calls are paused"))
        else:
            self.hero_number.setText(latest.number)
            self.hero_prompt.setText(self.tr("Please go to"))
            self.hero_counter.setText(self.counter_text(latest.counter_number))
            self.hero_business.setText(self._business_names.get(latest.business_name_zh, latest.business_name_zh))
        for label in (self.hero_prompt, self.hero_counter):
            label.setVisible(bool(label.text()))
        for index, row in enumerate(self.history_rows):
            notice = self.history[index] if live and index < len(self.history) else None
            row.number.setText(notice.number if notice else "")
            row.counter.setText(self.counter_text(notice.counter_number) if notice else "")
            row.setProperty("latest", notice is not None and index == 0)
            row.setProperty("flash", notice is not None and self._flash_on and notice.event_id in self._fresh_ids)
            repolish(row, row.number, row.counter)
        for code, tile in self.waiting_tiles.items():
            tile.count.setText(str(self._counts.get(code, 0)) if live else "—")
            tile.setProperty("offline", not live)
            repolish(tile, tile.count)
        self.waiting_box.setProperty("offline", not live)
        self.history_box.setProperty("offline", not live)
        self.hero.setProperty("flash", self._flash_on)
        repolish(self.hero, self.hero_caption, self.hero_number, self.hero_prompt, self.hero_counter,
                 self.hero_business, self.waiting_box, self.history_box)

    @property
    def is_flashing(self) -> bool:
        return self._flash_end.isActive()

    def hero_text(self) -> tuple[str, str]:
        """(number, counter line) as the hero shows them."""
        return self.hero_number.text(), self.hero_counter.text()

    def history_texts(self) -> list[tuple[str, str]]:
        return [(row.number.text(), row.counter.text()) for row in self.history_rows if row.number.text()]

    def waiting_text(self, business_code: str) -> str:
        return self.waiting_tiles[business_code].count.text()

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

    def _tick_clock(self) -> None:
        now: datetime = self._ctx.clock().astimezone(self._zone)
        today: date = now.date()
        self.date_label.setText(self._locale.toString(QDate(today.year, today.month, today.day),
                                                      QLocale.FormatType.LongFormat))
        self.clock_label.setText(now.strftime("%H:%M:%S"))

    def _toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.unsetCursor()
        else:
            self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for timer in (self._clock, self._flash_timer, self._flash_end, self._health, self._notice_check):
            timer.stop()
        self._live.stop()
        self.notice.stop()
        self._announcer.stop()
        for signal, slot in ((self._bridge.connection_changed, self._on_bridge_connection),
                             (self._announcer.fallback_used, self._on_voice_fallback)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already disconnected
                pass
        super().closeEvent(event)


__all__ = ["CallingDisplay", "show_on_screen"]
