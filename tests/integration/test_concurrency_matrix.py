"""Twelve counters with overlapping counter–service matrices drain a queue of over a thousand
tickets of mixed types and priorities, one thread per counter (call next → finish until
nothing is left): every ticket is called exactly once, each by a counter that serves its type.

Both databases: PostgreSQL takes a different waiting ticket per counter with FOR UPDATE SKIP
LOCKED; SQLite serialises the workstations with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter as Tally

from sqlalchemy import select

from app.db.models import BusinessType, Counter, Ticket, TicketEvent
from app.domain.priority import PriorityClass
from app.domain.tickets import TicketStatus
from app.services.actor import SYSTEM, Actor
from app.services.auth import add_user, authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.services.branches import create_branch, list_business_types
from app.services.counters import CounterDesk, MatrixEntry
from app.services.queue import QueueService

COUNTERS = 12
TICKETS = 1080
JOIN_TIMEOUT_S = 300

#: Roughly what a branch issues: many normal tickets, some VIP, a few green and appointments.
PRIORITY_MIX = ([PriorityClass.NORMAL] * 12 + [PriorityClass.VIP_GOLD] * 3 + [PriorityClass.VIP_PLATINUM] * 2
                + [PriorityClass.VIP_DIAMOND, PriorityClass.APPOINTMENT, PriorityClass.GREEN])


def overlapping_matrices(codes: list[str]) -> dict[int, list[MatrixEntry]]:
    """Counter n (1..12) serves 3 to 5 of the 10 types, some at equal ranks; counter t+1 and
    t+11 serve type t first, so every type is covered, most by several counters."""
    matrices = {}
    for i in range(COUNTERS):
        offsets = [0, 1, 3] + ([5] if i % 2 == 0 else []) + ([7] if i % 3 == 0 else [])
        entries = []
        for position, offset in enumerate(offsets):
            rank = 0 if position == 0 else 1 + position // 2  # ranks 0, 1, 2, 2, 3: some shared
            entries.append(MatrixEntry(codes[(i + offset) % len(codes)], rank))
        matrices[i + 1] = entries
    return matrices


def test_twelve_counters_with_overlapping_matrices_call_every_ticket_once(db, clock) -> None:  # type: ignore[no-untyped-def]
    branch = create_branch(db, SYSTEM, code="MX12", name="十二窗口支行", counters=COUNTERS)
    codes = [bt.code for bt in list_business_types(db)]
    assert len(codes) == 10
    matrices = overlapping_matrices(codes)
    assert all(3 <= len(m) <= 5 for m in matrices.values())
    assert {e.business_code for m in matrices.values() for e in m} == set(codes)
    desk = CounterDesk(db, clock=clock)
    for number, entries in matrices.items():
        desk.set_matrix(SYSTEM, branch.id, number, entries)

    tellers: dict[int, Actor] = {}
    for number in matrices:
        add_user(db, SYSTEM, username=f"mx_teller{number}", display_name=f"柜员{number}", password=DEMO_PASSWORD,
                 role="teller", branch_code="MX12")
        tellers[number] = authenticate(db, f"mx_teller{number}", DEMO_PASSWORD)

    service = QueueService(db, clock=clock)
    rng = random.Random(20261123)
    for i in range(TICKETS):
        service.issue_ticket(SYSTEM, branch.id, codes[i % len(codes)], priority=rng.choice(PRIORITY_MIX))
        clock.advance(seconds=rng.choice((0, 1, 2)))  # some share a queue time; none starves

    barrier = threading.Barrier(COUNTERS)
    called: dict[int, list[tuple[int, str]]] = {n: [] for n in matrices}
    errors: list[BaseException] = []

    def serve(number: int) -> None:
        teller = tellers[number]
        try:
            barrier.wait(timeout=30)
            while (ticket := service.call_next(teller, branch.id, number)) is not None:
                called[number].append((ticket.id, ticket.business_code))
                assert service.finish(teller, branch.id, number).id == ticket.id
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=serve, args=(n,), name=f"counter-{n}") for n in matrices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    elapsed = time.perf_counter() - started
    assert not any(t.is_alive() for t in threads), "a counter thread hung"
    assert not errors, errors[:3]

    # Every ticket called exactly once...
    ids = [ticket_id for calls in called.values() for ticket_id, _ in calls]
    assert len(ids) == TICKETS and len(set(ids)) == TICKETS
    # ...each by a counter whose matrix holds its type.
    served_codes = {n: {e.business_code for e in matrices[n]} for n in matrices}
    for number, calls in called.items():
        assert {code for _, code in calls} <= served_codes[number], f"counter {number} called outside its matrix"

    with db.read() as session:
        all_ids = set(session.scalars(select(Ticket.id).where(Ticket.branch_id == branch.id)))
        assert set(ids) == all_ids
        statuses = Tally(session.scalars(select(Ticket.status).where(Ticket.branch_id == branch.id)))
        assert statuses == {TicketStatus.FINISHED.value: TICKETS}
        number_of = dict(session.execute(select(Counter.id, Counter.number)
                                         .where(Counter.branch_id == branch.id)).all())
        code_of = dict(session.execute(select(Ticket.id, BusinessType.code)
                                       .join(BusinessType, BusinessType.id == Ticket.business_type_id)
                                       .where(Ticket.branch_id == branch.id)).all())
        calls = session.execute(select(TicketEvent.ticket_id, TicketEvent.counter_id, TicketEvent.user_id)
                                .where(TicketEvent.branch_id == branch.id, TicketEvent.action == "call")).all()
    # Exactly one call event per ticket, naming a counter that serves the type and its teller.
    assert Tally(ticket_id for ticket_id, _, _ in calls) == Tally(all_ids)
    called_at = {ticket_id: n for n, c in called.items() for ticket_id, _ in c}
    for ticket_id, counter_id, user_id in calls:
        number = number_of[counter_id]
        assert number == called_at[ticket_id]
        assert code_of[ticket_id] in served_codes[number]
        assert user_id == tellers[number].user_id
    print(f"\n{db.dialect}: {TICKETS} tickets over {COUNTERS} counters in {elapsed:.1f} s "
          f"(calls per counter: {sorted(len(c) for c in called.values())})")
