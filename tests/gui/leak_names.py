"""How the leak guard (tests/gui/leak_guard.py) names what a test left behind: the object, who
owns it, and the line of the project (and of the test) that started it."""

from __future__ import annotations

import functools
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

_ROOT = Path(__file__).resolve().parents[2]
_ROOT_PREFIX = str(_ROOT) + "/"
_TESTS_PREFIX = str(_ROOT / "tests") + "/"
#: The guard's wrappers of Qt's start calls: the frames to look past.
_GUARD_FILE = str(Path(__file__).resolve().with_name("leak_guard.py"))


def where() -> str:
    """Where a start was called: the innermost frame in the project (``ui/…``), the project frame
    that called into that file, and, if neither is a test, the test frame that led to them."""
    frame = sys._getframe(2)  # noqa: SLF001 - the caller of the wrapped Qt call
    first, project, test = None, [], None
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename != _GUARD_FILE:
            first = first or frame
            if filename.startswith(_TESTS_PREFIX):
                test = frame
                break
            if (len(project) < 2 and filename.startswith(_ROOT_PREFIX) and "/.venv/" not in filename
                    and not (project and project[-1].f_code.co_filename == filename)):
                project.append(frame)
        frame = frame.f_back
    places = project or ([first] if first is not None and first is not test else [])
    text = " <- ".join(frametext(place) for place in places)
    if test is not None:
        text = f"{text} (from {frametext(test)})" if text else frametext(test)
    return text or "?"


def frametext(frame: Any) -> str:
    filename = frame.f_code.co_filename
    if filename.startswith(_ROOT_PREFIX):
        filename = filename[len(_ROOT_PREFIX):]
    return f"{filename}:{frame.f_lineno} in {frame.f_code.co_name}"


def address(obj: QObject) -> int:
    return shiboken6.getCppPointer(obj)[0]


def describe_object(obj: QObject) -> str:
    if not shiboken6.isValid(obj):
        return f"{type(obj).__name__} (deleted)"
    name = obj.objectName()
    return f"{type(obj).__name__}" + (f" {name!r}" if name else "")


def owners(obj: QObject) -> str:
    chain, parent = [], obj.parent()
    while parent is not None and len(chain) < 4:
        chain.append(describe_object(parent))
        parent = parent.parent()
    return " < ".join(chain) if chain else "no parent"


def describe_timer(timer: QTimer) -> str:
    shot = "single shot" if timer.isSingleShot() else "repeating"
    return f"{describe_object(timer)} ({shot}, {timer.interval()} ms) active, owned by {owners(timer)}"


def describe_widget(widget: QWidget) -> str:
    state = "visible" if widget.isVisible() else "hidden, no parent, outlived gc"
    title = widget.windowTitle()
    parent = widget.parent()
    return (describe_object(widget) + (f" titled {title!r}" if title else "") + f" ({state}"
            + (f", parent {describe_object(parent)}" if parent is not None else "") + ")")


def describe_callable(target: Any) -> str:
    if target is None:
        return "None"
    if isinstance(target, functools.partial):
        return describe_callable(target.func)
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)
    if isinstance(owner, QObject):
        return f"{name} of {describe_object(owner)}"
    return str(name)


def describe_job(job: Any) -> str:
    """A pool job: the function a ui.worker job runs, else the runnable's class or the callable."""
    function = getattr(job, "_fn", None)
    if function is not None:
        return describe_callable(function)
    return type(job).__name__ if not callable(job) or hasattr(job, "run") else describe_callable(job)


def text(member: Any) -> str:
    return member.decode() if isinstance(member, (bytes, bytearray)) else str(member)


def weak(obj: QObject) -> Callable[[], QObject | None]:
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj
