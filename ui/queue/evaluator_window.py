"""Customer evaluator (评价器) on the counter's second screen.

Idle, it welcomes the customer. When a service at its counter finishes it asks
「请您对本次服务进行评价」 with five large buttons, records the rating (source "evaluator"),
thanks the customer and returns to idle. It learns of the finish from the database
(``SatisfactionService.latest_unrated`` on every change of the queue topic, read on the worker
thread), not from the teller's widgets, so it works the same on a separate screen or PC.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.services.queue import TicketView
from app.services.satisfaction import RatingSource, UnratedService
from app.topics import TOPIC_QUEUE
from ui.labels import counter_label
from ui.context import AppContext
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.message_bar import guarded
from ui.queue.rating_buttons import RatingButtons
from ui.style import ERROR, GOOD

#: How long the thanks stay on screen before the welcome returns.
THANKS_MS = 4_000
#: How long the question waits for a customer who walks away without rating.
PROMPT_MS = 120_000

IDLE, ASKING, THANKS = range(3)
#: What a read brings: the counter's newest unrated finish and the ticket now at the counter.
EvaluatorRead = tuple[UnratedService | None, TicketView | None]


def _label(text: str, size: int, *, bold: bool = False, colour: str = "#16365c", name: str = "") -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet(f"font-size: {size}px; color: {colour};" + (" font-weight: bold;" if bold else ""))
    return label


class EvaluatorWindow(LivePane):
    closed = Signal()
    topics = (TOPIC_QUEUE,)

    def __init__(self, context: AppContext, bridge: EventBridge, counter_number: int, *,
                 thanks_ms: int = THANKS_MS, prompt_ms: int = PROMPT_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="evaluator")
        self._ctx = context
        self._bridge = bridge
        self.counter_number = counter_number
        self.satisfaction = context.services.satisfaction
        self.asking: UnratedService | None = None
        self._since = context.clock()  # services finished before the evaluator opened are not asked about
        self._dismissed: set[int] = set()
        names = {c.number: counter_label(c.number, c.name) for c in context.services.catalog.counters(context.branch.id)}
        counter_name = names.get(counter_number, str(counter_number))
        self.setWindowTitle(self.tr("Customer evaluator — {counter}").format(counter=counter_name))
        self.setObjectName("evaluatorWindow")
        self.setStyleSheet("#evaluatorWindow { background: white; }")
        self.resize(1024, 600)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page(counter_name))
        self.pages.addWidget(self._asking_page())
        self.pages.addWidget(self._thanks_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(self.pages)

        self._thanks_timer = self._single_shot(thanks_ms, self.go_idle)
        self._prompt_timer = self._single_shot(prompt_ms, self._give_up)
        self.follow(bridge)

    def _single_shot(self, ms: int, slot) -> QTimer:  # type: ignore[no-untyped-def]
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # -- pages -------------------------------------------------------------------------

    def _idle_page(self, counter_name: str) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addStretch(2)
        box.addWidget(_label(counter_name, 40, bold=True, name="evaluatorCounter"))
        box.addSpacing(18)
        box.addWidget(_label(self.tr("Welcome"), 64, bold=True, name="evaluatorWelcome"))
        box.addSpacing(12)
        box.addWidget(_label(self.tr("We are glad to serve you."), 28, colour="#555"))
        box.addStretch(3)
        return page

    def _asking_page(self) -> QWidget:
        page = QWidget()
        self.question = _label(self.tr("Please rate our service"), 48, bold=True, name="evaluatorQuestion")
        self.ticket_label = _label("", 24, colour="#555", name="evaluatorTicket")
        self.rating_buttons = RatingButtons(best_first=True, large=True)
        self.rating_buttons.rated.connect(self.rate)
        self.error = _label("", 20, colour=ERROR, name="evaluatorError")
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.question)
        box.addSpacing(8)
        box.addWidget(self.ticket_label)
        box.addSpacing(36)
        box.addWidget(self.rating_buttons, 0, Qt.AlignmentFlag.AlignCenter)
        box.addSpacing(12)
        box.addWidget(self.error)
        box.addStretch(2)
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        self.thanks = _label(self.tr("Thank you for your rating!"), 56, bold=True, colour=GOOD,
                             name="evaluatorThanks")
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.thanks)
        box.addSpacing(12)
        box.addWidget(_label(self.tr("Have a nice day."), 28, colour="#555"))
        box.addStretch(1)
        return page

    # -- state -------------------------------------------------------------------------

    @property
    def state(self) -> int:
        return self.pages.currentIndex()

    def check(self) -> None:
        """Look (in the background) for a finish to ask about."""
        self.refresh()

    def read_job(self) -> partial[EvaluatorRead] | None:
        return None if self.state == THANKS else partial(self._read, self.counter_number, self._since)

    def _read(self, counter_number: int, since: object) -> EvaluatorRead:
        branch_id = self._ctx.branch.id
        return (self.satisfaction.latest_unrated(branch_id, counter_number, since),  # type: ignore[arg-type]
                self._ctx.services.queue.current_ticket(branch_id, counter_number))

    def show_refusal(self, error: DomainError) -> None:
        """The counter was removed or the branch is unreachable: stay as we are."""

    def show_result(self, result: EvaluatorRead) -> None:
        """Ask about the counter's newest unrated finish, if there is one and nobody has moved on."""
        if self.state == THANKS:
            return
        unrated, current = result
        if unrated is not None and unrated.ticket_id in self._dismissed:
            unrated = None
        if unrated is not None and current is not None and current.called_at and \
                current.called_at > unrated.finished_at:
            unrated = None  # the next customer is already at the counter
        if unrated is None:
            if self.state == ASKING:
                self.go_idle()
            return
        if self.asking is None or self.asking.ticket_id != unrated.ticket_id:
            self.ask(unrated)

    def ask(self, service: UnratedService) -> None:
        self.asking = service
        self.ticket_label.setText(self.tr("Ticket {number}").format(number=service.number))
        self.error.clear()
        self.pages.setCurrentIndex(ASKING)
        self._prompt_timer.start()

    def rate(self, rating: int) -> None:
        service = self.asking
        if service is None:
            return
        self._prompt_timer.stop()
        _, ok = guarded(self.error.setText, lambda: self.satisfaction.rate(
            self._ctx.actor, self._ctx.branch.id, service.ticket_id, rating, RatingSource.EVALUATOR))  # type: ignore[arg-type]
        if not ok:
            self._dismissed.add(service.ticket_id)
            self._thanks_timer.start()
            return
        self.asking = None
        self.pages.setCurrentIndex(THANKS)
        self._thanks_timer.start()

    def _give_up(self) -> None:
        if self.asking is not None:
            self._dismissed.add(self.asking.ticket_id)
        self.go_idle()

    def go_idle(self) -> None:
        self._prompt_timer.stop()
        self._thanks_timer.stop()
        self.asking = None
        self.pages.setCurrentIndex(IDLE)
        self.check()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._prompt_timer.stop()
        self._thanks_timer.stop()
        super().closeEvent(event)
        self.closed.emit()


def show_on_second_screen(window: QWidget) -> None:
    """Full screen on a screen other than the primary one, if there is one; else a normal window."""
    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    if others:
        window.setScreen(others[0])
        window.setGeometry(others[0].geometry())
        window.showFullScreen()
    else:
        window.show()
