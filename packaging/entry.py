"""PyInstaller entry of the bundle (see branchdesk.spec): the GUI, or the admin CLI by name.

On Linux the bundle has one executable, ``branchdesk``, and ``branchdesk-admin`` is a
symbolic link to it: the name it was started by picks the program, so both share one
Python archive (10 MB) instead of embedding one each. On Windows there are two
executables built from this same script, because only the CLI may have a console window.
"""

import multiprocessing
import sys
from pathlib import PurePosixPath, PureWindowsPath

#: The names the admin CLI is started by (``branchdesk-admin``, ``branchdesk-admin.exe``).
ADMIN_PROGRAM = "branchdesk-admin"


def started_as_admin(argv0: str) -> bool:
    name = PureWindowsPath(argv0).name if sys.platform == "win32" else PurePosixPath(argv0).name
    return name.lower().removesuffix(".exe") == ADMIN_PROGRAM


def main() -> int:
    # ``customers import --workers N`` starts worker processes; a frozen executable must let
    # each child run the worker instead of the program again.
    multiprocessing.freeze_support()
    if started_as_admin(sys.argv[0]):
        from app.cli.main import main as admin_main

        return admin_main()
    from ui.main import main as gui_main

    return gui_main()


if __name__ == "__main__":
    sys.exit(main())
