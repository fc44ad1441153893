"""Build the one-folder BranchDesk app: ``packaging/dist/branchdesk/``.

    python packaging/build.py            # translations, then PyInstaller (reuses packaging/build/)
    python packaging/build.py --clean    # start from an empty PyInstaller cache

Needs the ``packaging`` extra (``pip install -e ".[packaging]"``). The folder holds the GUI
``branchdesk`` and the admin CLI ``branchdesk-admin`` (``.exe`` on Windows) side by side;
copy the whole folder to the workstation (on Linux ``branchdesk-admin`` is a symbolic link
to ``branchdesk``: keep links when copying, as ``cp -a``, ``tar`` and ``zip -y`` do). After
PyInstaller, on Linux, Qt's ICU data library is trimmed to the locales and code pages the app
uses (packaging/icu_data.py; 32 MB to 4 MB). Prints the build time and the folder size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SPEC = PACKAGING / "branchdesk.spec"
DIST = PACKAGING / "dist"
WORK = PACKAGING / "build"
APP_DIR = DIST / "branchdesk"


def executable(name: str) -> Path:
    """Path of one of the bundle's executables (``branchdesk`` or ``branchdesk-admin``)."""
    return APP_DIR / (f"{name}.exe" if sys.platform == "win32" else name)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def tool_env() -> dict[str, str]:
    """The environment with this interpreter's scripts dir first on PATH, so pyside6-lrelease is found
    when a virtualenv's python runs this without the virtualenv being activated (as CI does)."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}


def build(clean: bool = False) -> Path:
    subprocess.run([sys.executable, str(PACKAGING / "translations.py"), "compile"], check=True, cwd=ROOT,
                   env=tool_env())
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    subprocess.run(command, check=True, cwd=ROOT, env=tool_env())
    if sys.platform != "win32":
        os.symlink("branchdesk", APP_DIR / "branchdesk-admin")  # see packaging/entry.py
    if sys.platform.startswith("linux"):
        trim_icu_data(APP_DIR)
    for name in ("branchdesk", "branchdesk-admin"):
        if not executable(name).is_file():
            raise SystemExit(f"build.py: {executable(name)} was not built")
    return APP_DIR


def trim_icu_data(app_dir: Path) -> None:
    sys.path.insert(0, str(PACKAGING))  # this file is also loaded by path (tests/packaging)
    import icu_data

    for library in sorted(app_dir.rglob("libicudata.so.*")):
        if library.is_symlink():
            continue
        before, after = icu_data.trim_library(library)
        print(f"Trimmed {library.relative_to(app_dir)}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder BranchDesk app with PyInstaller.")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    app_dir = build(clean=args.clean)
    elapsed = time.perf_counter() - started
    print(f"Built {app_dir} in {elapsed:.0f} s; {folder_size(app_dir) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
