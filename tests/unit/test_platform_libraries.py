"""Issue #18: a workstation missing a library Qt's platform plugin loads is told, in one line,
which packages to install — instead of Qt's plugin dump and an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ui.platform_libraries import COMMON, XCB, missing_message, missing_packages, platform_in_use

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_is_missing_on_this_machine_for_the_offscreen_platform() -> None:
    assert missing_packages({"QT_QPA_PLATFORM": "offscreen"}) == []


def test_the_packages_of_the_missing_libraries_are_named() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libEGL.so.1"}
    found = missing_packages({}, loads=lambda soname: soname not in absent, platform="linux")
    assert found == ["libegl1", "libxcb-cursor0", "libxcb-icccm4"]
    assert missing_message(found).endswith("sudo apt-get install libegl1 libxcb-cursor0 libxcb-icccm4")


def test_offscreen_and_other_systems_need_no_x11_library() -> None:
    nothing = lambda soname: False  # noqa: E731 - every library "missing"
    assert missing_packages({"QT_QPA_PLATFORM": "offscreen"}, loads=nothing, platform="linux") == sorted(
        set(COMMON.values()))
    assert missing_packages({}, loads=nothing, platform="win32") == []
    assert set(missing_packages({}, loads=nothing, platform="linux")) == set(COMMON.values()) | set(XCB.values())
    assert platform_in_use({}) == "xcb" and platform_in_use({"QT_QPA_PLATFORM": "wayland:xcb"}) == "wayland"


def test_branchdesk_refuses_with_one_line_and_exit_code_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real entry point, in a process of its own, with libxcb-cursor made to look absent."""
    script = ("import ui.platform_libraries as p\n"
              "p._loads = lambda soname: soname != 'libxcb-cursor.so.0'\n"
              "from ui.main import main\n"
              "raise SystemExit(main(['--demo']))\n")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(BRANCHDESK_CONFIG_DIR=str(tmp_path / "config"), BRANCHDESK_DATA_DIR=str(tmp_path / "data"),
               BRANCHDESK_LOG_DIR=str(tmp_path / "logs"))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == ["BranchDesk cannot open its windows: system libraries are missing. Install them with: "
                     "sudo apt-get install libxcb-cursor0"], done.stderr
    assert "Traceback" not in done.stderr + done.stdout
