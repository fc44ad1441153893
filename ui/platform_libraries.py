"""Before Qt opens a window: are the system libraries its Linux platform plugin loads there?

Qt's xcb plugin (X11) loads libxcb-cursor, libxcb-icccm, … when the first window opens; when one
is missing Qt prints a page of plugin diagnostics and aborts the process, which a branch IT
person cannot act on. :func:`missing_packages` tries each library first (``ctypes``: the same
loader Qt uses) and names the Debian/Ubuntu package of each one that is missing, so
``branchdesk`` can say in one line what to install (ui/workstation_start.py, exit code 2).

No Qt import here: this runs before a ``QApplication`` exists.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: What every Qt platform needs (offscreen included): soname → Debian/Ubuntu package.
COMMON: Mapping[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
#: What the xcb (X11) plugin loads besides.
XCB: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def platform_in_use(environ: Mapping[str, str]) -> str:
    """The Qt platform plugin this process will load: QT_QPA_PLATFORM, else xcb on Linux
    (Qt's default there; Wayland sessions run X11 apps through XWayland)."""
    return environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip() or "xcb"


def missing_packages(environ: Mapping[str, str] | None = None, *,
                     loads: Callable[[str], bool] | None = None, platform: str = sys.platform) -> list[str]:
    """The packages to install before Qt can start here (empty: nothing missing, not Linux, or the
    installed bundle, which carries what it needs and checks it when built: tests/packaging)."""
    if not platform.startswith("linux") or getattr(sys, "frozen", False):
        return []
    loads = loads or _loads
    needed = dict(COMMON)
    if platform_in_use(os.environ if environ is None else environ) == "xcb":
        needed.update(XCB)
    return sorted({package for soname, package in needed.items() if not loads(soname)})


def missing_message(packages: list[str]) -> str:
    """One line for the terminal (English: Qt's translations cannot load without Qt)."""
    return ("BranchDesk cannot open its windows: system libraries are missing. Install them with: "
            f"sudo apt-get install {' '.join(packages)}")
