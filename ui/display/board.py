"""What the lobby calling display looks like: header, hero, waiting tiles, history, notice.

:class:`CallBoard` builds the board, scales its type to the screen and renders the state it
holds (``history``, ``connected``, the waiting counts, the flash); what it shows when — reading
the calls, announcing them, outages — is :class:`ui.display.calling_display.CallingDisplay`'s.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
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

from app.services.queue_reads import CallNotice
from ui.context import AppContext
from ui.display.marquee import Marquee
from ui.display.style import DISPLAY_STYLE, FONT_PX, INK, repolish
from ui.live_pane import LivePane
from ui.printing.fonts import app_font_family

CLOCK_MS = 1_000
DESIGN_HEIGHT = 1080
DESIGN_WIDTH = 1920
TILE_COLUMNS = 5
#: The smallest type a tile name shrinks to so that its longest word fits (pixels).
MIN_NAME_PX = 10


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
        self._name_font = QFont(self.name.font())

    def set_name_font(self, font: QFont) -> None:
        """The name's type size at this screen size; smaller still if a word would not fit."""
        self._name_font = QFont(font)
        self._fit_name()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_name()

    def _fit_name(self) -> None:
        """A name wraps between words, never inside one: "Consultation" on a 1024-pixel screen
        was cut to "Consultatio"; the type shrinks until the longest word fits the tile."""
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right()
        longest = max(self.name.text().replace("/", "/ ").split(), key=len, default="")
        font = QFont(self._name_font)
        while font.pixelSize() > MIN_NAME_PX and QFontMetrics(font).horizontalAdvance(longest) > width:
            font.setPixelSize(font.pixelSize() - 1)
        self.name.setFont(font)


class CallBoard(LivePane):
    """The board's widgets and how they show the state below; see the module's docstring."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, name: str) -> None:
        super().__init__(parent, name=name)
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self._locale = QLocale(context.language)
        self._history_size = max(1, int(context.settings.get("display.history_size")))
        #: The calls shown, newest first (at most the history size).
        self.history: list[CallNotice] = []
        #: False: the board says "not connected" and blanks the calls rather than show stale ones.
        self.connected = True
        #: The tickets shown that are still called or being served: only such a ticket is the
        #: hero's "now calling" (never one finished or marked a no-show meanwhile).
        self._still_called: frozenset[int] = frozenset()
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
        self._tick_clock()

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

    def show_bank_name(self, bank: str) -> None:
        """The header's first line: the bank's name and the branch's (the branch alone while unset)."""
        bank = bank.strip()
        self.branch_label.setText(f"{bank} {self._ctx.branch.name}" if bank else self._ctx.branch.name)

    def _build(self) -> None:
        center = Qt.AlignmentFlag.AlignCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

        # Header: branch on the left, date and clock on the right.
        header = QFrame()
        header.setObjectName("header")
        self.branch_label = self._label("branchName")
        self.show_bank_name(self._ctx.settings.get("printing.bank_name"))
        self.subtitle_label = self._label("subtitle", self.tr("Queue information"))
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
            tile = widget.parent()
            if isinstance(tile, _WaitingTile) and widget is tile.name:
                tile.set_name_font(font)
            else:
                widget.setFont(font)
        self._header.setFixedHeight(round(112 * scale))
        self._footer.setFixedHeight(round(70 * scale))
        for row in self.history_rows:
            row.setMinimumHeight(round(60 * scale))
        for tile in self.waiting_tiles.values():
            tile.prefix.setFixedSize(round(44 * scale), round(44 * scale))

    # -- showing -----------------------------------------------------------------------

    def counter_text(self, counter_number: int) -> str:
        return self.tr("Counter {counter}").format(counter=counter_number)

    def _render(self) -> None:
        live = self.connected
        latest = self.history[0] if live and self.history and self.history[0].ticket_id in self._still_called \
            else None
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

    def hero_text(self) -> tuple[str, str]:
        """(number, counter line) as the hero shows them."""
        return self.hero_number.text(), self.hero_counter.text()

    def history_texts(self) -> list[tuple[str, str]]:
        return [(row.number.text(), row.counter.text()) for row in self.history_rows if row.number.text()]

    def waiting_text(self, business_code: str) -> str:
        return self.waiting_tiles[business_code].count.text()

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
