"""The branch day, driven through the app's services from separate processes.

    python -m tools.soak.drivers issuer  --tickets N --seconds S --log FILE
    python -m tools.soak.drivers counter --counters 2,3,4 --seconds S --service-seconds X --log FILE
    python -m tools.soak.drivers search  --searches N --complaints N --seconds S --log FILE

Each process opens its own ``Database`` from ``BRANCHDESK_DATABASE_URL`` (the soak sets it),
signs its users in through ``app.services.auth`` and calls ``QueueService``, ``CustomerService``
and ``ComplaintService`` as the GUI and the CLI do. Every action it completes is one JSON line
in its log (the issuer's lines are what the data check compares the database with); a refused
or failed call is a line with ``"error"``. The last line is ``{"done": ...}`` with the totals.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from app.db.engine import Database
from app.domain.complaint_entry import ComplaintEntry
from app.domain.errors import DomainError
from app.services.actor import Actor
from app.services.bootstrap import DEMO_BRANCH_CODE, DEMO_PASSWORD
from app.services.branches import get_branch
from app.services.queue import QueueService
from app.services.registry import Services
from app.settings import Settings

#: Share of tickets per business type code prefix family: most customers come for deposits.
BUSINESS_WEIGHTS = {"deposit_withdrawal": 6, "remittance": 3, "account_opening": 2, "ebanking": 2,
                    "consultation": 2, "wealth": 1, "loan": 1, "loss_report": 1, "corporate_account": 1,
                    "corporate_settlement": 1}
RECALL_SHARE = 0.10    # a called customer does not come at once
NO_SHOW_SHARE = 0.03   # nor after the recalls: marked absent
SEARCH_WORDS = ("王", "李", "张伟", "刘", "陈", "杨", "黄", "赵", "周杰", "吴", "13", "139", "110101")


class Log:
    """One JSON line per completed action, flushed: a killed process loses nothing it reported."""

    def __init__(self, path: Path) -> None:
        self._out: TextIO = path.open("a", encoding="utf-8")
        self.counts: dict[str, int] = {}

    def write(self, kind: str, **fields: Any) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self._out.write(json.dumps({"t": round(time.time(), 3), "kind": kind, **fields}, ensure_ascii=False) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.write(json.dumps({"done": self.counts}) + "\n")
        self._out.close()


def open_database() -> tuple[Services, int]:
    """This process's services (the one registry) and the soak branch's id."""
    settings = Settings()
    db = Database(settings.database_url())
    branch = get_branch(db, settings.get("workstation.branch") or DEMO_BRANCH_CODE)
    return Services(db, settings, zone=branch.timezone), branch.id


def paced(count: int, seconds: float, action: Callable[[int], None]) -> None:
    """Call ``action(i)`` ``count`` times spread evenly over ``seconds`` (catching up when late)."""
    start = time.monotonic()
    for i in range(count):
        due = start + seconds * i / max(count, 1)
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        action(i)


def run_issuer(args: argparse.Namespace, log: Log) -> None:
    """The kiosk: ``--tickets`` tickets across the business types at a steady rate, as ``lobby``."""
    services, branch_id = open_database()
    actor = services.accounts.sign_in("lobby", DEMO_PASSWORD)
    queue = services.queue
    codes = [b.code for b in services.catalog.business_types()]
    weights = [BUSINESS_WEIGHTS.get(code, 1) for code in codes]
    rng = random.Random(args.seed)

    def issue(_i: int) -> None:
        code = rng.choices(codes, weights)[0]
        try:
            ticket = queue.issue_ticket(actor, branch_id, code)
        except DomainError as error:
            log.write("error", action="issue", business=code, error=str(error))
            return
        log.write("issued", id=ticket.id, number=ticket.number, day=str(ticket.business_day), business=code)

    try:
        paced(args.tickets, args.seconds, issue)
    finally:
        services.db.dispose()


@dataclass
class Counter:
    number: int
    actor: Actor
    due: float = 0.0
    step: str = "call"  # call → (recall…) → start → finish
    ticket: str = ""
    recalls_left: int = 0
    no_show: bool = False


def run_counters(args: argparse.Namespace, log: Log) -> None:
    """Tellers at ``--counters``: call next, start, finish; sometimes recall, or no-show after recalls.

    One thread steps all its counters, each at its own pace; a counter with nobody waiting looks
    again a moment later. Ends after ``--seconds`` once every counter is idle."""
    services, branch_id = open_database()
    queue = services.queue
    recalls_needed = services.settings.get("queue.recalls_before_no_show")
    counters = [Counter(n, services.accounts.sign_in(f"teller{n}", DEMO_PASSWORD)) for n in args.counters]
    rng = random.Random(args.seed)
    end = time.monotonic() + args.seconds
    try:
        while True:
            now = time.monotonic()
            if now > end and all(c.step == "call" for c in counters):
                return
            counter = min(counters, key=lambda c: c.due)
            if counter.due > now:
                time.sleep(min(counter.due - now, 0.5))
                continue
            try:
                _step(queue, branch_id, counter, rng, args.service_seconds, recalls_needed, log, closing=now > end)
            except DomainError as error:
                log.write("error", action=counter.step, counter=counter.number, ticket=counter.ticket,
                          error=str(error))
                counter.step, counter.due = "call", time.monotonic() + 1.0
    finally:
        services.db.dispose()


def _step(queue: QueueService, branch_id: int, c: Counter, rng: random.Random, service_s: float,
          recalls_needed: int, log: Log, *, closing: bool) -> None:
    now = time.monotonic()
    if c.step == "call":
        if closing:
            c.due = now + 3600
            return
        ticket = queue.call_next(c.actor, branch_id, c.number)
        if ticket is None:
            c.due = now + 0.5
            return
        c.ticket = ticket.number
        log.write("called", id=ticket.id, number=c.ticket, counter=c.number)
        c.no_show = rng.random() < NO_SHOW_SHARE
        c.recalls_left = recalls_needed if c.no_show else (1 if rng.random() < RECALL_SHARE else 0)
        c.step, c.due = ("recall" if c.recalls_left else "start"), now + rng.uniform(0.2, 0.6)
    elif c.step == "recall":
        queue.recall(c.actor, branch_id, c.number)
        log.write("recalled", number=c.ticket, counter=c.number)
        c.recalls_left -= 1
        if c.recalls_left == 0:
            c.step = "no_show" if c.no_show else "start"
        c.due = now + rng.uniform(0.2, 0.6)
    elif c.step == "no_show":
        queue.no_show(c.actor, branch_id, c.number)
        log.write("no_show", number=c.ticket, counter=c.number)
        c.step, c.due = "call", now + 0.2
    elif c.step == "start":
        queue.start(c.actor, branch_id, c.number)
        c.step, c.due = "finish", now + rng.uniform(0.5, 1.5) * service_s
    elif c.step == "finish":
        queue.finish(c.actor, branch_id, c.number, note="soak")
        log.write("served", number=c.ticket, counter=c.number)
        c.step, c.due = "call", now + 0.2


def complaint_entry(rng: random.Random) -> ComplaintEntry:
    return ComplaintEntry(
        intake="in_person", channel="branch_counter", business="rmb_savings", reason="service_attitude",
        category="service", severity="general", complainant_name=rng.choice(("张三", "李四", "王五")),
        complainant_contact=f"138{rng.randrange(10**8):08d}", request="要求说明等候时间过长的原因",
        facts="取号后等候较久，窗口未及时叫号。（浸泡测试）", attachments=())


def run_search(args: argparse.Namespace, log: Log) -> None:
    """A teller looking customers up (``--searches``), and now and then recording a complaint."""
    services, branch_id = open_database()
    actor = services.accounts.sign_in("teller6", DEMO_PASSWORD)
    customers, complaints = services.customers, services.complaints
    rng = random.Random(args.seed)
    complaint_at = {int(args.searches * (k + 1) / (args.complaints + 1)) for k in range(args.complaints)}

    def search(i: int) -> None:
        word = rng.choice(SEARCH_WORDS)
        try:
            page = customers.search(actor, word)
            log.write("searched", query=word, mode=page.mode, hits=len(page.items))
            if page.items and rng.random() < 0.3:
                customers.profile(actor, page.items[0].id)
                log.write("profile", customer=page.items[0].id)
        except DomainError as error:
            log.write("error", action="search", query=word, error=str(error))
        if i in complaint_at:
            try:
                reference = complaints.submit(actor, branch_id, complaint_entry(rng))
                log.write("complaint", reference=reference)
            except DomainError as error:
                log.write("error", action="complaint", error=str(error))

    try:
        paced(args.searches, args.seconds, search)
    finally:
        services.db.dispose()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.soak.drivers")
    parser.add_argument("kind", choices=("issuer", "counter", "search"))
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--tickets", type=int, default=0)
    parser.add_argument("--counters", type=lambda text: [int(n) for n in text.split(",")], default=[])
    parser.add_argument("--service-seconds", type=float, default=2.0)
    parser.add_argument("--searches", type=int, default=0)
    parser.add_argument("--complaints", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = Log(args.log)
    try:
        {"issuer": run_issuer, "counter": run_counters, "search": run_search}[args.kind](args, log)
    finally:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
