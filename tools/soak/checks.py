"""After the day: what the database holds against what the drivers reported."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import Ticket, TicketEvent


def read_lines(path: Path) -> list[dict[str, Any]]:
    """A JSON-lines file; a torn last line (a killed writer) is skipped."""
    rows: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return rows
    for line in text.splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue
    return rows


def check_data(url: str, issued: list[dict[str, Any]]) -> dict[str, Any]:
    """Every reported ticket stored; numbers per (day, prefix) 1…n without gaps or repeats;
    no ticket called twice (the soak never puts a ticket back, so one call event each)."""
    db = Database(url)
    try:
        with db.read() as session:
            tickets = session.execute(select(Ticket.id, Ticket.business_day, Ticket.prefix, Ticket.number,
                                             Ticket.display_number, Ticket.status)).all()
            calls = session.execute(select(TicketEvent.ticket_id, func.count()).where(TicketEvent.action == "call")
                                    .group_by(TicketEvent.ticket_id)).all()
    finally:
        db.dispose()
    stored = {(str(t.business_day), t.display_number): t.id for t in tickets}
    missing = [row["number"] for row in issued if stored.get((row["day"], row["number"])) != row["id"]]
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for t in tickets:
        numbers[(str(t.business_day), t.prefix)].append(t.number)
    gaps = [f"{day} {prefix}: {sorted(ns)[:3]}… ({len(ns)} numbers)" for (day, prefix), ns in sorted(numbers.items())
            if sorted(ns) != list(range(1, len(ns) + 1))]
    twice = [ticket_id for ticket_id, count in calls if count > 1]
    statuses: dict[str, int] = defaultdict(int)
    for t in tickets:
        statuses[t.status] += 1
    problems = []
    if missing:
        problems.append(f"{len(missing)} issued tickets not stored (e.g. {', '.join(missing[:5])})")
    if gaps:
        problems.append("numbers not consecutive: " + "; ".join(gaps[:5]))
    if twice:
        problems.append(f"{len(twice)} tickets called more than once")
    return {"stored": len(tickets), "reported": len(issued), "missing": len(missing), "gaps": gaps,
            "called_twice": len(twice), "statuses": dict(statuses), "problems": problems, "ok": not problems}
