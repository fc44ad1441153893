"""Customers with a relationship manager who are in the branch now, live: "VIP 王** arrived, A012,
waiting 2 min". A manager sees their own and is alerted (the taskbar flashes) when one arrives;
the lobby manager and supervisors see everyone's, to call the manager."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services.customers.managers import Arrival
from app.topics import TOPIC_CUSTOMERS, TOPIC_QUEUE
from ui.context import AppContext
from ui.customers.labels import tier_label
from ui.live_pane import LivePane, ReadJob

if TYPE_CHECKING:
    from ui.event_bridge import EventBridge

#: Waiting minutes grow without any change: read again this often.
CLOCK_MS = 30_000


class ArrivalsBox(LivePane):
    topics = (TOPIC_QUEUE, TOPIC_CUSTOMERS)
    #: A customer who was not here at the last read has arrived (their ticket id).
    arrived = Signal(int)
    #: A customer of the list was chosen: open their profile.
    customer_chosen = Signal(int)

    def __init__(self, context: AppContext, bridge: EventBridge | None, *, mine_only: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, name="arrivals")
        self._ctx = context
        self._mine_only = mine_only
        self._seen: set[int] | None = None  # None until the first read: nobody "arrives" at start-up
        self.arrivals: list[Arrival] = []
        self.box = QGroupBox(self.tr("My customers in the branch now") if mine_only else
                             self.tr("Customers with a manager in the branch now"))
        self.box.setObjectName("arrivalsBox")
        self.list = QListWidget()
        self.list.setObjectName("arrivalsList")
        self.list.setMaximumHeight(120)
        self.list.itemActivated.connect(lambda item: self.customer_chosen.emit(item.data(256)))
        QVBoxLayout(self.box).addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        if bridge is not None:
            self.follow(bridge)
        self.every(CLOCK_MS)
        self.refresh()

    def read_job(self) -> ReadJob | None:
        actor = self._ctx.actor
        if actor is None:
            return None
        return partial(self._ctx.services.relationship_managers.arrivals, actor, self._ctx.branch.id)

    def show_result(self, result: Any) -> None:
        arrivals: list[Arrival] = result
        now = self._ctx.clock()
        self.arrivals = arrivals
        self.list.clear()
        for arrival in arrivals:
            minutes = max(0, int((now - arrival.issued_at).total_seconds() // 60))
            text = self.tr("{tier} {name} arrived, {ticket}, waiting {minutes} min").format(
                tier=tier_label(arrival.tier), name=arrival.customer_name, ticket=arrival.ticket, minutes=minutes)
            if not self._mine_only:
                text += self.tr(" — {manager}").format(manager=arrival.manager_name)
            item = QListWidgetItem(text)
            item.setData(256, arrival.customer_id)
            self.list.addItem(item)
        ids = {arrival.ticket_id for arrival in arrivals}
        if self._seen is not None:
            for ticket_id in sorted(ids - self._seen):
                self.arrived.emit(ticket_id)
            if ids - self._seen and self._mine_only:
                QApplication.alert(self.window())  # the taskbar flashes on a manager's desk
        self._seen = ids
