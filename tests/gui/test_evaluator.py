"""The customer evaluator on the counter's second screen: it notices a finish made from another
connection, asks, records the rating with source "evaluator", thanks, and returns to idle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import SatisfactionRating
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.queue import QueueService
from app.services.satisfaction import SatisfactionService
from app.settings import Settings
from app.services.registry import Services
from ui.context import AppContext
from ui.queue.evaluator_window import ASKING, IDLE, THANKS, EvaluatorWindow
from ui.event_bridge import EventBridge

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def evaluator(qtbot, demo_db):
    """An evaluator for counter 1 with its own bridge, as on the counter's second screen."""
    db, branch = demo_db
    teller = authenticate(db, "teller1", DEMO_PASSWORD)
    context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=teller,
                         counter_number=1)
    bridge = EventBridge(db, branch.id, sqlite_poll_ms=50)
    bridge.start()
    window = EvaluatorWindow(context, bridge, 1, thanks_ms=150, prompt_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bridge.connected, timeout=3000)
    yield window
    window.close()
    bridge.stop()


@pytest.fixture
def counter_pc(demo_db):
    """The counter's own workstation: a separate engine, as another process would have."""
    db, branch = demo_db
    other = Database(db.url)
    queue = QueueService(other)
    lobby = authenticate(other, "lobby", DEMO_PASSWORD)
    teller = authenticate(other, "teller1", DEMO_PASSWORD)

    def serve(counter: int = 1, code: str = "deposit_withdrawal") -> int:
        queue.issue_ticket(lobby, branch.id, code)
        queue.call_next(teller, branch.id, counter)
        return queue.finish(teller, branch.id, counter).id
    yield serve, queue, teller
    other.dispose()


def test_finish_at_the_counter_asks_the_customer_and_stores_the_rating(qtbot, evaluator, counter_pc, demo_db):
    db, _ = demo_db
    serve, _, _ = counter_pc
    assert evaluator.state == IDLE
    ticket_id = serve()
    qtbot.waitUntil(lambda: evaluator.state == ASKING, timeout=2000)
    assert evaluator.ticket_label.text() == "Ticket B001"
    assert evaluator.question.text() == "Please rate our service"
    assert [b.accessibleName() for b in evaluator.rating_buttons.buttons.values()] == [
        "Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"]

    qtbot.mouseClick(evaluator.rating_buttons.buttons[5], LEFT)
    assert evaluator.state == THANKS
    with db.read() as session:
        stored = session.scalar(select(SatisfactionRating).where(SatisfactionRating.ticket_id == ticket_id))
        assert (stored.rating, stored.source) == (5, "evaluator")
    qtbot.waitUntil(lambda: evaluator.state == IDLE, timeout=2000)


def test_other_counters_and_earlier_services_are_not_asked_about(qtbot, evaluator, counter_pc, demo_db):
    db, branch = demo_db
    serve, queue, teller = counter_pc
    serve(counter=2)
    with qtbot.waitSignal(evaluator._bridge.changed, timeout=2000):
        pass
    assert evaluator.state == IDLE
    earlier = SatisfactionService(db).latest_unrated(branch.id, 1, evaluator._since - timedelta(hours=1))
    assert earlier is None


def test_a_teller_rating_or_the_next_call_ends_the_question(qtbot, evaluator, counter_pc, demo_db):
    db, branch = demo_db
    serve, queue, teller = counter_pc
    first = serve()
    qtbot.waitUntil(lambda: evaluator.state == ASKING, timeout=2000)
    SatisfactionService(queue.db).rate(teller, branch.id, first, 3, "teller")  # the customer told the teller
    qtbot.waitUntil(lambda: evaluator.state == IDLE, timeout=2000)

    serve()
    qtbot.waitUntil(lambda: evaluator.state == ASKING and evaluator.ticket_label.text() == "Ticket B002",
                    timeout=2000)
    lobby = authenticate(queue.db, "lobby", DEMO_PASSWORD)
    queue.issue_ticket(lobby, branch.id, "loan")
    queue.call_next(teller, branch.id, 1)  # the next customer is at the counter
    qtbot.waitUntil(lambda: evaluator.state == IDLE, timeout=2000)


def test_latest_unrated_reads_the_counter_from_the_database(demo_db, counter_pc):
    db, branch = demo_db
    serve, queue, teller = counter_pc
    ratings = SatisfactionService(db)
    since = queue.clock() - timedelta(seconds=1)
    assert ratings.latest_unrated(branch.id, 1, since) is None
    first = serve()
    second = serve()
    latest = ratings.latest_unrated(branch.id, 1, since)
    assert latest is not None and (latest.ticket_id, latest.number) == (second, "B002")
    ratings.rate(teller, branch.id, second, 4, "evaluator")
    assert ratings.latest_unrated(branch.id, 1, since).ticket_id == first
    assert ratings.latest_unrated(branch.id, 2, since) is None


def test_view_menu_opens_and_closes_the_evaluator(qtbot, make_main_window):
    window = make_main_window("teller1", counter=1)
    assert window.evaluator_action.isVisible()
    window.evaluator_action.trigger()
    evaluator = window.evaluator
    assert evaluator is not None and evaluator.isVisible() and evaluator.counter_number == 1
    evaluator.close()  # closed on its own screen: the menu entry follows
    assert window.evaluator is None and not window.evaluator_action.isChecked()
    window.evaluator_action.trigger()
    assert window.evaluator is not None
    window.evaluator_action.trigger()
    assert window.evaluator is None


def test_the_consoles_rating_prompt_goes_when_the_evaluator_is_used(qtbot, make_main_window, evaluator):
    window = make_main_window("teller1", counter=1)
    console = window.teller_console
    window.queue_pane.issue_ticket()
    qtbot.waitUntil(console.preview_box.has_rows, timeout=2000)
    console.call_next()
    console.start_or_finish()
    console.start_or_finish()
    assert console.rating_box.isVisible()  # the teller may enter it if the customer declines the evaluator
    qtbot.waitUntil(lambda: evaluator.state == ASKING, timeout=2000)
    qtbot.mouseClick(evaluator.rating_buttons.buttons[4], LEFT)
    qtbot.waitUntil(lambda: not console.rating_box.isVisible(), timeout=2000)
    assert console.stats_box.average_rating.text() == "4.0"
