"""The topics of change notifications: what kind of shared state a committed use case changed.

One place for both sides: services publish a topic (app/events.py ``publish``); panes declare
the topics they show (ui/live_pane.py) and re-read only when one of them changed. Plain
strings, so they travel as a NOTIFY payload, a row of ``change_counters`` and a Qt signal
argument alike. No imports: ``ui/`` reads these without pulling in the database layer.

Audit-only writes (a reveal, a refused action, a login) publish nothing: no pane shows them live.
"""

from __future__ import annotations

#: Tickets and their events, counters (state, counter–service matrix), satisfaction ratings:
#: the queue board, teller console, calling display, evaluator and dashboard.
TOPIC_QUEUE = "queue"
#: Complaints and their workflow steps (drafts included): the complaints pane, dashboard counts.
TOPIC_COMPLAINTS = "complaints"
#: Customers, their notes and follow-ups. Customers are the bank's, not one branch's: published
#: for every branch.
TOPIC_CUSTOMERS = "customers"
#: Checklist runs and their steps; a new template version (for every branch).
TOPIC_CHECKLISTS = "checklists"
#: Appointment bookings (booked, checked in, cancelled).
TOPIC_APPOINTMENTS = "appointments"
#: Branch-wide settings (app/services/branch_settings.py).
TOPIC_SETTINGS = "settings"

#: Every topic, in a fixed order (a watcher that may have missed changes reports them all).
TOPICS: tuple[str, ...] = (TOPIC_QUEUE, TOPIC_COMPLAINTS, TOPIC_CUSTOMERS, TOPIC_CHECKLISTS,
                           TOPIC_APPOINTMENTS, TOPIC_SETTINGS)
