"""Satisfaction ratings on both databases: 1–5, only for finished or transferred services,
once per service; the teller's average rating."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.db.models import Counter, SatisfactionRating
from app.domain.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.satisfaction import RatingSource, SatisfactionService


@pytest.fixture
def ratings(db, clock) -> SatisfactionService:  # type: ignore[no-untyped-def]
    return SatisfactionService(db, clock=clock)


def served(queue, actor, branch, counter: int = 1, code: str = "loan") -> int:  # type: ignore[no-untyped-def]
    """Issue, call and finish one ticket at the counter; its id."""
    ticket = queue.issue_ticket(actor, branch.id, code)
    assert queue.call_next(actor, branch.id, counter).id == ticket.id
    queue.finish(actor, branch.id, counter)
    return ticket.id


def stored(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [tuple(r) for r in session.execute(
            select(SatisfactionRating.ticket_id, SatisfactionRating.rating, SatisfactionRating.source,
                   SatisfactionRating.user_id, SatisfactionRating.counter_id, SatisfactionRating.at)
            .order_by(SatisfactionRating.id))]


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_rate_a_finished_service(queue, ratings, clock, branch, actors, rating) -> None:  # type: ignore[no-untyped-def]
    ticket_id = served(queue, actors.teller1, branch, counter=2)
    clock.advance(seconds=20)
    ratings.rate(actors.teller1, branch.id, ticket_id, rating, RatingSource.EVALUATOR)
    assert ratings.rating_of(ticket_id) == rating
    with queue.db.read() as session:
        counter_two = session.scalar(select(Counter.id).where(Counter.branch_id == branch.id, Counter.number == 2))
    assert stored(queue.db) == [(ticket_id, rating, "evaluator", actors.teller1.user_id, counter_two, clock.now)]


@pytest.mark.parametrize("rating", [0, 6, -1, 10])
def test_rating_outside_one_to_five_is_refused(queue, ratings, branch, actors, rating) -> None:  # type: ignore[no-untyped-def]
    ticket_id = served(queue, actors.teller1, branch)
    with pytest.raises(ValidationError) as caught:
        ratings.rate(actors.teller1, branch.id, ticket_id, rating, "teller")
    assert caught.value.params["field"] == "rating"
    assert ratings.rating_of(ticket_id) is None


def test_only_finished_or_transferred_services_are_rated(queue, ratings, branch, actors) -> None:  # type: ignore[no-untyped-def]
    waiting = queue.issue_ticket(actors.lobby, branch.id, "loan").id
    called = queue.issue_ticket(actors.lobby, branch.id, "loan").id
    serving = queue.issue_ticket(actors.lobby, branch.id, "loan").id
    absent = queue.issue_ticket(actors.lobby, branch.id, "wealth").id
    queue.call_ticket(actors.teller1, branch.id, 1, "C002", reason="测试")
    queue.call_ticket(actors.teller2, branch.id, 2, "C003", reason="测试")
    queue.start(actors.teller2, branch.id, 2)
    queue.call_ticket(actors.teller1, branch.id, 3, "D001", reason="测试")
    for _ in range(queue.policy.recalls_before_no_show):
        queue.recall(actors.teller1, branch.id, 3)
    queue.no_show(actors.teller1, branch.id, 3)
    for ticket_id in (waiting, called, serving, absent):
        with pytest.raises(Conflict) as caught:
            ratings.rate(actors.teller1, branch.id, ticket_id, 5, "evaluator")
        assert caught.value.code == "rating_not_finished"
    assert stored(queue.db) == []

    # The transferred segment is a service that ended: it may be rated; the new segment waits.
    follow = queue.transfer(actors.teller1, branch.id, 1, to_business="wealth")
    ratings.rate(actors.teller1, branch.id, called, 4, "teller")
    assert ratings.rating_of(called) == 4
    with pytest.raises(Conflict):
        ratings.rate(actors.teller1, branch.id, follow.id, 4, "teller")


def test_a_service_is_rated_once(queue, ratings, branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket_id = served(queue, actors.teller1, branch)
    ratings.rate(actors.teller1, branch.id, ticket_id, 5, "evaluator")
    for source in ("evaluator", "teller"):
        with pytest.raises(Conflict) as caught:
            ratings.rate(actors.teller1, branch.id, ticket_id, 1, source)
        assert caught.value.code == "already_rated"
    assert ratings.rating_of(ticket_id) == 5
    assert len(stored(queue.db)) == 1


def test_simultaneous_ratings_of_one_service_keep_one(queue, ratings, branch, actors) -> None:  # type: ignore[no-untyped-def]
    """The evaluator and the teller's entry arrive at the same moment."""
    ticket_id = served(queue, actors.teller1, branch)
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def rate(value: int) -> None:
        start.wait(timeout=30)
        try:
            ratings.rate(actors.teller1, branch.id, ticket_id, value, "evaluator")
            outcomes.append(value)
        except DomainError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=rate, args=(v,)) for v in (2, 3, 4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    kept = [o for o in outcomes if isinstance(o, int)]
    assert len(outcomes) == 4 and len(kept) == 1
    assert all(isinstance(o, Conflict) and o.code == "already_rated" for o in outcomes if o not in kept)
    assert ratings.rating_of(ticket_id) == kept[0]


def test_unknown_ticket_or_another_branchs_ticket(queue, ratings, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    ticket_id = served(queue, actors.teller1, branch)
    elsewhere = served(queue, other_branch.teller, other_branch.branch)
    with pytest.raises(NotFound):
        ratings.rate(actors.teller1, branch.id, ticket_id + 1000, 5, "evaluator")
    with pytest.raises(NotFound):
        ratings.rate(actors.teller1, branch.id, elsewhere, 5, "evaluator")
    with pytest.raises(PermissionDenied):
        ratings.rate(other_branch.teller, branch.id, ticket_id, 5, "evaluator")
    with pytest.raises(PermissionDenied):
        ratings.rate(actors.lobby, branch.id, ticket_id, 5, "evaluator")
    assert stored(queue.db) == []


def test_teller_stats_average_rating(queue, ratings, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    teller3 = authenticate(queue.db, "teller3", DEMO_PASSWORD)
    assert queue.teller_stats(branch.id, actors.teller1.user_id).average_rating is None
    mine = []
    for minutes in (4, 6, 8):
        ticket = queue.issue_ticket(actors.lobby, branch.id, "loan")
        queue.call_next(actors.teller1, branch.id, 1)
        clock.advance(minutes=minutes)
        queue.finish(actors.teller1, branch.id, 1)
        mine.append(ticket.id)
    for ticket_id, value in zip(mine, (5, 4, 2)):
        ratings.rate(actors.teller1, branch.id, ticket_id, value, "evaluator")
    theirs = served(queue, actors.teller2, branch, counter=2)
    ratings.rate(actors.teller2, branch.id, theirs, 1, "teller")
    served(queue, teller3, branch, counter=3)  # served, never rated

    stats = queue.teller_stats(branch.id, actors.teller1.user_id)
    assert (stats.served, stats.no_shows) == (3, 0)
    assert stats.average_rating == pytest.approx(11 / 3)
    assert stats.average_service_minutes == pytest.approx(6)
    assert queue.teller_stats(branch.id, actors.teller2.user_id).average_rating == 1.0
    third = queue.teller_stats(branch.id, teller3.user_id)
    assert (third.served, third.average_rating) == (1, None)
    with queue.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SatisfactionRating)) == 4


def test_teller_stats_count_only_today(queue, ratings, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    yesterday = served(queue, actors.teller1, branch)
    ratings.rate(actors.teller1, branch.id, yesterday, 1, "evaluator")
    clock.advance(days=1)
    today = served(queue, actors.teller1, branch)
    ratings.rate(actors.teller1, branch.id, today, 5, "evaluator")
    stats = queue.teller_stats(branch.id, actors.teller1.user_id)
    assert (stats.served, stats.average_rating) == (1, 5.0)
