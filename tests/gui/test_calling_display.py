"""The lobby calling display, fed by counters on other connections, spoken by Qt's mock TTS engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db.engine import Database
from app.domain.announcement import announcement_text
from app.domain.errors import InvalidTransition
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.settings import Settings
from app.services.registry import Services
from ui.context import AppContext
from ui.display.announcer import Announcer
from tests.gui.live import settle
from ui.display.calling_display import CallingDisplay
from ui.screens import show_on_screen
from ui.event_bridge import EventBridge

WAIT_MS = 10_000


class Counters:
    """Tellers working on their own connection to the database, as other workstations do."""

    def __init__(self, url: str, branch_id: int) -> None:
        self.db = Database(url)
        self.queue = QueueService(self.db)
        self.branch_id = branch_id
        self.lobby = authenticate(self.db, "lobby", DEMO_PASSWORD)

    def issue(self, *codes: str) -> list[str]:
        return [self.queue.issue_ticket(self.lobby, self.branch_id, code).number for code in codes]

    def call(self, counter: int) -> str:
        ticket = self.queue.call_next(self._teller(counter), self.branch_id, counter)
        assert ticket is not None
        return ticket.number

    def recall(self, counter: int) -> None:
        self.queue.recall(self._teller(counter), self.branch_id, counter)

    def no_show(self, counter: int) -> None:
        """Recalled as often as the rule asks, then marked a no-show."""
        teller = self._teller(counter)
        while True:
            try:
                self.queue.no_show(teller, self.branch_id, counter)
                return
            except InvalidTransition:
                self.queue.recall(teller, self.branch_id, counter)

    def _teller(self, counter: int):  # type: ignore[no-untyped-def]
        return authenticate(self.db, f"teller{counter}", DEMO_PASSWORD)


@pytest.fixture
def counters(demo_db) -> Iterator[Counters]:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    other = Counters(db.url, branch.id)
    yield other
    other.db.dispose()


@pytest.fixture
def make_display(qtbot, demo_db):  # type: ignore[no-untyped-def]
    """Build a live display (its own change feed, the mock speech engine); closed afterwards."""
    db, branch = demo_db
    built: list[tuple[CallingDisplay, EventBridge, Announcer]] = []

    def make(language: str = "en", *, health_check_ms: int = 5_000, flash_seconds: int = 6,
             repeats: int = 2, notice: str | None = None, notice_check_ms: int = 60_000) -> CallingDisplay:
        settings = Settings()
        if notice is not None:
            settings.set("display.notice", notice)
        settings.set("display.flash_seconds", flash_seconds)
        settings.set("display.announce_repeats", repeats)
        context = AppContext(Services(db, settings, zone=branch.timezone), branch, language=language,
                             actor=authenticate(db, "lobby", DEMO_PASSWORD))
        bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
        bridge.start()
        announcer = Announcer(language, repeats=repeats, engine="mock", gap_ms=0, rate=1.0)
        display = CallingDisplay(context, bridge, announcer, health_check_ms=health_check_ms,
                                 notice_check_ms=notice_check_ms)
        qtbot.addWidget(display)
        display.resize(1280, 720)
        display.show()
        qtbot.waitUntil(lambda: bridge.connected, timeout=3000)
        settle(qtbot, display)  # the first read (the calls before the start) is shown
        built.append((display, bridge, announcer))
        return display

    yield make
    for display, bridge, announcer in built:
        display.close()
        bridge.stop()
        announcer.deleteLater()


def test_shows_a_call_made_on_another_connection_and_flashes(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    display = make_display()
    assert display.hero_text()[0] == "—"
    counters.issue("account_opening")
    assert counters.call(2) == "A001"
    qtbot.waitUntil(lambda: display.hero_text() == ("A001", "Counter 2"), timeout=WAIT_MS)
    assert display.history_texts() == [("A001", "Counter 2")]
    assert display.is_flashing
    qtbot.waitUntil(lambda: display._announcer.spoken == ["Number A001, please go to counter 2"] * 2,
                    timeout=WAIT_MS)


def test_the_flash_stops_after_the_configured_seconds(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    display = make_display(flash_seconds=1)
    counters.issue("loan")
    counters.call(1)
    qtbot.waitUntil(lambda: display.is_flashing, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not display.is_flashing, timeout=3_000)
    assert display.hero.property("flash") is False


def test_three_counters_calling_at_once_are_all_announced_in_order_twice(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    display = make_display()
    counters.issue("account_opening", "deposit_withdrawal", "loan")
    called = [(counters.call(counter), counter) for counter in (1, 2, 3)]  # back to back
    expected = [announcement_text(number, counter, "en") for number, counter in called for _ in range(2)]
    qtbot.waitUntil(lambda: len(display._announcer.spoken) == 6, timeout=WAIT_MS)
    assert display._announcer.spoken == expected
    assert [number for number, _ in display.history_texts()] == [number for number, _ in reversed(called)]
    qtbot.waitUntil(lambda: display._announcer.is_idle, timeout=WAIT_MS)


def test_calls_made_before_start_are_listed_but_not_announced(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    counters.issue("wealth", "wealth")
    counters.call(4)
    display = make_display()
    assert display.history_texts() == [("D001", "Counter 4")]
    assert not display.is_flashing
    counters.call(5)
    qtbot.waitUntil(lambda: display.hero_text() == ("D002", "Counter 5"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(display._announcer.spoken) == 2, timeout=WAIT_MS)
    assert set(display._announcer.spoken) == {"Number D002, please go to counter 5"}


def test_chinese_ui_without_a_chinese_voice_chimes_and_tells_the_admin_once(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    # Qt's mock engine has English, Norwegian and Finnish voices only.
    display = make_display("zh_CN")
    announcer = display._announcer
    qtbot.waitUntil(lambda: display.voice_status.isVisible(), timeout=3000)
    assert announcer.fallback_reason and "Chinese" in announcer.fallback_reason
    told: list[str] = []
    announcer.fallback_used.connect(told.append)
    counters.issue("account_opening", "account_opening")
    counters.call(1)
    counters.call(2)
    qtbot.waitUntil(lambda: announcer.chimes == 2, timeout=WAIT_MS)
    assert announcer.spoken == []
    assert display.is_flashing  # the visual call carries it
    assert told == []  # already told, once, at start


def test_fallback_signal_is_emitted_once_after_construction(qtbot) -> None:  # type: ignore[no-untyped-def]
    announcer = Announcer("zh_CN", engine="mock", gap_ms=0)
    told: list[str] = []
    announcer.fallback_used.connect(told.append)
    with qtbot.waitSignal(announcer.fallback_used, timeout=3000):
        pass
    announcer.announce("请 A001 号到 1 号窗口办理业务")
    announcer.announce("请 A002 号到 2 号窗口办理业务")
    qtbot.waitUntil(lambda: announcer.chimes == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: announcer.is_idle, timeout=WAIT_MS)
    assert len(told) == 1
    announcer.deleteLater()


def test_banner_when_the_database_file_is_gone_and_catch_up_when_it_returns(qtbot, make_display, counters,
                                                                          demo_db) -> None:  # type: ignore[no-untyped-def]
    db, _branch = demo_db
    display = make_display(health_check_ms=150)
    counters.issue("loan", "loan")
    counters.call(1)
    qtbot.waitUntil(lambda: display.hero_text()[0] == "C001", timeout=WAIT_MS)
    assert display.connected and not display.banner.isVisible()

    # A real failure: the display's connections are closed and the file is no longer there
    # (a directory stands in its place, so SQLite cannot open or recreate it).
    path = db.sqlite_path
    away = path.with_name(path.name + ".away")
    db.dispose()
    path.rename(away)
    path.mkdir()
    try:
        qtbot.waitUntil(lambda: not display.connected, timeout=WAIT_MS)
        assert display.banner.isVisible()
        assert display.hero_text() == ("—", "")
        assert display.history_texts() == []
        assert display.waiting_text("loan") == "—"
        # The counter's workstation still has its connection open and calls the next customer.
        counters.call(2)
    finally:
        path.rmdir()
        away.rename(path)

    qtbot.waitUntil(lambda: display.connected, timeout=WAIT_MS)
    assert not display.banner.isVisible()
    qtbot.waitUntil(lambda: display.hero_text() == ("C002", "Counter 2"), timeout=WAIT_MS)
    assert display.history_texts()[:2] == [("C002", "Counter 2"), ("C001", "Counter 1")]
    qtbot.waitUntil(lambda: display._announcer.spoken[-1:] == ["Number C002, please go to counter 2"],
                    timeout=WAIT_MS)


def test_banner_follows_the_change_feed(qtbot, make_display) -> None:  # type: ignore[no-untyped-def]
    display = make_display()
    with qtbot.waitSignal(display.connection_state_changed, timeout=3000) as lost:
        display._bridge.connection_changed.emit(False)
    assert lost.args == [False]
    assert display.banner.isVisible() and not display.connected
    with qtbot.waitSignal(display.connection_state_changed, timeout=3000) as back:
        display._bridge.connection_changed.emit(True)
    assert back.args == [True]
    assert not display.banner.isVisible()


def test_default_notice_is_shown(make_display) -> None:  # type: ignore[no-untyped-def]
    assert make_display().notice.text().startswith("欢迎光临")


def test_notice_scrolls_and_clock_ticks(qtbot, make_display) -> None:  # type: ignore[no-untyped-def]
    notice = "欢迎光临！请留意叫号，过号请重新取号。" * 4
    display = make_display(notice=notice)
    assert display.notice.text() == notice
    qtbot.waitUntil(lambda: display.notice.scrolling, timeout=3000)
    start = display.notice.offset
    qtbot.waitUntil(lambda: display.notice.offset != start, timeout=3000)
    assert display.clock_label.text().count(":") == 2


def test_show_on_screen_falls_back_to_the_primary_screen(qtbot, make_display) -> None:  # type: ignore[no-untyped-def]
    display = make_display()
    assert show_on_screen(display, 0) == 0
    assert display.isFullScreen()
    assert show_on_screen(display, 7) == 0


def test_a_new_branch_notice_reaches_the_running_display(qtbot, make_display, demo_db) -> None:  # type: ignore[no-untyped-def]
    from app.services.actor import SYSTEM
    from app.services.branch_settings import BranchSettings

    db, branch = demo_db
    display = make_display(notice="", notice_check_ms=100)
    assert display.notice.text() == "" and not display._footer.isVisible()
    BranchSettings(db).change(SYSTEM, branch.id, {"display.notice": "今日理财讲座 14:00，欢迎参加"})
    qtbot.waitUntil(lambda: display.notice.text() == "今日理财讲座 14:00，欢迎参加", timeout=3000)
    assert display._footer.isVisible()


def test_a_recall_moves_the_ticket_to_the_top_of_the_list_once(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: recent calls list each ticket once; a recall is announced and moves it up."""
    display = make_display()
    counters.issue("loan", "wealth")
    first, second = counters.call(1), counters.call(2)
    qtbot.waitUntil(lambda: display.hero_text() == (second, "Counter 2"), timeout=WAIT_MS)
    for _ in range(2):
        counters.recall(1)
    qtbot.waitUntil(lambda: display.hero_text() == (first, "Counter 1"), timeout=WAIT_MS)
    assert display.history_texts() == [(first, "Counter 1"), (second, "Counter 2")]
    qtbot.waitUntil(lambda: display._announcer.spoken.count(f"Number {first}, please go to counter 1") == 6,
                    timeout=WAIT_MS)  # the call and both recalls, each twice


def test_a_ticket_no_longer_called_is_not_now_calling(qtbot, make_display, counters) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: after a no-show (and after a restart) the hero does not show it as called."""
    counters.issue("loan", "wealth")
    gone = counters.call(1)
    counters.no_show(1)
    display = make_display()  # started after the no-show
    assert display.hero_text()[0] == "—" and display.history_texts() == [(gone, "Counter 1")]
    called = counters.call(2)
    qtbot.waitUntil(lambda: display.hero_text() == (called, "Counter 2"), timeout=WAIT_MS)
    counters.no_show(2)  # while running
    qtbot.waitUntil(lambda: display.hero_text()[0] == "—", timeout=WAIT_MS)
    assert [number for number, _ in display.history_texts()] == [called, gone]


def test_the_header_names_the_bank_and_the_branch(qtbot, make_display, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: the bank's name is the branch's setting (set by the setup wizard), not a product name."""
    from app.services.actor import SYSTEM
    from app.services.branch_settings import BranchSettings

    db, branch = demo_db
    display = make_display(notice_check_ms=100)
    assert display.branch_label.text() == branch.name  # not set: the branch alone
    BranchSettings(db).change(SYSTEM, branch.id, {"printing.bank_name": "东方银行"})
    qtbot.waitUntil(lambda: display.branch_label.text() == f"东方银行 {branch.name}", timeout=3000)
    assert "BranchDesk 银行" not in display.branch_label.text()
