"""A NUL character is refused the same clear way on both databases, whichever service passes it on."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationError
from app.domain.tickets import TicketStatus
from app.keys import FieldCipher, KeyRing
from app.services.customers.service import CustomerService


def test_a_note_with_a_nul_is_refused_and_nothing_is_written(db, queue, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue.issue_ticket(actors.lobby, branch.id, "loan")
    queue.call_next(actors.teller1, branch.id, 1)
    queue.start(actors.teller1, branch.id, 1)
    with pytest.raises(ValidationError, match="text: contains a NUL character"):
        queue.finish(actors.teller1, branch.id, 1, note="客户\x00要求")
    [ticket] = queue.list_tickets(branch.id)
    assert ticket.status is TicketStatus.SERVING and ticket.note is None  # the finish rolled back whole
    assert queue.finish(actors.teller1, branch.id, 1, note="客户要求").status is TicketStatus.FINISHED


def test_a_search_with_a_nul_is_refused(db, clock, actors) -> None:  # type: ignore[no-untyped-def]
    customers = CustomerService(db, clock=clock, cipher=FieldCipher(KeyRing.generate()))
    with pytest.raises(ValidationError, match="contains a NUL character"):
        customers.search(actors.teller1, "张\x00三")
