"""PyInstaller entry of the ``branchdesk-admin`` CLI executable (see branchdesk.spec)."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
