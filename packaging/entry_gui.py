"""PyInstaller entry of the ``branchdesk`` GUI executable (see branchdesk.spec)."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
