"""PyInstaller entry of the ``branchdesk-admin`` CLI executable (see branchdesk.spec)."""

import multiprocessing
import sys

from app.cli.main import main

if __name__ == "__main__":
    # ``customers import --workers N`` starts worker processes; a frozen executable must let
    # each child run the worker instead of the CLI again.
    multiprocessing.freeze_support()
    sys.exit(main())
