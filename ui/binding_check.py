"""Is this Qt binding safe to run all day?

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every Qt call that returns
nothing (``QLabel.setText``, ``QWidget.update``, ``QTimer.start`` …) and one to ``True`` /
``False`` on every bool passed through a signal. Nothing shows until the count reaches zero and
the interpreter aborts (``Fatal Python error: none_dealloc``): the calling display after about a
minute, the teller console after six. On CPython 3.12 and newer ``None``, ``True`` and
``False`` are immortal (PEP 683), their counts never move, and such a binding is harmless.

:func:`probe_binding` makes a thousand void calls and a hundred bool signals at start-up (about
a millisecond) and reports the drift; ``ui.workstation_start`` refuses to start on a leaking binding instead
of dying in front of customers. :class:`RefcountProbe` measures the same drift around any code,
for the tests of the app's own hot paths (tests/gui/test_binding_refcounts.py).

Whatever a probe finds missing it gives back (``Py_IncRef``, never released: the binding's
decrefs have already happened), so that measuring a broken binding never brings the abort closer,
not even at interpreter shutdown.
"""

from __future__ import annotations

import ctypes
import platform
import sys
from dataclasses import dataclass
from types import TracebackType

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, QObject, Signal, qVersion

# How many void calls and bool signals the start-up probe makes.
VOID_CALLS = 1_000
BOOL_SIGNALS = 50

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def singletons_are_immortal() -> bool:
    """On CPython 3.12+ reference counts of None/True/False are fixed: there is nothing to measure."""
    return sys.implementation.name == "cpython" and sys.version_info >= (3, 12)


def versions() -> str:
    """'Python 3.11.7, PySide6 6.11.3, Qt 6.11.3': for --version, the self-test and the log."""
    return f"Python {platform.python_version()}, PySide6 {PYSIDE_VERSION}, Qt {qVersion()}"


@dataclass(frozen=True)
class Drift:
    """How the reference counts of the three singletons moved (negative = references lost)."""

    none: int = 0
    true: int = 0
    false: int = 0

    def lost(self) -> int:
        """References lost in all, the measure a test or the start-up guard judges."""
        return -sum(min(0, value) for value in (self.none, self.true, self.false))

    def __str__(self) -> str:
        return f"None {self.none:+d}, True {self.true:+d}, False {self.false:+d}"


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


class RefcountProbe:
    """``with RefcountProbe() as probe: …`` then ``probe.drift``; lost references are repaid."""

    def __init__(self) -> None:
        self.drift = Drift()
        self._before = (0, 0, 0)

    def __enter__(self) -> RefcountProbe:
        self._before = _counts()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        after = _counts()
        if singletons_are_immortal():
            return
        none, true, false = (a - b for a, b in zip(after, self._before))
        self.drift = Drift(none, true, false)
        for singleton, change in ((None, none), (True, true), (False, false)):
            for _ in range(-change):  # a leaking binding's debt, paid so the process lives on
                _incref(singleton)


class _Probe(QObject):
    flag = Signal(bool)


def probe_binding() -> Drift:
    """Drift over :data:`VOID_CALLS` void calls and :data:`BOOL_SIGNALS` bool signals.

    A sound binding gives ``Drift()``; the broken one about ``None -1000, True -50, False -50``."""
    probe = _Probe()
    received: list[bool] = []
    probe.flag.connect(received.append)
    with RefcountProbe() as measured:
        for _ in range(VOID_CALLS):
            probe.setObjectName("binding-probe")
        for _ in range(BOOL_SIGNALS):
            probe.flag.emit(True)
            probe.flag.emit(False)
        received.clear()
    probe.deleteLater()
    return measured.drift


def binding_is_unsafe(drift: Drift) -> bool:
    """More than a quarter of the probe's calls lost a reference: not noise, a leaking binding."""
    return drift.lost() > (VOID_CALLS + 2 * BOOL_SIGNALS) // 4


def unsafe_binding_message() -> str:
    return QCoreApplication.translate(
        "BindingCheck",
        "BranchDesk cannot run on this computer's Qt binding: PySide6 {pyside} on Python {python} loses "
        "object references on every screen update and would stop within minutes. Install the version "
        "BranchDesk is tested with (pip install \"PySide6<6.12\"), use Python 3.12 or newer, or use "
        "BranchDesk's installation package.",
    ).format(pyside=PYSIDE_VERSION, python=platform.python_version())
