"""The SQL claim (app/db/queue_sql.claim_in_call_order) calls exactly what the domain order
(app/domain/priority.call_order, shown in the counter's preview) says comes next."""

from __future__ import annotations

import random

import pytest

from app.domain.priority import PriorityClass
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService
from app.services.queue_policy import QueuePolicy

TYPES = ("account_opening", "deposit_withdrawal", "loan", "wealth", "remittance")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_call_is_the_preview_head(db, clock, branch, actors, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    policy = QueuePolicy.defaults()
    queue = QueueService(db, clock=clock, policy=policy)
    CounterDesk(db, clock=clock).set_matrix(actors.supervisor, branch.id, 1, [
        MatrixEntry("loan", 0), MatrixEntry("wealth", 1), MatrixEntry("deposit_withdrawal", 1),
        MatrixEntry("account_opening", 2)])
    for _ in range(40):
        priority = rng.choice([PriorityClass.NORMAL] * 4 + list(PriorityClass))
        queue.issue_ticket(actors.lobby, branch.id, rng.choice(TYPES), priority=priority)
        clock.advance(minutes=rng.choice([0, 1, 2, 5]))
    # Some tickets are transferred to counter 1 or elsewhere, at the front or the end.
    for counter, target in ((2, 1), (3, 4), (4, 1)):
        if queue.call_next(actors.supervisor, branch.id, counter) is not None:
            queue.transfer(actors.supervisor, branch.id, counter, to_counter=target,
                           position=rng.choice(["front", "end", "arrival"]))
    clock.advance(minutes=policy.starvation_minutes // 2)  # some normal tickets are now starved

    calls = 0
    while True:
        preview = queue.counter_preview(branch.id, 1, limit=1)
        called = queue.call_next(actors.teller1, branch.id, 1)
        if called is None:
            assert preview == []
            break
        assert preview and called.id == preview[0].id, (calls, called.number, preview[0].number)
        queue.finish(actors.teller1, branch.id, 1)
        clock.advance(minutes=rng.choice([0, 1, 3]))
        calls += 1
    assert calls >= 20
