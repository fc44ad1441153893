"""A Qt test fails when it leaves something running: a window, a timer, a thread, a pool job.

After napari's conftest (``_find_dangling_widgets``, ``_dangling_qtimers``, ``_dangling_qthreads``,
``_dangling_qthread_pool``, ``_dangling_qanimations``): a window left open, a timer still ticking on
an object that lives on, a worker still reading the test's database, all run into the next test,
where they fail far from their cause or crash the process.

:class:`LeakGuard` watches one test. ``install`` wraps ``QTimer.start``/``singleShot``,
``QThread.start``, ``QThreadPool.start`` and ``QAbstractAnimation.start`` to note what the test
started and where; ``begin`` notes the windows and threads that already exist; ``find_leaks``,
after the test and its fixtures are torn down, reports what is still alive and running:

- ``widgets``: a window made during the test that is still visible, or that nothing owns (no
  parent) and that outlived a garbage collection, after deferred deletes ran;
- ``timers``: a QTimer started during the test and still active on an object not deleted; a
  single shot that has not fired and whose context still exists; a running animation;
- ``threads``: a QThread started during the test still running; a Python thread started during
  it still alive;
- ``pool``: the global thread pool (ui/worker.py reads the database there) or a pool the test
  used (ui/printing) still busy after :data:`GRACE_MS`.

Only a test that looks leaky pays for waiting or collecting; a clean one costs a few checks.

:func:`qt_leak_guard` is the fixture (autouse in tests/gui/conftest.py). A test that legitimately
leaves something says so, with the kinds it leaves and why::

    @pytest.mark.allow_leaks("timers", reason="...")

Kinds a test allows are neither reported nor cleaned up; other leaks are cleaned up after they
are reported (windows closed and deleted, timers stopped, pools waited for), so one leaky test
does not make the next one fail.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import pytest
import shiboken6
from PySide6.QtCore import (QAbstractAnimation, QCoreApplication, QEvent, QObject, QRunnable, QThread, QThreadPool,
                            QTimer, Qt, SignalInstance)
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.leak_names import (address, describe_callable, describe_job, describe_object, describe_timer,
                                  describe_widget, owners, text, weak, where)

#: What ``allow_leaks`` may name.
KINDS = ("widgets", "timers", "threads", "pool")

#: How long a test that looks leaky is given for its pool jobs and threads to finish before they
#: count as leaks (a loaded two-core CI machine can take a few hundred ms over a first read).
GRACE_MS = 500

#: Dynamic property marking the windows that existed before the test (an address could be reused).
_EXISTED = "_leak_guard_existed"


@dataclass(frozen=True)
class Leak:
    kind: str  # one of KINDS
    what: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.what}"


@dataclass
class _SingleShot:
    msec: int
    what: str
    where: str
    deadline: float
    context: Callable[[], QObject | None] | None = None
    tracks_firing: bool = True
    fired: bool = False

    def pending(self) -> bool:
        if self.context is not None:
            context = self.context()
            if context is None or not shiboken6.isValid(context):
                return False  # Qt drops a single shot whose context is gone
        if self.tracks_firing:
            return not self.fired
        return time.monotonic() < self.deadline


class _Job:
    """A job given to a pool. A runnable Qt deletes after running it (``autoDelete``, as
    ui/worker.py's) is known to be done once deleted; of others only the start is known."""

    def __init__(self, job: Any, where: str) -> None:
        self.what = f"{describe_job(job)} from {where}"
        self._runnable: Callable[[], Any] | None = None
        if isinstance(job, QRunnable) and job.autoDelete():
            try:
                self._runnable = weakref.ref(job)
            except TypeError:
                pass

    def may_run(self) -> bool:
        if self._runnable is None:
            return True
        runnable = self._runnable()
        return runnable is not None and shiboken6.isValid(runnable)


@dataclass
class LeakGuard:
    """Watches one test; see the module's docstring."""

    grace_ms: int = GRACE_MS
    _timers: WeakKeyDictionary[QTimer, str] = field(default_factory=WeakKeyDictionary)
    _single_shots: list[_SingleShot] = field(default_factory=list)
    _qthreads: WeakKeyDictionary[QThread, str] = field(default_factory=WeakKeyDictionary)
    _animations: WeakKeyDictionary[QAbstractAnimation, str] = field(default_factory=WeakKeyDictionary)
    #: Pools the test started jobs on (strong references: the global pool's wrapper may be transient),
    #: with the jobs: the runnable (while Qt has not deleted it after running it) and what it runs.
    _pools: dict[int, tuple[QThreadPool, list[_Job]]] = field(default_factory=dict)
    _threads_before: set[threading.Thread] = field(default_factory=set)

    # -- watching ----------------------------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrap the Qt calls that start something, for the life of ``monkeypatch``."""
        timer_start, single_shot = QTimer.start, QTimer.singleShot
        thread_start, pool_start, animation_start = QThread.start, QThreadPool.start, QAbstractAnimation.start

        def start_timer(timer: QTimer, *args: Any, **kwargs: Any) -> None:
            self._timers[timer] = where()
            timer_start(timer, *args, **kwargs)

        def start_single_shot(*args: Any, **kwargs: Any) -> None:
            single_shot(*(self._note_single_shot(args) if not kwargs else args), **kwargs)

        def start_thread(thread: QThread, *args: Any, **kwargs: Any) -> None:
            self._qthreads[thread] = where()
            thread_start(thread, *args, **kwargs)

        def start_job(pool: QThreadPool, *args: Any, **kwargs: Any) -> None:
            jobs = self._pools.setdefault(address(pool), (pool, []))[1]
            jobs[:] = [job for job in jobs if job.may_run()]
            jobs.append(_Job(args[0] if args else None, where()))
            pool_start(pool, *args, **kwargs)

        def start_animation(animation: QAbstractAnimation, *args: Any, **kwargs: Any) -> None:
            self._animations[animation] = where()
            animation_start(animation, *args, **kwargs)

        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QTimer, "singleShot", staticmethod(start_single_shot))
        monkeypatch.setattr(QThread, "start", start_thread)
        monkeypatch.setattr(QThreadPool, "start", start_job)
        monkeypatch.setattr(QAbstractAnimation, "start", start_animation)

    def begin(self) -> None:
        """Note what exists before the test: it is not the test's to clean up."""
        for widget in QApplication.topLevelWidgets():
            if not widget.property(_EXISTED):
                widget.setProperty(_EXISTED, True)
        self._threads_before = set(threading.enumerate())

    def _note_single_shot(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Record a ``QTimer.singleShot`` call; the arguments to pass on (the callable wrapped so
        its firing is seen)."""
        if not args:
            return args
        msec, rest = args[0], list(args[1:])
        prefix = [rest.pop(0)] if rest and isinstance(rest[0], Qt.TimerType) else []
        deadline = time.monotonic() + (msec if isinstance(msec, int) else 0) / 1000
        context: Callable[[], QObject | None] | None = None
        if len(rest) == 2 and isinstance(rest[0], QObject):
            context = weak(rest[0])
        target = rest[-1] if rest else None
        if target is None or isinstance(target, (bytes, bytearray, memoryview, str)) or not (
                callable(target) or isinstance(target, SignalInstance)):
            what = f"{describe_object(rest[0])}.{text(target)}" if context is not None else repr(target)
            self._single_shots.append(_SingleShot(msec, what, where(), deadline, context, tracks_firing=False))
            return args
        entry = _SingleShot(msec, describe_callable(target), where(), deadline, context)
        self._single_shots.append(entry)
        call = target.emit if isinstance(target, SignalInstance) else target

        def fire(*fire_args: Any) -> Any:
            entry.fired = True
            return call(*fire_args)

        return (msec, *prefix, *rest[:-1], fire)

    # -- checking ----------------------------------------------------------------------------

    def find_leaks(self) -> list[Leak]:
        """What the test left behind, after deferred deletes and, if anything looks left, a short
        grace (pool jobs and threads finishing, a garbage collection)."""
        _flush()
        if not self._scan():
            return []
        deadline = time.monotonic() + self.grace_ms / 1000
        gc.collect()
        _flush()
        for pool in self._busy_pools():
            pool.waitForDone(max(0, int((deadline - time.monotonic()) * 1000)))
        for thread in self._new_threads():
            thread.join(max(0.0, deadline - time.monotonic()))
        _flush()
        return self._scan()

    def _scan(self) -> list[Leak]:
        return [*self._widget_leaks(), *self._timer_leaks(), *self._thread_leaks(), *self._pool_leaks()]

    def _new_widgets(self) -> Iterator[QWidget]:
        for widget in QApplication.topLevelWidgets():
            if widget.property(_EXISTED) or not shiboken6.isValid(widget):
                continue
            if widget.isVisible() or widget.parent() is None:
                yield widget

    def _widget_leaks(self) -> list[Leak]:
        return [Leak("widgets", describe_widget(widget)) for widget in self._new_widgets()]

    def _active_timers(self) -> list[tuple[QTimer, str]]:
        return [(timer, where) for timer, where in list(self._timers.items())
                if shiboken6.isValid(timer) and timer.isActive()]

    def _running_animations(self) -> list[tuple[QAbstractAnimation, str]]:
        return [(animation, where) for animation, where in list(self._animations.items())
                if shiboken6.isValid(animation) and animation.state() == QAbstractAnimation.State.Running]

    def _timer_leaks(self) -> list[Leak]:
        leaks = [Leak("timers", f"{describe_timer(timer)}, started at {where}")
                 for timer, where in self._active_timers()]
        leaks += [Leak("timers", f"QTimer.singleShot({shot.msec} ms, {shot.what}) not fired, called at {shot.where}")
                  for shot in self._single_shots if shot.pending()]
        leaks += [Leak("timers", f"{describe_object(animation)} running, started at {where}")
                  for animation, where in self._running_animations()]
        return leaks

    def _running_qthreads(self) -> list[tuple[QThread, str]]:
        return [(thread, where) for thread, where in list(self._qthreads.items())
                if shiboken6.isValid(thread) and thread.isRunning()]

    def _new_threads(self) -> list[threading.Thread]:
        # A Qt pool thread that ran Python code shows up as a _DummyThread, "alive" for ever.
        return [thread for thread in threading.enumerate()
                if thread not in self._threads_before and thread.is_alive()
                and not isinstance(thread, threading._DummyThread)]  # noqa: SLF001

    def _thread_leaks(self) -> list[Leak]:
        leaks = [Leak("threads", f"{describe_object(thread)} still running, started at {where}")
                 for thread, where in self._running_qthreads()]
        leaks += [Leak("threads", f"Python thread {thread.name!r} (target "
                                  f"{describe_callable(getattr(thread, '_target', None))}) still alive")
                  for thread in self._new_threads()]
        return leaks

    def _busy_pools(self) -> list[QThreadPool]:
        # Not waitForDone(0): once the pool is idle it also ends its idle threads.
        pools = {address(QThreadPool.globalInstance()): QThreadPool.globalInstance()}
        pools.update((key, pool) for key, (pool, _) in self._pools.items() if shiboken6.isValid(pool))
        return [pool for pool in pools.values() if pool.activeThreadCount() > 0]

    def _pool_leaks(self) -> list[Leak]:
        leaks = []
        for pool in self._busy_pools():
            jobs = [job.what for job in self._pools.get(address(pool), (pool, []))[1] if job.may_run()][-3:]
            is_global = address(pool) == address(QThreadPool.globalInstance())
            name = "the global QThreadPool" if is_global else f"{describe_object(pool)} of {owners(pool)}"
            leaks.append(Leak("pool", f"{name} still runs {pool.activeThreadCount()} job(s) after {self.grace_ms} ms"
                                      + (f": {'; '.join(jobs)}" if jobs else " (not started by this test)")))
        return leaks

    # -- cleaning up -------------------------------------------------------------------------

    def clean_up(self, kinds: set[str]) -> None:
        """Stop what leaked of ``kinds``, so the next test starts clean."""
        if "timers" in kinds:
            for timer, _ in self._active_timers():
                timer.stop()
            for animation, _ in self._running_animations():
                animation.stop()
        if "widgets" in kinds:
            for widget in list(self._new_widgets()):
                widget.close()
                widget.deleteLater()
            _flush()
        if "threads" in kinds:
            for thread, _ in self._running_qthreads():
                thread.quit()
                thread.wait(2000)
        if "pool" in kinds:
            for pool in self._busy_pools():
                pool.waitForDone(10_000)
        self._timers.clear()
        self._single_shots.clear()
        self._qthreads.clear()
        self._animations.clear()
        self._pools.clear()


def _flush() -> None:
    """Deliver posted events and run deferred deletes (``deleteLater``; pytest-qt's close of the
    widgets registered with ``qtbot.addWidget`` ends with one), twice for deletes that post more."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for _ in range(2):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# -- the fixture -----------------------------------------------------------------------------

def allowed_kinds(item: pytest.Item) -> set[str]:
    """The kinds of leak the test's ``allow_leaks`` markers allow (all when a marker names none)."""
    allowed: set[str] = set()
    for marker in item.iter_markers("allow_leaks"):
        reason = marker.kwargs.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            pytest.fail("@pytest.mark.allow_leaks needs reason='why the test leaves it'", pytrace=False)
        unknown = set(marker.args).difference(KINDS)
        if unknown:
            pytest.fail(f"allow_leaks names {sorted(unknown)}; the kinds are {list(KINDS)}", pytrace=False)
        allowed.update(marker.args or KINDS)
    return allowed


@pytest.fixture(autouse=True)
def qt_leak_guard(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[LeakGuard]:  # noqa: ARG001
    """Fail the test (an error at teardown) when it leaves Qt objects behind; see the module's docstring.

    Its teardown runs after pytest-qt's closing of the widgets registered with ``qtbot.addWidget``
    (pytest-qt does that before any fixture is torn down) and, requested first, after the other
    fixtures' teardowns."""
    allowed = allowed_kinds(request.node)
    guard = LeakGuard(grace_ms=GRACE_MS)
    with pytest.MonkeyPatch.context() as monkeypatch:
        guard.install(monkeypatch)
        guard.begin()
        yield guard
        leaks = [leak for leak in guard.find_leaks() if leak.kind not in allowed]
        guard.clean_up({leak.kind for leak in leaks})
    if leaks:
        kinds = sorted({leak.kind for leak in leaks})
        pytest.fail(
            "the test left Qt objects behind:\n" + "\n".join(f"  - {leak}" for leak in leaks)
            + "\nClose what the test opens (or qtbot.addWidget it), stop timers when their widget closes, wait "
              "for worker jobs and threads. They are cleaned up now (windows deleted, timers stopped, pools "
              f"waited for). If the test leaves them on purpose: @pytest.mark.allow_leaks("
              f"{', '.join(map(repr, kinds))}, reason='…')",
            pytrace=False)
