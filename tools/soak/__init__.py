"""A soak test of the workstation windows over a compressed branch day (issue #25, item 5).

``python -m tools.soak`` prepares a fresh database (SQLite and/or PostgreSQL through
``pgserver``), starts the teller console, the lobby dashboard and the calling display as
separate OS processes (``tools.soak.window``), drives a branch day against the same database
from further processes (``tools.soak.drivers``: kiosk, counters, customer searches) and,
at the end, checks the stored tickets and writes ``report.md`` / ``report.json``.

Modules, one job each:

- ``plan``      — what a run does (durations, rates), from the command line
- ``database``  — a fresh, seeded database and the environment every process shares
- ``probe``     — in-process figures: RSS, threads, fds, refcounts, event-loop lag (no Qt)
- ``window``    — the window harness, run as its own process (Qt)
- ``drivers``   — the branch day through the app's services, run as their own processes
- ``processes`` — starting, watching and stopping child processes
- ``run``       — one database's run, start to finish
- ``checks``    — the stored data after the day
- ``report``    — verdict and report files (pure Python; tested in tests/unit)
"""
