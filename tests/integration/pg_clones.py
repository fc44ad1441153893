"""Copies of the migrated PostgreSQL template made ahead of the tests that need them.

``CREATE DATABASE … TEMPLATE`` takes about a third of a second, and every ``[postgresql]`` test
that takes ``db`` needs one. A background thread keeps a few copies ready, so the copy is made
while the previous test runs (the test process mostly waits on the server) and ``take`` returns
at once. A copy nobody took is dropped at the end of the session.
"""

from __future__ import annotations

import queue
import threading
import uuid

import psycopg

#: Copies kept ready; more would only make the last ones wasted at the session's end.
AHEAD = 2
#: How long ``take`` waits for a copy before it gives up (a server that stopped answering).
TAKE_TIMEOUT_S = 120


class PgClones:
    def __init__(self, admin_uri: str, template: str, *, ahead: int = AHEAD) -> None:
        self._admin_uri, self._template = admin_uri, template
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=ahead)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._make, name="pg-template-clones", daemon=True)
        self._thread.start()

    def take(self) -> str:
        """The name of a fresh copy of the template, now the caller's (to drop when done)."""
        made = self._ready.get(timeout=TAKE_TIMEOUT_S)
        if isinstance(made, BaseException):
            raise RuntimeError("could not copy the PostgreSQL template database") from made
        return made

    def _make(self) -> None:
        while not self._stopping.is_set():
            try:
                self._make_until_stopped()
            except Exception as error:  # noqa: BLE001 - handed to the next take(); then tried again
                if not self._stopping.is_set():
                    self._put(error)
                    self._stopping.wait(1.0)

    def _make_until_stopped(self) -> None:
        with psycopg.connect(self._admin_uri, autocommit=True) as connection:
            while not self._stopping.is_set():
                name = f"bd_{uuid.uuid4().hex[:16]}"
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
                if not self._put(name):
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def _put(self, made: str | BaseException) -> bool:
        """Wait for room in the queue; False when stopping first."""
        while not self._stopping.is_set():
            try:
                self._ready.put(made, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        """Stop making copies; drop the ones nobody took."""
        self._stopping.set()
        self._thread.join(30)
        leftovers = []
        while not self._ready.empty():
            made = self._ready.get_nowait()
            if isinstance(made, str):
                leftovers.append(made)
        with psycopg.connect(self._admin_uri, autocommit=True) as connection:
            for name in leftovers:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
