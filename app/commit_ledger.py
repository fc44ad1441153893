"""Changes this process committed, and the moment each commit finished.

A teller presses F1: the console writes, then re-reads at once to show the called ticket. The
change notification of that same write comes back through the watcher a moment later and, without
this ledger, makes the console read again for nothing (issue #17's "echo"). Whoever wrote it, a
pane whose last read *began after* the commit finished already shows the change; the ledger is how
a notification says when that was — for this process's own commits only (another workstation's
clock is not ours).

:func:`note` is called by :func:`app.events.publish` inside the transaction with the key the
notification will carry (PostgreSQL: this process's origin and a sequence number, sent in the
payload; SQLite: the (branch, topic, version) the change counter was set to). The key enters
the ledger when the session commits (SQLAlchemy ``after_commit``), and never if it rolls back.
The watcher takes the moment with :func:`take`; a key not (or no longer) there is "not known",
which always means "read".

Only the latest commit need be ours: writes to one database are ordered, so a read that began
after our commit finished also sees every commit before it, whoever made those.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy import event
from sqlalchemy.orm import Session

#: This process among all that write to the database (PostgreSQL payloads carry it).
ORIGIN = uuid.uuid4().hex[:12]

#: How many commits are remembered: far more than a burst of notifications in flight.
LEDGER_SIZE = 4096

#: How long a watcher waits for a commit of ours that the server has already announced: the
#: notification can overtake the return of ``commit()`` on the committing thread.
COMMIT_RETURN_WAIT_S = 0.5

_PENDING = "commit_ledger_pending"

_changed = threading.Condition()
#: key -> the moment its commit finished, or None while the transaction is still committing.
_committed: OrderedDict[Hashable, float | None] = OrderedDict()
_sequence = itertools.count(1)


def next_token() -> str:
    """A key for a PostgreSQL notification of this process: ``origin.sequence``."""
    return f"{ORIGIN}.{next(_sequence)}"


def note(session: Session, key: Hashable) -> None:
    """Remember ``key`` as committed when ``session``'s transaction commits (forgotten on rollback)."""
    session.info.setdefault(_PENDING, []).append(key)
    with _changed:
        _committed[key] = None
        while len(_committed) > LEDGER_SIZE:
            _committed.popitem(last=False)


def take(key: Hashable, *, wait_s: float = COMMIT_RETURN_WAIT_S) -> float | None:
    """``time.monotonic()`` just after this process committed ``key``; None when not known here.

    A key of ours still committing is waited for (at most ``wait_s``). A key is answered once: the
    watcher asks as it reports the change, and a later report of the same key (a database put
    back to an older state) is then "not known", i.e. read again."""
    with _changed:
        if key not in _committed:
            return None
        _changed.wait_for(lambda: _committed.get(key, 0.0) is not None, timeout=wait_s)
        return _committed.pop(key, None)


@event.listens_for(Session, "after_commit")
def _record_commit(session: Session) -> None:
    keys = session.info.pop(_PENDING, None)
    if not keys:
        return
    moment = time.monotonic()
    with _changed:
        for key in keys:
            if key in _committed:
                _committed[key] = moment
        _changed.notify_all()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    keys = session.info.pop(_PENDING, None)
    if not keys:
        return
    with _changed:
        for key in keys:
            _committed.pop(key, None)
        _changed.notify_all()
